// expect: js-child-process-exec
import { execSync } from "node:child_process";

export function checkoutBranch(repoDir: string, branch: string): string {
  return execSync(`git -C ${repoDir} checkout ${branch}`, { encoding: "utf8" });
}
