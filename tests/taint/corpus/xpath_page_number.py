from flask import Flask, jsonify, request
from lxml import etree

app = Flask(__name__)
FEED = etree.parse("feed.xml")


@app.route("/feed/item")
def feed_item():
    idx = int(request.args.get("i", "1"))
    titles = FEED.xpath("/rss/channel/item[%d]/title/text()" % idx)
    return jsonify(title=titles[0] if titles else None)
