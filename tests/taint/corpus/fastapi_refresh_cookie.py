import secrets

from fastapi import FastAPI, Response

app = FastAPI()


@app.post("/token/refresh")
def refresh(response: Response):
    refresh_token = secrets.token_urlsafe(48)
    response.set_cookie(key="refresh_token", value=refresh_token, secure=True, httponly=False)
    return {"ok": True}
