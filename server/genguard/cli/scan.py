"""``genguard scan``: check a repository, some paths, or the staged changes.

Exit status: 1 when a finding is at or above ``--fail-on`` (default ``error``),
0 otherwise, 2 when the command cannot run as asked (bad arguments, a broken
configuration file, a path outside the repository, ``--staged`` outside git),
3 when no file could be checked at all (every file skipped, or none to check):
such a run found nothing because it looked at nothing, which is not clean; 4 when
no finding fails the run but some file's check was cut short (a time budget, a
match or node limit): findings may be missing there, so that is not clean either.
A failing finding takes precedence: exit 1 says more than "incomplete".
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from genguard.cli.grammar import add_repo
from genguard.config import load_settings
from genguard.fileio import write_atomic
from genguard.gitio import repo_root
from genguard.gitio.repo import refusal
from genguard.scan import ScanError, ScanOptions, WalkError, at_or_above, scan
from genguard.scan.formats import FORMATS, render, render_text, skipped_kinds, summary_line
from genguard.scan.runner import SEVERITY_ORDER, ScanResult

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_NOTHING_CHECKED = 3
EXIT_INCOMPLETE = 4
FAIL_ON: tuple[str, ...] = (*SEVERITY_ORDER, "never")
# Environment variables with which rich treats a non-tty stream as a terminal.
_TERMINAL_ENV = ("FORCE_TERMINAL", "FORCE_COLOR", "TTY_COMPATIBLE")

if TYPE_CHECKING:
    from rich.console import Console


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "scan",
        help="check a repository (or the staged changes) against the rules",
        description=(
            "Run the workspace's rules over every file of the repository (honouring "
            ".gitignore and [scan] exclude), over PATHS, or over the staged changes. "
            "Exit 1 when a finding is at or above --fail-on, 0 otherwise, 2 on usage "
            "or configuration errors, 3 when no file could be checked, 4 when a file's "
            "check was cut short (findings may be missing)."
        ),
    )
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="files or directories to scan (default: the whole repository or current dir)",
    )
    parser.add_argument("--format", choices=FORMATS, default="text", help="report format")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE", help="write the report here")
    parser.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        default="error",
        help="exit 1 when a finding has this severity or a higher one (default: error)",
    )
    parser.add_argument(
        "--ai-only",
        action="store_true",
        help="report only findings on AI-written lines (ledger and commit notes)",
    )
    parser.add_argument(
        "--staged",
        action="store_true",
        help="check the staged content and report only findings on the lines it adds",
    )
    parser.add_argument(
        "-j", "--jobs", type=int, metavar="N", help="worker processes (default: one per core)"
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="list every file not scanned, with its reason (default: one line of counts)",
    )
    parser.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
    parser.add_argument(
        "--cache-dir", type=Path, metavar="DIR", help="result cache directory (default: per user)"
    )
    add_repo(parser, chdir=True)
    parser.set_defaults(run=run)
    return parser


class _Bar:
    """A rich progress bar that redraws from the calling thread only.

    No refresh thread runs, so starting worker processes (fork) never happens
    while another thread holds a lock.
    """

    def __init__(self, console: Console) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self._progress = Progress(
            TextColumn("scanning"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            auto_refresh=False,
        )
        self._task: Any = None
        self._drawn = 0.0

    def __enter__(self) -> _Bar:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def start(self, total: int) -> None:
        self._task = self._progress.add_task("scan", total=total)
        self._progress.refresh()

    def advance(self, n: int = 1) -> None:
        self._progress.advance(self._task, n)
        now = time.monotonic()
        if now - self._drawn > 0.1:
            self._drawn = now
            self._progress.refresh()


class _NoBar:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


class _Stderr:
    """rich's stderr console, made on first use: a piped JSON or SARIF scan with
    nothing to warn about never imports rich (a good part of start-up)."""

    def __init__(self) -> None:
        self._console: Console | None = None

    @property
    def console(self) -> Console:
        if self._console is None:
            from genguard.cli.output import SafeConsole

            self._console = SafeConsole(stderr=True, highlight=False, soft_wrap=True)
        return self._console

    @property
    def is_terminal(self) -> bool:
        if not sys.stderr.isatty() and not any(v in os.environ for v in _TERMINAL_ENV):
            return False
        return self.console.is_terminal

    def print(self, markup: str) -> None:
        self.console.print(markup)


def escape(text: str) -> str:
    from rich.markup import escape as rich_escape

    return rich_escape(text)


def _usage_error(err: _Stderr, message: str) -> int:
    err.print(f"[red]genguard scan:[/] {escape(message)}")
    return EXIT_USAGE


def _root_for(paths: list[Path]) -> tuple[Path, bool]:
    """The repository holding the first path (or the current dir), else a plain dir;
    and whether it is a repository (git is asked once per directory)."""
    anchor = paths[0] if paths else Path.cwd()
    root = repo_root(anchor)
    if root is not None:
        return root, True
    if len(paths) <= 1:  # the directory git was just asked about
        anchor = anchor.absolute()
        return (anchor if anchor.is_dir() else anchor.parent), False
    return Path.cwd(), repo_root(Path.cwd()) is not None


def _source(root: Path, path: Path | None) -> str | None:
    """A configuration file as the report names it: relative inside the repository."""
    if path is None:
        return None
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


@contextmanager
def _collector_aside() -> Iterator[None]:
    """Python's cyclic collector while files are checked: what the command built so far
    (its imports, settings, rules) is frozen, so collections walk only what checks
    make, and they run a tenth as often (a check makes and drops many small values;
    the few cycles it leaves, an analysis and its functions, wait a little longer).
    Forked workers inherit both. Put back as it was afterwards."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(10_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def run(args: argparse.Namespace) -> int:
    err = _Stderr()
    paths: list[Path] = list(args.paths)
    for path in paths:
        if not path.exists():
            return _usage_error(err, f"{path}: no such file or directory")
    if args.jobs is not None and args.jobs < 1:
        return _usage_error(err, "--jobs must be at least 1")
    if args.output is not None and not args.output.absolute().parent.is_dir():
        return _usage_error(err, f"{args.output}: its directory does not exist")

    root, in_repo = _root_for(paths)
    if not in_repo:
        refused = refusal(root)  # a repository git will not read is not a plain folder
        if refused is not None:
            return _usage_error(err, refused)
        if args.staged:
            return _usage_error(err, f"--staged needs a git repository; {root} is not in one")

    loaded = load_settings(root)
    for problem in loaded.problems:
        if problem.severity != "error":
            err.print(f"[yellow]warning:[/] {escape(str(problem))}")
    for problem in loaded.refused:  # the scan runs with what the trusted layers allow
        err.print(f"[red]refused:[/] {escape(str(problem))}")
    if loaded.errors:  # the editor falls back to defaults; a scan refuses to run
        from genguard.cli.output import config_errors

        return config_errors("scan", loaded.errors, "run the scan again") or EXIT_USAGE

    options = ScanOptions(
        exclude_source=_source(root, loaded.origins.get(("scan", "exclude"))),
        root=root,
        paths=tuple(paths),
        ai_only=args.ai_only,
        staged=args.staged,
        use_cache=not args.no_cache,
        cache_dir=args.cache_dir,
        jobs=args.jobs,
    )
    bar = _Bar(err.console) if err.is_terminal else None
    try:
        with bar or _NoBar(), _collector_aside():
            result = scan(options, loaded.settings, progress=bar)
    except (WalkError, ScanError) as exc:
        return _usage_error(err, str(exc))

    for warning in result.warnings:
        err.print(f"[yellow]warning:[/] {escape(warning)}")
    if args.output is not None:
        try:
            write_atomic(args.output, render(result, args.format, verbose=args.verbose))
        except OSError as exc:
            return _usage_error(err, f"cannot write {args.output}: {exc.strerror or exc}")
        err.print(f"{escape(summary_line(result))}; report written to {escape(str(args.output))}")
    elif args.format == "text":
        from genguard.cli.output import SafeConsole

        render_text(result, SafeConsole(highlight=False, soft_wrap=True), verbose=args.verbose)
    else:
        sys.stdout.write(render(result, args.format))
        sys.stdout.flush()

    failing = any(at_or_above(f.severity, args.fail_on) for f in result.findings)
    if failing:
        return EXIT_FINDINGS
    if result.incomplete:
        n = len(result.incomplete)
        err.print(
            f"[red]genguard scan:[/] {'a file was' if n == 1 else f'{n} files were'} not fully"
            " checked (the report lists them); findings may be missing: this is not a clean"
            f" result (exit {EXIT_INCOMPLETE})"
        )
        return EXIT_INCOMPLETE
    nothing = nothing_checked(result, staged=args.staged)
    if nothing is not None:
        err.print(f"[red]genguard scan:[/] {escape(nothing)}")
        return EXIT_NOTHING_CHECKED
    return EXIT_CLEAN


def nothing_checked(result: ScanResult, *, staged: bool) -> str | None:
    """Why the scan checked no file, or None when it checked some (or had nothing to:
    ``--staged`` with nothing staged is a truthful answer about an empty commit)."""
    if result.files_scanned:
        return None
    if result.skipped or result.excluded:
        kinds = skipped_kinds(result)
        if result.excluded:
            kinds = [*kinds, ("left out by [scan] exclude", len(result.excluded))]
        why = ", ".join(f"{n} {kind}" for kind, n in kinds)
        total = len(result.skipped) + len(result.excluded)
        return (
            f"nothing was checked: all {total} selected files were skipped "
            f"({why}); this is not a clean result (exit {EXIT_NOTHING_CHECKED})"
        )
    if staged:
        return None
    return (
        "nothing was checked: no file to scan was found (all excluded, or none there); "
        f"this is not a clean result (exit {EXIT_NOTHING_CHECKED})"
    )
