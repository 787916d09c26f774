// expect: js-path-traversal
const path = require("path");
const express = require("express");

const app = express();
const REPORTS = path.join(__dirname, "reports");

app.get("/reports/:file", (req, res) => {
  const { file } = req.params;
  const full = path.join(REPORTS, file);
  res.download(full);
});
