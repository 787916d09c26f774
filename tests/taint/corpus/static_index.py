import logging
import os

from fastapi import FastAPI
from fastapi.responses import FileResponse

log = logging.getLogger(__name__)
app = FastAPI()
STATIC = "/srv/static"


@app.get("/docs/{page}")
def docs_page(page: str):
    log.info("docs page requested: %s", page)
    index = os.path.join(STATIC, "docs", "index.html")
    return FileResponse(index)
