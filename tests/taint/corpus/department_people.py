import ldap
from fastapi import FastAPI, HTTPException

app = FastAPI()
DEPARTMENTS = frozenset({"sales", "engineering", "support"})


@app.get("/departments/{dept}/people")
def people(dept: str):
    if dept not in DEPARTMENTS:
        raise HTTPException(status_code=404)
    conn = ldap.initialize("ldap://ldap.example.com")
    res = conn.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE, "(ou=%s)" % dept, ["uid"])
    return {"people": [a["uid"][0].decode() for _, a in res]}
