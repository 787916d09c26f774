import hashlib

from fastapi import FastAPI

app = FastAPI()
BUCKETS = 16


@app.get("/bucket/{object_name}")
def bucket(object_name: str):
    digest = hashlib.md5(object_name.encode(), usedforsecurity=False).digest()
    return {"bucket": digest[0] % BUCKETS}
