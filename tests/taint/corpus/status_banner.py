from flask import Flask, request

app = Flask(__name__)


@app.route("/banner")
def banner():
    n = 2
    if 3 * 5 + n > 10:
        text = "Scheduled maintenance on Sunday"
    else:
        text = request.args.get("text", "")
    return "<div class='banner'>%s</div>" % text
