"""A repository's ``[scan] exclude`` cannot quietly blind the guard.

``exclude = ["**"]`` committed in a repository used to make ``genguard scan`` look
at nothing and say nothing about it. Now what excludes hide is counted in every
report, a scan they left with nothing to check exits 3, a file holding live AI
chunks is checked whatever they say (also with ``--staged``), an organisation can
refuse a repository's excludes altogether (``scan.repository_excludes = "ignore"``,
a floor the repository cannot lower, while the user's own excludes still apply),
and the commit gate never applies them. Real CLI, real git, real hooks.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from tests.conftest import git
from tests.security.conftest import GENGUARD

from genguard.gitio.run import Git
from genguard.hooks.install import install_hooks

SHELL = "import os\n\n\ndef run():\n    os.system(input())\n"
AI_SHELL = "import subprocess\n\n\ndef go(cmd):\n    return subprocess.call(cmd, shell=True)\n"
HIDE_ALL = '[scan]\nexclude = ["**"]\n'


@pytest.fixture
def env(tmp_path: Path, isolated_git: None) -> dict[str, str]:
    user = tmp_path / "user-config.toml"
    user.write_text("[hooks]\ntimeout = 60\n")
    return {**os.environ, "GENGUARD_USER_CONFIG": str(user), "GENGUARD_ORG_POLICY": ""}


@pytest.fixture
def hidden(repo: Path) -> Path:
    """A repository whose committed configuration excludes every file."""
    (repo / "src").mkdir()
    (repo / "src" / "a.py").write_text(SHELL)
    (repo / "src" / "b.py").write_text("x = 1\n")
    (repo / ".genguard.toml").write_text(HIDE_ALL)
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "hide everything")
    return repo


def scan(repo: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*GENGUARD, "scan", *args], cwd=repo, env=env, capture_output=True, text=True
    )


def test_what_excludes_hide_is_counted_and_nothing_checked_is_not_clean(
    hidden: Path, env: dict[str, str]
):
    proc = scan(hidden, env)
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert "Excluded by [scan] exclude (.genguard.toml): 3 files" in proc.stdout
    assert "3 left out by [scan] exclude" in proc.stderr and "not a clean result" in proc.stderr
    verbose = scan(hidden, env, "--verbose")
    assert ".genguard.toml, src/a.py, src/b.py" in verbose.stdout

    summary = json.loads(scan(hidden, env, "--format", "json").stdout)["summary"]
    assert summary["files_excluded"] == 3 and summary["excluded_by"] == ".genguard.toml"
    sarif = json.loads(scan(hidden, env, "--format", "sarif").stdout)
    [invocation] = sarif["runs"][0]["invocations"]
    said = [n["message"]["text"] for n in invocation["toolExecutionNotifications"]]
    assert "Excluded by [scan] exclude (.genguard.toml): 3 files" in said


def test_a_file_with_live_ai_chunks_is_checked_whatever_the_excludes_say(
    hidden: Path, env: dict[str, str]
):
    from tests.git.conftest import ai_write

    ai_write(hidden, "src/c.py", AI_SHELL)  # recorded as an agent's edit, and staged
    for args in ((), ("--staged",)):
        proc = scan(hidden, env, "--format", "json", *args)
        doc = json.loads(proc.stdout)
        assert [f["path"] for f in doc["findings"]] == ["src/c.py"], proc.stderr
        assert doc["summary"]["excluded_but_checked"] == ["src/c.py"]
        assert doc["summary"]["files_scanned"] == 1
    text = scan(hidden, env, "--ai-only")
    assert "src/c.py:5" in text.stdout
    assert (
        "Checked although [scan] exclude or the vendored-code default leaves them out: "
        "1 file with live AI chunks" in text.stdout
    )


def test_a_file_with_live_ai_chunks_in_vendored_code_is_checked(repo: Path, env: dict[str, str]):
    """`vendor/` and `node_modules/` are left out by default (a repository setting): an
    agent's file there is checked all the same; the vendored code around it is not."""
    from tests.git.conftest import ai_write

    (repo / "vendor" / "lib").mkdir(parents=True)
    (repo / "vendor" / "lib" / "theirs.py").write_text(SHELL)
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "vendored code")
    ai_write(repo, "vendor/lib/ours.py", AI_SHELL)
    for args in ((), ("--staged",)):
        doc = json.loads(scan(repo, env, "--format", "json", *args).stdout)
        assert [f["path"] for f in doc["findings"]] == ["vendor/lib/ours.py"], doc
        assert doc["summary"]["excluded_but_checked"] == ["vendor/lib/ours.py"]
    skipped = json.loads(scan(repo, env, "--format", "json").stdout)["summary"]["files_skipped"]
    assert {"path": "vendor/", "reason": "vendored or minified"} in skipped


