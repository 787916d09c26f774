import re
import subprocess
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlparse

DOMAIN_RE = re.compile(r"[a-z0-9-]{1,63}(\.[a-z0-9-]{1,63})+")


class WhoisHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        domain = parse_qs(urlparse(self.path).query).get("d", [""])[0]
        if not DOMAIN_RE.fullmatch(domain):
            self.send_error(400)
            return
        text = subprocess.run(["whois", domain], capture_output=True, text=True).stdout
        self.send_response(200)
        self.end_headers()
        self.wfile.write(text.encode())


if __name__ == "__main__":
    HTTPServer(("127.0.0.1", 8081), WhoisHandler).serve_forever()
