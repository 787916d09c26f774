"""One fixture through the four entry points that judge code: the editor (over
stdio), ``genguard scan``, a real ``git commit`` through the installed hooks, and
``genguard record``. Each must report the same findings with the same handling,
because each calls the same assessment.

The fixture holds, in a protected path: a finding in human code (outside the
scope), unreviewed AI code with open findings (a rule's, a governance check's, an
agent-risk check's), a suppression the AI wrote for
itself (refused, and reported), and a suppression a person wrote above an AI
line (honoured, with its reason).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient
from tests.conftest import git
from tests.lsp.test_policy import changed, saved

from genguard.gitio.notes import read_note
from genguard.gitio.run import Git
from genguard.hooks.install import install_hooks

FILE = "src/auth/session.py"
CONFIG = """\
[governance]
protected_paths = ["src/auth/**"]
[rules]
packs = ["security", "governance", "agent-risk"]
[rules.severity]
# warnings, so the commit goes through and its note holds every finding
"py-os-system" = "warning"
"py-eval-exec" = "warning"
"governance-protected-path" = "warning"
"""
BASE = '''\
"""Session helpers."""
import os
import subprocess


def current_user():
    return eval(os.environ["USER_EXPR"])
'''
AI = """

def run(cmd, expr):
    os.system("ls " + cmd)
    value = eval(expr)  # genguard: ignore[py-eval-exec] the expression is trusted
    subprocess.call("ls " + cmd, shell=True)
    return value
