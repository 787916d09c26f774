import hashlib
import os

from flask import Flask, abort, request, send_from_directory

app = Flask(__name__)
SECRET = os.environ.get("LINK_SECRET", "s3cret")


def sign(path):
    return hashlib.md5((SECRET + path).encode()).hexdigest()


@app.route("/dl/<path:name>")
def download(name):
    if request.args.get("sig") != sign(name):
        abort(403)
    return send_from_directory("/srv/files", name)
