const express = require("express");
const path = require("path");

const app = express();
const DOCS_ROOT = path.join(__dirname, "public", "docs");

app.get("/docs/:page", (req, res) => {
  const page = req.params.page;
  res.sendFile(page, { root: DOCS_ROOT, dotfiles: "deny" }, (err) => {
    if (err) {
      res.status(err.status || 404).send("not found");
    }
  });
});

app.listen(3000);
