from flask import Flask, render_template_string, request

app = Flask(__name__)


@app.route("/profile")
def profile():
    bio = request.args.get("bio", "")
    template = "<div class='bio'>" + bio + "</div><p>{{ footer }}</p>"
    return render_template_string(template, footer="Thanks for visiting")
