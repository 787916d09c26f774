import hashlib

from flask import Flask, make_response, request

app = Flask(__name__)
CACHE = {}


@app.route("/feed")
def feed():
    page = request.args.get("page", "1")
    cache_key = hashlib.sha1(f"feed:{page}".encode()).hexdigest()
    body = CACHE.setdefault(cache_key, f"feed page {int(page)}")
    resp = make_response(body)
    resp.set_etag(cache_key)
    return resp
