import express, { Request, Response } from "express";
import { execSync } from "child_process";

const router = express.Router();
const REPO_DIR = "/srv/repos/website";

function recentCommits(branch: string, count: number): string[] {
  const output = execSync("git log --oneline -n " + count + " " + branch, {
    cwd: REPO_DIR,
    encoding: "utf8",
  });
  return output.trim().split("\n");
}

router.get("/branches/:branch/commits", (req: Request, res: Response) => {
  try {
    const commits = recentCommits(req.params.branch, 10);
    res.json({ branch: req.params.branch, commits });
  } catch (e) {
    res.status(404).json({ error: "unknown branch" });
  }
});

export default router;
