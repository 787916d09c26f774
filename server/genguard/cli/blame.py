"""``genguard blame FILE``: who wrote each line, AI or human, and was it reviewed.

Exit status: 0 on success, 2 when the file or revision cannot be read.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from genguard.cli.grammar import add_format, add_repo
from genguard.cli.output import SafeConsole
from genguard.gitio.history import GitError, resolve_repo
from genguard.report.blame import UNCOMMITTED, BlameReport, LineProvenance, blame

EXIT_OK = 0
EXIT_USAGE = 2


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "blame",
        help="per-line provenance of a file: AI or human, tool, model, commit, review",
        description=(
            "Join 'git blame -M -C' with the genguard notes of each line's commit; lines not "
            "committed yet are matched against the ledger."
        ),
    )
    parser.add_argument("file", metavar="FILE", type=Path, help="file to blame")
    parser.add_argument("--rev", metavar="REV", help="blame the file as of this revision")
    add_format(parser)
    add_repo(parser, chdir=True)
    parser.add_argument("--ledger", metavar="PATH", type=Path, help="ledger to replay")
    parser.set_defaults(run=run)
    return parser


def _relpath(root: Path, file: Path) -> str:
    path = file.expanduser().absolute()
    try:
        resolved = path.parent.resolve() / path.name
        return resolved.relative_to(root).as_posix()
    except ValueError as exc:
        raise GitError(f"{file} is outside the repository at {root}") from exc


def _label(ln: LineProvenance) -> tuple[str, str]:
    if ln.evidence == "missing":
        return "?", "yellow"
    return ("AI", "bold magenta") if ln.ai else ("human", "green")


def _print(console: Console, report: BlameReport) -> None:
    """A gutter per line (who, tool/model, commit, review) in front of the code."""
    rows = []
    for ln in report.lines:
        tool = ""
        if ln.ai:
            tool = f"{ln.tool}/{ln.model}" if ln.model else (ln.tool or "")
        commit = UNCOMMITTED if ln.commit == UNCOMMITTED else ln.commit[:10]
        status = ln.status or ""
        if ln.ai and ln.note_signature == "unverified":
            status += " (unverified)"  # the note's signer is not an allowed one
        rows.append((ln, tool, commit, status))
    w_line = max([len(str(len(rows))), 4])
    w_tool = max([len(r[1]) for r in rows] + [4])
    w_commit = max([len(r[2]) for r in rows] + [6])
    w_status = max([len(r[3]) for r in rows] + [6])
    head = Text(
        f"{'line':>{w_line}}  {'who':<5}  {'tool':<{w_tool}}  {'commit':<{w_commit}}  "
        f"{'status':<{w_status}}  │",
        style="bold",
    )
    console.print(head, no_wrap=True, overflow="ellipsis")
    for ln, tool, commit, status in rows:
        who, style = _label(ln)
        text = Text(f"{ln.line:>{w_line}}  ", style="dim")
        text.append(f"{who:<5}", style=style)
        text.append(f"  {tool:<{w_tool}}  ")
        text.append(f"{commit:<{w_commit}}", style="dim")
        text.append("  ")
        text.append(f"{status:<{w_status}}", style="yellow" if status == "unreviewed" else "")
        text.append("  │ ", style="dim")
        text.append(ln.text.expandtabs(4))
        console.print(text, no_wrap=True, overflow="ellipsis")
    total = len(report.lines)
    share = report.ai_lines / total if total else 0.0
    console.print(
        f"\n{escape(report.path)}: {report.ai_lines} of {total} lines AI ({share:.0%})"
        + (f" at {escape(report.rev)}" if report.rev else "")
    )
    if any(ln.evidence == "missing" for ln in report.lines):
        console.print("[yellow]?[/] = the commit has no genguard note, so the author is unknown")
    for w in report.warnings:
        console.print(f"[yellow]![/] {escape(w)}")


def run(args: argparse.Namespace) -> int:
    err = SafeConsole(stderr=True, highlight=False, soft_wrap=True)
    try:
        root = resolve_repo(args.file)
        report = blame(root, _relpath(root, args.file), args.rev, args.ledger)
    except (GitError, FileNotFoundError, ValueError) as exc:
        err.print(f"[red]genguard blame:[/] {escape(str(exc))}")
        return EXIT_USAGE
    if args.format == "json":
        print(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        _print(SafeConsole(highlight=False), report)
    return EXIT_OK
