import yaml
from fastapi import FastAPI, Request

app = FastAPI()


@app.post("/pipelines")
async def pipelines(request: Request):
    raw = await request.body()
    spec = yaml.load(raw, Loader=yaml.SafeLoader)
    return {"stages": len(spec.get("stages", []))}
