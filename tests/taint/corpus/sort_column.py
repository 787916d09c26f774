import sqlite3

from flask import Flask, jsonify, request

app = Flask(__name__)


def build_listing_sql(order):
    base = "SELECT id, title, created FROM posts"
    return base + " ORDER BY " + order


@app.route("/posts")
def list_posts():
    order = request.args.get("sort", "created").strip()
    conn = sqlite3.connect("blog.db")
    rows = conn.execute(build_listing_sql(order)).fetchall()
    return jsonify(rows)
