const express = require("express");

const app = express();
const ALLOWED_HOSTS = new Set(["example.com", "blog.example.com"]);

app.get("/api/unfurl", async (req, res) => {
  const target = new URL(String(req.query.url));
  if (target.protocol !== "https:" || !ALLOWED_HOSTS.has(target.hostname)) {
    return res.status(400).json({ error: "host not allowed" });
  }
  const response = await fetch(target, { redirect: "error" });
  res.json({ status: response.status });
});
