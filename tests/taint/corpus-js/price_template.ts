import express from "express";
import vm from "node:vm";

const app = express();

const TOTAL_EXPRESSION = "price * quantity * (1 - discount)";
const compiled = new vm.Script(TOTAL_EXPRESSION);

app.get("/quote", (req, res) => {
  const sandbox = vm.createContext({
    price: Number.parseFloat(String(req.query.price)) || 0,
    quantity: Number.parseInt(String(req.query.quantity), 10) || 1,
    discount: Math.min(Math.max(Number(req.query.discount) || 0, 0), 0.5),
  });
  const total = compiled.runInContext(sandbox, { timeout: 50 });
  res.json({ total: Math.round(total * 100) / 100 });
});

app.listen(3000);
