import re

from flask import Flask, jsonify, request

app = Flask(__name__)
LOG_LINES: list[str] = []
LEVEL_RE = re.compile(r"^(DEBUG|INFO|WARNING|ERROR)\s+(\S+)")


@app.route("/logs/search")
def search_logs():
    pattern = re.escape(request.args.get("q", ""))
    hits = [line for line in LOG_LINES if re.search(pattern, line)]
    return jsonify(hits[:100])
