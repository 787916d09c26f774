"""``genguard hook NAME [ARGS...]``: run one git hook by hand or from a hook manager.

The shims ``genguard install-hooks`` writes run the same runner directly
(:func:`genguard.hooks.runner.shim_main`); this command is what the pre-commit framework
(``.pre-commit-hooks.yaml``) and the shims' PATH fallback call.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

from genguard.hooks import HOOK_NAMES


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "hook",
        help="run one of genguard's git hooks",
        description=(
            "Run a genguard git hook with the arguments git passes it. Exit 1 only "
            "when the pre-commit gate refuses the commit (or a hook fails with "
            '[hooks] fail_mode = "closed").'
        ),
    )
    parser.add_argument("name", choices=HOOK_NAMES, metavar="NAME", help=", ".join(HOOK_NAMES))
    parser.add_argument("args", nargs=argparse.REMAINDER, help="what git passes the hook")
    parser.set_defaults(run=run)
    return parser


def _framework_args(name: str, args: list[str]) -> list[str]:
    """The pre-commit framework passes hook arguments as environment variables."""
    if name == "prepare-commit-msg" and len(args) == 1:
        source = os.environ.get("PRE_COMMIT_COMMIT_MSG_SOURCE")
        sha = os.environ.get("PRE_COMMIT_COMMIT_OBJECT_NAME")
        return [*args, *([source] if source else []), *([sha] if source and sha else [])]
    if name == "post-rewrite" and not args:
        command = os.environ.get("PRE_COMMIT_REWRITE_COMMAND")
        return [command] if command else args
    return args


def run(args: argparse.Namespace) -> int:
    from genguard.hooks.runner import run_hook

    return run_hook(args.name, _framework_args(args.name, list(args.args)))
