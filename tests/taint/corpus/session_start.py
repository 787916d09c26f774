import secrets

from flask import Flask, make_response

app = Flask(__name__)
USE_SECURE_COOKIES = True


@app.route("/session/new")
def new_session():
    secure = USE_SECURE_COOKIES
    http_only = True
    resp = make_response("ok")
    resp.set_cookie("sid", secrets.token_hex(16), secure=secure, httponly=http_only)
    return resp
