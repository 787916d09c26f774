from fastapi import FastAPI
from fastapi.responses import HTMLResponse

app = FastAPI()


@app.get("/items", response_class=HTMLResponse)
def items(page: str = "1"):
    page_no = int(page)
    body = "<p>Page " + str(page_no) + " of 10</p>"
    return HTMLResponse(body)
