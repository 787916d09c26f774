import sqlite3

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/users")
def find_user():
    username = request.args.get("username", "")
    conn = sqlite3.connect("app.db")
    cur = conn.execute("SELECT id, email FROM users WHERE username = ?", (username,))
    return jsonify(user=cur.fetchone())
