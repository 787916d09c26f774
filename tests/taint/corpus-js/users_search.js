const express = require("express");
const mysql = require("mysql2");

const connection = mysql.createConnection({
  host: process.env.DB_HOST,
  user: process.env.DB_USER,
  password: process.env.DB_PASSWORD,
  database: "crm",
});

const app = express();

app.get("/users/search", (req, res) => {
  const term = req.query.q || "";
  const sql = "SELECT id, name, email FROM users WHERE name LIKE '%" + term + "%' LIMIT 50";
  connection.query(sql, (err, results) => {
    if (err) {
      return res.status(500).json({ error: "database error" });
    }
    res.json(results);
  });
});

app.listen(3000);
