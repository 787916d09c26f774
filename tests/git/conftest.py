"""Fixtures for the git hook tests: real repositories, real hooks, real `git commit`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest
from tests.conftest import git

from genguard.agents.record import Recorder
from genguard.cache.conclusions import _code_signature
from genguard.gitio.notes import read_note, read_note_text
from genguard.gitio.run import Git, repo_paths
from genguard.hooks.install import install_hooks
from genguard.notes.format import Note


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One user cache dir for the session: the hooks' rule cache is shared like a user's."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def isolated_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shared_cache: Path) -> None:
    """Keep the developer's git config and any enclosing repository out of the tests."""
    config = tmp_path / "gitconfig"
    config.write_text("[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.resolve()))
    monkeypatch.setenv("XDG_CACHE_HOME", str(shared_cache))
    # how long a hook may take is the user's setting, never the repository's
    user = tmp_path / "user-config.toml"
    user.write_text(HOOK_CONFIG)
    monkeypatch.setenv("GENGUARD_USER_CONFIG", str(user))
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_INDEX_FILE", "GIT_EDITOR"):
        monkeypatch.delenv(name, raising=False)


#: The user's configuration in every hook test: a generous timeout, since the suite
#: may share the machine with other work.
HOOK_CONFIG = "[hooks]\ntimeout = 60\n"
#: Tests about the gate's findings turn the rule packs on; the others leave them off,
#: which spares each commit compiling tree-sitter queries.
NO_PACKS = "[rules]\npacks = []\n"
WITH_PACKS = '[rules]\npacks = ["security"]\n'


def genguard(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The installed CLI, run as a user would, in ``cwd``."""
    return subprocess.run(
        [sys.executable, "-m", "genguard", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=300,
    )


def configure(repo: Path, text: str) -> None:
    """Replace the repository's .genguard.toml."""
    (repo / ".genguard.toml").write_text(text)


def configure_user(text: str) -> None:
    """Replace the user's configuration (``[hooks]`` settings live there)."""
    Path(os.environ["GENGUARD_USER_CONFIG"]).write_text(text)


@pytest.fixture
def hooked(repo: Path) -> Path:
    """A repository with one commit (made before the hooks) and genguard's hooks."""
    (repo / "README.md").write_text("# demo\n")
    configure(repo, NO_PACKS)
    git(repo, "add", "README.md", ".genguard.toml")
    git(repo, "commit", "-qm", "initial")
    report = install_hooks(Git(repo))
    assert report.ok, report.problems
    return repo


def run_git(
    repo: Path, *args: str, env: Mapping[str, str] | None = None, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    """git with its hooks; never raises (tests look at returncode and stderr)."""
    full = {**os.environ, **(env or {})}
    return subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, env=full, input=input
    )


def commit(repo: Path, *args: str, env: Mapping[str, str] | None = None) -> str:
    """`git commit args` through the hooks; returns stderr, asserts success."""
    proc = run_git(repo, "commit", *args, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stderr


def ai_write(
    repo: Path, path: str, text: str, tool: str = "claude-code", model: str | None = "opus-4"
) -> list[str]:
    """Write ``text`` to ``path`` as an agent would and record the checkpoint; stages it."""
    target = repo / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)
    # judged by the code as it is now, as a `genguard record` process judges it: this
    # process keeps the judging code's signature from its first use, and a checkout
    # during the suite (main moving under a run) would key the conclusion by code
    # the gate's own process no longer sees
    _code_signature.cache_clear()
    g = Git(repo)
    result = Recorder(g, repo_paths(g), actor="dev@example.com").record(
        {path: None}, tool=tool, model=model
    )
    git(repo, "add", path)
    return result.chunk_ids


def human_write(repo: Path, path: str, text: str) -> None:
    (repo / path).parent.mkdir(parents=True, exist_ok=True)
    (repo / path).write_text(text)
    git(repo, "add", path)


def note_of(repo: Path, rev: str = "HEAD") -> Note:
    sha = git(repo, "rev-parse", rev).strip()
    note = read_note(repo, sha)
    assert note is not None, f"no note on {rev}"
    return note


def note_objects(repo: Path, rev: str = "HEAD") -> list[dict]:
    sha = git(repo, "rev-parse", rev).strip()
    text = read_note_text(repo, sha) or ""
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def message(repo: Path, rev: str = "HEAD") -> str:
    return git(repo, "log", "-1", "--format=%B", rev).rstrip()


def ledger_events(repo: Path) -> list[dict]:
    path = repo / ".git" / "genguard" / "ledger.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def ai_lines(note: Note, path: str) -> list[int]:
    entry = note.files[path]
    return [n for r in entry.ranges for n in range(r.start, r.end + 1)]
