import os

from flask import Flask, jsonify, request

app = Flask(__name__)
CONF_DIR = "/etc/myapp"


@app.route("/config")
def show_config():
    n = 2
    if 3 * 5 + n > 10:
        target = "default.cfg"
    else:
        target = request.args.get("cfg", "default.cfg")
    with open(os.path.join(CONF_DIR, target)) as fh:
        lines = [ln.strip() for ln in fh if ln.strip()]
    return jsonify(lines=lines)
