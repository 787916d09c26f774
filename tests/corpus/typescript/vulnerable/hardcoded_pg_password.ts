// expect: js-hardcoded-password
import { Pool } from "pg";

export const pool = new Pool({
  host: "analytics-db.internal",
  user: "analytics",
  password: "An4lyt1cs-2024",
  database: "events",
  max: 20,
});
