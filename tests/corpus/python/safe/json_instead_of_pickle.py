import base64
import json

from flask import Flask, request

app = Flask(__name__)


@app.route("/cart")
def cart():
    raw = request.cookies.get("cart", "")
    items = json.loads(base64.b64decode(raw)) if raw else []
    return {"count": len(items)}


def snapshot(state) -> bytes:
    import pickle

    return pickle.dumps(state)
