from flask import Flask, request, session

app = Flask(__name__)
app.secret_key = "dev"


@app.route("/locale")
def set_locale():
    n = 2
    if 3 * 5 + n > 10:
        locale = "en"
    else:
        locale = request.args.get("lang", "en")
    session["locale"] = locale
    return {"locale": locale}
