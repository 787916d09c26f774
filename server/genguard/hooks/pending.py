"""The gate's verdict, handed from ``pre-commit`` to the hooks that run after it.

``pre-commit`` stores what it decided (findings and how each was handled, the AI
tools, the policy hash) under the id of the tree being committed, together with
the pid of the ``git`` process that ran it. ``post-commit`` takes the entry for
the committed tree: no entry from the same ``git commit`` means the gate did not
run, which is how ``--no-verify`` is detected. Entries expire, and the file is
small and rewritten atomically under a lock, so worktrees committing at the
same time do not lose each other's entries.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from genguard.fileio import write_atomic

try:
    import fcntl
except ImportError:  # Windows: no lock; a lost entry reads as a bypass, never the reverse
    fcntl = None  # type: ignore[assignment]

PENDING_FILE = "pending-commit.json"
#: Seconds an entry stays valid: long enough for a commit message written in an editor.
TTL = 24 * 3600.0
MAX_ENTRIES = 64


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    if fcntl is None:
        yield
        return
    fd = os.open(path.with_suffix(".lock"), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _read(path: Path) -> dict[str, dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    entries = data.get("entries") if isinstance(data, dict) else None
    return {k: v for k, v in (entries or {}).items() if isinstance(v, dict)}


def _write(path: Path, entries: dict[str, dict[str, Any]]) -> None:
    now = time.time()
    fresh = {k: v for k, v in entries.items() if now - float(v.get("time", 0)) < TTL}
    newest = sorted(fresh.items(), key=lambda kv: kv[1].get("time", 0))[-MAX_ENTRIES:]
    write_atomic(path, json.dumps({"v": 1, "entries": dict(newest)}, sort_keys=True))


def save(state_dir: Path, tree: str, entry: dict[str, Any]) -> None:
    """Store ``entry`` as the verdict for ``tree`` (replacing an older one)."""
    path = state_dir / PENDING_FILE
    with _locked(path):
        entries = _read(path)
        entries[tree] = {**entry, "tree": tree, "time": time.time()}
        _write(path, entries)


def take(state_dir: Path, tree: str) -> dict[str, Any] | None:
    """Remove and return the entry for ``tree``, if there is one."""
    path = state_dir / PENDING_FILE
    if not path.exists():
        return None
    with _locked(path):
        entries = _read(path)
        entry = entries.pop(tree, None)
        if entry is not None:
            _write(path, entries)
    if entry is None or time.time() - float(entry.get("time", 0)) >= TTL:
        return None
    return entry


NO_TRAILER_HINT = "no-trailers.{pid}"


def set_no_trailer_hint(state_dir: Path, git_pid: int, no_trailers: bool) -> None:
    """Leave (or clear) a file telling the prepare-commit-msg shim of this ``git commit``
    that it has nothing to add, so it can skip starting Python."""
    path = state_dir / NO_TRAILER_HINT.format(pid=git_pid)
    if no_trailers:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"")
    else:
        path.unlink(missing_ok=True)


def find_by_pid(state_dir: Path, git_pid: int) -> dict[str, Any] | None:
    """The newest valid entry written from the ``git`` process ``git_pid``."""
    path = state_dir / PENDING_FILE
    if not path.exists():
        return None
    now = time.time()
    found = [
        e
        for e in _read(path).values()
        if e.get("git_pid") == git_pid and now - float(e.get("time", 0)) < TTL
    ]
    return max(found, key=lambda e: e.get("time", 0)) if found else None
