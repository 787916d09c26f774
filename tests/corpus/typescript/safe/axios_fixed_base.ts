import axios from "axios";
import type { Request, Response } from "express";

const images = axios.create({ baseURL: "https://images.example.com" });

export async function proxyImage(req: Request, res: Response) {
  const id = encodeURIComponent(String(req.query.id));
  const upstream = await images.get(`/thumbnails/${id}.png`, { responseType: "stream" });
  upstream.data.pipe(res);
}
