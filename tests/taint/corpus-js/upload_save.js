const express = require("express");
const fs = require("fs");
const path = require("path");

const app = express();
app.use(express.json({ limit: "5mb" }));

const STORAGE_ROOT = "/srv/uploads";

app.post("/api/files", (req, res) => {
  const { filename, content } = req.body;
  const data = Buffer.from(content, "base64");
  const destination = path.join(STORAGE_ROOT, filename);

  fs.writeFileSync(destination, data);
  res.status(201).json({ stored: filename, bytes: data.length });
});

app.listen(3000);
