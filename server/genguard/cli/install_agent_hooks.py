"""``genguard install-agent-hooks claude-code|cursor|copilot``: make an agent record its edits.

Writes (merging with what is there) the agent's project hook configuration so it
runs ``genguard record --from <agent>`` after each file edit: Claude Code
``.claude/settings.json`` (PostToolUse for Write|Edit|MultiEdit, plus PreToolUse to
snapshot the file first and UserPromptSubmit for the prompt's hash), Cursor
``.cursor/hooks.json`` (afterFileEdit, beforeSubmitPrompt), GitHub Copilot
``.github/hooks/genguard.json`` (postToolUse, userPromptSubmitted).

Exit status: 0 when done, 2 when the existing file cannot be merged (nothing written).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from genguard.cli.grammar import add_repo, hidden


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    from genguard.agents.install import AGENTS

    parser = subparsers.add_parser(
        "install-agent-hooks",
        help="configure an AI agent to record its edits with genguard",
        description=__doc__.split("\n\n")[1] if __doc__ else None,
    )
    parser.add_argument("agent", choices=AGENTS)
    hidden(parser, "path", nargs="?", default=".", type=Path)
    add_repo(parser, chdir=True)
    parser.add_argument(
        "--git-hooks",
        action="store_true",
        help="also install genguard's git hooks (the commit gate and notes), as install-hooks does",
    )
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    from genguard.agents.install import AgentConfigError, install_agent_hooks
    from genguard.gitio.repo import refusal, repo_root

    root = repo_root(args.path)
    if root is None:
        refused = refusal(args.path)  # a repository git refuses is not a plain folder
        if refused is not None:
            print(f"genguard install-agent-hooks: {refused}", file=sys.stderr)
            return 2
        root = args.path.resolve()
    try:
        result = install_agent_hooks(root, args.agent)
    except AgentConfigError as exc:
        print(f"genguard install-agent-hooks: {exc}", file=sys.stderr)
        return 2
    if result.changed:
        print(
            f"updated {result.path}: {', '.join(result.added)}"
            f" run `genguard record --from {args.agent}` (with {sys.executable})"
        )
    else:
        print(f"{result.path} already runs genguard")
    return _git_hooks(root, install=args.git_hooks)


def _git_hooks(root: Path, *, install: bool) -> int:
    """Say whether commits are gated; install the git hooks when asked."""
    from genguard.gitio.repo import repo_root
    from genguard.gitio.run import Git, GitError, hooks_dir
    from genguard.hooks.install import install_hooks, is_ours

    if repo_root(root) is None:
        print("note: not a git repository: edits are recorded, but no commit is gated or noted")
        return 0
    git = Git(root)
    try:
        present = is_ours(hooks_dir(git) / "pre-commit")
    except GitError:
        present = False
    if install and not present:
        report = install_hooks(git)
        for problem in report.problems:
            print(f"genguard install-agent-hooks: {problem}", file=sys.stderr)
        if not report.ok:
            return 2
        print(f"installed genguard's git hooks in {report.hooks_dir}")
    elif not present:
        print(
            "note: genguard's git hooks are not installed in this repository, so commits are "
            "not gated and get no notes. Run `genguard install-hooks`, or this command again "
            "with --git-hooks."
        )
    return 0
