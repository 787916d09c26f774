// expect: js-open-redirect
import type { Request, Response } from "express";

export function afterLogin(req: Request, res: Response) {
  const returnTo = req.query.returnTo as string;
  return res.redirect(returnTo);
}
