"""Run one hook, bounded in time; a hook that gives up says so in the commit's note.

A hook must never hang git nor lose a commit over genguard's own problems: a
watchdog stops the hook after ``[hooks] timeout`` seconds. A hook that is stopped
or fails still leaves its trace (``give_up`` in :func:`run_hook`): the gate leaves an
``error`` verdict, so post-commit records the commit as unchecked (a
``commit.bypassed`` record and a note whose ``incomplete`` says why); an
after-the-fact hook writes that note itself. With ``[hooks] fail_mode = "closed"``
the blocking hooks refuse the commit instead of letting git go ahead. The gate's
own decision (exit 1 for findings in AI code) is not an error and is always
respected.
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
from genguard.text.terminal import SafeWriter

if TYPE_CHECKING:
    from genguard.hooks.context import HookContext

#: Hooks that can stop git; after-the-fact hooks always exit 0.
BLOCKING = frozenset({"pre-commit", "prepare-commit-msg", "commit-msg"})
#: Extra seconds post-rewrite may take per rewritten commit (a long rebase).
PER_REWRITE = 0.25
DEFAULT_TIMEOUT = 5.0
#: The most a stopped or failed hook waits for its trace (note, verdict) to be written.
GIVE_UP_SECONDS = 3.0

_HANDLERS = {
    "pre-commit": ("genguard.hooks.gate", "run"),
    "prepare-commit-msg": ("genguard.hooks.trailers", "run"),
    "commit-msg": ("genguard.hooks.trailers", "guard"),
    "post-commit": ("genguard.hooks.postcommit", "run"),
    "post-merge": ("genguard.hooks.postcommit", "run_post_merge"),
    "post-rewrite": ("genguard.hooks.rewrite", "run"),
}


def _handler(name: str) -> Callable[..., int]:
    """Import only the module the hook needs: start-up time is the hook's cost."""
    import importlib

    module, func = _HANDLERS[name]
    return getattr(importlib.import_module(module), func)


def _warn(err: TextIO, message: str) -> None:
    try:
        err.write(f"genguard: {message}\n")
        err.flush()
    except (OSError, ValueError):
        pass


def _is_tty(stream: TextIO) -> bool:
    """A terminal never ends: reading the rewrite list from one would hang git."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class _Deadline:
    """Calls ``expire`` once the hook has run ``seconds``, unless stopped first; the
    limit moves once the configuration is read.

    One watcher for the whole hook, started without waiting for it to be scheduled
    (``threading.Thread.start`` waits; on a loaded machine that wait alone can cost
    a hook milliseconds): it sleeps on a condition until the limit, which ``limit``
    and ``stop`` wake it from."""

    def __init__(self, seconds: float, expire: Callable[[], None]) -> None:
        self.started_at = time.monotonic()
        self.expire = expire
        self.until = self.started_at + seconds
        self.done = False
        self.wake = threading.Condition()
        _thread.start_new_thread(self._watch, ())

    def _watch(self) -> None:
        with self.wake:
            while not self.done:
                left = self.until - time.monotonic()
                if left <= 0:
                    self.done = True
                    break
                self.wake.wait(left)
            else:
                return  # stopped
        self.expire()

    def limit(self, seconds: float) -> None:
        with self.wake:
            if self.done:
                return
            self.until = self.started_at + seconds
            if self.until > time.monotonic():
                self.wake.notify()
                return
            self.done = True  # already past it: now, not whenever the watcher wakes
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
    exit: Callable[[int], None] = os._exit,
) -> int:
    """Run hook ``name`` with git's ``args``; returns the exit status for git.

    ``exit`` ends the process when the hook overruns its time.
    """
    started = time.perf_counter()
    err = err or sys.stderr
    failure = 0
    timeout = DEFAULT_TIMEOUT
    ctx: HookContext | None = None
    gave_up = threading.Lock()  # the watchdog and the hook's own failure give up once

    def give_up(reason: str) -> None:
        """Leave the hook's trace, waiting for it at most :data:`GIVE_UP_SECONDS` (the
        stuck hook may hold what it needs, such as the ledger's lock)."""
        if not gave_up.acquire(blocking=False):
            return

        def trace() -> None:  # the gate's error verdict, or an after-the-fact note
            with suppress(Exception):
                from genguard.hooks.context import HookContext
                from genguard.hooks.gate import leave_error
                from genguard.hooks.postcommit import note_failure

                here = ctx or HookContext.discover(cwd or Path.cwd())
                if name == "pre-commit":
                    leave_error(here, reason)
                elif name in ("post-commit", "post-merge", "post-rewrite"):
                    note_failure(here, name, reason)

        worker = threading.Thread(target=trace, daemon=True, name="genguard-give-up")
        worker.start()
        worker.join(GIVE_UP_SECONDS)

    def expire() -> None:
        what = "refusing the commit" if failure else "letting git go ahead"
        _warn(
            err,
            f"the {name} hook did not finish within {timeout:g} s and was stopped; {what}"
            " ([hooks] timeout / fail_mode); the commit's note says so",
        )
        give_up(f"timeout after {timeout:g} s")
        exit(failure)

    watchdog: _Deadline | None = None
    try:
        if name not in _HANDLERS:
            _warn(err, f"unknown hook {name!r} (known: {', '.join(sorted(_HANDLERS))})")
            return 0
        # post-rewrite reads its pairs before the clock starts: git is waiting on us anyway
        source = stdin or sys.stdin
        data = "" if name != "post-rewrite" or _is_tty(source) else source.read()
        watchdog = _Deadline(timeout, expire)  # bounds reading the configuration too
        from genguard.hooks.context import HookContext

        ctx = HookContext.discover(cwd or Path.cwd())
        if name == "pre-commit":  # once per commit (post-commit when the gate ran in sh)
            ctx.warn_config(err)
        hooks = ctx.settings.hooks
        failure = 1 if hooks.fail_closed and name in BLOCKING else 0
        timeout = hooks.timeout + (PER_REWRITE * data.count("\n"))
        watchdog.limit(timeout)
        handler = _handler(name)
        if not gc.isenabled():  # the shim imports with the cyclic collector off: on now
            gc.freeze()  # (what the imports made lives until exit)
            gc.enable()
        if name == "post-rewrite":
            code = handler(ctx, list(args), data, err)
        else:
            code = handler(ctx, list(args))
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
        give_up(f"internal error: {detail}")
        return failure
    finally:
        if watchdog is not None:
            watchdog.stop()
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
