from pathlib import Path

from fastapi import FastAPI, HTTPException

app = FastAPI()
BASE = Path("/srv/attachments").resolve()


def resolve_inside(base: Path, user_part: str) -> Path:
    candidate = (base / user_part).resolve()
    if not candidate.is_relative_to(base):
        raise HTTPException(status_code=400, detail="invalid path")
    return candidate


@app.get("/attachments/{name}")
def attachment(name: str):
    target = resolve_inside(BASE, name)
    return {"size": len(target.read_bytes())}
