"""The gate's verdict without the gate, for a commit that cannot hold AI lines.

Most commits touch no file with a live AI chunk, and for them the gate decides
nothing: no lines to attribute, no rules to run. Reaching that answer through
the full gate still costs the configuration parser, the ledger replay and their
imports. So the full gate leaves a small record, ``gate-cache.json`` in the state
dir: the files that have live chunks, keyed by the identity (size, mtime, inode)
of the ledger and of the configuration files and by genguard's version, and what
the configuration said about the hooks. While all of that still holds, no merge,
squash, amend or sequencer operation is under way and no staged path (old or new
name) has a live chunk, this module records the same ``pass`` verdict the gate
would, importing nothing but the standard library's basics.

Anything it cannot vouch for (no record, a changed ledger or configuration, a
configuration with errors, a staged file with a chunk, a linked worktree, no
``git`` process to be found) goes to the full gate.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

CACHE_FILE = "gate-cache.json"
#: ``genguard.ledger.store.LEDGER_FILENAME``, without importing the ledger.
LEDGER = "ledger.jsonl"
VERSION = 2
#: Files the configuration is read from (see :func:`genguard.config.load_settings`).
CONFIG_FILES = (".genguard.toml", "pyproject.toml")
#: In-progress operations the full gate handles itself.
_BUSY = (
    "MERGE_HEAD",
    "SQUASH_MSG",
    "CHERRY_PICK_HEAD",
    "REVERT_HEAD",
    "rebase-merge",
    "rebase-apply",
)


def identity(path: Path) -> list[int] | None:
    """What changes when a file is rewritten, appended to or replaced."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def config_identity(root: Path) -> dict[str, list[int] | None]:
    return {name: identity(root / name) for name in CONFIG_FILES}


def _version() -> str:
    import genguard

    return genguard.__version__


def record(
    state_dir: Path,
    *,
    ledger: list[int] | None,
    config: Mapping[str, list[int] | None],
    live: Iterable[str],
    timeout: float,
    standby: bool,
    config_errors: bool,
) -> None:
    """Remember what the full gate found (rewritten only when it changed).

    ``ledger`` and ``config`` must be the identities taken *before* reading them,
    so a change made while the gate ran makes the record stale, never wrong.
    """
    data = {
        "v": VERSION,
        "genguard": _version(),
        "ledger": ledger,
        "config": dict(config),
        "live": sorted(set(live)),
        "timeout": timeout,
        "standby": standby,
        "config_errors": config_errors,
    }
    text = json.dumps(data, sort_keys=True)
    path = state_dir / CACHE_FILE
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except OSError:
        pass
    from genguard.fileio import write_atomic

    with contextlib.suppress(OSError):  # only a shortcut is lost
        write_atomic(path, text)


def advance(
    state_dir: Path,
    event: str,
    appended: Mapping[str, Any],
    before: list[int] | None,
    after: list[int] | None,
) -> None:
    """Keep the record current across a hook's own ledger append.

    Every commit appends ``commit.noted``; without this the record would be stale
    at every next commit. An event that cannot change which files have live chunks
    (anything but ``chunk.*``) moves the record's ledger identity from ``before`` to
    ``after``, but only when the ledger grew by exactly that one line: an append by
    anyone else in between leaves the record stale, for the full gate to redo.
    """
    if event.startswith("chunk.") or after is None:
        return
    path = state_dir / CACHE_FILE
    try:
        cached = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if not isinstance(cached, dict) or cached.get("ledger") != before:
        return
    from genguard.ledger.records import encode_line

    grown = after[0] - (before[0] if before is not None else 0)  # None: created by this append
    if grown != len(encode_line(appended)):
        return
    cached["ledger"] = after
    from genguard.fileio import write_atomic

    with contextlib.suppress(OSError):
        write_atomic(path, json.dumps(cached, sort_keys=True))


def _git(cwd: Path, *args: str) -> bytes | None:
    """Keep git's hook environment: under ``commit -a`` or ``commit -- PATH`` the
    index is ``GIT_INDEX_FILE``. None on any failure."""
    from genguard.gitio.run import GitError, run_git

    try:
        proc = run_git(cwd, *args, hook_env=True, check=False, timeout=30)
    except GitError:
        return None
    return proc.stdout if proc.returncode == 0 else None


def try_pass(cwd: Path) -> tuple[str, Path, Mapping[str, Any]] | None:
    """Record a ``pass`` verdict when the commit cannot hold AI lines.

    Returns (the staged tree, the state dir, the cached record) when it did, None
    when the full gate must decide.
    """
    from genguard.gitio.repo import main_worktree_git_dir

    git_dir = main_worktree_git_dir(cwd)
    if git_dir is None or any((git_dir / name).exists() for name in _BUSY):
        return None
    state_dir = git_dir / "genguard"
    try:
        cached = json.loads((state_dir / CACHE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if (
        not isinstance(cached, dict)
        or cached.get("v") != VERSION
        or cached.get("config_errors") is not False
        or cached.get("genguard") != _version()
        or cached.get("ledger") != identity(state_dir / LEDGER)
        or cached.get("config") != config_identity(cwd)
    ):
        return None
    from genguard.gitio.process import git_process

    proc = git_process()
    if proc is None or proc.amending:
        return None
    live = set(cached.get("live") or ())
    if live:
        # every path the commit touches, renames as their old and new names
        out = _git(cwd, "diff", "--cached", "--name-only", "--no-renames", "-z")
        if out is None:
            return None
        staged = {p.decode("utf-8", "surrogateescape") for p in out.split(b"\0") if p}
        if staged & live:
            return None
    out = _git(cwd, "write-tree")
    if out is None:
        return None
    tree = out.decode().strip()
    from genguard.hooks import pending

    pending.save(
        state_dir,
        tree,
        {
            "git_pid": proc.pid,
            "amend": False,
            "verdict": "pass",
            "findings": [],
            "tools": [],
            "ai_lines": 0,
            "policy_hash": None,
            "squash_sources": [],
        },
    )
    pending.set_no_trailer_hint(state_dir, proc.pid, True)
    return tree, state_dir, cached
