import ldap
from flask import Flask, jsonify, request

app = Flask(__name__)
BASE_DN = "ou=people,dc=example,dc=com"


@app.route("/directory/user")
def directory_user():
    uid = request.args.get("uid", "")
    conn = ldap.initialize("ldap://ldap.example.com")
    conn.simple_bind_s("cn=reader,dc=example,dc=com", "reader-password")
    results = conn.search_s(BASE_DN, ldap.SCOPE_SUBTREE, f"(uid={uid})", ["cn", "mail"])
    return jsonify([dn for dn, _ in results])
