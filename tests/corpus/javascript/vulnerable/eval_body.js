// expect: js-eval
const express = require("express");

const router = express.Router();

router.post("/rules/evaluate", (req, res) => {
  const context = { price: req.body.price, qty: req.body.qty };
  const result = eval(req.body.formula);
  res.json({ result, context });
});

module.exports = router;
