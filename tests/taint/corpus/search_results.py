from flask import Flask, make_response, request

app = Flask(__name__)
PAGE = "<html><body><h2>Results for %s</h2><ul>%s</ul></body></html>"


@app.route("/search")
def search():
    term = request.args.get("q", "")
    items = "".join("<li>%s</li>" % t for t in ("alpha", "beta") if term in t)
    resp = make_response(PAGE % (term, items))
    resp.headers["Content-Type"] = "text/html"
    return resp
