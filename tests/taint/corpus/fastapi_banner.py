from fastapi import FastAPI
from fastapi.responses import HTMLResponse

app = FastAPI()


def render_banner(title):
    return "<header><h1>%s</h1></header>" % title


@app.get("/banner", response_class=HTMLResponse)
def banner(title: str = "Home"):
    html = render_banner(title)
    return HTMLResponse(content=html)
