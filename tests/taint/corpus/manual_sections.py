from fastapi import FastAPI, HTTPException
from lxml import etree

app = FastAPI()
DOC = etree.parse("manual.xml")
SECTIONS = {"intro", "install", "usage", "faq"}


@app.get("/manual/{section}")
def manual(section: str):
    if section not in SECTIONS:
        raise HTTPException(status_code=404)
    paras = DOC.xpath(f"//section[@id='{section}']/para/text()")
    return {"paragraphs": [str(p) for p in paras]}
