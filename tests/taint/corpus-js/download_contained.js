const express = require("express");
const path = require("path");
const fs = require("fs");

const app = express();
const ROOT = path.resolve(__dirname, "uploads");

function resolveInside(root, untrusted) {
  const candidate = path.resolve(root, untrusted);
  if (candidate !== root && !candidate.startsWith(root + path.sep)) {
    return null;
  }
  return candidate;
}

app.get("/download", (req, res) => {
  const target = resolveInside(ROOT, String(req.query.file || ""));
  if (!target) {
    return res.status(403).send("forbidden");
  }
  fs.createReadStream(target)
    .on("error", () => res.status(404).end())
    .pipe(res);
});

app.listen(3000);
