from flask import Flask, redirect, request, url_for

app = Flask(__name__)


@app.route("/search/legacy")
def legacy_search():
    term = request.args.get("q", "")
    return redirect(url_for("search", q=term))


@app.route("/search")
def search():
    return "results"
