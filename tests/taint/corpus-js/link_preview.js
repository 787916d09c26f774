const express = require("express");

const app = express();

function extractTitle(html) {
  const match = /<title>([^<]*)<\/title>/i.exec(html);
  return match ? match[1].trim() : null;
}

app.get("/api/preview", async (req, res) => {
  const target = req.query.url;
  try {
    const response = await fetch(target, { redirect: "follow" });
    const html = await response.text();
    res.json({ url: target, status: response.status, title: extractTitle(html) });
  } catch (err) {
    res.status(502).json({ error: "could not fetch url" });
  }
});

app.listen(3000);
