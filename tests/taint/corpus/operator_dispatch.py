import operator

from flask import Flask, abort, request

app = Flask(__name__)
OPS = {"add": "operator.add", "sub": "operator.sub", "mul": "operator.mul"}


@app.route("/op/<name>")
def apply(name):
    if name not in OPS:
        abort(404)
    a = float(request.args.get("a", "0"))
    b = float(request.args.get("b", "0"))
    fn = eval(OPS[name], {"operator": operator})
    return {"result": fn(a, b)}
