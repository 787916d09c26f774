import pickle

from flask import Flask, request

app = Flask(__name__)
CACHE_FILE = "/var/cache/myapp/model.pkl"


@app.route("/predict")
def predict():
    feature = float(request.args.get("x", "0"))
    with open(CACHE_FILE, "rb") as fh:
        model = pickle.load(fh)
    return {"y": model["slope"] * feature + model["intercept"]}
