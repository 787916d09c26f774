import jsonpickle
from fastapi import FastAPI, Request

app = FastAPI()


@app.post("/objects")
async def create_object(request: Request):
    body = await request.body()
    obj = jsonpickle.decode(body.decode("utf-8"))
    return {"type": type(obj).__name__}
