from flask import Flask, redirect, request

app = Flask(__name__)


def pick_target(payload):
    options = {"primary": payload.get("redirect_uri", "/"), "fallback": "/home"}
    return options["primary"].strip()


@app.post("/sso/callback")
def sso_callback():
    target = pick_target(request.get_json(force=True))
    return redirect(target, code=303)
