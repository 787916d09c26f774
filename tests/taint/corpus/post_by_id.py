import sqlite3

from flask import Flask, abort, jsonify

app = Flask(__name__)


@app.route("/posts/<post_id>")
def get_post(post_id):
    try:
        pid = int(post_id)
    except ValueError:
        abort(400)
    conn = sqlite3.connect("blog.db")
    row = conn.execute("SELECT title, body FROM posts WHERE id = %d" % pid).fetchone()
    return jsonify(row)
