import ast

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/parse")
def parse():
    raw = request.args.get("value", "[]")
    value = ast.literal_eval(raw)
    return jsonify(kind=type(value).__name__)
