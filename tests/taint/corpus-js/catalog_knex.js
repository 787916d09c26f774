const express = require("express");
const knex = require("knex")({
  client: "pg",
  connection: process.env.DATABASE_URL,
});

const app = express();

async function productsIn(category, minPrice) {
  const where = "category = '" + category + "' AND price >= " + minPrice;
  const result = await knex.raw("SELECT id, title, price FROM products WHERE " + where);
  return result.rows;
}

app.get("/catalog", async (req, res, next) => {
  try {
    const items = await productsIn(req.query.category, req.query.min || 0);
    res.json({ count: items.length, items });
  } catch (err) {
    next(err);
  }
});

app.listen(3000);
