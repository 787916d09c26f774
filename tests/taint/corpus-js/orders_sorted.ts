import express, { Request, Response } from "express";
import { Pool } from "pg";

const pool = new Pool({ connectionString: process.env.DATABASE_URL });
const SORTABLE = new Set(["created_at", "total", "status"]);

export async function listOrders(req: Request, res: Response) {
  const requested = String(req.query.sort ?? "created_at");
  const column = SORTABLE.has(requested) ? requested : "created_at";
  const direction = req.query.dir === "asc" ? "ASC" : "DESC";
  const status = String(req.query.status ?? "open");

  const text = `SELECT id, total, status FROM orders WHERE status = $1 ORDER BY ${column} ${direction}`;
  const { rows } = await pool.query(text, [status]);
  res.json(rows);
}

const app = express();
app.get("/orders", listOrders);
app.listen(8080);
