"""Small read-only questions to the real ``git`` binary.

Every helper answers ``None`` instead of raising when the path is not inside a
repository, git is not installed, or git does not answer in time: callers (the
language server in particular) must keep working without git.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

#: Seconds before a git call is abandoned; a hung git must not stall the editor.
GIT_TIMEOUT = 5.0

# Only positive answers are memoized: a directory can become a repository later
# (``git init``), but a repository's top level and common dir do not move while
# the process runs.
_root_cache: dict[Path, Path] = {}
_common_cache: dict[Path, Path] = {}


def main_worktree_git_dir(top: Path) -> Path | None:
    """``top/.git`` when ``top`` is a main worktree's top directory and nothing in
    the environment redirects git: what ``git rev-parse`` would say, without asking
    it (a hook runs there, and a git call costs it milliseconds)."""
    if any(os.environ.get(v) for v in ("GIT_DIR", "GIT_COMMON_DIR", "GIT_WORK_TREE")):
        return None
    git_dir = top / ".git"
    if not git_dir.is_dir() or (git_dir / "commondir").exists():
        return None  # a linked worktree's .git is a file; its git dir has ``commondir``
    return git_dir


def _workdir(path: Path | str) -> Path | None:
    """The nearest existing directory at or above ``path`` (git needs a real cwd)."""
    p = Path(path).expanduser().absolute()
    while True:
        if p.is_dir():
            return p
        if p.parent == p:
            return None
        p = p.parent


def _git(cwd: Path, *args: str) -> str | None:
    """Run ``git args`` in ``cwd`` (hook environment cleared: the question is about
    ``cwd``); stripped stdout, or None on any failure."""
    from genguard.gitio.run import GitError, run_git  # hooks import this module early: stay light

    try:
        proc = run_git(cwd, *args, hook_env=False, timeout=GIT_TIMEOUT)
    except GitError:
        return None
    out = proc.stdout.decode("utf-8", errors="surrogateescape").strip()
    return out or None


def refusal(path: Path | str) -> str | None:
    """Why git refuses the repository at ``path`` ("dubious ownership"), in words
    for the user; None when it does not (a plain folder is not a refusal)."""
    from genguard.gitio.run import GitError, run_git

    cwd = _workdir(path)
    if cwd is None:
        return None
    try:
        run_git(cwd, "rev-parse", "--git-dir", hook_env=False, timeout=GIT_TIMEOUT)
    except GitError as exc:
        return str(exc) if exc.kind == "dubious-ownership" else None
    return None


def repo_root(path: Path | str) -> Path | None:
    """Top level of the working tree containing ``path``."""
    cwd = _workdir(path)
    if cwd is None:
        return None
    cached = _root_cache.get(cwd)
    if cached is not None:
        return cached
    out = _git(cwd, "rev-parse", "--show-toplevel")
    if out is None:
        return None
    root = Path(out).resolve()
    _root_cache[cwd] = root
    return root


def git_common_dir(path: Path | str) -> Path | None:
    """Absolute git directory shared by all worktrees of the repository at ``path``.

    A linked worktree has its own ``.git`` file but shares this directory with
    the main checkout, so data kept here is seen from every worktree.
    """
    cwd = _workdir(path)
    if cwd is None:
        return None
    cached = _common_cache.get(cwd)
    if cached is not None:
        return cached
    out = _git(cwd, "rev-parse", "--git-common-dir")
    if out is None:
        return None
    common = Path(out)
    if not common.is_absolute():  # git answers relative to the cwd
        common = cwd / common
    common = common.resolve()
    if not common.is_dir():
        return None
    _common_cache[cwd] = common
    return common


def user_email(path: Path | str) -> str | None:
    """``git config user.email`` as seen from ``path`` (repository, then global config)."""
    cwd = _workdir(path)
    if cwd is None:
        return None
    return _git(cwd, "config", "user.email")


#: Multi-step operations by the state file git keeps for them in a worktree's git dir.
OPERATIONS: tuple[tuple[str, str], ...] = (
    ("rebase-merge", "rebase"),
    ("rebase-apply", "rebase"),
    ("CHERRY_PICK_HEAD", "cherry-pick"),
    ("REVERT_HEAD", "revert"),
    ("MERGE_HEAD", "merge"),
)


def operation(git_dir: Path) -> str | None:
    """The multi-step operation in progress in the worktree of ``git_dir``, if any."""
    return next((op for name, op in OPERATIONS if (git_dir / name).exists()), None)


_SQUASHED = re.compile(r"^commit ([0-9a-f]{40,64})$", re.MULTILINE)


def squash_sources(git_dir: Path) -> list[str]:
    """Commits a pending ``git merge --squash`` brings in (listed in SQUASH_MSG)."""
    try:
        text = (git_dir / "SQUASH_MSG").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    return list(dict.fromkeys(_SQUASHED.findall(text)))


def merge_heads(git_dir: Path) -> list[str]:
    """The commits a conflicted ``git merge`` is merging (MERGE_HEAD)."""
    try:
        return (git_dir / "MERGE_HEAD").read_text(encoding="utf-8").split()
    except OSError:
        return []


_SHA = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")


def rebase_folds(git_dir: Path) -> list[str]:
    """The original commits a ``rebase -i`` fixup/squash chain folds into the commit
    being made: the picked commit and earlier fixups (``rewritten-pending``) and the
    fixups and squashes so far (``current-fixups``); empty for any other commit."""
    state = git_dir / "rebase-merge"
    try:
        fixups = (state / "current-fixups").read_text(encoding="utf-8")
    except OSError:
        return []
    folded = [w for line in fixups.splitlines() for w in line.split()[-1:] if _SHA.fullmatch(w)]
    if not folded:
        return []
    try:
        pending = (state / "rewritten-pending").read_text(encoding="utf-8").split()
    except OSError:
        pending = []
    return list(dict.fromkeys([*(c for c in pending if _SHA.fullmatch(c)), *folded]))


def head_commit(path: Path | str) -> str | None:
    """Full hash of ``HEAD``; None in a repository without commits."""
    cwd = _workdir(path)
    if cwd is None:
        return None
    return _git(cwd, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")


def clear_cache() -> None:
    """Forget memoized answers (for long-lived processes whose repositories move)."""
    _root_cache.clear()
    _common_cache.clear()
