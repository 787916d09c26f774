import sqlite3

from flask import Flask, jsonify, request

app = Flask(__name__)
SORTABLE = {"created": "created", "title": "title", "id": "id"}


@app.route("/posts")
def list_posts():
    column = SORTABLE.get(request.args.get("sort", ""), "created")
    conn = sqlite3.connect("blog.db")
    rows = conn.execute(f"SELECT id, title FROM posts ORDER BY {column}").fetchall()
    return jsonify(rows)
