"""``genguard review``: list unreviewed AI chunks, or mark them reviewed, from a terminal.

    genguard review                      list the unreviewed chunks in the staged changes
    genguard review CHUNK [CHUNK...]     mark these chunks reviewed (an id or a unique prefix)
    genguard review --file PATH          mark every unreviewed chunk of PATH reviewed
    genguard review --staged             mark every unreviewed chunk in the staged changes

The review is recorded as the editor records it (a ``chunk.reviewed`` ledger event
naming the reviewer: ``reviewer`` from the configuration, else git's user.email),
with ``--note`` kept beside it. Exit 0 on success (listing included), 2 when the
command cannot run as asked (outside git, a repository git refuses, a broken
configuration, an unknown chunk).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from genguard.cli.grammar import add_format, add_repo

EXIT_OK = 0
EXIT_USAGE = 2


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "review",
        help="list unreviewed AI chunks, or mark chunks reviewed (no editor needed)",
        description=(
            "Without arguments, list the unreviewed AI chunks in the staged changes "
            "(file:lines, tool, model, findings). With CHUNK ids, --file or --staged, mark "
            "those chunks reviewed, recorded in the ledger as the editor records it."
        ),
    )
    parser.add_argument("chunks", nargs="*", metavar="CHUNK", help="chunk ids (or unique prefixes)")
    add_repo(parser)
    parser.add_argument("--file", dest="files", action="append", default=[], metavar="PATH",
                        help="mark every unreviewed chunk of this file (repeatable)")  # fmt: skip
    parser.add_argument(
        "--staged", action="store_true", help="mark every unreviewed chunk in the staged changes"
    )
    parser.add_argument("--note", metavar="TEXT", help="a note kept with the review")
    add_format(parser)
    parser.set_defaults(run=run)
    return parser


def _error(message: str) -> int:
    sys.stderr.write(f"genguard review: {message}\n")
    return EXIT_USAGE


def _relative(root: Path, path: str) -> str | None:
    p = Path(path)
    p = p if p.is_absolute() else Path.cwd() / p
    try:
        return p.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None


def run(args: argparse.Namespace) -> int:
    from genguard.cli.output import config_errors
    from genguard.gitio import repo_root
    from genguard.gitio.repo import refusal
    from genguard.hooks.context import HookContext
    from genguard.hooks.review import ReviewError, mark, of_file, resolve, reviewer, staged_pending

    where = args.repo.absolute()
    root = repo_root(where)
    if root is None:
        return _error(refusal(where) or f"{where} is not inside a git repository")
    ctx = HookContext.discover(root)
    # what is unreviewed, its findings and who reviews follow the configuration: never
    # list or mark under defaults the user did not choose
    broken = config_errors("review", ctx.problems, "run the review again")
    if broken is not None:
        return broken
    marking = bool(args.chunks or args.files or args.staged)
    if not marking:
        pending = staged_pending(ctx)
        if args.format == "json":
            sys.stdout.write(json.dumps({"unreviewed": [p.to_dict() for p in pending]}, indent=2))
            sys.stdout.write("\n")
            return EXIT_OK
        if not pending:
            print("No unreviewed AI-written code in the staged changes.")
            return EXIT_OK
        print(f"Unreviewed AI-written code in the staged changes ({len(pending)} chunks):")
        for p in pending:
            from genguard.hooks.review import line_groups

            model = f":{p.model}" if p.model else ""
            found = f"; findings: {', '.join(p.findings)}" if p.findings else ""
            carried = "" if p.live else " (carried from another commit's note)"
            print(f"  {p.file}:{line_groups(p.lines)}  {p.chunk}  {p.tool}{model}{found}{carried}")
        print()
        print("Mark them reviewed once you have read them: `genguard review --staged`,")
        print("or one chunk with `genguard review CHUNK`, or a file with `--file PATH`.")
        return EXIT_OK

    try:
        targets = resolve(ctx, args.chunks)
        for path in args.files:
            rel = _relative(root, path)
            if rel is None:
                return _error(f"{path} is outside the repository {root}")
            found = of_file(ctx, rel)
            if not found:
                print(f"{rel}: no unreviewed AI chunk")
            targets += found
        if args.staged:
            pending = staged_pending(ctx, with_findings=False)
            targets += resolve(ctx, [p.chunk for p in pending if p.live])
            for p in pending:
                if not p.live:
                    print(
                        f"{p.file}:{p.lines[0]}: chunk {p.chunk} came from another commit's "
                        "note and cannot be marked here"
                    )
    except ReviewError as exc:
        return _error(str(exc))
    unique = list({c.id: c for c in targets}.values())
    who = reviewer(ctx)
    done = mark(ctx, unique, who, args.note)
    if args.format == "json":
        out = {"reviewer": who, "reviewed": [{"chunk": c.id, "file": c.file} for c in done]}
        sys.stdout.write(json.dumps(out, indent=2) + "\n")
        return EXIT_OK
    for c in done:
        print(f"reviewed {c.file} chunk {c.id} ({c.tool}) as {who}")
    if not done:
        print("nothing to mark: the chunks named are reviewed already")
    return EXIT_OK
