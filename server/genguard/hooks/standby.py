"""A warm process for the hooks that follow ``pre-commit`` in the same ``git commit``.

Starting Python and importing genguard is most of what a hook costs, and one
``git commit`` runs up to three genguard hooks after the gate (``prepare-commit-msg``,
``post-commit`` and, for ``--amend``, ``post-rewrite``). So the pre-commit process
forks a *standby* as soon as it starts: a copy of itself that imports and reads
what those hooks need on the other core while the gate runs, then waits for the
gate's verdict on a pipe. When the gate lets the commit through, the standby
serves those hooks for that ``git`` process and exits when it does; otherwise
(or if pre-commit dies) it just exits.

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
is dead, or when it has not claimed the request within a second; a standby that
holds a request past ``[hooks] timeout`` (written to ``limit``) plus a second is
ended, and the hook runs in a new process, so a stopped or wedged standby costs
time but never hangs git. The standby
only ever saves time: turning it off (``[hooks] standby = false`` or
``GENGUARD_STANDBY=0``) changes no result.
"""

from __future__ import annotations

import contextlib
import os
import select
import sys
import time
from collections.abc import Callable
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
LIMIT = "limit"
#: How often the standby checks that its ``git`` is still running.
POLL = 0.2
#: A commit message written over more than this long gets freshly started hooks.
MAX_IDLE = 3600.0


def possible() -> bool:
    """Whether pre-commit may leave a standby: the shim speaks the protocol and the
    environment did not turn it off (``[hooks] standby`` is read by the standby)."""
    return (
        os.environ.get("GENGUARD_SHIM") == PROTOCOL
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


class Prefork:
    """The gate's handle on a standby that waits for its verdict."""

    def __init__(self, pid: int, verdict: int, ready: int) -> None:
        self.pid = pid
        self._verdict = verdict
        self._ready = ready

    def release(self, go: bool, tree: str | None = None, wait: float = 1.0) -> bool:
        """Tell the standby the verdict (and the tree being committed); with ``go``,
        wait (bounded) until it can be found."""
        ok = False
        try:
            message = f"1 {tree or '-'}\n" if go else "0\n"
            os.write(self._verdict, message.encode("ascii"))
            if go and select.select([self._ready], [], [], wait)[0]:
                ok = os.read(self._ready, 1) == b"1"
        except OSError:
            ok = False
        finally:
            for fd in (self._verdict, self._ready):
                with contextlib.suppress(OSError):
                    os.close(fd)
        return ok


def prefork(cwd: Path) -> Prefork | None:
    """Fork the standby for the ``git`` process running this hook, or None when it
    cannot be (no ``git`` parent found, no ``fork``, turned off in the environment).

    Call with no other thread running: only the calling thread exists in the child.
    """
    if not possible():
        return None
    from genguard.gitio.process import git_process

    proc = git_process()
    if proc is None:
        return None
    verdict_r, verdict_w = os.pipe()
    ready_r, ready_w = os.pipe()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    pid = os.fork()
    if pid == 0:  # the standby
        os.close(verdict_w)
        os.close(ready_r)
        _child(cwd, proc.pid, verdict_r, ready_w)
    os.close(verdict_r)
    os.close(ready_w)
    return Prefork(pid, verdict_w, ready_r)


def _child(cwd: Path, git_pid: int, verdict: int, ready: int) -> None:
    """The standby's life; never returns.

    It warms up step by step and looks for the verdict between steps, so the gate
    never waits for more than one step once it has decided.
    """
    code = 0
    standby: Standby | None = None
    try:
        _detach()
        from genguard.gitio.process import search_from
        from genguard.hooks.context import HookContext

        search_from(git_pid)
        ctx = HookContext.discover(cwd)
        if not ctx.settings.hooks.standby:
            return  # turned off in the configuration: the gate reads EOF, waits for nothing
        tree: str | None = None
        for step in (*_warm_steps(ctx), None):
            if tree is None and (step is None or select.select([verdict], [], [], 0)[0]):
                word, _, tree = (
                    os.read(verdict, 128).decode("ascii", "replace").strip().partition(" ")
                )
                if word != "1":
                    return  # blocked or failed: nothing to serve
                directory, fd = _open(ctx.state_dir / DIRNAME, git_pid, ctx.settings.hooks.timeout)
                standby = Standby(directory, fd, git_pid, ctx)
                os.write(ready, b"1")
                os.close(ready)
            if step is not None:
                with contextlib.suppress(Exception):  # the hook that needs it says what is wrong
                    step()
        assert standby is not None
        if tree and tree != "-":
            standby.speculate(tree)
        standby.serve()
    except BaseException:
        code = 1
    finally:
        if standby is not None:
            _remove(standby.directory)
        os._exit(code)


def _open(base: Path, git_pid: int, timeout: float) -> tuple[Path, int]:
    """Make the standby findable: its directory, FIFO, the time a hook may take (so a
    shim can tell a wedged standby from a busy one) and, last, its pid file."""
    sweep(base)
    directory = base / str(git_pid)
    base.mkdir(parents=True, exist_ok=True)
    _remove(directory)
    directory.mkdir(mode=0o700)
    fifo = directory / FIFO
    os.mkfifo(fifo, 0o600)
    # read-write: the pipe keeps what a shim writes even before the standby reads
    fd = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)
    (directory / LIMIT).write_text(f"{int((timeout + 1.0) * 1000)}\n")
    tmp = directory / f"{PIDFILE}.tmp"
    tmp.write_text(f"{os.getpid()}\n")
    os.replace(tmp, directory / PIDFILE)
    return directory, fd


def _detach() -> None:
    """Leave git's session and let go of its pipes: git waits for none of ours."""
    os.setsid()
    null = os.open(os.devnull, os.O_RDWR)
    for n in (0, 1, 2):
        os.dup2(null, n)
    if null > 2:
        os.close(null)


def _warm_steps(ctx: HookContext) -> list[Callable[[], object]]:
    """What the served hooks need (imports, the policy hash, git's signing settings),
    as steps taken while the gate runs."""
    import importlib

    from genguard.hooks.runner import _HANDLERS

    modules = [*sorted({_HANDLERS[hook][0] for hook in SERVED}), "genguard.gitio.signing"]
    steps: list[Callable[[], object]] = [(lambda m=m: importlib.import_module(m)) for m in modules]

    def policy() -> None:
        from genguard.hooks.postcommit import current_policy_hash

        current_policy_hash(ctx)

    def signing() -> None:
        from genguard.hooks.postcommit import signing_config

        if not ctx.settings.signing.key:
            signing_config(ctx)

    return [*steps, policy, signing]


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
            git=base.git,
            paths=base.paths,
            settings=base.settings,
            problems=base.problems,
            shared=base.shared,
        )

    def speculate(self, tree: str) -> None:
        """The note's AI lines for ``tree``, before git has made the commit."""
        from genguard.hooks.postcommit import speculate

        with contextlib.suppress(Exception):  # post-commit then does it itself
            speculate(self.context(self.ctx.root), tree)

    def serve(self) -> None:
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
