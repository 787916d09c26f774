import secrets

from fastapi import FastAPI, Response

app = FastAPI()


@app.post("/token/refresh")
def refresh(response: Response):
    value = secrets.token_urlsafe(48)
    response.set_cookie(key="refresh_token", value=value, httponly=True, secure=True, samesite="strict")
    return {"ok": True}
