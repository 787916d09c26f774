"""A warm process for the hooks that follow ``pre-commit`` in the same ``git commit``.

Starting Python and importing genguard is most of what a hook costs, and one
``git commit`` runs up to three genguard hooks after the gate (``prepare-commit-msg``,
``post-commit`` and, for ``--amend``, ``post-rewrite``). So when the gate lets a
commit through, the pre-commit process forks a *standby*: a copy of itself,
already started and imported, that serves those hooks for that ``git`` process
and exits when it does.

It lives in ``<git-common-dir>/genguard/standby/<git pid>/`` (private to the
user): ``requests`` is a FIFO, ``pid`` names the standby. A shim asks for a hook
by writing its arguments to ``<id>.req`` (``<id>`` is the shim's pid; the first
line is the number of arguments, then one per line; ``<id>.stdin`` holds
post-rewrite's input) and ``<id> <hook>`` to the FIFO, which it opens read-write
so that it never blocks. The standby claims the request by renaming it to
``<id>.claimed`` (a shim that gives up renames it away first, so a hook never
runs twice), runs the hook exactly as a new process would, and writes
``<id>.err`` (what the hook said on stderr) and, last, ``<id>.rc``.

The shim falls back to starting Python itself when there is no standby, when it
is dead, or when it has not claimed the request within a second. The standby
only ever saves time: turning it off (``[hooks] standby = false`` or
``GENGUARD_STANDBY=0``) changes no result.
"""

from __future__ import annotations

import contextlib
import os
import select
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from genguard.hooks.context import HookContext

#: Hooks a standby serves (``pre-commit`` is the one that starts it).
SERVED = frozenset({"prepare-commit-msg", "post-commit", "post-rewrite"})
#: The shim protocol the installed shims speak (``GENGUARD_SHIM`` in their environment).
PROTOCOL = "2"
DIRNAME = "standby"
FIFO = "requests"
PIDFILE = "pid"
#: How often the standby checks that its ``git`` is still running.
POLL = 0.2
#: A commit message written over more than this long gets freshly started hooks.
MAX_IDLE = 3600.0


def enabled(standby_setting: bool) -> bool:
    """Whether pre-commit may leave a standby: the shim speaks the protocol and
    nothing turned it off."""
    return (
        standby_setting
        and os.environ.get("GENGUARD_SHIM") == PROTOCOL
        and os.environ.get("GENGUARD_STANDBY", "1") != "0"
        and hasattr(os, "fork")
        and hasattr(os, "mkfifo")
    )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove(directory: Path) -> None:
    try:
        names = os.listdir(directory)
    except OSError:
        return
    for name in names:
        with contextlib.suppress(OSError):
            os.unlink(directory / name)
    with contextlib.suppress(OSError):
        os.rmdir(directory)


def sweep(base: Path) -> None:
    """Remove what standbys that did not exit cleanly (killed) left behind."""
    try:
        entries = os.listdir(base)
    except OSError:
        return
    for name in entries:
        directory = base / name
        try:
            pid = int((directory / PIDFILE).read_text())
        except (OSError, ValueError):
            pid = None
        if pid is None:
            # being set up right now, or torn: only an old one is garbage
            try:
                if time.time() - directory.stat().st_mtime < 60:
                    continue
            except OSError:
                continue
        elif _alive(pid):
            continue
        _remove(directory)


def start(ctx: HookContext, git_pid: int) -> int | None:
    """Fork the standby for ``git_pid``; returns its pid (None when it cannot be set up).

    Call with no other thread running: only the calling thread exists in the child.
    """
    base = ctx.state_dir / DIRNAME
    sweep(base)
    directory = base / str(git_pid)
    try:
        base.mkdir(parents=True, exist_ok=True)
        _remove(directory)
        directory.mkdir(mode=0o700)
        fifo = directory / FIFO
        os.mkfifo(fifo, 0o600)
        # read-write: the pipe keeps what a shim writes even before the standby reads
        fd = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)
    except OSError:
        _remove(directory)
        return None
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    pid = os.fork()
    if pid == 0:  # the standby
        code = 0
        try:
            _detach()
            Standby(directory, fd, git_pid, ctx).serve()
        except BaseException:
            code = 1
        finally:
            _remove(directory)
            os._exit(code)
    os.close(fd)
    tmp = directory / f"{PIDFILE}.tmp"
    tmp.write_text(str(pid))
    os.replace(tmp, directory / PIDFILE)
    return pid


