import requests
from fastapi import FastAPI

app = FastAPI()


@app.get("/items/{item_id}")
def item(item_id: str):
    url = "https://inventory.internal.example.com/items/{}".format(int(item_id))
    return requests.get(url, timeout=5).json()
