import os
import shutil

from flask import Flask, redirect, request, url_for

app = Flask(__name__)
WORKSPACES = "/data/workspaces"


def workspace_dir(name):
    return os.path.join(WORKSPACES, name.strip())


@app.route("/workspaces/remove", methods=["POST"])
def remove_workspace():
    name = request.form["workspace"]
    target = workspace_dir(name)
    if os.path.isdir(target):
        shutil.rmtree(target)
    return redirect(url_for("index"))


@app.route("/")
def index():
    return "ok"
