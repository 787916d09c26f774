import express from "express";
import { exec } from "child_process";

const app = express();

const REPORTS = new Map<string, string>([
  ["disk", "df -h"],
  ["memory", "free -m"],
  ["uptime", "uptime"],
]);

app.get("/admin/report", (req, res) => {
  const kind = String(req.query.kind);
  const command = REPORTS.get(kind);
  if (command === undefined) {
    res.status(400).send("unknown report");
    return;
  }
  exec(command, { timeout: 5000 }, (err, stdout) => {
    if (err) {
      res.status(500).send("report failed");
      return;
    }
    res.type("text/plain").send(stdout);
  });
});

app.listen(8080);
