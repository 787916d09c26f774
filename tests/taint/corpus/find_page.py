from flask import Flask, render_template_string, request

app = Flask(__name__)
TEMPLATE = "<h2>Results for {{ term }}</h2><p>{{ count }} items</p>"


@app.route("/find")
def find():
    term = request.args.get("q", "")
    return render_template_string(TEMPLATE, term=term, count=0)
