# expect: py-reflected-xss
from flask import Flask, request

app = Flask(__name__)


@app.route("/welcome")
def welcome():
    name = request.args.get("name", "friend")
    return f"<h1>Welcome back, {name}!</h1><p>Your dashboard is ready.</p>"
