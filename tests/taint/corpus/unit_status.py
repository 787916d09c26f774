import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.route("/status")
def status():
    n = 2
    if 3 * 5 + n > 10:
        cmd = "systemctl is-active nginx"
    else:
        cmd = "systemctl is-active " + request.args["unit"]
    res = subprocess.run(cmd, shell=True, capture_output=True, text=True)
    return {"state": res.stdout.strip()}
