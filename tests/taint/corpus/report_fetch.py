import os

from flask import Flask, abort, request, send_file

app = Flask(__name__)
REPORTS_DIR = os.path.realpath("/var/app/reports")


@app.route("/reports/get")
def get_report():
    requested = request.args.get("file", "")
    full = os.path.realpath(os.path.join(REPORTS_DIR, requested))
    if os.path.commonpath([full, REPORTS_DIR]) != REPORTS_DIR:
        abort(403)
    return send_file(full)
