# expect: py-os-system
import os

from fastapi import FastAPI

app = FastAPI()


@app.get("/health/{host}")
def ping(host: str) -> dict:
    status = os.system("ping -c 1 -W 2 " + host)
    return {"host": host, "reachable": status == 0}
