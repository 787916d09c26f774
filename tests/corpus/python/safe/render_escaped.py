from flask import Flask, render_template, request
from markupsafe import escape

app = Flask(__name__)


@app.route("/welcome")
def welcome():
    name = escape(request.args.get("name", "friend"))
    return f"<h1>Welcome back, {name}!</h1>"


@app.route("/profile")
def profile():
    return render_template("profile.html", name=request.args.get("name", ""))
