import sqlite3

from flask import Flask, jsonify, request

app = Flask(__name__)


def get_db():
    return sqlite3.connect("app.db")


@app.route("/users")
def find_user():
    username = request.args.get("username", "")
    conn = get_db()
    cur = conn.cursor()
    cur.execute(f"SELECT id, email FROM users WHERE username = '{username}'")
    row = cur.fetchone()
    return jsonify(user=row)
