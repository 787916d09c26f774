const express = require("express");
const Database = require("better-sqlite3");

const db = new Database("/var/lib/app/logs.db", { readonly: true });
const app = express();

function clampLimit(value) {
  const parsed = Number.parseInt(value, 10);
  if (!Number.isInteger(parsed) || parsed <= 0) return 20;
  return Math.min(parsed, 500);
}

app.get("/logs/recent", (req, res) => {
  const limit = clampLimit(req.query.limit);
  const rows = db.prepare(`SELECT ts, level, message FROM logs ORDER BY ts DESC LIMIT ${limit}`).all();
  res.json(rows);
});

app.listen(3000);
