from flask import Flask, request, send_from_directory
from werkzeug.utils import secure_filename

app = Flask(__name__)
EXPORT_DIR = "/srv/app/exports"


@app.route("/exports/download")
def download_export():
    filename = secure_filename(request.args.get("name", ""))
    return send_from_directory(EXPORT_DIR, filename, as_attachment=True)
