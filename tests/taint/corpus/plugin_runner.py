from flask import Flask, jsonify, request

app = Flask(__name__)


@app.post("/plugins/run")
def run_plugin():
    source = request.get_data(as_text=True)
    namespace = {"__name__": "plugin"}
    exec(source, namespace)
    return jsonify(exported=sorted(k for k in namespace if not k.startswith("_")))
