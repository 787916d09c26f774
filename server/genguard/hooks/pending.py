"""The gate's verdict, handed from ``pre-commit`` to the hooks that run after it.

``pre-commit`` leaves one file per tree being committed,
``<git-common-dir>/genguard/verdicts/<tree>``: what a note will say
(:func:`.gate.judge`), the verdict, and the pid of the ``git`` process that ran it
(the pre-commit shim writes a no-AI commit's itself, ``"quick": true``).
``post-commit`` takes the file for the committed tree: none from the same ``git
commit`` means the gate did not run (``--no-verify``). One file per tree needs no
lock; stale ones are swept; nothing here follows a symbolic link. The first line
holds only what the ``prepare-commit-msg`` shim reads (:data:`HEAD`): ``sh`` reads
a line a byte at a time and matches on it in quadratic time.
"""

from __future__ import annotations

import json
import re
import time
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


def read(state_dir: Path, tree: str, take: bool = False) -> dict[str, Any] | None:
    """The verdict for ``tree``, None when there is no fresh one; ``take``: remove it.
    One that is there but cannot be read (not a JSON object, over 1 MiB, not a file) is
    an ``error`` verdict: the gate ran and what it decided is lost, not skipped."""
    path = _path(state_dir, tree)
    try:
        stale = path is None or time.time() - path.lstat().st_mtime >= TTL
    except FileNotFoundError:
        return None
    except OSError:
        stale = False
    found = None if stale else read_fresh(path, TTL, limit=1 << 20)  # type: ignore[arg-type]
    if take and path is not None:
        with suppress(OSError):
            path.unlink()
    try:
        entry = json.loads(found[0]) if found is not None else None
    except ValueError:
        entry = None
    if stale or isinstance(entry, dict):
        return None if stale else entry
    return {"verdict": "error", "error": "the gate's verdict could not be read"}


def sweep(state_dir: Path) -> None:
    """Remove verdicts no commit took (refused or abandoned commits), once stale: only
    names that look like trees (a link itself, never what it points to)."""
    sweep_stale(state_dir / VERDICTS, TTL, keep=lambda name: not _TREE.fullmatch(name))
