import type { Knex } from "knex";

export async function searchProducts(db: Knex, term: string, limit: number) {
  const result = await db.raw(
    "SELECT id, name FROM products WHERE name ILIKE ? ORDER BY name LIMIT ?",
    [`%${term}%`, limit]
  );
  return result.rows as Array<{ id: number; name: string }>;
}
