"""Fixtures for the compliance features: real git repositories, real hooks, real notes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from tests.conftest import git
from tests.git.conftest import ai_write, human_write  # noqa: F401  (shared helpers)

from genguard.cli import main as cli_main
from genguard.ledger.store import Ledger, ledger_path

COMMANDS = ("controls", "gate", "sbom", "export")


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One user cache dir for the session, like a user's (the hooks cache their rules)."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shared_cache: Path) -> None:
    """Keep the developer's git config, caches and any enclosing repository out."""
    config = tmp_path / "gitconfig"
    config.write_text("[init]\n\tdefaultBranch = main\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.resolve()))
    monkeypatch.setenv("XDG_CACHE_HOME", str(shared_cache))
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)
    # only the commands under test are wired, so a sibling command in progress cannot break them
    monkeypatch.setattr(cli_main, "COMMANDS", COMMANDS)


def cli(*argv: str) -> int:
    return cli_main.main(list(argv))


def configure(repo: Path, text: str) -> None:
    (repo / ".genguard.toml").write_text("[hooks]\ntimeout = 60\n" + text)


def initial_commit(repo: Path, config: str = '[rules]\npacks = ["security"]\n') -> str:
    configure(repo, config)
    (repo / "README.md").write_text("# demo\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "initial")
    return git(repo, "rev-parse", "HEAD").strip()


def review(repo: Path, chunk: str, file: str, reviewer: str = "lead@example.com") -> None:
    """What the editor records when a person marks a chunk reviewed."""
    Ledger(ledger_path(repo), actor=reviewer).append(
        "chunk.reviewed", {"chunk": chunk, "file": file, "status": "reviewed", "reviewer": reviewer}
    )


def git_commit(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "commit", *args], cwd=repo, capture_output=True, text=True, check=False
    )
