import type { NextApiRequest, NextApiResponse } from "next";

const APP_ORIGIN = "https://shop.example.com";

export default function handler(req: NextApiRequest, res: NextApiResponse) {
  const requested = typeof req.query.to === "string" ? req.query.to : "/";
  let destination: URL;
  try {
    destination = new URL(requested, APP_ORIGIN);
  } catch {
    destination = new URL("/", APP_ORIGIN);
  }
  if (destination.origin !== APP_ORIGIN) {
    destination = new URL("/", APP_ORIGIN);
  }
  res.redirect(302, destination.toString());
}
