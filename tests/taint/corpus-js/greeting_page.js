const express = require("express");

const app = express();

app.get("/hello", (req, res) => {
  const name = req.query.name || "stranger";
  const visits = Number(req.cookies?.visits || 0) + 1;

  res.send(`<!doctype html>
<html>
  <body>
    <h1>Hello, ${name}!</h1>
    <p>You have visited ${visits} times.</p>
  </body>
</html>`);
});

app.listen(3000);
