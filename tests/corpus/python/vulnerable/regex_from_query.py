# expect: py-regex-injection
import re

from flask import Flask, jsonify, request

app = Flask(__name__)
LOG_LINES: list[str] = []


@app.route("/logs/search")
def search_logs():
    pattern = request.args.get("pattern", "")
    hits = [line for line in LOG_LINES if re.search(pattern, line)]
    return jsonify(hits[:100])
