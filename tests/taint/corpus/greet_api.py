from flask import Flask, request

app = Flask(__name__)


@app.route("/api/greet")
def greet():
    name = request.args.get("name", "you")
    return {"message": f"<b>Hello</b> {name}"}
