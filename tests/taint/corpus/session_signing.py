import hashlib
import os

from fastapi import FastAPI, Response

app = FastAPI()
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-secret")


def signed(value):
    h = hashlib.new("sha1")
    h.update((SECRET_KEY + value).encode())
    return value + "." + h.hexdigest()


@app.post("/session/{user_id}")
def open_session(user_id: str, response: Response):
    response.set_cookie("uid", signed(user_id), secure=True, httponly=True)
    return {"ok": True}
