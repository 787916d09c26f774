from fastapi import FastAPI
from lxml import etree

app = FastAPI()
ORDERS = etree.parse("orders.xml")


@app.get("/orders")
def orders(customer: str):
    parts = ["//order", "[customer='", customer.strip(), "']", "/id/text()"]
    ids = ORDERS.getroot().xpath("".join(parts))
    return {"ids": [str(i) for i in ids]}
