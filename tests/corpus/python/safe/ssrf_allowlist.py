from urllib.parse import urlsplit

import requests
from flask import Flask, abort, request

app = Flask(__name__)
ALLOWED_HOSTS = {"example.com", "docs.example.com"}


@app.route("/link-preview")
def link_preview():
    url = request.args.get("url", "")
    if urlsplit(url).hostname not in ALLOWED_HOSTS:
        abort(400)
    page = requests.get(url, timeout=5)
    return {"status": page.status_code}
