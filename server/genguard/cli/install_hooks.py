"""``genguard install-hooks [--uninstall]``: git hooks and notes configuration.

Exit status: 0 when done, 1 when a hook could not be installed or restored
(nothing is overwritten; the message says what to move), 2 outside a git
working tree.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from genguard.cli.grammar import add_repo, hidden


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "install-hooks",
        help="install genguard's git hooks (gate, trailers, commit notes)",
        description=(
            "Write small shims into the repository's hooks directory (core.hooksPath and "
            "worktrees honoured) for pre-commit, prepare-commit-msg, commit-msg, "
            "post-commit, post-merge and post-rewrite. A hook already there is kept, "
            "moved to <hook>.genguard-chained and run first. Also sets notes.rewriteRef "
            "and, for remote origin, refspecs that push and fetch refs/notes/genguard."
        ),
    )
    hidden(parser, "path", nargs="?", default=".", type=Path)
    add_repo(parser, chdir=True)
    parser.add_argument(
        "--uninstall",
        action="store_true",
        help="remove the shims, restore the hooks they displaced, undo the configuration",
    )
    parser.add_argument(
        "--no-remote", action="store_true", help="do not add refspecs to remote origin"
    )
    parser.add_argument(
        "--config-only",
        action="store_true",
        help="only the git configuration (when a hook manager runs `genguard hook`)",
    )
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    from genguard.gitio.run import Git, GitError, repo_paths
    from genguard.hooks.install import install_hooks, uninstall_hooks

    git = Git(args.path.resolve())
    try:
        repo_paths(git)
    except GitError as exc:
        print(f"genguard install-hooks: {exc}", file=sys.stderr)
        return 2
    if args.uninstall:
        report = uninstall_hooks(git)
        for name in report.removed:
            restored = " (your previous hook is back)" if name in report.restored else ""
            print(f"removed {report.hooks_dir / name}{restored}")
        for name in set(report.restored) - set(report.removed):
            print(f"restored {report.hooks_dir / name}")
    else:
        report = install_hooks(git, remote_config=not args.no_remote, shims=not args.config_only)
        for name in report.installed:
            chained = (
                f" (runs your {name}{'.genguard-chained'} first)" if name in report.chained else ""
            )
            print(f"installed {report.hooks_dir / name}{chained}")
    for line in report.config:
        print(f"git config: {line}")
    for problem in report.problems:
        print(f"genguard install-hooks: {problem}", file=sys.stderr)
    return 0 if report.ok else 1
