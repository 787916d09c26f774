const express = require("express");
const bcrypt = require("bcrypt");
const User = require("./models/user");

const router = express.Router();

router.post("/login", async (req, res) => {
  const user = await User.findOne({ email: String(req.body.email) });
  const ok = user && (await bcrypt.compare(String(req.body.password), user.passwordHash));
  if (!ok) return res.status(401).json({ error: "invalid credentials" });
  req.session.userId = user.id;
  res.json({ ok: true });
});

module.exports = router;
