const express = require("express");

const app = express();

const add = new Function("a", "b", "return a + b;");
const multiply = new Function("a", "b", "return a * b;");

app.get("/math/:op", (req, res) => {
  const a = Number(req.query.a);
  const b = Number(req.query.b);
  console.log(`math request op=${req.params.op} a=${req.query.a} b=${req.query.b}`);

  if (!Number.isFinite(a) || !Number.isFinite(b)) {
    return res.status(400).json({ error: "a and b must be numbers" });
  }
  const fn = req.params.op === "mul" ? multiply : add;
  res.json({ result: fn(a, b) });
});

app.listen(3000);
