from flask import Flask, request

app = Flask(__name__)


@app.route("/tax")
def tax():
    n = 2
    if 3 * 5 + n > 10:
        expr = "0.2 * 100"
    else:
        expr = request.args.get("expr", "0")
    return {"tax": eval(expr)}
