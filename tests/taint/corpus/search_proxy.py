import requests
from fastapi import FastAPI

app = FastAPI()
SEARCH_API = "https://api.search.example.com/v1/search"


@app.get("/search")
def search(q: str):
    r = requests.get(SEARCH_API, params={"q": q, "limit": 10}, timeout=5)
    return r.json()
