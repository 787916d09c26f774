// expect: js-ssrf
import axios from "axios";
import type { Request, Response } from "express";

export async function proxyImage(req: Request, res: Response) {
  const upstream = await axios.get(req.query.src as string, { responseType: "stream" });
  upstream.data.pipe(res);
}
