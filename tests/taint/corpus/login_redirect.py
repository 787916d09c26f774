from urllib.parse import urlparse

from flask import Flask, redirect, request

app = Flask(__name__)


@app.post("/login")
def login():
    next_url = request.args.get("next", "/")
    parsed = urlparse(next_url)
    if parsed.scheme or parsed.netloc or not next_url.startswith("/"):
        next_url = "/"
    elif next_url.startswith("//") or "\\" in next_url:
        next_url = "/"
    return redirect(next_url)
