import sqlite3

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/products")
def products():
    category = request.args.get("category", "")
    with sqlite3.connect("shop.db") as conn:
        rows = conn.execute(
            "SELECT id, name, price FROM products WHERE category = ?", (category,)
        ).fetchall()
    return jsonify([{"id": r[0], "name": r[1], "price": r[2]} for r in rows])
