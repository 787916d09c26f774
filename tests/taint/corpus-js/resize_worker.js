const express = require("express");
const { exec } = require("child_process");

const app = express();

function parseDimension(raw, fallback) {
  const n = parseInt(raw, 10);
  if (Number.isNaN(n) || n < 16 || n > 4096) {
    return fallback;
  }
  return n;
}

app.post("/images/:id/resize", (req, res) => {
  const width = parseDimension(req.query.w, 800);
  const height = parseDimension(req.query.h, 600);
  const id = Number(req.params.id) | 0;
  const cmd = "convert /data/img/" + id + ".jpg -resize " + width + "x" + height + " /data/out/" + id + ".jpg";
  exec(cmd, (err) => {
    res.status(err ? 500 : 204).end();
  });
});

app.listen(3001);
