import os

from flask import Flask, abort, request

app = Flask(__name__)
SERVICES = ("nginx", "redis", "worker")


@app.post("/restart")
def restart():
    service = request.form.get("service", "")
    if service not in SERVICES:
        abort(400)
    code = os.system("systemctl restart %s" % service)
    return {"code": code}
