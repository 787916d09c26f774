# expect: py-ssrf
import requests
from bs4 import BeautifulSoup
from flask import Flask, request

app = Flask(__name__)


@app.route("/link-preview")
def link_preview():
    url = request.args.get("url")
    page = requests.get(url, timeout=5)
    soup = BeautifulSoup(page.text, "html.parser")
    title = soup.title.string if soup.title else url
    return {"title": title}
