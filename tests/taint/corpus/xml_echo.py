from flask import Flask, request
from lxml import etree

app = Flask(__name__)


@app.post("/xml/echo")
def echo():
    n = 2
    if 3 * 5 + n > 10:
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
    else:
        parser = etree.XMLParser(resolve_entities=True)
    root = etree.fromstring(request.get_data(), parser)
    return {"root": root.tag}
