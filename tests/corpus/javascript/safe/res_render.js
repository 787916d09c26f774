const express = require("express");

const app = express();
app.set("view engine", "ejs");

app.get("/search", (req, res) => {
  res.render("search", { q: req.query.q });
});

app.get("/api/search", (req, res) => {
  res.json({ query: req.query.q, results: [] });
});
