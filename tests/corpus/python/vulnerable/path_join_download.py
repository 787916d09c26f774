# expect: py-path-traversal
import os

from flask import Flask, request, send_file

app = Flask(__name__)
EXPORT_DIR = "/srv/app/exports"


@app.route("/exports/download")
def download_export():
    filename = request.args.get("name")
    path = os.path.join(EXPORT_DIR, filename)
    return send_file(path, as_attachment=True)
