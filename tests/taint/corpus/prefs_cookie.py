import base64
import pickle

from flask import Flask, request

app = Flask(__name__)


def decode_prefs(blob):
    raw = base64.b64decode(blob)
    return pickle.loads(raw)


@app.route("/dashboard")
def dashboard():
    prefs = decode_prefs(request.cookies.get("prefs", "gAR9lC4="))
    return {"layout": prefs.get("layout", "grid")}
