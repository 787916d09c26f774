// expect: js-nosql-injection
const express = require("express");
const User = require("./models/user");

const router = express.Router();

router.post("/login", async (req, res) => {
  const user = await User.findOne({ email: req.body.email, password: req.body.password });
  if (!user) return res.status(401).json({ error: "invalid credentials" });
  req.session.userId = user.id;
  res.json({ ok: true });
});

module.exports = router;
