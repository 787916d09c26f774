from flask import Flask, jsonify, request
from lxml import etree

app = Flask(__name__)
USERS = etree.parse("users.xml")


@app.route("/profile")
def profile():
    name = request.args.get("name", "")
    nodes = USERS.xpath(f"//user[name/text()='{name}']/email/text()")
    return jsonify(emails=[str(n) for n in nodes])
