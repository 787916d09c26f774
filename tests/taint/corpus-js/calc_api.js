const express = require("express");

const app = express();
app.use(express.json());

app.post("/api/calculate", (req, res) => {
  const { expression } = req.body;
  if (!expression) {
    return res.status(400).json({ error: "expression is required" });
  }
  try {
    const result = eval(expression);
    res.json({ expression, result });
  } catch (err) {
    res.status(422).json({ error: "could not evaluate expression" });
  }
});

app.listen(3000, () => console.log("calculator listening on 3000"));
