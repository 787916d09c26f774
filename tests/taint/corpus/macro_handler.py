from http.server import BaseHTTPRequestHandler, HTTPServer


class MacroHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(length).decode("utf-8")
        result = eval(body, {"__builtins__": {}})
        payload = repr(result).encode()
        self.send_response(200)
        self.end_headers()
        self.wfile.write(payload)


if __name__ == "__main__":
    HTTPServer(("127.0.0.1", 9000), MacroHandler).serve_forever()
