"""Agent checkpoints: `genguard record` and the agents' hook JSON."""

from __future__ import annotations

import hashlib
import io
import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import git
from tests.git.conftest import ai_lines, commit, ledger_events, message, note_of

from genguard.agents.adapters import AdapterError, parse
from genguard.agents.install import install_agent_hooks
from genguard.cli.main import main

BASE = "def a():\n    return 1\n"
NEW = "def b(values):\n    return sorted(values)[0]\n"
PROMPT = "please add a function b that returns the smallest value"


def _cli(args: list[str], stdin: str, monkeypatch: pytest.MonkeyPatch, cwd: Path) -> int:
    monkeypatch.chdir(cwd)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
    return main(args)


def test_record_from_claude_code_post_tool_use(
    hooked: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    app = hooked / "app.py"
    app.write_text(BASE)
    git(hooked, "add", "app.py")
    commit(hooked, "-m", "base")
    session = "4f3c2a1b-0000-4000-8000-000000000001"
    prompt_event = {
        "session_id": session,
        "transcript_path": "/home/dev/.claude/projects/x/transcript.jsonl",
        "cwd": str(hooked),
        "hook_event_name": "UserPromptSubmit",
        "prompt": PROMPT,
    }
    assert (
        _cli(["record", "--from", "claude-code"], json.dumps(prompt_event), monkeypatch, hooked)
        == 0
    )
    # the developer types a line; then Claude's Edit lands below it
    app.write_text(BASE + "# TODO: tidy up\n")
    old, new = "# TODO: tidy up\n", "# TODO: tidy up\n\n\n" + NEW
    app.write_text(app.read_text().replace(old, new))
    post = {
        "session_id": session,
        "transcript_path": "/home/dev/.claude/projects/x/transcript.jsonl",
        "cwd": str(hooked),
        "hook_event_name": "PostToolUse",
        "tool_name": "Edit",
        "tool_input": {"file_path": str(app), "old_string": old, "new_string": new},
        "tool_response": {"filePath": str(app), "success": True},
    }
    proc = subprocess.run(
        [sys.executable, "-m", "genguard", "record", "--from", "claude-code"],
        cwd=hooked,
        input=json.dumps(post),
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    events = ledger_events(hooked)
    [created] = [e for e in events if e["event"] == "chunk.created"]
    data = created["data"]
    assert (data["file"], data["tool"], data["method"], data["kind"]) == (
        "app.py",
        "claude-code",
        "declared",
        "agent",
    )
    assert data["lines"] == [6, 7] and len(data["line_hashes"]) == 2  # not the TODO line
    assert data["prompt_hash"] == "sha256:" + hashlib.sha256(PROMPT.encode()).hexdigest()
    [checkpoint] = [e for e in events if e["event"] == "checkpoint.recorded"]
    assert checkpoint["data"]["session"] == session
    assert checkpoint["data"]["files"][0]["chunks"] == [data["chunk"]]
    raw = (hooked / ".git" / "genguard" / "ledger.jsonl").read_text()
    assert PROMPT not in raw and "sorted(values)" not in raw  # hashes only

    git(hooked, "add", "app.py")
    commit(hooked, "-m", "Add b")
    assert "Assisted-by: claude-code" in message(hooked).splitlines()
    assert ai_lines(note_of(hooked), "app.py") == [6, 7]


def test_bad_input_is_refused_and_nothing_recorded(
    hooked: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    ledger = hooked / ".git" / "genguard" / "ledger.jsonl"
    (hooked / "x.py").write_text(NEW)
    assert _cli(["record", "--from", "claude-code"], "{not json", monkeypatch, hooked) == 2
    assert "not valid JSON" in capsys.readouterr().err
    post = {"hook_event_name": "PostToolUse", "tool_name": "Write", "tool_input": {}}
    assert _cli(["record", "--from", "claude-code"], json.dumps(post), monkeypatch, hooked) == 2
    assert "file_path is missing" in capsys.readouterr().err
    args = ["record", "--tool", "t", "--prompt-hash", PROMPT, "x.py"]
    assert _cli(args, "", monkeypatch, hooked) == 2
    assert "never the prompt itself" in capsys.readouterr().err
    assert _cli(["record", "--tool", "t", "/etc/hostname"], "", monkeypatch, hooked) == 2
    assert "outside the repository" in capsys.readouterr().err
    assert not ledger.exists()
    # a tool that writes no file is ignored quietly
    bash = {"hook_event_name": "PostToolUse", "tool_name": "Bash", "tool_input": {"command": "ls"}}
    assert _cli(["record", "--from", "claude-code"], json.dumps(bash), monkeypatch, hooked) == 0
    assert not ledger.exists()


def test_record_cli_attributes_changes_since_the_last_record(
    hooked: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    (hooked / "n.py").write_text(NEW)
    args = ["record", "--tool", "aider", "--model", "o3", "--prompt-hash", "ab" * 32, "n.py"]
    assert _cli(args, "", monkeypatch, hooked) == 0
    (hooked / "n.py").write_text(NEW + "\n\n" + BASE)
    assert _cli(["record", "--tool", "aider", "n.py"], "", monkeypatch, hooked) == 0
    created = [e["data"] for e in ledger_events(hooked) if e["event"] == "chunk.created"]
    assert [c["lines"] for c in created] == [[1, 2], [5, 6]]  # the second: only what changed
    assert created[0]["prompt_hash"] == "sha256:" + "ab" * 32 and created[0]["model"] == "o3"
    out = capsys.readouterr().out
    assert "since none" in out and "since snapshot" in out


def test_adapters_read_cursor_and_copilot():
    cursor = parse(
        "cursor",
        json.dumps(
            {
                "hook_event_name": "afterFileEdit",
                "conversation_id": "c1",
                "generation_id": "g1",
                "model": "gpt-5",
                "file_path": "/w/app.ts",
                "edits": [{"old_string": "a", "new_string": "const b = 2;"}],
                "workspace_roots": ["/w"],
            }
        ),
    )
    assert (cursor.kind, cursor.tool, cursor.model, cursor.session, cursor.cwd) == (
        "edit",
        "cursor",
        "gpt-5",
        "c1",
        "/w",
    )
    assert cursor.files[0].path == "/w/app.ts" and cursor.files[0].new_texts == ["const b = 2;"]
    copilot = parse(
        "copilot",
        json.dumps(
            {
                "timestamp": 1704614600000,
                "cwd": "/w",
                "toolName": "edit",
                "toolArgs": json.dumps({"path": "src/x.py", "new_str": "y = 1"}),
                "toolResult": {"resultType": "success"},
            }
        ),
    )
    assert copilot.kind == "edit" and copilot.files[0].new_texts == ["y = 1"]
    prompt = parse("copilot", json.dumps({"timestamp": 1, "cwd": "/w", "prompt": "secret plan"}))
    assert prompt.kind == "prompt" and prompt.prompt_hash.startswith("sha256:")
    with pytest.raises(AdapterError, match="must be a JSON object"):
        parse("cursor", "[1, 2]")


def test_install_agent_hooks_merges_existing_configuration(hooked: Path):
    settings = hooked / ".claude" / "settings.json"
    settings.parent.mkdir()
    mine = {"matcher": "Bash", "hooks": [{"type": "command", "command": "echo hi"}]}
    settings.write_text(json.dumps({"model": "opus", "hooks": {"PostToolUse": [mine]}}))
    result = install_agent_hooks(hooked, "claude-code")
    assert set(result.added) == {"PreToolUse", "PostToolUse", "UserPromptSubmit"}
    data = json.loads(settings.read_text())
    assert data["model"] == "opus" and data["hooks"]["PostToolUse"][0] == mine
    ours = data["hooks"]["PostToolUse"][1]
    assert ours["matcher"] == "Write|Edit|MultiEdit"
    python = shlex.quote(sys.executable)
    want = f"{python} -m genguard record --from claude-code"
    assert ours["hooks"] == [{"type": "command", "command": want}]
    assert not install_agent_hooks(hooked, "claude-code").changed  # idempotent

    cursor = install_agent_hooks(hooked, "cursor")
    hooks = json.loads(cursor.path.read_text())
    assert hooks["version"] == 1
    want = f"{python} -m genguard record --from cursor"
    assert hooks["hooks"]["afterFileEdit"] == [{"command": want}]

    broken = hooked / ".cursor" / "hooks.json"
    broken.write_text("{oops")
    with pytest.raises(ValueError, match="not valid JSON"):
        install_agent_hooks(hooked, "cursor")
    assert broken.read_text() == "{oops"


def test_agent_hook_runs_genguard_by_interpreter_path_and_says_git_hooks_are_missing(
    repo: Path, tmp_path: Path
):
    """An older entry (``genguard`` from PATH) is repointed; the command works with an
    empty PATH; a repository without genguard's git hooks is told so, and offered them."""
    (repo / "README.md").write_text("# x\n")
    git(repo, "add", "README.md")
    git(repo, "commit", "-qm", "initial")
    settings = repo / ".claude" / "settings.json"
    settings.parent.mkdir()
    old = {"hooks": [{"type": "command", "command": "genguard record --from claude-code"}]}
    settings.write_text(json.dumps({"hooks": {"UserPromptSubmit": [old]}}))

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "genguard", "install-agent-hooks", *args],
            cwd=repo, capture_output=True, text=True, timeout=120,
        )  # fmt: skip

    proc = cli("claude-code")
    assert proc.returncode == 0, proc.stderr
    assert "git hooks are not installed" in proc.stdout
    assert "genguard install-hooks" in proc.stdout and "--git-hooks" in proc.stdout
    data = json.loads(settings.read_text())
    [entry] = data["hooks"]["UserPromptSubmit"]
    cmd = entry["hooks"][0]["command"]
    assert cmd == f"{shlex.quote(sys.executable)} -m genguard record --from claude-code"
    # the agent runs it with a PATH that has git but no genguard
    payload = json.dumps({"hook_event_name": "UserPromptSubmit", "prompt": "p", "cwd": str(repo)})
    ran = subprocess.run(
        ["/bin/sh", "-c", cmd], cwd=repo, input=payload, capture_output=True, text=True,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}, timeout=120,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr

    proc = cli("claude-code", "--git-hooks")
    assert proc.returncode == 0, proc.stderr
    assert "installed genguard's git hooks" in proc.stdout
    assert (repo / ".git" / "hooks" / "pre-commit").is_file()
    again = cli("cursor")
    assert "git hooks are not installed" not in again.stdout


HUMAN_PY = (
    "import os\n\n\n"
    "def load(path, mode='r'):\n"
    "    with open(path, mode) as fh:\n"
    "        return fh.read()\n\n\n"
    "def size(path):\n"
    "    return os.path.getsize(path)\n"
)


def _created(repo: Path) -> list[dict]:
    return [e["data"] for e in ledger_events(repo) if e["event"] == "chunk.created"]


def test_record_of_a_formatter_run_attributes_nothing(
    hooked: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An agent that only ran black: same tokens, other layout, nothing AI."""
    app = hooked / "app.py"
    app.write_text(HUMAN_PY)
    git(hooked, "add", "app.py")
    commit(hooked, "-m", "base")
    formatted = HUMAN_PY.replace("mode='r'", 'mode="r"').replace(
        "    return os.path.getsize(path)\n", "    return os.path.getsize(\n        path,\n    )\n"
    )
    app.write_text(formatted)
    assert _cli(["record", "--tool", "claude-code", "app.py"], "", monkeypatch, hooked) == 0
    assert _created(hooked) == []
    checkpoint = [e["data"] for e in ledger_events(hooked) if e["event"] == "checkpoint.recorded"]
    assert checkpoint[-1]["files"][0]["ai_lines"] == 0


def test_record_keeps_moved_lines_and_attributes_only_new_ones(
    hooked: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An agent moves a person's function into another file and adds a new one there:
    only the new function is the agent's, in one checkpoint over both files."""
    app, util = hooked / "app.py", hooked / "util.py"
    app.write_text(HUMAN_PY)
    util.write_text("import os\n")
    git(hooked, "add", "app.py", "util.py")
    commit(hooked, "-m", "base")
    moved = "def size(path):\n    return os.path.getsize(path)\n"
    new_fn = "def exists_and_nonempty(path):\n    return os.path.exists(path) and size(path) > 0\n"
    app.write_text(HUMAN_PY.replace("\n\n" + moved, "\n"))
    util.write_text("import os\n\n\n" + moved + "\n\n" + new_fn)
    args = ["record", "--tool", "claude-code", "app.py", "util.py"]
    assert _cli(args, "", monkeypatch, hooked) == 0
    assert [(c["file"], c["lines"]) for c in _created(hooked)] == [("util.py", [8, 9])]


def test_record_diffs_against_the_snapshot_text(
    hooked: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The snapshot keeps the text (a git blob), so the next record sees a reformat
    and a move as what they are, not as new lines."""
    app = hooked / "app.py"
    app.write_text(HUMAN_PY)
    assert _cli(["record", "--tool", "aider", "app.py"], "", monkeypatch, hooked) == 0
    first = _created(hooked)
    assert len(first) == 1  # a new file: all of it
    snapshots = list((hooked / ".git" / "genguard" / "snapshots").glob("*.json"))
    blob = json.loads(snapshots[0].read_text())["blob"]
    assert git(hooked, "cat-file", "-p", blob) == HUMAN_PY
    # the functions swap places and the quotes change: nothing new
    swapped = (
        "import os\n\n\n"
        'def size(path):\n    return os.path.getsize(path)\n\n\n'
        'def load(path, mode="r"):\n    with open(path, mode) as fh:\n        return fh.read()\n'
    )
    app.write_text(swapped)
    assert _cli(["record", "--tool", "aider", "app.py"], "", monkeypatch, hooked) == 0
    assert _created(hooked) == first
