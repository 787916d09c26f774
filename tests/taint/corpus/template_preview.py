from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import PlainTextResponse

app = FastAPI()


@app.get("/templates/preview", response_class=PlainTextResponse)
def preview(name: str = "welcome"):
    template_file = Path("/srv/templates/{}.j2".format(name))
    return template_file.read_text()
