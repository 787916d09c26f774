from fastapi import FastAPI, Request
from lxml import etree

app = FastAPI()


def make_parser():
    return etree.XMLParser(resolve_entities=True, huge_tree=True)


@app.post("/feeds")
async def add_feed(request: Request):
    payload = await request.body()
    doc = etree.XML(payload, make_parser())
    return {"title": doc.findtext("channel/title")}
