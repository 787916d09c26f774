from flask import Flask, render_template, request
from markupsafe import Markup

app = Flask(__name__)
COMMENTS = []


@app.post("/comments")
def add_comment():
    text = request.form["comment"].strip()
    COMMENTS.append(Markup("<p class='comment'>{}</p>".format(text)))
    return render_template("comments.html", comments=COMMENTS)
