import ldap
from flask import Flask, jsonify, request

app = Flask(__name__)


@app.get("/employees/by-number")
def by_number():
    number = int(request.args["n"])
    flt = "(employeeNumber=" + str(number) + ")"
    conn = ldap.initialize("ldap://ldap.example.com")
    res = conn.search_s("ou=people,dc=example,dc=com", ldap.SCOPE_SUBTREE, flt, ["cn"])
    return jsonify([dn for dn, _ in res])
