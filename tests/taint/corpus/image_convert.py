import subprocess

from fastapi import FastAPI

app = FastAPI()


@app.post("/convert")
def convert(src: str, width: int = 800):
    out_name = src.rsplit(".", 1)[0] + ".webp"
    cmd = f"convert /srv/images/{src} -resize {width} /srv/images/{out_name}"
    proc = subprocess.run(cmd, shell=True, capture_output=True, text=True)
    return {"ok": proc.returncode == 0, "output": out_name}
