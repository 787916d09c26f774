"""``genguard import git-ai``: genguard notes from git-ai's ``refs/notes/ai``.

Only commits without a genguard note get one (``method: "imported"``); existing
notes are never overwritten. Exit status: 0 on success (unreadable git-ai notes
are reported, not fatal), 2 when the repository or range cannot be read.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from rich.markup import escape

from genguard.cli.grammar import add_format, add_repo
from genguard.cli.output import SafeConsole
from genguard.gitio.history import GitError, resolve_repo
from genguard.report.interop import GIT_AI_REF, import_git_ai

EXIT_OK = 0
EXIT_USAGE = 2
SOURCES = ("git-ai",)


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "import",
        help="write genguard notes from another tool's attribution (git-ai)",
        description=(
            "Read git-ai authorship notes (schema authorship/3.0.0) and write equivalent "
            "genguard notes for commits that have none. Existing genguard notes are kept."
        ),
    )
    parser.add_argument("source", choices=SOURCES, help="where the attribution comes from")
    parser.add_argument(
        "--ref", default=GIT_AI_REF, help=f"notes ref to read (default {GIT_AI_REF})"
    )
    parser.add_argument("--range", dest="revrange", metavar="REVRANGE", help="only these commits")
    parser.add_argument("--dry-run", action="store_true", help="report, write nothing")
    add_format(parser)
    add_repo(parser)
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    err = SafeConsole(stderr=True, highlight=False, soft_wrap=True)
    if not args.ref.startswith("refs/notes/"):
        err.print(
            f"[red]genguard import:[/] --ref must be under refs/notes/ (got {escape(args.ref)})"
        )
        return EXIT_USAGE
    try:
        result = import_git_ai(resolve_repo(args.repo), args.ref, args.revrange, args.dry_run)
    except GitError as exc:
        err.print(f"[red]genguard import:[/] {escape(str(exc))}")
        return EXIT_USAGE
    if args.format == "json":
        print(json.dumps(result.to_dict(), ensure_ascii=False))
        return EXIT_OK
    out = SafeConsole(highlight=False, soft_wrap=True)
    verb = "would import" if args.dry_run else "imported"
    out.print(
        f"{escape(args.ref)}: {result.scanned} annotated commit(s); {verb} "
        f"{len(result.imported)}, kept {len(result.already_noted)} existing genguard note(s), "
        f"{len(result.unreadable)} unreadable"
    )
    for commit, why in result.unreadable.items():
        out.print(f"[yellow]![/] {commit[:10]}: {escape(why)}")
    for commit, problems in result.problems.items():
        for p in problems:
            out.print(f"[yellow]![/] {commit[:10]}: {escape(p)}")
    return EXIT_OK
