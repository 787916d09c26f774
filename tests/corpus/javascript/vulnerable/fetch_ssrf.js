// expect: js-ssrf
const express = require("express");

const app = express();

app.get("/api/unfurl", async (req, res) => {
  const { url } = req.query;
  const response = await fetch(url, { redirect: "follow" });
  const html = await response.text();
  const title = /<title>([^<]*)<\/title>/i.exec(html);
  res.json({ title: title ? title[1] : null });
});
