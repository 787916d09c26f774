import type { NextApiRequest, NextApiResponse } from "next";
import { PrismaClient } from "@prisma/client";

const prisma = new PrismaClient();

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  if (req.method !== "POST") {
    res.setHeader("Allow", "POST");
    return res.status(405).end();
  }
  const email = String(req.body.email ?? "").toLowerCase();
  const members: { id: number; plan: string }[] = await prisma.$queryRaw`
    SELECT id, plan FROM members WHERE email = ${email} LIMIT 1`;
  if (members.length === 0) {
    return res.status(404).json({ found: false });
  }
  return res.status(200).json({ found: true, plan: members[0].plan });
}
