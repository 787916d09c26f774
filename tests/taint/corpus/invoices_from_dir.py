from flask import Flask, send_from_directory

app = Flask(__name__)
INVOICE_DIR = "/srv/invoices"


@app.route("/invoices/<path:filename>")
def invoice(filename):
    return send_from_directory(INVOICE_DIR, filename, as_attachment=True)
