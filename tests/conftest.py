"""Shared fixtures: real git repositories in temp dirs."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

os.environ.setdefault("GIT_CONFIG_NOSYSTEM", "1")
# No organisation policy or user configuration from the machine running the tests;
# a test that wants one points these at its own files (genguard.config.paths).
os.environ["GENGUARD_ORG_POLICY"] = ""
os.environ["GENGUARD_USER_CONFIG"] = ""


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def isolated_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the developer's git config, any enclosing repository and the real
    user data dir out of a test."""
    config = tmp_path / "gitconfig"
    config.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.resolve()))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    # hooks get time enough on a busy machine (a user's setting, never a repository's)
    user = tmp_path / "user-config.toml"
    user.write_text("[hooks]\ntimeout = 60\n")
    monkeypatch.setenv("GENGUARD_USER_CONFIG", str(user))
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "dev@example.com")
    git(root, "config", "user.name", "Dev")
    return root


_CORPUS_TABLES = {
    "genguard_corpus_table": "genguard rule corpus: recall and false alarms",
    "genguard_agent_risk_table": "genguard agent-risk corpus: recall and false alarms per check",
    "genguard_metamorphic_table": "genguard taint rules: verdicts kept under rewrites",
    "genguard_metamorphic_table_js": "genguard JavaScript taint rules: verdicts kept (rewrites)",
    "genguard_taint_corpus_table": "genguard taint corpus: recall and false alarms per CWE",
    "genguard_replay_table": "genguard attribution replay corpus: line accuracy (both profiles)",
}


#: Tables each run of a test extends (one per client profile): the last is the whole.
_CUMULATIVE = {"genguard_replay_table"}


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Show the precision corpus tables (tests/test_corpus.py, tests/test_agent_risk.py)
    in the normal output."""
    tables: dict[str, object] = {}
    for outcome in ("passed", "failed"):
        for report in terminalreporter.stats.get(outcome, []):
            for name, value in getattr(report, "user_properties", ()):
                if name in _CORPUS_TABLES and (name not in tables or name in _CUMULATIVE):
                    tables[name] = value
    for name, value in tables.items():
        terminalreporter.section(_CORPUS_TABLES[name])
        terminalreporter.write_line(str(value))
