from fastapi import FastAPI
from ldap3 import Connection, Server

app = FastAPI()
ldap_server = Server("ldap://ldap.example.com")


@app.get("/lookup")
def lookup(email: str):
    criteria = {"mail": email.lower()}
    flt = "(mail={mail})".format(**criteria)
    conn = Connection(ldap_server, user="cn=svc,dc=example,dc=com", password="svc", auto_bind=True)
    conn.search(search_base="dc=example,dc=com", search_filter=flt, attributes=["uid"])
    return {"uids": [e.uid.value for e in conn.entries]}
