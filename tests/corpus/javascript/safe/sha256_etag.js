const crypto = require("crypto");

function etag(body) {
  return `"${crypto.createHash("sha256").update(body).digest("base64url")}"`;
}

function signPayload(payload, secret) {
  return crypto.createHmac("sha256", secret).update(JSON.stringify(payload)).digest("hex");
}

module.exports = { etag, signPayload };
