from flask import Flask, request
from lxml import etree

app = Flask(__name__)
INVENTORY = etree.parse("inventory.xml")


@app.route("/inventory/low")
def low_stock():
    threshold = request.args.get("threshold", "5")
    counts = INVENTORY.xpath("//item/stock/text()")
    low = [c for c in counts if c.isdigit() and c < threshold]
    return {"low": len(low)}
