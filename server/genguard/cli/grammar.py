"""One grammar for every command: git's ``-C REPO``, ``--format``, ``-o/--output``.

Each command declares its options through these helpers so the same thing is
spelled the same way everywhere. Spellings of earlier releases (``--json``,
``--out``, a positional repository path, ``--root``, ``--require-signature``)
still parse, hidden from ``--help``, for one release.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

REPO_HELP = "run as if genguard was started in REPO, as git -C does (default: the current dir)"


def add_repo(parser: argparse.ArgumentParser, *, chdir: bool = False) -> None:
    """``-C REPO``. With ``chdir`` the command runs in REPO (paths are relative to it);
    without, the command reads ``args.repo`` itself (default ``.``)."""
    parser.add_argument(
        "-C", dest="repo", type=Path, default=None if chdir else Path("."), metavar="REPO",
        help=REPO_HELP,
    )  # fmt: skip
    if chdir:
        parser.set_defaults(chdir_to_repo=True)


def enter_repo(args: argparse.Namespace) -> str | None:
    """Change into ``-C REPO`` for commands declared with ``chdir``; an error message when
    REPO is not a directory."""
    repo = getattr(args, "repo", None)
    if not getattr(args, "chdir_to_repo", False) or repo is None:
        return None
    try:
        os.chdir(repo)
    except OSError as exc:
        return f"-C {repo}: {exc.strerror or exc}"
    return None


def add_format(
    parser: argparse.ArgumentParser,
    choices: tuple[str, ...] = ("text", "json"),
    default: str = "text",
    help: str = "output format",
) -> None:
    """``--format``, with the old ``--json`` as a hidden alias for ``--format json``."""
    parser.add_argument("--format", choices=choices, default=default, help=help)
    if "json" in choices:
        parser.add_argument(
            "--json", dest="format", action="store_const", const="json", help=argparse.SUPPRESS
        )


def add_output(
    parser: argparse.ArgumentParser, *, metavar: str = "FILE", help: str = "write here", **kw: Any
) -> None:
    """``-o/--output``, with the old ``--out`` as a hidden alias."""
    parser.add_argument(
        "-o", "--output", dest="output", type=Path, metavar=metavar, help=help, **kw
    )
    parser.add_argument("--out", dest="output", type=Path, help=argparse.SUPPRESS)


def hidden(parser: argparse.ArgumentParser, *flags: str, **kw: Any) -> None:
    """An old spelling that still parses but is no longer shown."""
    parser.add_argument(*flags, help=argparse.SUPPRESS, **kw)
