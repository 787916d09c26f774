from pathlib import Path

from fastapi import FastAPI
from lxml import etree

app = FastAPI()
CATALOG = Path(__file__).with_name("catalog.xml")


@app.get("/catalog/{sku}")
def catalog_item(sku: str):
    parser = etree.XMLParser(resolve_entities=True, load_dtd=True)
    tree = etree.parse(str(CATALOG), parser)
    node = tree.find(f"item[@sku='{sku}']") if sku.isalnum() else None
    return {"found": node is not None}
