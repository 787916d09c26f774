"""``genguard stats [REVRANGE]``: AI share, tools, review and findings over a range of commits.

Exit status: 0 on success, 2 when the range cannot be read.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from genguard.cli.grammar import add_format, add_repo
from genguard.cli.output import SafeConsole
from genguard.gitio.history import GitError, resolve_repo
from genguard.report.stats import GROUP_BY, compute

EXIT_OK = 0
EXIT_USAGE = 2


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "stats",
        help="AI share, tools, review and findings over a range of commits",
        description=(
            "Read the genguard notes of REVRANGE (default: everything reachable from HEAD) "
            "and sum added lines, AI lines, reviewed lines and findings; commits without a "
            "note and bypassed commits are named."
        ),
    )
    parser.add_argument("revrange", nargs="?", metavar="REVRANGE", help="e.g. main..HEAD")
    parser.add_argument("--by", choices=GROUP_BY, default="tool", help="group rows by")
    add_format(parser)
    add_repo(parser)
    parser.set_defaults(run=run)
    return parser


def _pct(x: float) -> str:
    return f"{x:.1%}"


def _print(console: Console, doc: dict[str, Any]) -> None:
    console.print(
        f"[bold]{escape(doc['range'])}[/]: {doc['commits']} commits, "
        f"{doc['noted_commits']} with a genguard note"
    )
    console.print(
        f"  added lines {doc['added_lines']}, AI lines {doc['ai_lines']} "
        f"([bold]{_pct(doc['ai_share'])}[/])"
    )
    if doc["coverage"] < 1 and doc["noted_added_lines"]:
        console.print(
            f"  over the commits genguard saw: {_pct(doc['ai_share_noted'])} "
            f"(coverage {_pct(doc['coverage'])} of added lines)"
        )
    console.print(
        f"  reviewed: {doc['reviewed_ai_lines']} of {doc['ai_lines']} AI lines "
        f"({_pct(doc['reviewed_share'])})"
    )
    f = doc["findings"]
    console.print(
        f"  findings: {f['raised']} raised, {f['fixed']} fixed, {f['suppressed']} suppressed, "
        f"{f['open']} committed open"
    )
    table = Table(title=f"by {doc['by']}", title_justify="left", header_style="bold")
    table.add_column(doc["by"])
    table.add_column("commits", justify="right")
    if doc["by"] != "tool":
        table.add_column("added", justify="right")
    table.add_column("AI lines", justify="right")
    if doc["by"] != "tool":
        table.add_column("AI share", justify="right")
    table.add_column("reviewed", justify="right")
    for g in doc["groups"]:
        row = [escape(g["key"]), str(g["commits"])]
        if doc["by"] != "tool":
            row.append(str(g["added_lines"]))
        row.append(str(g["ai_lines"]))
        if doc["by"] != "tool":
            row.append(_pct(g["ai_share"]))
        row.append(_pct(g["reviewed_share"]))
        table.add_row(*row)
    if doc["groups"]:
        console.print(table)
    if doc["unnoted_commits"]:
        shown = ", ".join(c[:10] for c in doc["unnoted_commits"][:8])
        more = " …" if len(doc["unnoted_commits"]) > 8 else ""
        console.print(
            f"[yellow]![/] {len(doc['unnoted_commits'])} commit(s) without a note "
            f"(genguard did not run): {shown}{more}"
        )
    if doc["bypassed_commits"]:
        shown = ", ".join(c[:10] for c in doc["bypassed_commits"])
        console.print(
            f"[yellow]![/] {len(doc['bypassed_commits'])} bypassed commit(s) (--no-verify): {shown}"
        )
    sigs = doc["signatures"]
    if any(sigs.values()):
        console.print(
            f"notes: {sigs['verified']} verified, {sigs['unverified']} unverified, "
            f"{sigs['unsigned']} unsigned"
        )
    if doc["unverified_notes"]:
        shown = ", ".join(c[:10] for c in doc["unverified_notes"])
        console.print(
            f"[yellow]![/] {len(doc['unverified_notes'])} note(s) signed by a key not in the "
            f"allowed signers (or not checkable): unverified, their figures are claims: {shown}"
        )
    for m in doc["malformed_notes"]:
        console.print(f"[red]✗[/] malformed note on {m['commit'][:10]}: {escape(m['error'])}")


def run(args: argparse.Namespace) -> int:
    try:
        root = resolve_repo(args.repo)
        doc = compute(root, args.revrange, args.by).to_dict()
    except (GitError, ValueError) as exc:
        SafeConsole(stderr=True, highlight=False).print(
            f"[red]genguard stats:[/] {escape(str(exc))}"
        )
        return EXIT_USAGE
    if args.format == "json":
        print(json.dumps(doc, ensure_ascii=False))
    else:
        _print(SafeConsole(highlight=False), doc)
    return EXIT_OK
