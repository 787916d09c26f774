"""State genguard keeps under ``.git/genguard/`` is private, and nothing is removed or
written through a symbolic link planted there (finding 8, and the low finding on
world-readable ledger and state files)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.conftest import git

from genguard.gitio.run import Git
from genguard.hooks import pending
from genguard.hooks.install import install_hooks

pytestmark = pytest.mark.usefixtures("isolated_git")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def _hooked(repo: Path) -> Path:
    (repo / "README.md").write_text("# demo\n")
    (repo / ".genguard.toml").write_text("[rules]\npacks = []\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "initial")
    assert install_hooks(Git(repo)).ok
    return repo


def _record(repo: Path, name: str, text: str) -> None:
    (repo / name).write_text(text)
    proc = subprocess.run(
        [sys.executable, "-m", "genguard", "record", "--tool", "agent", name],
        cwd=repo,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr


def _commit(repo: Path, message: str, *extra: str) -> None:
    git(repo, "add", "-A")
    proc = subprocess.run(
        ["git", "commit", "-qm", message, *extra], cwd=repo, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr


def test_state_files_are_0600_and_state_dirs_0700(repo: Path):
    """Even under a permissive umask: the ledger, its index and lock, live files,
    verdicts, agent snapshots and sessions are readable by their owner only."""
    old = os.umask(0o022)
    try:
        _hooked(repo)
        _record(repo, "a.py", "def f():\n    return 1\n")
        _commit(repo, "AI code")  # the gate runs in Python and leaves a verdict
        (repo / "b.txt").write_text("x\n")
        _commit(repo, "plain")  # the shim's own verdict, then post-commit takes it
    finally:
        os.umask(old)
    state = repo / ".git" / "genguard"
    assert _mode(state) == 0o700
    files = [p for p in state.rglob("*") if p.is_file()]
    names = {p.name for p in files}
    assert {"ledger.jsonl", "ledger.lock", "live-files"} <= names
    assert any(p.parent.name == "snapshots" for p in files)
    assert {p: oct(_mode(p)) for p in files if _mode(p) != 0o600} == {}
    dirs = [p for p in state.rglob("*") if p.is_dir()]
    assert {p: oct(_mode(p)) for p in dirs if _mode(p) != 0o700} == {}


def test_a_planted_link_in_the_verdicts_dir_deletes_nothing_it_points_to(
    repo: Path, tmp_path: Path
):
    _hooked(repo)
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "keep.txt").write_text("mine\n")
    verdicts = repo / ".git" / "genguard" / pending.VERDICTS
    verdicts.mkdir(parents=True)
    tree_name = "ab" * 20
    (verdicts / tree_name).symlink_to(precious / "keep.txt")
    (verdicts / ("cd" * 20)).symlink_to(precious)
    stale = time.time() - pending.TTL - 60
    for link in verdicts.iterdir():
        os.utime(link, (stale, stale), follow_symlinks=False)
    state = repo / ".git" / "genguard"
    assert pending.read(state, tree_name, take=True) is None  # never read through
    (repo / "c.txt").write_text("x\n")
    _commit(repo, "sweeps the verdicts")
    assert (precious / "keep.txt").read_text() == "mine\n"
    assert [p.name for p in verdicts.iterdir() if p.is_symlink()] == []  # links removed


def test_a_state_dir_that_is_a_link_is_refused_not_followed(repo: Path, tmp_path: Path):
    _hooked(repo)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    verdicts = repo / ".git" / "genguard" / pending.VERDICTS
    verdicts.parent.mkdir(parents=True, exist_ok=True)
    verdicts.symlink_to(elsewhere)
    with pytest.raises(OSError, match="symbolic link"):
        pending.save(repo / ".git" / "genguard", "ef" * 20, {"verdict": "pass"})
    (repo / "d.txt").write_text("x\n")
    _commit(repo, "the shim will not write through it either")
    assert list(elsewhere.iterdir()) == []
