import os
from http.server import BaseHTTPRequestHandler, HTTPServer

WEB_ROOT = "/srv/www"


class StaticHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        rel = self.path.split("?", 1)[0].lstrip("/") or "index.html"
        full = os.path.join(WEB_ROOT, rel)
        try:
            fh = open(full, "rb")
        except OSError:
            self.send_error(404)
            return
        with fh:
            data = fh.read()
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


if __name__ == "__main__":
    HTTPServer(("127.0.0.1", 8000), StaticHandler).serve_forever()
