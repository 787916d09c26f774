const crypto = require("crypto");

function createInvite(teamId) {
  const inviteCode = crypto.randomBytes(16).toString("hex");
  return db.invites.insert({ teamId, inviteCode, createdAt: new Date() });
}

function jitter(ms) {
  return ms + Math.floor(Math.random() * 250);
}

module.exports = { createInvite, jitter };
