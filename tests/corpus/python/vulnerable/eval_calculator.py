# expect: py-eval-exec
from flask import Flask, request

app = Flask(__name__)


@app.post("/calc")
def calc():
    expression = request.json.get("expression", "0")
    result = eval(expression)
    return {"result": result}
