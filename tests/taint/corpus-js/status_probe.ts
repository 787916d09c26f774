import express, { Request, Response } from "express";

const SERVICES: ReadonlyMap<string, string> = new Map([
  ["billing", "http://billing.internal:8080/healthz"],
  ["search", "http://search.internal:9200/_cluster/health"],
  ["auth", "http://auth.internal:8000/healthz"],
]);

const app = express();

app.get("/status/:service", async (req: Request, res: Response) => {
  const endpoint = SERVICES.get(req.params.service);
  if (!endpoint) {
    res.status(404).json({ error: "unknown service" });
    return;
  }
  const started = Date.now();
  const reply = await fetch(endpoint, { signal: AbortSignal.timeout(2000) });
  res.json({ service: req.params.service, ok: reply.ok, ms: Date.now() - started });
});

app.listen(8080);
