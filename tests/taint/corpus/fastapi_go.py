from fastapi import FastAPI
from fastapi.responses import RedirectResponse

app = FastAPI()


@app.get("/go")
def go(dest: str, campaign: str = "none"):
    url = f"{dest}?utm_campaign={campaign}"
    return RedirectResponse(url=url, status_code=302)
