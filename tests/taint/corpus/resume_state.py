import base64
import hashlib
import hmac
import os
import pickle

from flask import Flask, abort, request

app = Flask(__name__)
SECRET = os.environ["STATE_KEY"].encode()


@app.route("/resume")
def resume():
    token = request.cookies.get("state", "")
    try:
        sig_b64, data_b64 = token.split(".", 1)
        sig, data = base64.urlsafe_b64decode(sig_b64), base64.urlsafe_b64decode(data_b64)
    except ValueError:
        abort(400)
    expected = hmac.new(SECRET, data, hashlib.sha256).digest()
    if not hmac.compare_digest(sig, expected):
        abort(403)
    state = pickle.loads(data)
    return {"step": state["step"]}
