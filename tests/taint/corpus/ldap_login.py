import ldap
from flask import Flask, request, session

app = Flask(__name__)
app.secret_key = "change-me"


def build_filter(**attrs):
    inner = "".join("({}={})".format(k, v) for k, v in attrs.items())
    return "(&" + inner + ")"


@app.post("/login")
def login():
    user = request.form["username"]
    flt = build_filter(objectClass="person", uid=user)
    conn = ldap.initialize("ldap://ldap.example.com")
    found = conn.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE, flt)
    if not found:
        return "no such user", 401
    session["dn"] = found[0][0]
    return "ok"
