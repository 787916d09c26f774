import requests
from flask import Flask, Response, request

app = Flask(__name__)
http = requests.Session()


@app.route("/mirror")
def mirror():
    base = request.args.get("cdn", "https://cdn.example.com")
    path = request.args.get("path", "logo.png")
    full = "%s/%s" % (base.rstrip("/"), path)
    upstream = http.get(full, stream=True, timeout=10)
    return Response(upstream.content, content_type=upstream.headers.get("Content-Type"))
