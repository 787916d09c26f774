import express, { Request, Response } from "express";

interface Row {
  id: number;
  amount: number;
  country: string;
}

const rows: Row[] = [
  { id: 1, amount: 120, country: "DE" },
  { id: 2, amount: 40, country: "FR" },
  { id: 3, amount: 990, country: "US" },
];

function compilePredicate(source: string): (row: Row) => boolean {
  const body = `return (${source});`;
  return new Function("row", body) as (row: Row) => boolean;
}

const app = express();
app.use(express.json());

app.post("/rules/preview", (req: Request, res: Response) => {
  const predicate = compilePredicate(req.body.condition);
  res.json(rows.filter(predicate));
});

app.listen(8000);
