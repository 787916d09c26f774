const express = require("express");

const app = express();
const customers = [];

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

app.get("/customers", (req, res) => {
  const matcher = new RegExp(escapeRegExp(String(req.query.name)), "i");
  res.json(customers.filter((c) => matcher.test(c.name)));
});
