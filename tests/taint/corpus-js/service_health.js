const express = require("express");
const http = require("http");

const app = express();

function probe(host, port, callback) {
  const options = { host: host, port: port, path: "/healthz", method: "GET", timeout: 2000 };
  const request = http.request(options, (response) => callback(null, response.statusCode));
  request.on("error", (err) => callback(err));
  request.end();
}

app.get("/health/:service", (req, res) => {
  const host = req.query.host;
  const port = Number(req.query.port) || 80;
  probe(host, port, (err, status) => {
    res.json({ service: req.params.service, up: !err && status === 200 });
  });
});

app.listen(3000);
