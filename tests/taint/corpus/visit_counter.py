import logging

from flask import Flask, request, session

app = Flask(__name__)
app.secret_key = "dev"
log = logging.getLogger("visits")


@app.route("/")
def home():
    log.info("visit from %s", request.headers.get("User-Agent", "?"))
    session["visits"] = session.get("visits", 0) + 1
    return {"visits": session["visits"]}
