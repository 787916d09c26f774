import express from "express";
import axios from "axios";

const app = express();
app.use(express.json());

const ALLOWED_HOSTS = new Set(["hooks.slack.com", "discord.com", "hooks.example-partner.com"]);

function checkedUrl(raw: unknown): URL | null {
  if (typeof raw !== "string") return null;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    return null;
  }
  if (parsed.protocol !== "https:" || !ALLOWED_HOSTS.has(parsed.hostname) || parsed.port !== "") {
    return null;
  }
  return parsed;
}

app.post("/integrations/notify", async (req, res) => {
  const url = checkedUrl(req.body.webhook);
  if (!url) {
    return res.status(400).json({ error: "webhook host not allowed" });
  }
  await axios.post(url.toString(), { text: "Integration connected" });
  res.status(204).end();
});

app.listen(4000);
