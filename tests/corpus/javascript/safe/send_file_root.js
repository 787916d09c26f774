const path = require("path");
const express = require("express");

const app = express();
const REPORTS = path.join(__dirname, "reports");

app.get("/reports/:file", (req, res) => {
  res.sendFile(req.params.file, { root: REPORTS, dotfiles: "deny" });
});
