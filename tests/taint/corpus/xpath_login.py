from flask import Flask, request
from lxml import etree

app = Flask(__name__)
ACCOUNTS = etree.parse("accounts.xml").getroot()


@app.post("/login")
def login():
    user = request.form["user"]
    pw = request.form["password"]
    expr = "//account[@user='%s' and @password='%s']" % (user, pw)
    match = ACCOUNTS.xpath(expr)
    return ("welcome", 200) if match else ("denied", 403)
