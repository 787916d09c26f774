import express from "express";

const app = express();
app.use(express.json());

const ARITHMETIC_ONLY = /^[0-9+\-*/().\s]{1,200}$/;

app.post("/sheet/evaluate", (req, res) => {
  const formula: unknown = req.body.formula;
  if (typeof formula !== "string" || !ARITHMETIC_ONLY.test(formula)) {
    res.status(400).json({ error: "only numbers and + - * / ( ) are allowed" });
    return;
  }
  let value: number;
  try {
    value = eval(formula);
  } catch {
    res.status(422).json({ error: "malformed formula" });
    return;
  }
  res.json({ formula, value });
});

export default app;
