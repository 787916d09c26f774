import { Pool } from "pg";

export const pool = new Pool({
  host: process.env.PGHOST,
  user: process.env.PGUSER,
  password: process.env.PGPASSWORD,
  database: "events",
  max: 20,
});

export const slackWebhook = process.env.SLACK_WEBHOOK_URL ?? "";
