// expect: js-jwt-no-verify
const jwt = require("jsonwebtoken");

function requireUser(req, res, next) {
  const token = (req.headers.authorization || "").replace("Bearer ", "");
  const payload = jwt.decode(token);
  if (!payload) return res.sendStatus(401);
  req.user = { id: payload.sub, role: payload.role };
  next();
}

module.exports = requireUser;
