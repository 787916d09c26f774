"""Fixtures for the compliance features: real git repositories, real hooks, real notes."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.conftest import git

# the git tests' environment (isolated git config, shared user cache) and helpers
from tests.git.conftest import ai_write, human_write, isolated_git, shared_cache  # noqa: F401

from genguard.cli import main as cli_main
from genguard.ledger.store import Ledger, ledger_path


def cli(*argv: str) -> int:
    return cli_main.main(list(argv))


def configure(repo: Path, text: str) -> None:
    (repo / ".genguard.toml").write_text(text)  # the hook timeout: the user's config


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
