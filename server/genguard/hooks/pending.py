"""The gate's verdict, handed from ``pre-commit`` to the hooks that run after it.

``pre-commit`` leaves one small file per tree being committed,
``<git-common-dir>/genguard/verdicts/<tree>``: what it decided (findings and how
each was handled, the AI tools, the policy hash) and the pid of the ``git``
process that ran it. When the commit cannot hold AI lines the pre-commit shim
writes that file itself (``{"verdict": "pass", "quick": true}``) without starting
Python. ``post-commit`` takes the file for the committed tree: no verdict from the
same ``git commit`` means the gate did not run, which is how ``--no-verify`` is
detected. One file per tree needs no lock; files older than a day are swept.
Nothing here follows a symbolic link.

The file is one JSON object whose first line holds what the ``prepare-commit-msg``
shim reads (:data:`HEAD`: the git pid, the trailers, the verdict, in that order);
the rest (files, findings) follows on a second line. ``sh`` reads a line a byte at a
time and matches patterns on it in quadratic time, so the shim must never be handed
the whole verdict of a large commit.
"""

from __future__ import annotations

import json
import os
import re
from contextlib import suppress
from pathlib import Path
from typing import Any

from genguard.fileio import read_fresh, write_private
from genguard.fileio import sweep as sweep_stale

VERDICTS = "verdicts"
#: Seconds a verdict stays valid: long enough for a commit message written in an editor.
TTL = 24 * 3600.0
_TREE = re.compile(r"[0-9a-f]{40,64}")
#: The keys on the verdict's first line, in the order the shim's pattern names them.
HEAD = ("git_pid", "trailers", "verdict")


def _path(state_dir: Path, tree: str) -> Path | None:
    return state_dir / VERDICTS / tree if _TREE.fullmatch(tree) else None


def _read(path: Path) -> tuple[dict[str, Any], float] | None:
    """The entry at ``path`` and its age in seconds (None: missing, not ours, stale)."""
    found = read_fresh(path, TTL, limit=1 << 20)
    try:
        entry = json.loads(found[0]) if found is not None else None
    except ValueError:
        return None
    return (entry, found[1]) if isinstance(entry, dict) and found is not None else None


def encode(entry: dict[str, Any]) -> str:
    """``entry`` as JSON, the :data:`HEAD` keys alone on its first line."""
    head = json.dumps({k: entry[k] for k in HEAD if k in entry})
    rest = json.dumps({k: v for k, v in entry.items() if k not in HEAD}, sort_keys=True)
    if head == "{}" or rest == "{}":
        return head if rest == "{}" else rest
    return f"{head[:-1]},\n {rest[1:]}"


def save(state_dir: Path, tree: str, entry: dict[str, Any]) -> None:
    """Store ``entry`` as the verdict for ``tree`` (replacing an older one)."""
    path = _path(state_dir, tree)
    if path is not None:
        write_private(path, encode({**entry, "tree": tree}))


def take(state_dir: Path, tree: str) -> dict[str, Any] | None:
    """Remove and return the verdict for ``tree``, if there is a fresh one."""
    path = _path(state_dir, tree)
    if path is None:
        return None
    found = _read(path)
    with suppress(OSError):
        path.unlink()
    return found[0] if found is not None else None


def find_by_pid(state_dir: Path, git_pid: int) -> dict[str, Any] | None:
    """The newest valid verdict written from the ``git`` process ``git_pid``."""
    directory = state_dir / VERDICTS
    try:
        names = [] if directory.is_symlink() else os.listdir(directory)
    except OSError:
        names = []
    found = [_read(directory / n) for n in names if _TREE.fullmatch(n)]
    mine = [f for f in found if f is not None and f[0].get("git_pid") == git_pid]
    return min(mine, key=lambda f: f[1])[0] if mine else None


def sweep(state_dir: Path) -> None:
    """Remove verdicts no commit took (refused or abandoned commits), once stale: only
    names that look like trees (a link itself, never what it points to)."""
    sweep_stale(state_dir / VERDICTS, TTL, keep=lambda name: not _TREE.fullmatch(name))
