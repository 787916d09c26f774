# expect: py-sql-string-format
import sqlite3

from flask import Flask, jsonify, request

app = Flask(__name__)


def get_db():
    return sqlite3.connect("shop.db")


@app.route("/products")
def products():
    category = request.args.get("category", "")
    cur = get_db().cursor()
    cur.execute(f"SELECT id, name, price FROM products WHERE category = '{category}'")
    rows = cur.fetchall()
    return jsonify([{"id": r[0], "name": r[1], "price": r[2]} for r in rows])
