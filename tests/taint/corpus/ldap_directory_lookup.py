import ldap
import ldap.filter
from flask import Flask, jsonify, request

app = Flask(__name__)
BASE_DN = "ou=people,dc=example,dc=com"


@app.route("/directory/user")
def directory_user():
    uid = ldap.filter.escape_filter_chars(request.args.get("uid", ""))
    conn = ldap.initialize("ldap://ldap.example.com")
    results = conn.search_s(BASE_DN, ldap.SCOPE_SUBTREE, f"(uid={uid})", ["cn"])
    return jsonify([dn for dn, _ in results])
