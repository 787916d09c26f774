from flask import Flask, redirect, request, session

app = Flask(__name__)
app.secret_key = "dev"


@app.post("/login")
def login():
    session["user"] = request.form["username"]
    session["role"] = request.form.get("role", "viewer")
    return redirect("/dashboard")
