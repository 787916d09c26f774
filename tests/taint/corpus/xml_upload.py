from flask import Flask, jsonify, request
from lxml import etree

app = Flask(__name__)


@app.post("/import")
def import_xml():
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.fromstring(request.data, parser)
    return jsonify(tag=root.tag, children=len(root))
