"""``genguard verify``: check that a workspace's ledger chain is intact.

Exit status: 0 when the chain holds, 1 on any break, 2 when there is no ledger.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape

from genguard.ledger.store import ledger_path
from genguard.ledger.verify import VerifyResult, verify

EXIT_OK = 0
EXIT_BROKEN = 1
EXIT_NO_LEDGER = 2


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "verify",
        help="check the ledger's hash chain",
        description=(
            "Recompute every record hash of the workspace ledger and check the chain. "
            "Exit 0 if it holds, 1 on a break, 2 if there is no ledger."
        ),
    )
    parser.add_argument(
        "path",
        nargs="?",
        default=".",
        metavar="PATH",
        help="workspace directory (default: current directory)",
    )
    parser.add_argument(
        "--ledger",
        metavar="PATH",
        type=Path,
        help="verify this ledger file instead of the workspace's",
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.set_defaults(run=run)
    return parser


def _print_result(console: Console, ledger: Path, result: VerifyResult) -> None:
    where = escape(str(ledger))
    if result.ok:
        noun = "record" if result.count == 1 else "records"
        console.print(f"[green]✓[/] chain holds: {result.count} {noun} checked")
        console.print(f"  ledger: {where}")
        console.print(f"  head:   {result.head or '(empty ledger)'}")
        if result.torn_tail:
            console.print(
                "[yellow]![/] the last line is torn (an interrupted write); "
                "the next append sets it aside"
            )
        return
    seq = "?" if result.seq is None else str(result.seq)
    console.print(
        f"[red]✗[/] chain broken at line {result.first_bad} (seq {seq}): "
        f"{escape(result.reason or 'unknown')}"
    )
    console.print(f"  ledger: {where}")
    console.print(f"  {result.count} records verified before the break")
    if result.head:
        console.print(f"  last good hash: {result.head}")


def run(args: argparse.Namespace) -> int:
    ledger: Path = args.ledger if args.ledger is not None else ledger_path(Path(args.path))
    out = Console(highlight=False, soft_wrap=True)
    if not ledger.is_file():
        if args.json:
            print(json.dumps({"error": "no ledger", "ledger": str(ledger)}))
        else:
            Console(stderr=True, highlight=False, soft_wrap=True).print(
                f"[red]no ledger[/] at {escape(str(ledger))}: genguard has not recorded "
                "anything for this workspace yet (or --ledger points elsewhere)"
            )
        return EXIT_NO_LEDGER
    result = verify(ledger)
    if args.json:
        print(json.dumps({**result.to_dict(), "ledger": str(ledger)}, ensure_ascii=False))
    else:
        _print_result(out, ledger, result)
    return EXIT_OK if result.ok else EXIT_BROKEN
