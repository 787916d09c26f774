// expect: js-weak-cipher
import { createCipheriv } from "node:crypto";

export function encryptField(key: Buffer, value: string): string {
  const cipher = createCipheriv("aes-256-ecb", key, null);
  return Buffer.concat([cipher.update(value, "utf8"), cipher.final()]).toString("base64");
}
