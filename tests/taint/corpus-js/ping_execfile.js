const express = require("express");
const { execFile } = require("child_process");

const app = express();
const HOSTNAME = /^[a-zA-Z0-9][a-zA-Z0-9.-]{0,252}$/;

app.get("/api/ping", (req, res) => {
  const host = String(req.query.host || "");
  if (!HOSTNAME.test(host)) {
    return res.status(400).json({ error: "invalid host" });
  }

  execFile("ping", ["-c", "1", "-W", "2", host], (err, stdout) => {
    res.json({ host, reachable: !err, output: stdout });
  });
});

module.exports = app;
