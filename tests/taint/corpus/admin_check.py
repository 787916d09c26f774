import ldap
from flask import Flask, request

app = Flask(__name__)


@app.route("/admins/check")
def is_admin():
    who = request.args.get("dn", "")
    conn = ldap.initialize("ldap://ldap.example.com")
    admins = conn.search_s("ou=groups,dc=example,dc=com", ldap.SCOPE_ONELEVEL, "(cn=admins)")
    member_dns = admins[0][1].get("member", []) if admins else []
    return {"admin": who.encode() in member_dns}
