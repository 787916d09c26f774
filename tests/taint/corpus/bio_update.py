import bleach
from flask import Flask, render_template, request
from markupsafe import Markup

app = Flask(__name__)
ALLOWED_TAGS = ["b", "i", "em", "strong", "a"]


@app.post("/bio")
def save_bio():
    raw = request.form.get("bio", "")
    cleaned = bleach.clean(raw, tags=ALLOWED_TAGS, strip=True)
    return render_template("bio.html", bio=Markup(cleaned))
