"""A warm process for the hooks that follow ``pre-commit`` in the same ``git commit``.

Starting Python and importing genguard is most of what a hook costs, and one
``git commit`` runs up to three genguard hooks after the gate (``prepare-commit-msg``,
``post-commit`` and, for ``--amend``, ``post-rewrite``). So the pre-commit process
forks a *standby* as soon as it starts (:mod:`.boot`): a copy of itself that imports and reads
what those hooks need on the other core while the gate runs, looking for the
gate's verdict on a pipe between steps. When the gate lets the commit through,
it publishes the standby in ``<git-common-dir>/genguard/standby/<git pid>/``
(private to the user): ``requests`` is a FIFO, ``limit`` the time a hook may take,
``pid`` names the standby. The standby then serves those hooks for that ``git``
process and exits when it does; otherwise (or if pre-commit dies) it just exits.

A shim asks for a hook by writing its arguments to ``<id>.req`` (``<id>`` is the
shim's pid; the first line is the number of arguments, then one per line;
``<id>.stdin`` holds post-rewrite's input) and ``<id> <hook>`` to the FIFO, which
it opens read-write (so it never blocks) and keeps open until it has its answer
(so nothing is lost while the standby is still warming up). The standby claims
the request by renaming it to ``<id>.claimed`` (a shim that gives up renames it
away first, so a hook never runs twice), runs the hook exactly as a new process
would, and writes ``<id>.err`` (what the hook said on stderr) and, last, ``<id>.rc``.

The shim falls back to starting Python itself when there is no standby, when it
is dead, or when it has not claimed the request within a second; a standby that
holds a request past ``[hooks] timeout`` (``limit``) plus a second is ended, and
the hook runs in a new process, so a stopped or wedged standby costs time but
never hangs git. The standby only ever saves time: turning it off (``[hooks]
standby = false`` or ``GENGUARD_STANDBY=0``) changes no result.
"""

from __future__ import annotations

import contextlib
import os
import select
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from genguard.hooks.context import HookContext

#: Hooks a standby serves (``pre-commit`` is the one that starts it).
SERVED = frozenset({"prepare-commit-msg", "post-commit", "post-rewrite"})
#: The shim protocol the installed shims speak (``GENGUARD_SHIM`` in their environment).
PROTOCOL = "3"
DIRNAME = "standby"
FIFO = "requests"
PIDFILE = "pid"
LIMIT = "limit"
#: How often the standby checks that its ``git`` is still running.
POLL = 0.2
#: A commit message written over more than this long gets freshly started hooks.
MAX_IDLE = 3600.0


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


class Handoff(NamedTuple):
    """What the gate hands the standby along with a passing verdict."""

    state_dir: Path  # where to publish it
    tree: str | None  # the staged tree, for working out the note ahead
    timeout: float  # ``[hooks] timeout``: how long a served hook may take


class Prefork:
    """The gate's handle on a standby that waits for its verdict."""

    def __init__(self, pid: int, git_pid: int, verdict: int) -> None:
        self.pid = pid
        self.git_pid = git_pid
        self._verdict = verdict

    def release(self, handoff: Handoff | None) -> bool:
        """Tell the standby the verdict: None ends it. With a handoff, first make it
        findable (its directory, FIFO, time limit and pid file) so that the hooks
        after this one can queue requests at once, even while it is still warming up."""
        message = "0\n"
        try:
            if handoff is not None and self._is_our_git():
                base = handoff.state_dir / DIRNAME
                directory = _publish(base, self.git_pid, self.pid, handoff.timeout)
                if directory is not None and "\n" not in str(directory):
                    message = f"1 {handoff.tree or '-'} {directory}\n"
            os.write(self._verdict, message.encode("utf-8", "surrogateescape"))
        except OSError:
            return False
        finally:
            with contextlib.suppress(OSError):
                os.close(self._verdict)
        return message != "0\n"

    def _is_our_git(self) -> bool:
        """The pid the shim gave is the ``git`` running this hook (where that can be
        told: without ``/proc`` the shim's parent is trusted)."""
        from genguard.gitio.process import git_process

        proc = git_process()
        return proc is None or proc.pid == self.git_pid


