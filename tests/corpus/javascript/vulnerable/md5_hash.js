// expect: js-weak-hash
const crypto = require("crypto");

function hashPassword(password, salt) {
  return crypto.createHash("md5").update(salt + password).digest("hex");
}

module.exports = { hashPassword };
