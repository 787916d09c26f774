const express = require("express");

const router = express.Router();
const OPERATIONS = {
  add: (a, b) => a + b,
  multiply: (a, b) => a * b,
};

router.post("/rules/evaluate", (req, res) => {
  const { op, a, b } = JSON.parse(req.body.payload);
  const fn = OPERATIONS[op];
  if (!fn) return res.status(400).json({ error: "unknown operation" });
  res.json({ result: fn(Number(a), Number(b)) });
});

module.exports = router;
