// expect: tls-reject-unauthorized-env
process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";

const { syncAccounts } = require("./sync");

syncAccounts().catch((err) => {
  console.error(err);
  process.exit(1);
});
