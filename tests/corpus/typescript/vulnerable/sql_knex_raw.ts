// expect: js-sql-injection
import type { Knex } from "knex";

export async function searchProducts(db: Knex, term: string, limit: number) {
  const result = await db.raw(
    `SELECT id, name FROM products WHERE name ILIKE '%${term}%' ORDER BY name LIMIT ${limit}`
  );
  return result.rows as Array<{ id: number; name: string }>;
}
