import random
import time

from fastapi import FastAPI

app = FastAPI()
PENDING = {}


@app.post("/otp/{phone}")
def send_otp(phone: str):
    rng = random.Random(time.time())
    code = f"{rng.randrange(0, 1_000_000):06d}"
    PENDING[phone] = code
    return {"sent": True}