"""
ANCHOR = '    subprocess.call("ls " + cmd'
HUMAN = "    # genguard: ignore[py-subprocess-shell] a fixed command, checked by hand\n"
REASON = "a fixed command, checked by hand"

EXPECTED = {
    (10, "governance-protected-path", "open", None),
    (10, "agent-guardrail-edit", "open", None),  # auth code is a guard rail
    (11, "py-os-system", "open", None),
    (12, "py-eval-exec", "open", None),
    (12, "genguard.suppression-by-ai", "open", None),
    (14, "py-subprocess-shell", "suppressed", REASON),
}
SEVERITIES = {
    "governance-protected-path": "warning",
    "agent-guardrail-edit": "warning",
    "py-os-system": "warning",
    "py-eval-exec": "warning",
    "genguard.suppression-by-ai": "warning",
}

Key = tuple[int, str, str, str | None]


@pytest.fixture
def hook_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's git config and caches kept out of the hooks."""
    config = tmp_path / "gitconfig"
    config.write_text("[init]\n\tdefaultBranch = main\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.resolve()))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    user = tmp_path / "user-config.toml"  # the hook timeout is the user's setting
    user.write_text("[hooks]\ntimeout = 60\n")
    monkeypatch.setenv("GENGUARD_USER_CONFIG", str(user))
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_EDITOR"):
        monkeypatch.delenv(name, raising=False)


def _base(repo: Path) -> None:
    (repo / ".genguard.toml").write_text(CONFIG)
    (repo / FILE).parent.mkdir(parents=True, exist_ok=True)
    (repo / FILE).write_text(BASE)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")


def _ledger(repo: Path) -> list[dict]:
    path = repo / ".git" / "genguard" / "ledger.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _ledger_keys(repo: Path) -> set[Key]:
    """Findings as the ledger records them: raised (open) and suppressed, with lines."""
    out: set[Key] = set()
    for e in _ledger(repo):
        data = e["data"]
        if e["event"] == "finding.raised" and data.get("file") == FILE:
            out.add((data["at"][0], data["rule"], "open", None))
        elif e["event"] == "finding.suppressed" and data.get("file") == FILE:
            out.add((data["at"][0], data["rule"], "suppressed", data["reason"]))
    return out


def _scan(repo: Path, *args: str) -> dict:
    proc = subprocess.run(
        [sys.executable, "-m", "genguard", "scan", "--format", "json", "--no-cache", *args],
        cwd=repo,
        capture_output=True,
        text=True,
    )
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


def _scan_keys(report: dict) -> set[Key]:
    return {
        (f["range"]["start"]["line"] + 1, f["rule"], f["handling"], f.get("reason"))
        for f in [*report["findings"], *report["suppressed"]]
        if f["path"] == FILE
    }


async def test_editor_scan_gate_and_record_judge_one_fixture_alike(
    editor_for, client: LanguageClient, repo: Path, tmp_path: Path, hook_env: None
) -> None:
    _base(repo)
    changed(client, repo / ".genguard.toml")
    assert install_hooks(Git(repo)).ok

    # -- the editor: an agent's edit lands, then a person writes a suppression above one line
    ed = editor_for(FILE, BASE)
    ed.insert(len(ed.text), AI)
    ed.declare_ai(AI.strip("\n"), "claude-code", model="opus-4", kind="agent")
    await ed.provenance()
    ed.insert(ed.text.index(ANCHOR), HUMAN)
    (repo / FILE).write_text(ed.text)
    saved(client, repo / FILE)
    provenance = await ed.provenance()
    [chunk] = provenance["chunks"]
    diagnostics = [d for d in ed.diagnostics() if d.code != "genguard.unreviewed-ai"]
    editor_open = {(d.range.start.line + 1, str(d.code), "open", None) for d in diagnostics}
    editor_ledger = _ledger_keys(repo)
    editor = editor_open | {k for k in editor_ledger if k[2] == "suppressed"}
    assert editor == EXPECTED
    names = {types.DiagnosticSeverity.Warning: "warning", types.DiagnosticSeverity.Error: "error"}
    assert {str(d.code): names[d.severity] for d in diagnostics} == SEVERITIES

    # -- genguard scan: everything, and the AI lines only
    everything = _scan(repo)
    assert (7, "py-eval-exec", "open", None) in _scan_keys(everything)  # human code
    ai_only = _scan(repo, "--ai-only")
    assert _scan_keys(ai_only) == EXPECTED
    assert {f["rule"]: f["severity"] for f in ai_only["findings"]} == SEVERITIES
    assert ai_only["summary"]["suppressed"] == 1

    # -- the commit gate and the note post-commit writes
    git(repo, "add", FILE)
    proc = subprocess.run(
        ["git", "commit", "-m", "Add run"], cwd=repo, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "the suppression at src/auth/session.py:12 is not honoured" in proc.stderr
    sha = git(repo, "rev-parse", "HEAD").strip()
    note = read_note(repo, sha)
    assert note is not None
    gate = {(f.line, f.rule, f.handling, f.reason) for f in note.findings if f.file == FILE}
    assert gate == EXPECTED
    assert {f.rule: f.severity for f in note.findings if f.handling == "open"} == SEVERITIES
    assert {f.chunk for f in note.findings} == {chunk["id"]}

    # -- genguard record: the same edit as an agent's checkpoint, in a fresh repository
    other = tmp_path / "other"
    other.mkdir()
    git(other, "init", "-q", "-b", "main")
    git(other, "config", "user.email", "dev@example.com")
    git(other, "config", "user.name", "Dev")
    _base(other)
    old = BASE.splitlines(keepends=True)[-1]
    (other / FILE).write_text(ed.text)  # the person's line is there, but not the agent's
    post = {
        "session_id": "4f3c2a1b-0000-4000-8000-000000000002",
        "cwd": str(other),
        "hook_event_name": "PostToolUse",
        "tool_name": "Edit",
        "tool_input": {"file_path": str(other / FILE), "old_string": old, "new_string": old + AI},
        "tool_response": {"filePath": str(other / FILE), "success": True},
    }
    proc = subprocess.run(
        [sys.executable, "-m", "genguard", "record", "--from", "claude-code"],
        cwd=other,
        input=json.dumps(post),
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    events = _ledger(other)
    [checkpoint] = [e["data"] for e in events if e["event"] == "checkpoint.recorded"]
    recorded = {
        (f["line"], f["rule"], f["handling"]) for f in checkpoint["findings"] if f["file"] == FILE
    }
    assert recorded == {(line, rule, handling) for line, rule, handling, _ in EXPECTED}
    # the ledger holds the findings in the code (not the warning about a comment), and
    # the suppression with its reason exactly as the editor recorded it
    record_ledger = _ledger_keys(other)
    assert record_ledger == {k for k in EXPECTED if not k[1].startswith("genguard.")}
    suppressed = {k for k in record_ledger if k[2] == "suppressed"}
    assert suppressed == {k for k in editor_ledger if k[2] == "suppressed"}
