const express = require("express");
const { exec } = require("child_process");
const path = require("path");

const app = express();
const OUT_DIR = path.join(__dirname, "thumbs");

app.get("/thumbnail", (req, res) => {
  const source = req.query.src;
  const size = "200x200";
  const target = path.join(OUT_DIR, `${Date.now()}.png`);

  exec(`convert ${source} -resize ${size} ${target}`, (err) => {
    if (err) {
      return res.status(500).json({ error: "conversion failed" });
    }
    res.sendFile(target);
  });
});

app.listen(3000);
