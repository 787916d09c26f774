import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import unquote


class ProxyHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        upstream = unquote(self.path[len("/fetch/"):])
        req = urllib.request.Request(upstream, headers={"User-Agent": "proxy"})
        body = urllib.request.urlopen(req).read()
        self.send_response(200)
        self.end_headers()
        self.wfile.write(body)


if __name__ == "__main__":
    HTTPServer(("127.0.0.1", 8888), ProxyHandler).serve_forever()
