"""The ``genguard`` command line: one module per subcommand.

Each command module exposes ``add_parser(subparsers)`` and ``run(args) -> int``;
this file only wires them together, so a command can be added or left out by
editing ``COMMANDS``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from genguard import __version__

COMMANDS: tuple[str, ...] = (
    "serve",
    "demo",
    "verify",
    "scan",
    "blame",
    "stats",
    "export",
    "import",
    "rules",
    "install-hooks",
    "hook",
    "record",
    "review",
    "notes",
    "install-agent-hooks",
    "controls",
    "gate",
    "sbom",
    "evidence",
)
#: Command modules named differently from their command (``import`` is a keyword).
MODULES: dict[str, str] = {
    "import": "import_cmd",
    "install-hooks": "install_hooks",
    "install-agent-hooks": "install_agent_hooks",
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser; with ``only``, just that command's module is imported.

    Importing every command pulls in the language server stack; a hook or a
    cached scan should not pay for that on each run.
    """
    parser = argparse.ArgumentParser(
        prog="genguard",
        description="Generation-time guard for AI-written code.",
    )
    parser.add_argument("--version", action="version", version=f"genguard {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        if only is not None and name != only:
            continue
        module = importlib.import_module(f"genguard.cli.{MODULES.get(name, name)}")
        module.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(words[0] if words and words[0] in COMMANDS else None)
    args = parser.parse_args(words)
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return 2
    from genguard.cli.grammar import enter_repo

    before = os.getcwd()
    problem = enter_repo(args)
    if problem is not None:
        print(f"genguard {args.command}: {problem}", file=sys.stderr)
        return 2
    try:
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        return 130
    finally:
        os.chdir(before)
