import secrets

from flask import Flask, make_response

app = Flask(__name__)


def attach_session(resp, value):
    resp.set_cookie("session", value, httponly=True, samesite="Lax")
    return resp


@app.route("/signin", methods=["POST"])
def signin():
    resp = make_response("signed in")
    return attach_session(resp, secrets.token_urlsafe(32))
