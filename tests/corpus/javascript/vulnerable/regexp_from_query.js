// expect: js-regex-injection
const express = require("express");

const app = express();
const customers = [];

app.get("/customers", (req, res) => {
  const matcher = new RegExp(req.query.name, "i");
  res.json(customers.filter((c) => matcher.test(c.name)));
});
