from flask import Flask, jsonify, request
from lxml import etree

app = Flask(__name__)


@app.post("/import")
def import_xml():
    parser = etree.XMLParser(resolve_entities=True, load_dtd=True, no_network=False)
    root = etree.fromstring(request.data, parser)
    return jsonify(tag=root.tag, children=len(root))