def _publish(base: Path, git_pid: int, pid: int, timeout: float) -> Path | None:
    """The standby's directory with its FIFO, the time a hook may take (so a shim
    can tell a wedged standby from a busy one) and, last, its pid file."""
    sweep(base)
    directory = base / str(git_pid)
    try:
        base.mkdir(parents=True, exist_ok=True)
        _remove(directory)
        directory.mkdir(mode=0o700)
        os.mkfifo(directory / FIFO, 0o600)
        (directory / LIMIT).write_text(f"{int((timeout + 1.0) * 1000)}\n")
        tmp = directory / f"{PIDFILE}.tmp"
        tmp.write_text(f"{pid}\n")
        os.replace(tmp, directory / PIDFILE)
    except OSError:
        _remove(directory)
        return None
    return directory


def run_child(cwd: Path, git_pid: int, verdict: int) -> None:
    """The standby's life; never returns.

    It warms up step by step and looks for the verdict between steps; once the
    gate has let the commit through it opens the FIFO the gate published (a shim
    keeps the FIFO open until it has its answer, so nothing written is lost).
    """
    code = 0
    directory: Path | None = None
    try:
        _detach()
        from genguard.gitio.process import search_from

        search_from(git_pid)
        tree: str | None = None
        fd = -1
        holder: list[HookContext] = []
        for step in (*_warm_steps(cwd, holder), None):
            if tree is None and (step is None or select.select([verdict], [], [], 0)[0]):
                line = os.read(verdict, 4096).decode("utf-8", "surrogateescape").rstrip("\n")
                word, _, rest = line.partition(" ")
                if word != "1":
                    return  # blocked, failed or turned off: nothing to serve
                tree, _, where = rest.partition(" ")
                directory = Path(where)
                fd = os.open(directory / FIFO, os.O_RDWR | os.O_NONBLOCK)
            if step is not None:
                with contextlib.suppress(Exception):  # the hook that needs it says what is wrong
                    step()
        if not holder:
            return  # the repository could not be read: the shims start Python instead
        standby = Standby(directory, fd, git_pid, holder[0])  # type: ignore[arg-type]
        if tree and tree != "-":
            standby.speculate(tree)
        standby.serve()
    except BaseException:
        code = 1
    finally:
        if directory is not None:
            _remove(directory)
        os._exit(code)


def _detach() -> None:
    """Leave git's session and let go of its pipes: git waits for none of ours."""
    os.setsid()
    null = os.open(os.devnull, os.O_RDWR)
    for n in (0, 1, 2):
        os.dup2(null, n)
    if null > 2:
        os.close(null)


def _warm_steps(cwd: Path, holder: list[HookContext]) -> list[Callable[[], object]]:
    """What the served hooks need, as small steps taken while the gate runs: the
    imports, the repository and its configuration (into ``holder``), the policy
    hash and git's signing settings."""
    import importlib

    def context() -> None:
        from genguard.hooks.context import HookContext

        holder.append(HookContext.discover(cwd))

    def policy() -> None:
        from genguard.hooks.postcommit import current_policy_hash

        if holder:
            current_policy_hash(holder[0])

    def signing() -> None:
        from genguard.hooks.postcommit import signing_config

        if holder and not holder[0].settings.signing.key:
            signing_config(holder[0])

    # what post-commit needs, in the order it needs it; the others (trailers, rewrite)
    # are imported when a request asks for them
    modules = (
        "genguard.config",
        "genguard.ledger.store",
        "genguard.hooks.context",
        "genguard.hooks.postcommit",
        "genguard.hooks.policy",
    )
    steps: list[Callable[[], object]] = [(lambda m=m: importlib.import_module(m)) for m in modules]
    return [*steps[:3], context, *steps[3:], policy, signing]


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
