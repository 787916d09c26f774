"""``genguard export agent-trace [REVRANGE]``: commit provenance as Agent Trace JSON Lines.

Exit status: 0 on success, 2 when the range cannot be read or the output cannot be written.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape

from genguard.report.gitrun import GitError, resolve_repo
from genguard.report.interop import export_agent_trace, iter_jsonl

EXIT_OK = 0
EXIT_USAGE = 2
FORMATS = ("agent-trace",)


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "export",
        help="write commit provenance in another format (agent-trace)",
        description=(
            "Write one Agent Trace v0.1.0 record per commit of REVRANGE that carries a "
            "genguard note, as JSON Lines (application/vnd.agent-trace.record+json)."
        ),
    )
    parser.add_argument("format", choices=FORMATS, help="output format")
    parser.add_argument("revrange", nargs="?", metavar="REVRANGE", help="default: HEAD")
    parser.add_argument(
        "--output", "-o", type=Path, metavar="FILE", help="write here (default: stdout)"
    )
    parser.add_argument("-C", dest="repo", type=Path, default=Path("."), help="repository")
    parser.set_defaults(run=run)
    return parser


def _write_atomically(path: Path, lines: list[str]) -> None:
    """Replace ``path`` only once the whole export is written: a failure leaves the old file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.writelines(lines)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def run(args: argparse.Namespace) -> int:
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        result = export_agent_trace(resolve_repo(args.repo), args.revrange)
        lines = list(iter_jsonl(result.records))
        if args.output is None:
            sys.stdout.writelines(lines)
        else:
            _write_atomically(args.output, lines)
    except (GitError, OSError) as exc:
        err.print(f"[red]genguard export:[/] {escape(str(exc))}")
        return EXIT_USAGE
    where = "" if args.output is None else f" to {escape(str(args.output))}"
    err.print(
        f"exported {len(result.records)} record(s){where}; "
        f"{result.unnoted} commit(s) without a note left out"
    )
    for commit, why in result.skipped.items():
        err.print(f"[yellow]![/] skipped {commit[:10]}: malformed note ({escape(why)})")
    return EXIT_OK
