import httpx
from fastapi import FastAPI

app = FastAPI()


@app.get("/probe")
async def probe(host: str, port: int = 80):
    target = f"http://{host}:{port}/health"
    async with httpx.AsyncClient() as client:
        r = await client.get(target, timeout=3.0)
    return {"status": r.status_code}
