import pickle

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.post("/state/restore")
def restore_state():
    state = pickle.loads(request.data)
    return jsonify(keys=list(state))
