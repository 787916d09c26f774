import requests
from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/preview")
def preview():
    url = request.args.get("url", "")
    resp = requests.get(url, timeout=5)
    return jsonify(status=resp.status_code, length=len(resp.content))
