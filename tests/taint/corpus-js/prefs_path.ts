import express, { Request, Response } from "express";

type Tree = { [key: string]: any };

const preferences: Tree = {};

function setByPath(root: Tree, dotted: string, value: unknown): void {
  const parts = dotted.split(".");
  let node = root;
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i];
    if (node[part] === undefined) {
      node[part] = {};
    }
    node = node[part];
  }
  node[parts[parts.length - 1]] = value;
}

const app = express();
app.use(express.json());

app.patch("/preferences", (req: Request, res: Response) => {
  const { path, value } = req.body;
  setByPath(preferences, String(path), value);
  res.json(preferences);
});

app.listen(3000);
