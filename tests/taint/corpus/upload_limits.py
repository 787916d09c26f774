from flask import Flask, request

app = Flask(__name__)


@app.route("/limits")
def limits():
    user = request.args.get("user", "anon")
    max_upload = eval("10 * 1024 * 1024")
    return {"user": user, "max_upload": max_upload}