def _detach() -> None:
    """Leave git's session and let go of its pipes: git waits for none of ours."""
    os.setsid()
    null = os.open(os.devnull, os.O_RDWR)
    for n in (0, 1, 2):
        os.dup2(null, n)
    if null > 2:
        os.close(null)


def _warm(ctx: HookContext) -> None:
    """Import and read what the served hooks need while git is still busy."""
    import importlib

    from genguard.hooks.policy import rules_version
    from genguard.hooks.runner import _HANDLERS

    for hook in SERVED:
        if hook in _HANDLERS:
            importlib.import_module(_HANDLERS[hook][0])
    importlib.import_module("genguard.gitio.signing")
    with contextlib.suppress(Exception):  # the hook that needs it says what is wrong
        rules_version(ctx.root, ctx.settings)


class Standby:
    def __init__(self, directory: Path, fd: int, git_pid: int, ctx: HookContext) -> None:
        self.directory = directory
        self.fd = fd
        self.git_pid = git_pid
        self.ctx = ctx

    def context(self, cwd: Path) -> HookContext:
        """A fresh context (ledger read anew) for the repository pre-commit saw."""
        from genguard.hooks.context import HookContext

        base = self.ctx
        return HookContext(
            git=base.git, paths=base.paths, settings=base.settings, problems=base.problems
        )

    def serve(self) -> None:
        from genguard.gitio.process import search_from

        search_from(self.git_pid)
        _warm(self.ctx)
        deadline = time.monotonic() + MAX_IDLE
        pending = b""
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.fd], [], [], POLL)
            if not ready:
                if not _alive(self.git_pid) or not self.directory.is_dir():
                    return
                continue
            try:
                pending += os.read(self.fd, 4096)
            except BlockingIOError:
                continue
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                self.handle(line.decode("utf-8", "replace").strip())

    def handle(self, line: str) -> None:
        ident, _, hook = line.partition(" ")
        if not ident.isdigit() or hook not in SERVED:
            return
        claimed = self.directory / f"{ident}.claimed"
        try:
            os.rename(self.directory / f"{ident}.req", claimed)
        except OSError:
            return  # withdrawn: the shim runs the hook itself
        try:
            lines = claimed.read_text(encoding="utf-8", errors="surrogateescape").split("\n")
            count = int(lines[0])
            args = lines[1 : 1 + count]
        except (OSError, ValueError):
            self.answer(ident, 0, "genguard: the standby could not read a hook request\n")
            return
        code = self.run(ident, hook, args)
        self.answer(ident, code)

    def run(self, ident: str, hook: str, args: list[str]) -> int:
        from io import StringIO

        from genguard.hooks.runner import run_hook

        stdin_path = self.directory / f"{ident}.stdin"
        stdin = (
            open(stdin_path, encoding="utf-8", errors="replace")  # noqa: SIM115
            if stdin_path.exists()
            else StringIO("")
        )
        with open(self.directory / f"{ident}.err", "w", encoding="utf-8") as err, stdin:

            def stop(code: int) -> None:  # the hook's own timeout: answer, then go
                err.flush()
                self.answer(ident, code)
                _remove(self.directory)
                os._exit(code)

            return run_hook(
                hook, args, cwd=self.ctx.root, stdin=stdin, err=err, exit=stop, context=self.context
            )

    def answer(self, ident: str, code: int, message: str | None = None) -> None:
        if message is not None:
            (self.directory / f"{ident}.err").write_text(message, encoding="utf-8")
        tmp = self.directory / f"{ident}.rc.tmp"
        tmp.write_text(str(int(code)))
        os.replace(tmp, self.directory / f"{ident}.rc")
