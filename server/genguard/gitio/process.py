"""Which ``git`` process started this hook, and with what arguments.

Two questions a hook cannot answer from its own arguments: is this commit an
``--amend`` (``prepare-commit-msg`` gets ``message`` for ``--amend -m``), and did
``pre-commit`` run inside the same ``git commit`` as ``post-commit`` (it does not
under ``--no-verify``)? The nearest ancestor process named ``git`` answers both.
Linux exposes it in ``/proc``; elsewhere the answer is None and callers fall back
to weaker evidence.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

_PROC = Path("/proc")
_MAX_DEPTH = 6


class GitProcess(NamedTuple):
    pid: int
    argv: tuple[str, ...]

    @property
    def amending(self) -> bool:
        return "--amend" in self.argv


def _parent(pid: int) -> int | None:
    try:
        stat = (_PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # "pid (comm) state ppid ..." — comm may hold spaces and parentheses
    fields = stat[stat.rfind(")") + 2 :].split()
    return int(fields[1]) if len(fields) > 1 and fields[1].isdigit() else None


def _comm(pid: int) -> str | None:
    try:
        return (_PROC / str(pid) / "comm").read_text().strip()
    except OSError:
        return None


def git_process() -> GitProcess | None:
    """The nearest ``git`` ancestor of this process, or None when it cannot be told."""
    pid: int | None = os.getppid()
    for _ in range(_MAX_DEPTH):
        if pid is None or pid <= 1:
            return None
        if _comm(pid) == "git":
            try:
                raw = (_PROC / str(pid) / "cmdline").read_bytes()
            except OSError:
                return None
            argv = tuple(a.decode("utf-8", "surrogateescape") for a in raw.split(b"\0") if a)
            return GitProcess(pid, argv)
        pid = _parent(pid)
    return None
