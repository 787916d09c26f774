"""One real repository, built once for the module through genguard's real hooks.

History (committer dates spread over three ISO weeks of November 2026):

1. ``initial``: before the hooks, so it has no note;
2. ``Add calculators``: copilot/gpt-4.1 code declared and reviewed in the editor;
3. ``Write notes``: a human change;
4. ``Add runner``: claude-code/opus-4 code with ``eval``, suppressed inline with a reason;
5. ``Skip the gate``: ``--no-verify`` over an open ``eval`` finding (a bypass);
6. ``Outside the period``: December, so the period leaves it out.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from genguard.agents.record import Recorder
from genguard.cli import main as cli_main
from genguard.gitio.run import Git, repo_paths
from genguard.hooks.install import install_hooks
from genguard.session.session import Session

SINCE, UNTIL = "2026-11-01", "2026-11-30"
ME = "dev@example.com"
SAFE_BLOCK = "def double(x):\n    return x * 2\n\n\ndef triple(x):\n    return x * 3\n"
EVAL_BLOCK = "import os\n\n\ndef run(cmd):\n    return eval(cmd or input())\n"
SUPPRESSED_BLOCK = EVAL_BLOCK.replace(
    "    return eval",
    "    # genguard: ignore[py-eval-exec] only called with constants\n    return eval",
)


@dataclass(slots=True)
class History:
    repo: Path
    commits: dict[str, str]  # subject -> sha
    env: dict[str, str]


def git(repo: Path, *args: str, env: dict[str, str] | None = None) -> str:
    proc = subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, env=env, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def _commit(repo: Path, env: dict[str, str], when: str, *args: str) -> str:
    dated = {**env, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    git(repo, "commit", *args, env=dated)
    return git(repo, "rev-parse", "HEAD", env=env).strip()


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Iterator[History]:
    base = tmp_path_factory.mktemp("evidence")
    gitconfig = base / "gitconfig"
    gitconfig.write_text(
        "[init]\n\tdefaultBranch = main\n[user]\n\temail = dev@example.com\n\tname = Dev\n"
    )
    overrides = {
        "GIT_CONFIG_GLOBAL": str(gitconfig),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CEILING_DIRECTORIES": str(base.resolve()),
        "XDG_CACHE_HOME": str(base / "cache"),
        "GENGUARD_USER_CONFIG": str(base / "user-config.toml"),
    }
    (base / "user-config.toml").write_text("[hooks]\ntimeout = 60\n")
    with pytest.MonkeyPatch.context() as mp:
        for name, value in overrides.items():
            mp.setenv(name, value)
        for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_INDEX_FILE", "GIT_EDITOR"):
            mp.delenv(name, raising=False)
        env = dict(os.environ)
        repo = base / "repo"
        repo.mkdir()
        git(repo, "init", "-q", "-b", "main")
        commits: dict[str, str] = {}

        (repo / "README.md").write_text("# demo\n")
        # four lines, as the figures expect (the hook timeout is the user's setting)
        (repo / ".genguard.toml").write_text('# rules\n\n[rules]\npacks = ["security"]\n')
        git(repo, "add", "README.md", ".genguard.toml")
        commits["initial"] = _commit(repo, env, "2026-11-02T09:00:00Z", "-qm", "initial")
        report = install_hooks(Git(repo))
        assert report.ok, report.problems

        session = Session(repo, cache_dir=base / "session-cache")
        uri = (repo / "calc.py").as_uri()
        start = "import math\n"
        session.open(uri, "python", 1, start)
        session.change(uri, 2, [(((1, 0), (1, 0)), SAFE_BLOCK)])
        chunk = session.declare_ai(uri, 2, ((1, 0), (7, 0)), tool="copilot", model="gpt-4.1")
        session.mark_reviewed(uri, chunk.id)
        (repo / "calc.py").write_text(start + SAFE_BLOCK)
        git(repo, "add", "calc.py")
        commits["Add calculators"] = _commit(
            repo, env, "2026-11-03T10:00:00Z", "-qm", "Add calculators"
        )

        (repo / "notes.txt").write_text("written by a person\nline two\nline three\n")
        git(repo, "add", "notes.txt")
        commits["Write notes"] = _commit(repo, env, "2026-11-10T11:00:00Z", "-qm", "Write notes")

        g = Git(repo)
        (repo / "run.py").write_text(EVAL_BLOCK)
        Recorder(g, repo_paths(g), actor=ME).record(
            {"run.py": None}, tool="claude-code", model="opus-4"
        )
        (repo / "run.py").write_text(SUPPRESSED_BLOCK)
        git(repo, "add", "run.py")
        commits["Add runner"] = _commit(repo, env, "2026-11-11T12:00:00Z", "-qm", "Add runner")

        (repo / "danger.py").write_text(EVAL_BLOCK.replace("run", "go"))
        Recorder(g, repo_paths(g), actor=ME).record(
            {"danger.py": None}, tool="claude-code", model="opus-4"
        )
        git(repo, "add", "danger.py")
        commits["Skip the gate"] = _commit(
            repo, env, "2026-11-18T13:00:00Z", "--no-verify", "-qm", "Skip the gate"
        )

        (repo / "later.txt").write_text("december\n")
        git(repo, "add", "later.txt")
        commits["Outside the period"] = _commit(
            repo, env, "2026-12-02T09:00:00Z", "-qm", "Outside the period"
        )
        yield History(repo=repo, commits=commits, env=env)


def build(history: History, out: Path, *extra: str) -> int:
    """``genguard evidence`` for the period over the history, into ``out``."""
    argv = ["evidence", "-C", str(history.repo), "--since", SINCE, "--until", UNTIL]
    return cli_main.main([*argv, "--out", str(out), *extra])


@pytest.fixture(scope="module")
def bundle(history: History, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An unsigned bundle of the period, built once per module (tests tamper with copies)."""
    out = tmp_path_factory.mktemp("bundle") / "evidence"
    assert build(history, out, "--no-sign") == 0
    return out
