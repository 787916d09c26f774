"""Run one hook, bounded in time; a hook that gives up says so in the commit's note.

A hook must never hang git nor lose a commit over genguard's own problems: a watchdog
stops it after ``[hooks] timeout`` seconds. A hook stopped or failed leaves its trace
(``give_up``): the gate an ``error`` verdict (post-commit then records the commit as
unchecked), an after-the-fact hook a note saying why and a ``commit.bypassed`` record.
``[hooks] fail_mode = "closed"`` makes the blocking hooks refuse the commit instead.
What a hook leaves and the trace are written one at a time under
:data:`~.context.WRITING`: the watchdog leaves its trace only when the hook has not
left its own, lets a write under way end, and holds the lock until the process ends,
so a stopped hook never leaves half its note, nor two notes.
"""

from __future__ import annotations

import _thread
import gc
import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from genguard.gitio.run import GitError
from genguard.hooks import HOOKS
from genguard.text.terminal import SafeWriter

if TYPE_CHECKING:
    from genguard.hooks.context import HookContext

#: Hooks that can stop git; after-the-fact hooks always exit 0.
BLOCKING = frozenset({"pre-commit", "prepare-commit-msg", "commit-msg"})
#: Extra seconds post-rewrite may take per rewritten commit (a long rebase).
PER_REWRITE = 0.25
DEFAULT_TIMEOUT = 5.0
#: The most a stopped or failed hook waits for a write under way, then for its trace.
GIVE_UP_SECONDS = 5.0


def _warn(err: TextIO, message: str) -> None:
    with suppress(OSError, ValueError):
        err.write(f"genguard: {message}\n")
        err.flush()


class _Deadline:
    """Calls ``expire`` once the hook has run ``seconds``, unless stopped first; the
    limit moves once the configuration is read. One watcher, started without waiting
    to be scheduled (``threading.Thread.start`` waits, milliseconds on a loaded
    machine), sleeping on a condition that ``limit`` and ``stop`` wake it from."""

    def __init__(self, seconds: float, expire: Callable[[], None]) -> None:
        self.started_at = time.monotonic()
        self.expire, self.until = expire, self.started_at + seconds
        self.done = self.fired = False
        self.wake = threading.Condition()
        _thread.start_new_thread(self._watch, ())

    def _watch(self) -> None:
        with self.wake:
            while not self.done and self.until > time.monotonic():
                self.wake.wait(self.until - time.monotonic())
            if self.done:
                return
            self.done = self.fired = True
        self.expire()

    def limit(self, seconds: float) -> None:
        with self.wake:
            if self.done:
                return
            self.until = self.started_at + seconds
            self.wake.notify()
            if self.until > time.monotonic():
                return
            self.done = self.fired = True  # already past: now, not when the watcher wakes
        self.expire()

    def stop(self) -> None:
        with self.wake:
            self.done = True
            self.wake.notify()


