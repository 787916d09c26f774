import type { NextApiRequest, NextApiResponse } from "next";
import { writeFile } from "node:fs/promises";
import { randomUUID } from "node:crypto";

export default async function importAvatar(req: NextApiRequest, res: NextApiResponse) {
  const { avatarUrl } = req.body as { avatarUrl: string };
  const upstream = await fetch(`${avatarUrl}`);
  if (!upstream.ok) {
    return res.status(400).json({ error: "download failed" });
  }
  const bytes = Buffer.from(await upstream.arrayBuffer());
  const id = randomUUID();
  await writeFile(`/tmp/avatars/${id}.img`, bytes);
  res.status(201).json({ id, size: bytes.length });
}
