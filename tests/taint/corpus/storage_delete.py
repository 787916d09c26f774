from pathlib import Path

from fastapi import FastAPI, HTTPException

app = FastAPI()
STORAGE = Path("/srv/storage")


@app.delete("/files/{fname:path}")
async def delete_file(fname: str):
    target = STORAGE / fname
    if not target.exists():
        raise HTTPException(status_code=404, detail="not found")
    target.unlink()
    return {"deleted": fname}
