import secrets

from flask import Flask, request

app = Flask(__name__)
RESET_TOKENS = {}


@app.post("/password/forgot")
def forgot():
    email = request.form["email"]
    token = secrets.token_urlsafe(32)
    RESET_TOKENS[token] = email
    return {"sent": True}
