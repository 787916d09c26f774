import random

from flask import Flask, make_response

app = Flask(__name__)


@app.route("/start")
def start():
    sid = str(random.randint(10**9, 10**10))
    resp = make_response("started")
    resp.set_cookie("sid", sid, secure=True, httponly=True)
    return resp
