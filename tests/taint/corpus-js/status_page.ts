import express, { Request, Response } from "express";

const app = express();

const MESSAGES: Record<number, string> = {
  400: "Bad request",
  403: "Forbidden",
  404: "Not found",
  500: "Server error",
};

app.get("/status-page", (req: Request, res: Response) => {
  const code = Number.parseInt(String(req.query.code), 10);
  if (Number.isNaN(code)) {
    res.status(400).send("code must be a number");
    return;
  }
  const label = MESSAGES[code] ?? "Unknown status";
  res.send(`<html><body><h1>${code}</h1><p>${label}</p></body></html>`);
});

app.listen(3000);
