import random
import string

from flask import Flask, request

app = Flask(__name__)
RESET_TOKENS = {}


def generate_token(length=32):
    alphabet = string.ascii_letters + string.digits
    return "".join(random.choice(alphabet) for _ in range(length))


@app.post("/password/forgot")
def forgot():
    email = request.form["email"]
    token = generate_token()
    RESET_TOKENS[token] = email
    return {"sent": True}
