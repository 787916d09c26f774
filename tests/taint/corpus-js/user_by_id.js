const express = require("express");
const { Pool } = require("pg");

const pool = new Pool();
const app = express();

app.get("/users/:id", async (req, res) => {
  const userId = req.params.id;
  try {
    const { rows } = await pool.query(
      "SELECT id, name, email, created_at FROM users WHERE id = $1",
      [userId]
    );
    if (rows.length === 0) {
      return res.status(404).json({ error: "not found" });
    }
    res.json(rows[0]);
  } catch (err) {
    res.status(500).json({ error: "lookup failed" });
  }
});

app.listen(3000);
