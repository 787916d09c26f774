import express, { Request, Response } from "express";
import { createReadStream } from "fs";
import { join } from "path";

const EXPORT_DIR = "/srv/exports";
const FILES: Readonly<Record<string, string>> = Object.freeze({
  csv: "report.csv",
  json: "report.json",
  xlsx: "report.xlsx",
});

const app = express();

app.get("/export", (req: Request, res: Response) => {
  const format = String(req.query.format || "csv");
  if (!Object.prototype.hasOwnProperty.call(FILES, format)) {
    res.status(400).json({ error: "unsupported format" });
    return;
  }
  const stream = createReadStream(join(EXPORT_DIR, FILES[format]));
  res.attachment(FILES[format]);
  stream.pipe(res);
});

app.listen(8080);
