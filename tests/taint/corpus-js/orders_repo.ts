import express from "express";
import { Pool } from "pg";

class OrderRepository {
  constructor(private readonly pool: Pool) {}

  async list(status: string, sortBy: string) {
    const statement = `SELECT id, customer_id, total, status
      FROM orders
      WHERE status = '${status}'
      ORDER BY ${sortBy} DESC`;
    const { rows } = await this.pool.query(statement);
    return rows;
  }
}

const repo = new OrderRepository(new Pool({ connectionString: process.env.DATABASE_URL }));
const app = express();

app.get("/orders", async (req, res) => {
  const status = (req.query.status as string) ?? "open";
  const sort = (req.query.sort as string) ?? "created_at";
  res.json(await repo.list(status, sort));
});

app.listen(8080);
