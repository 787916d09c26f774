import httpx
from flask import Flask, request

app = Flask(__name__)
ENDPOINTS = {
    "eu": "https://eu.status.example.com/api",
    "us": "https://us.status.example.com/api",
}


@app.route("/status")
def status():
    region = request.args.get("region", "eu")
    endpoint = ENDPOINTS.get(region)
    if endpoint is None:
        return {"error": "unknown region"}, 400
    return httpx.get(endpoint, timeout=3).json()
