from flask import Flask, request
from markupsafe import Markup, escape

app = Flask(__name__)


@app.route("/note")
def note():
    text = request.args.get("text", "")
    fragment = Markup("<p class='note'>") + escape(text) + Markup("</p>")
    return str(fragment)
