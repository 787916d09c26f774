"""``genguard export agent-trace [REVRANGE]``: commit provenance as Agent Trace JSON Lines.
``genguard export otlp --endpoint URL [--since DATE] [--until DATE]``: ledger events as
OpenTelemetry log records over OTLP/HTTP.

Exit status: 0 on success, 2 when the range cannot be read, the output cannot be written
or an argument is unusable; for ``otlp``, 1 when the collector did not accept every event.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape

from genguard.cli.grammar import add_repo
from genguard.cli.output import SafeConsole
from genguard.fileio import write_atomic
from genguard.gitio.history import GitError, resolve_repo
from genguard.report.interop import export_agent_trace, iter_jsonl

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
FORMATS = ("agent-trace", "otlp")


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "export",
        help="write commit provenance in another format (agent-trace, otlp)",
        description=(
            "agent-trace: write one Agent Trace v0.1.0 record per commit of REVRANGE that "
            "carries a genguard note, as JSON Lines (application/vnd.agent-trace.record+json). "
            "otlp: send the ledger's events as OpenTelemetry log records over OTLP/HTTP to "
            "--endpoint (a collector feeding Loki, Elasticsearch or a SIEM)."
        ),
    )
    parser.add_argument("format", choices=FORMATS, help="output format")
    parser.add_argument("revrange", nargs="?", metavar="REVRANGE", help="default: HEAD")
    parser.add_argument(
        "--output", "-o", type=Path, metavar="FILE", help="write here (default: stdout)"
    )
    add_repo(parser)
    otlp = parser.add_argument_group("otlp")
    otlp.add_argument(
        "--endpoint", metavar="URL", help="OTLP/HTTP collector, e.g. http://host:4318"
    )
    otlp.add_argument("--since", metavar="DATE", help="only events at or after DATE")
    otlp.add_argument("--until", metavar="DATE", help="only events before the end of DATE")
    otlp.add_argument(
        "--timeout", type=float, default=5.0, metavar="SECONDS", help="per batch (default 5)"
    )
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    err = SafeConsole(stderr=True, highlight=False, soft_wrap=True)
    if args.format == "otlp":
        return _run_otlp(args, err)
    if args.endpoint or args.since or args.until:
        err.print("[red]genguard export:[/] --endpoint, --since and --until are for otlp")
        return EXIT_USAGE
    try:
        result = export_agent_trace(resolve_repo(args.repo), args.revrange)
        lines = list(iter_jsonl(result.records))
        if args.output is None:
            sys.stdout.writelines(lines)
        else:
            write_atomic(args.output, "".join(lines))
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


def _run_otlp(args: argparse.Namespace, err: Console) -> int:
    """Send the ledger (or a window of it) to a collector; 1 when it did not take it all."""
    from genguard import __version__
    from genguard.cache.rules import workspace_rules
    from genguard.config import load_settings
    from genguard.ledger.store import ledger_path
    from genguard.telemetry import export_ledger, parse_bound
    from genguard.telemetry.live import repository_of
    from genguard.telemetry.otlp import EndpointError, TelemetryMissing

    def usage(message: str) -> int:
        err.print(f"[red]genguard export otlp:[/] {escape(message)}")
        return EXIT_USAGE

    if args.revrange or args.output:
        return usage("otlp sends ledger events: REVRANGE and --output do not apply")
    if not args.endpoint:
        return usage("--endpoint URL is required (an OTLP/HTTP collector, e.g. http://host:4318)")
    if not 0 < args.timeout <= 600:
        return usage("--timeout must be more than 0 and at most 600 seconds")
    try:
        since = parse_bound(args.since) if args.since else None
        until = parse_bound(args.until, end=True) if args.until else None
        root = resolve_repo(args.repo)
    except (ValueError, GitError) as exc:
        return usage(str(exc))
    try:
        rules = workspace_rules(root, load_settings(root).settings)
    except Exception:  # names of controls are a bonus; the events go out without them
        rules = None
    try:
        result = export_ledger(
            ledger_path(root),
            args.endpoint,
            repository_of(root),
            since=since,
            until=until,
            rules=rules,
            timeout=args.timeout,
            version=__version__,
        )
    except (EndpointError, TelemetryMissing) as exc:
        return usage(str(exc))
    if result.ok:
        err.print(f"sent {result.sent} ledger event(s) to {escape(result.url)}")
        return EXIT_OK
    err.print(
        f"[yellow]genguard export otlp: warning:[/] the collector at {escape(result.url)} "
        f"accepted {result.sent} of {result.selected} event(s) "
        f"({escape(result.error or 'no reason given')}); nothing is lost: the ledger still "
        "holds them, run the export again when the collector is up"
    )
    return EXIT_FAILED
