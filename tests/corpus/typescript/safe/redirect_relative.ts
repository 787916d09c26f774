import type { Request, Response } from "express";

export function afterLogin(req: Request, res: Response) {
  const returnTo = String(req.query.returnTo ?? "/");
  const safe = returnTo.startsWith("/") && !returnTo.startsWith("//") ? returnTo : "/";
  return res.redirect(safe);
}
