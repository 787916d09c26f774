"""``genguard notes push|fetch [REMOTE]``: share commit notes with a remote.

Exit status: 0 when done, 1 when git refused (the message says why; nothing
local is changed by a failed fetch), 2 outside a git working tree.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from genguard.cli.grammar import add_repo
from genguard.text.terminal import terminal_safe


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "notes",
        help="push or fetch genguard's commit notes (refs/notes/genguard)",
        description=(
            "push: send refs/notes/genguard to REMOTE (merging REMOTE's notes first if it "
            "has some we lack). fetch: fetch REMOTE's notes into "
            "refs/notes/remotes/REMOTE/genguard and merge them into the local notes "
            "(cat_sort_uniq: no note is lost)."
        ),
    )
    parser.add_argument("action", choices=("push", "fetch"))
    parser.add_argument("remote", nargs="?", default="origin", help="default: origin")
    add_repo(parser, chdir=True)
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from genguard.gitio.notesync import fetch_notes, push_notes
    from genguard.gitio.run import Git, GitError, repo_paths

    git = Git(Path.cwd())
    try:
        repo_paths(git)
    except GitError as exc:
        print(terminal_safe(f"genguard notes: {exc}"), file=sys.stderr)
        return 2
    try:
        result = (
            push_notes(git, args.remote) if args.action == "push" else fetch_notes(git, args.remote)
        )
    except GitError as exc:
        print(terminal_safe(f"genguard notes {args.action}: {exc}"), file=sys.stderr)
        return 1
    print(terminal_safe(result.message))
    return 0
