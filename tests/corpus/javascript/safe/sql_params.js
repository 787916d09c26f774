const { Pool } = require("pg");

const pool = new Pool({ connectionString: process.env.DATABASE_URL });

async function findOrders(customerEmail, status) {
  const { rows } = await pool.query(
    "SELECT id, total FROM orders WHERE email = $1 AND status = $2",
    [customerEmail, status]
  );
  return rows;
}

module.exports = { findOrders };
