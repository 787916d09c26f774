import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.get("/logs/tail")
def tail():
    count = int(request.args.get("n", "50"))
    out = subprocess.check_output(f"tail -n {count} /var/log/app.log", shell=True)
    return out.decode(errors="replace"), 200, {"Content-Type": "text/plain"}
