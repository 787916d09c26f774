// expect: js-sql-injection
const { Pool } = require("pg");

const pool = new Pool({ connectionString: process.env.DATABASE_URL });

async function findOrders(customerEmail, status) {
  const { rows } = await pool.query(
    `SELECT id, total FROM orders WHERE email = '${customerEmail}' AND status = '${status}'`
  );
  return rows;
}

module.exports = { findOrders };
