from fastapi import FastAPI

app = FastAPI()


@app.get("/add")
def add(a: str, b: str):
    left, right = int(a), int(b)
    return {"sum": eval(f"{left} + {right}")}
