import express, { Request, Response } from "express";
import { promises as fs } from "fs";
import path from "path";

const THEMES_DIR = path.resolve(__dirname, "..", "themes");
const app = express();

async function readTheme(fileName: string): Promise<string> {
  const location = path.resolve(THEMES_DIR, fileName);
  return fs.readFile(location, "utf8");
}

app.get("/themes", async (req: Request, res: Response) => {
  const file = (req.query.file as string) || "default.css";
  try {
    const css = await readTheme(file);
    res.type("text/css").send(css);
  } catch {
    res.status(404).send("/* theme not found */");
  }
});

app.listen(8080);
