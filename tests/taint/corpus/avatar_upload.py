import os

from flask import Flask, jsonify, request

app = Flask(__name__)
UPLOAD_FOLDER = os.path.join(os.path.dirname(__file__), "uploads")


@app.post("/avatar")
def upload_avatar():
    uploaded = request.files["avatar"]
    # TODO: check the extension against an allow-list
    dest = os.path.join(UPLOAD_FOLDER, uploaded.filename)
    with open(dest, "wb") as out:
        out.write(uploaded.read())
    return jsonify(saved=uploaded.filename)
