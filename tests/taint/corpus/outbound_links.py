from fastapi import FastAPI
from fastapi.responses import RedirectResponse

app = FastAPI()
DESTINATIONS = {
    "docs": "https://docs.example.com/",
    "status": "https://status.example.com/",
}


@app.get("/out/{key}")
def out(key: str):
    url = DESTINATIONS.get(key, "https://example.com/")
    return RedirectResponse(url)
