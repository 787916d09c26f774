// expect: js-insecure-random
function createInvite(teamId) {
  const inviteCode = Math.random().toString(36).slice(2, 10).toUpperCase();
  return db.invites.insert({ teamId, inviteCode, createdAt: new Date() });
}

module.exports = { createInvite };
