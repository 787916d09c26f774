from django.http import JsonResponse
from ldap3 import Connection, Server
from ldap3.utils.conv import escape_filter_chars

SERVER = Server("ldap.example.com")


def group_members(request):
    group = escape_filter_chars(request.GET.get("group", "staff"))
    with Connection(SERVER, auto_bind=True) as conn:
        conn.search("dc=example,dc=com", "(&(objectClass=groupOfNames)(cn=%s))" % group)
        members = [e.entry_dn for e in conn.entries]
    return JsonResponse({"members": members})
