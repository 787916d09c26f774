"""The first thing a hook process runs: fork the standby before importing anything.

The standby (:mod:`.standby`) has to import most of genguard before it can serve
``post-commit``, and that request comes only a few tens of milliseconds after
``pre-commit`` starts. Every millisecond it starts earlier is one less that git
waits, so ``pre-commit`` forks it here, with nothing but ``os`` and ``sys``
loaded, and only then imports the hook runner. The shim passes git's pid
(``GENGUARD_GIT_PID``, its ``$PPID``); the gate checks it against the process
tree where it can before it publishes the standby.
"""

from __future__ import annotations

import contextlib
import os
import sys

#: (standby pid, git pid, verdict pipe) of a standby forked here, for the runner.
forked: tuple[int, int, int] | None = None


def _fork_standby() -> None:
    global forked
    try:
        git_pid = int(os.environ.get("GENGUARD_GIT_PID", ""))
    except ValueError:
        return
    if (
        git_pid <= 1
        or os.environ.get("GENGUARD_SHIM") != "3"  # genguard.hooks.standby.PROTOCOL
        or os.environ.get("GENGUARD_STANDBY", "1") == "0"
        or not hasattr(os, "fork")
        or not hasattr(os, "mkfifo")
    ):
        return
    verdict_r, verdict_w = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        os.close(verdict_w)
        from pathlib import Path

        from genguard.hooks.standby import run_child

        run_child(Path.cwd(), git_pid, verdict_r)  # never returns
    os.close(verdict_r)
    forked = (pid, git_pid, verdict_w)


def main() -> None:
    if sys.argv[1:2] == ["pre-commit"]:
        with contextlib.suppress(OSError):  # no standby: only time is lost
            _fork_standby()
    from genguard.hooks.runner import shim_main

    shim_main()
