import express from "express";
import fs from "node:fs/promises";
import path from "node:path";

const AVATAR_DIR = "/var/app/avatars";
const app = express();

app.get("/avatars/:user", async (req, res) => {
  const safeName = path.basename(req.params.user);
  const file = path.join(AVATAR_DIR, `${safeName}.png`);
  try {
    const image = await fs.readFile(file);
    res.type("png").send(image);
  } catch {
    res.status(404).end();
  }
});

app.listen(3000);
