import type { NextApiRequest, NextApiResponse } from "next";
import { PrismaClient } from "@prisma/client";

const prisma = new PrismaClient();

type SalesRow = { region: string; month: string; revenue: number };

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const region = req.query.region as string;
  const year = req.query.year ?? "2024";

  const rows = await prisma.$queryRawUnsafe<SalesRow[]>(
    `SELECT region, month, SUM(amount) AS revenue FROM sales WHERE region = '${region}' AND year = ${year} GROUP BY region, month`
  );

  res.status(200).json({ rows });
}
