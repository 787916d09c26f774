import requests
from flask import Flask, request

app = Flask(__name__)


@app.route("/rates")
def rates():
    n = 2
    if 3 * 5 + n > 10:
        source = "https://rates.example.com/latest.json"
    else:
        source = request.args["source"]
    return requests.get(source, timeout=5).json()
