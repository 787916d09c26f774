import { execFileSync } from "node:child_process";

export function checkoutBranch(repoDir: string, branch: string): string {
  return execFileSync("git", ["-C", repoDir, "checkout", branch], { encoding: "utf8" });
}
