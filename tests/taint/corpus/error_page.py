from flask import Flask, Response, request

app = Flask(__name__)


@app.errorhandler(404)
def not_found(err):
    came_from = request.args.get("from", "unknown")
    body = "<h1>Not found</h1><p>You came from {src}</p>".format(src=came_from)
    return Response(body, status=404, mimetype="text/html")
