from flask import Flask, jsonify, request, session

app = Flask(__name__)
app.secret_key = "dev"


@app.post("/preferences")
def preferences():
    prefs = request.get_json(silent=True) or {}
    session.update(prefs)
    return jsonify(saved=list(prefs))
