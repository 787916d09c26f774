const express = require("express");
const escapeHtml = require("escape-html");

const app = express();

app.get("/hello", (req, res) => {
  const name = escapeHtml(req.query.name || "stranger");
  res.send(`<!doctype html>
<html>
  <body>
    <h1>Hello, ${name}!</h1>
  </body>
</html>`);
});

app.listen(3000);
