import os

from flask import Flask, Response, abort, request

app = Flask(__name__)
EXPORT_DIR = "/srv/exports"
ALLOWED_EXPORTS = {"users.csv", "orders.csv", "inventory.csv"}


@app.get("/exports")
def export_file():
    name = request.args.get("name", "")
    if name not in ALLOWED_EXPORTS:
        abort(404)
    with open(os.path.join(EXPORT_DIR, name), encoding="utf-8") as fh:
        return Response(fh.read(), mimetype="text/csv")