def run_hook(
    name: str,
    args: Sequence[str],
    *,
    cwd: Path | None = None,
    stdin: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Run hook ``name`` with git's ``args``; returns the exit status for git."""
    from genguard.hooks.context import DECIDED, LEFT, WRITING

    started = time.perf_counter()
    LEFT.clear()  # (for a hook run again in this process)
    DECIDED[0] = 0
    err = err or sys.stderr
    failure, timeout = 0, DEFAULT_TIMEOUT
    ctx: HookContext | None = None

    def give_up(reason: str, keep: bool) -> bool:
        """Leave the hook's trace unless it left its own; True when written. Takes
        :data:`WRITING` once a write under way ends, and ``keep``s it (the watchdog,
        until the process ends)."""
        if not WRITING.acquire(timeout=GIVE_UP_SECONDS):
            return False
        try:
            if LEFT.is_set():
                return False
            # the stuck hook may hold what the trace needs (the ledger's lock): bounded
            worker = threading.Thread(target=trace, args=(reason,), daemon=True)
            worker.start()
            worker.join(GIVE_UP_SECONDS)
            LEFT.set()
            return True
        finally:
            if not keep:
                WRITING.release()

    def trace(reason: str) -> None:
        """The gate's error verdict, or an after-the-fact hook's note."""
        with suppress(Exception):
            from genguard.hooks.context import HookContext
            from genguard.hooks.gate import leave_error
            from genguard.hooks.postcommit import note_failure

            here = ctx or HookContext.discover(cwd or Path.cwd())
            if name == "pre-commit":
                leave_error(here, reason)
            elif name in ("post-commit", "post-merge", "post-rewrite"):
                note_failure(here, name, reason)

    def expire() -> None:
        wrote = give_up(f"timeout after {timeout:g} s", keep=True)
        status = max(failure, DECIDED[0])  # a gate that had blocked still blocks
        what = "refusing the commit" if status else "letting git go ahead"
        said = "; the commit's note says so" if wrote else ""
        _warn(
            err,
            f"the {name} hook did not finish within {timeout:g} s and was stopped;"
            f" {what} ([hooks] timeout / fail_mode){said}",
        )
        os._exit(status)

    watchdog: _Deadline | None = None
    try:
        data = ""  # post-rewrite reads its pairs before the clock starts (git waits anyway)
        if name == "post-rewrite":  # (a terminal never ends: reading one would hang git)
            with suppress(AttributeError, OSError, ValueError):
                source = stdin or sys.stdin
                data = "" if source.isatty() else source.read()
        watchdog = _Deadline(timeout, expire)  # bounds reading the configuration too
        from genguard.hooks.context import HookContext

        ctx = HookContext.discover(cwd or Path.cwd())
        if name == "pre-commit":  # once per commit (post-commit when the gate ran in sh)
            ctx.warn_config(err)
        failure = 1 if ctx.settings.hooks.fail_closed and name in BLOCKING else 0
        timeout = ctx.settings.hooks.timeout + PER_REWRITE * data.count("\n")
        watchdog.limit(timeout)
        import importlib

        module, func = HOOKS[name]  # only the module the hook needs: imports are its cost
        handler = getattr(importlib.import_module(module), func)
        if not gc.isenabled():  # the shim imports with the cyclic collector off: on now
            gc.freeze()  # (what the imports made lives until exit)
            gc.enable()
        code = handler(ctx, list(args), data, err)
        return int(code or 0) if name in BLOCKING else 0
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if isinstance(exc, GitError) and exc.kind in ("no-repository", "dubious-ownership"):
            _warn(err, f"the {name} hook has nothing to check: {exc}")  # run by hand
            return 2
        import traceback

        what = 'refusing the commit ([hooks] fail_mode = "closed")' if failure else "git goes ahead"
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        _warn(err, f"internal error in the {name} hook, {what}: {detail}")
        if os.environ.get("GENGUARD_DEBUG"):
            traceback.print_exc(file=err)
        give_up(f"internal error: {detail}", keep=False)
        return failure
    finally:
        if watchdog is not None:
            watchdog.stop()
            if watchdog.fired:  # too late: the watchdog ends the process, and says why
                time.sleep(2 * GIVE_UP_SECONDS + 1)
        if os.environ.get("GENGUARD_HOOK_TIMING"):
            _warn(err, f"{name} took {(time.perf_counter() - started) * 1000:.0f} ms in Python")


def shim_main() -> None:
    """What the installed shims run (``HOOK ARGS...`` in argv), then exit without the
    interpreter's teardown (nothing is left to clean up, and a hook's every millisecond
    is the user's)."""
    # everything a hook prints goes to git's stderr, and much of it is repository text
    # (rule messages, paths): no control character reaches the terminal (text.terminal)
    sys.stderr = SafeWriter(sys.stderr)  # type: ignore[assignment]
    code = run_hook(sys.argv[1], sys.argv[2:]) if len(sys.argv) > 1 else 2
    for stream in (sys.stdout, sys.stderr):
        with suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)
