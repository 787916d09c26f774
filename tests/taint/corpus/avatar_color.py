import random
import secrets

from flask import Flask, make_response

app = Flask(__name__)
COLORS = ["#e57373", "#64b5f6", "#81c784", "#ffd54f"]


@app.route("/welcome")
def welcome():
    color = random.choice(COLORS)
    resp = make_response("hi")
    resp.set_cookie("avatar_color", color, secure=True, httponly=True, samesite="Lax")
    resp.set_cookie("csrf_token", secrets.token_hex(16), secure=True, httponly=True)
    return resp
