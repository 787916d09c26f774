import os

from flask import Flask, jsonify, request
from werkzeug.utils import secure_filename

app = Flask(__name__)
UPLOAD_FOLDER = "/srv/uploads"


@app.post("/upload")
def upload():
    f = request.files["document"]
    safe_name = secure_filename(f.filename)
    if not safe_name:
        return jsonify(error="bad filename"), 400
    with open(os.path.join(UPLOAD_FOLDER, safe_name), "wb") as out:
        out.write(f.read())
    return jsonify(saved=safe_name)
