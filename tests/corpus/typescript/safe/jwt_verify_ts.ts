import jwt from "jsonwebtoken";

export function readClaims(token: string, secret: string) {
  return jwt.verify(token, secret, { algorithms: ["HS256"] }) as { sub: string };
}
