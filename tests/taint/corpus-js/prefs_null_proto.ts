import express, { Request, Response } from "express";

type Node = Record<string, unknown>;

const store: Node = Object.create(null);

function assignPath(root: Node, dotted: string, value: unknown): boolean {
  const keys = dotted.split(".");
  if (keys.some((k) => k === "__proto__" || k === "constructor" || k === "prototype")) {
    return false;
  }
  let cursor: Node = root;
  for (const key of keys.slice(0, -1)) {
    if (typeof cursor[key] !== "object" || cursor[key] === null) {
      cursor[key] = Object.create(null);
    }
    cursor = cursor[key] as Node;
  }
  cursor[keys[keys.length - 1]] = value;
  return true;
}

const app = express();
app.use(express.json());

app.patch("/preferences", (req: Request, res: Response) => {
  const ok = assignPath(store, String(req.body.path), req.body.value);
  res.status(ok ? 200 : 400).json({ ok });
});

app.listen(3000);