def test_an_organisation_refuses_the_repositorys_excludes_but_not_the_users(
    hidden: Path, env: dict[str, str], tmp_path: Path
):
    policy = tmp_path / "policy.toml"
    policy.write_text('[scan]\nrepository_excludes = "ignore"\n')
    org = {**env, "GENGUARD_ORG_POLICY": str(policy)}
    (hidden / ".genguard.toml").write_text(HIDE_ALL + 'repository_excludes = "apply"\n')

    proc = scan(hidden, org, "--format", "json")
    assert proc.returncode == 1, proc.stderr  # the shell injection is found
    doc = json.loads(proc.stdout)
    assert {f["path"] for f in doc["findings"]} == {"src/a.py"}
    assert doc["summary"]["files_excluded"] == 0
    refused = [line for line in proc.stderr.splitlines() if line.startswith("refused:")]
    assert any(
        ".genguard.toml:2: scan.exclude is ignored here" in line
        and 'scan.repository_excludes = "ignore"' in line
        for line in refused
    ), proc.stderr
    assert any("scan.repository_excludes cannot go below" in line for line in refused)

    # the user's own excludes are trusted and still apply (and are counted)
    Path(org["GENGUARD_USER_CONFIG"]).write_text('[scan]\nexclude = ["src/a.py"]\n')
    user = scan(hidden, org)
    assert user.returncode == 0, user.stdout + user.stderr
    assert f"Excluded by [scan] exclude ({org['GENGUARD_USER_CONFIG']}): 1 file" in user.stdout

    # control: without the organisation policy the repository's excludes apply
    assert scan(hidden, {**env, "GENGUARD_USER_CONFIG": ""}).returncode == 3


def test_the_gate_never_applies_scan_excludes(hidden: Path, env: dict[str, str]):
    from tests.git.conftest import ai_write

    (hidden / ".genguard.toml").write_text(HIDE_ALL + '[rules]\npacks = ["security"]\n')
    git(hidden, "commit", "-qam", "packs")
    assert install_hooks(Git(hidden)).ok
    ai_write(hidden, "src/c.py", SHELL)
    proc = subprocess.run(
        ["git", "commit", "-m", "AI code"], cwd=hidden, env=env, capture_output=True, text=True
    )
    assert proc.returncode == 1, proc.stderr  # blocked on the AI chunk's error finding
    assert "src/c.py:5" in proc.stderr and "py-os-system" in proc.stderr


def test_a_minified_looking_file_with_live_ai_chunks_is_checked(repo: Path, env: dict[str, str]):
    """Long lines make a file look minified (left out by default); an agent's file
    that looks so is checked all the same, and said to be; a human's is not."""
    from tests.git.conftest import ai_write

    padding = "x = '" + "a" * 5000 + "'\n"
    (repo / "gen_theirs.py").write_text(padding + SHELL)
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "generated code")
    ai_write(repo, "gen_ours.py", padding + AI_SHELL)
    for args in ((), ("--staged",)):
        doc = json.loads(scan(repo, env, "--format", "json", *args).stdout)
        assert [f["path"] for f in doc["findings"]] == ["gen_ours.py"], doc
        assert doc["summary"]["excluded_but_checked"] == ["gen_ours.py"], doc["summary"]
    skipped = json.loads(scan(repo, env, "--format", "json").stdout)["summary"]["files_skipped"]
    assert {"path": "gen_theirs.py", "reason": "vendored or minified"} in skipped
