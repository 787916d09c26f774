from django.http import JsonResponse
from ldap3 import ALL, Connection, Server

SERVER = Server("ldap.example.com", get_info=ALL)


def group_members(request):
    group = request.GET.get("group", "staff")
    search_filter = "(&(objectClass=groupOfNames)(cn=%s))" % group
    with Connection(SERVER, auto_bind=True) as conn:
        conn.search("dc=example,dc=com", search_filter, attributes=["member"])
        members = [str(e.member) for e in conn.entries]
    return JsonResponse({"members": members})
