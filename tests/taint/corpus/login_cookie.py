import secrets

from flask import Flask, make_response

app = Flask(__name__)


@app.post("/login")
def login():
    token = secrets.token_urlsafe(32)
    resp = make_response({"ok": True})
    resp.set_cookie("auth_token", token, secure=True, httponly=True, samesite="Strict")
    return resp
