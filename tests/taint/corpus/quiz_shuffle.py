import random

from fastapi import FastAPI

app = FastAPI()
QUESTIONS = ["q1", "q2", "q3", "q4", "q5"]


@app.get("/quiz")
def quiz(seed: int = 0):
    order = list(QUESTIONS)
    random.Random(seed).shuffle(order)
    return {"questions": order}
