const express = require("express");
const path = require("path");

const app = express();
const UPLOADS = path.join(__dirname, "uploads");

app.get("/download", (req, res) => {
  const requested = req.query.file;
  if (!requested) {
    return res.status(400).send("file is required");
  }
  const fullPath = path.join(UPLOADS, requested);
  res.sendFile(fullPath, (err) => {
    if (err) {
      res.status(404).end();
    }
  });
});

app.listen(3000);
