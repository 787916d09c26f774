// expect: js-path-traversal
import { promises as fs } from "node:fs";
import path from "node:path";
import type { Request, Response } from "express";

const TEMPLATES = path.resolve("templates");

export async function getTemplate(req: Request, res: Response) {
  const name = req.params.name;
  const body = await fs.readFile(path.resolve(TEMPLATES, name), "utf8");
  res.type("text/plain").send(body);
}
