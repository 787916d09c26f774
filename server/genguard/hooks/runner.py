"""Run one hook, bounded in time, failing open unless configured otherwise.

A hook must never hang git nor lose a commit over genguard's own problems: a
watchdog stops the hook after ``[hooks] timeout`` seconds, and an internal error
is reported on stderr and lets git go ahead (exit 0) unless ``[hooks]
fail_mode = "closed"``. The gate's own decision (exit 1 for findings in AI code)
is not an error and is always respected.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from genguard.hooks.context import HookContext
    from genguard.hooks.standby import Handoff, Prefork

#: Hooks that can stop git; after-the-fact hooks always exit 0.
BLOCKING = frozenset({"pre-commit", "prepare-commit-msg", "commit-msg"})
#: Extra seconds post-rewrite may take per rewritten commit (a long rebase).
PER_REWRITE = 0.25
DEFAULT_TIMEOUT = 5.0


_HANDLERS = {
    "pre-commit": ("genguard.hooks.gate", "run"),
    "prepare-commit-msg": ("genguard.hooks.trailers", "run"),
    "commit-msg": ("genguard.hooks.trailers", "guard"),
    "post-commit": ("genguard.hooks.postcommit", "run"),
    "post-merge": ("genguard.hooks.postcommit", "run_post_merge"),
    "post-rewrite": ("genguard.hooks.rewrite", "run"),
}


def _handler(name: str):
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


class _Watchdog(threading.Thread):
    """Calls ``expire`` once the deadline passes, unless stopped first; the deadline
    can move (it is set from the configuration once that is read)."""

    def __init__(self, seconds: float, expire: Callable[[], None]) -> None:
        super().__init__(daemon=True, name="genguard-hook-watchdog")
        self.started_at = time.monotonic()
        self.deadline = self.started_at + seconds
        self.expire = expire
        self.wake = threading.Event()
        self.stopped = False

    def run(self) -> None:
        while True:
            self.wake.wait(max(0.0, self.deadline - time.monotonic()))
            self.wake.clear()
            if self.stopped:
                return
            if time.monotonic() >= self.deadline:
                self.expire()
                return

    def limit(self, seconds: float) -> None:
        """The hook may take ``seconds`` in all, counted from its start."""
        self.deadline = self.started_at + seconds
        self.wake.set()

    def stop(self) -> None:
        self.stopped = True
        self.wake.set()


def run_hook(
    name: str,
    args: Sequence[str],
    *,
    cwd: Path | None = None,
    stdin: TextIO | None = None,
    err: TextIO | None = None,
    exit: Callable[[int], None] = os._exit,
    standby: bool = False,
    context: Callable[[Path], HookContext] | None = None,
) -> int:
    """Run hook ``name`` with git's ``args``; returns the exit status for git.

    ``exit`` ends the process when the hook overruns its time. With ``standby``, a
    pre-commit that lets the commit through leaves a :mod:`.standby` process for
    the hooks that follow; ``context`` is how that process hands them what it
    already knows about the repository.
    """
    started = time.perf_counter()
    err = err or sys.stderr
    failure = 0
    timeout = DEFAULT_TIMEOUT
    ctx = None

    def expire() -> None:
        what = "refusing the commit" if failure else "letting git go ahead"
        _warn(
            err,
            f"the {name} hook did not finish within {timeout:g} s and was stopped; {what}"
            " ([hooks] timeout / fail_mode)",
        )
        abort = ctx.on_abort if ctx is not None else None
        if abort is not None:
            with suppress(Exception):
                abort(f"timeout after {timeout:g} s")
        exit(failure)

    watchdog: _Watchdog | None = None
    waiting: Prefork | None = None  # a standby waiting for this pre-commit's verdict
    handoff: Handoff | None = None  # set when it may serve the hooks that follow
    quick = False
    try:
        if name not in _HANDLERS:
            _warn(err, f"unknown hook {name!r} (known: {', '.join(sorted(_HANDLERS))})")
            return 0
        # post-rewrite reads its pairs before the clock starts: git is waiting on us anyway
        source = stdin or sys.stdin
        data = "" if name != "post-rewrite" or _is_tty(source) else source.read()
        if standby and name == "pre-commit":  # before any other thread exists
            waiting = _prefork()
        watchdog = _Watchdog(timeout, expire)  # bounds reading the configuration too
        watchdog.start()
        if name == "pre-commit" and os.environ.get("GENGUARD_QUICK_GATE", "1") != "0":
            passed = _quick_pass(cwd or Path.cwd())
            if passed is not None:  # nothing to check: the same verdict, recorded
                tree, state_dir, cached = passed
                quick = True
                if waiting is not None and cached.get("standby") is True:
                    seconds = float(cached.get("timeout") or DEFAULT_TIMEOUT)
                    handoff = _handoff(state_dir, tree, seconds)
                return 0
        if context is None:
            from genguard.hooks.context import HookContext

            context = HookContext.discover
        ctx = context(cwd or Path.cwd())
        if name == "pre-commit":  # once per commit: a broken setting must not go unnoticed
            for problem in ctx.problems:
                if problem.severity == "error":
                    _warn(err, f"configuration: {problem}")
        hooks = ctx.settings.hooks
        failure = 1 if hooks.fail_closed and name in BLOCKING else 0
        timeout = hooks.timeout + (PER_REWRITE * data.count("\n"))
        watchdog.limit(timeout)
        handler = _handler(name)
        if name == "post-rewrite":
            code = handler(ctx, list(args), data, err)
        else:
            code = handler(ctx, list(args))
        code = int(code or 0) if name in BLOCKING else 0
        if waiting is not None and code == 0 and hooks.standby:
            handoff = _handoff(ctx.state_dir, ctx.staged_tree, hooks.timeout)
        return code
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        import traceback

        what = 'refusing the commit ([hooks] fail_mode = "closed")' if failure else "git goes ahead"
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        _warn(err, f"internal error in the {name} hook, {what}: {detail}")
        if os.environ.get("GENGUARD_DEBUG"):
            traceback.print_exc(file=err)
        return failure
    finally:
        if watchdog is not None:
            watchdog.stop()
        if os.environ.get("GENGUARD_HOOK_TIMING"):
            elapsed = (time.perf_counter() - started) * 1000
            where = " (standby)" if exit is not os._exit else " (quick gate)" if quick else ""
            _warn(err, f"{name} took {elapsed:.0f} ms in Python{where}")
        if waiting is not None:
            waiting.release(handoff)


def _handoff(state_dir: Path, tree: str | None, timeout: float) -> Handoff:
    from genguard.hooks.standby import Handoff

    return Handoff(state_dir, tree, timeout)


def _quick_pass(cwd: Path) -> tuple[str, Path, Mapping[str, Any]] | None:
    """What :mod:`.quickgate` returns when it could record the verdict; None sends the
    commit to the full gate (also when the quick gate itself fails)."""
    try:
        from genguard.hooks.quickgate import try_pass

        return try_pass(cwd)
    except Exception:
        return None


def _prefork() -> Prefork | None:
    """The handle on the standby :mod:`.boot` forked for this pre-commit, if any."""
    from genguard.hooks import boot

    if boot.forked is None:
        return None
    from genguard.hooks.standby import Prefork

    handle, boot.forked = Prefork(*boot.forked), None
    return handle


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:
        _warn(sys.stderr, "usage: python -m genguard.hooks HOOK [ARGS...]")
        return 2
    return run_hook(argv[0], argv[1:], standby=True)


def shim_main() -> None:
    """What the installed shims run: :func:`main`, then exit without the interpreter's
    teardown (nothing is left to clean up, and a hook's every millisecond is the user's)."""
    code = main()
    for stream in (sys.stdout, sys.stderr):
        with suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)
