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
"""

from __future__ import annotations

import json
import os
import re
import stat
import time
from contextlib import suppress
from pathlib import Path
from typing import Any

from genguard.fileio import write_private

VERDICTS = "verdicts"
#: Seconds a verdict stays valid: long enough for a commit message written in an editor.
TTL = 24 * 3600.0
_TREE = re.compile(r"[0-9a-f]{40,64}")
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _path(state_dir: Path, tree: str) -> Path | None:
    return state_dir / VERDICTS / tree if _TREE.fullmatch(tree) else None


def _read(path: Path) -> tuple[dict[str, Any], float] | None:
    """The entry at ``path`` and its age in seconds (None: missing, not ours, stale)."""
    try:
        fd = os.open(path, os.O_RDONLY | _O_NOFOLLOW)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > 1 << 20:
            return None
        entry = json.loads(os.read(fd, st.st_size))
    except (OSError, ValueError):
        return None
    finally:
        os.close(fd)
    age = time.time() - st.st_mtime
    return (entry, age) if isinstance(entry, dict) and age < TTL else None


def save(state_dir: Path, tree: str, entry: dict[str, Any]) -> None:
    """Store ``entry`` as the verdict for ``tree`` (replacing an older one)."""
    path = _path(state_dir, tree)
    if path is not None:
        write_private(path, json.dumps({**entry, "tree": tree}, sort_keys=True))


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
    best: tuple[dict[str, Any], float] | None = None
    for path in _entries(state_dir):
        found = _read(path)
        mine = found is not None and found[0].get("git_pid") == git_pid
        if mine and (best is None or found[1] < best[1]):  # type: ignore[index]
            best = found
    return best[0] if best is not None else None


def _entries(state_dir: Path) -> list[Path]:
    directory = state_dir / VERDICTS
    if directory.is_symlink():
        return []
    try:
        return [Path(e.path) for e in os.scandir(directory) if _TREE.fullmatch(e.name)]
    except OSError:
        return []


def sweep(state_dir: Path) -> None:
    """Remove verdicts no commit took (refused or abandoned commits), once stale.

    Only names that look like trees, directly in the directory; removing a
    symbolic link removes the link, never what it points to.
    """
    now = time.time()
    for path in _entries(state_dir):
        with suppress(OSError):
            if now - path.lstat().st_mtime >= TTL:
                path.unlink()
