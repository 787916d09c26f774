"""The ``genguard`` command line: one module per subcommand.

Each command module exposes ``add_parser(subparsers)`` and ``run(args) -> int``;
this file only wires them together, so a command can be added or left out by
editing ``COMMANDS``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from genguard import __version__

COMMANDS: tuple[str, ...] = ("serve", "demo", "verify")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="genguard",
        description="Generation-time guard for AI-written code.",
    )
    parser.add_argument("--version", action="version", version=f"genguard {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        module = importlib.import_module(f"genguard.cli.{name}")
        module.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        return 130
