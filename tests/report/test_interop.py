"""Agent Trace export and git-ai import against real repositories."""

from __future__ import annotations

import hashlib
import json
import uuid
from pathlib import Path

import pytest
from tests.report.conftest import add_note, ai, cli, commit, replace_note_text

from genguard import __version__
from genguard.gitio.notes import read_note, read_note_text
from genguard.ledger import Ledger
from genguard.notes.format import NoteFinding
from genguard.report.interop import parse_git_ai, parse_ranges

APP = "".join(f"line_{i} = compute({i})\n" for i in range(1, 11))


def test_export_agent_trace_shape(repo: Path, tmp_path: Path, capsys) -> None:
    c1 = commit(repo, {"app.py": APP, "lib/util.py": "u = 1\n"}, "one")
    ranges = [
        ai(2, 4, "k1", model="gpt-4.1", status="reviewed", reviewer="l@x"),
        ai(9, 9, "k1", model="gpt-4.1"),
        ai(6, 7, "k2", tool="claude", model="opus", method="declared"),
    ]
    add_note(
        repo,
        c1,
        {"app.py": (10, ranges), "lib/util.py": (1, [])},
        author="dev@example.com",
        ledger_head="sha256:" + "a" * 64,
        findings=[NoteFinding("app.py", 3, "py-eval-exec", ["CWE-95"], chunk="k1")],
    )
    commit(repo, {"other.py": "o = 1\n"}, "no note")
    out = tmp_path / "out" / "traces.jsonl"
    assert cli("export", "agent-trace", "--output", str(out), "-C", str(repo)) == 0
    assert "exported 1 record" in capsys.readouterr().err
    (record,) = [json.loads(line) for line in out.read_text().splitlines()]

    assert record["version"] == "0.1.0"
    assert uuid.UUID(record["id"])
    assert record["timestamp"] == "2026-11-27T09:30:00.000Z"
    assert record["vcs"] == {"type": "git", "revision": c1}
    assert record["tool"] == {"name": "genguard", "version": __version__}
    files = {f["path"]: f for f in record["files"]}
    assert files["lib/util.py"]["conversations"] == []
    k1, k2 = files["app.py"]["conversations"]
    assert k1["contributor"] == {"type": "ai", "model_id": "gpt-4.1"}
    assert [(r["start_line"], r["end_line"]) for r in k1["ranges"]] == [(2, 4), (9, 9)]
    expected = "".join(f"line_{i} = compute({i})\n" for i in (2, 3, 4)).rstrip("\n")
    assert k1["ranges"][0]["content_hash"] == (
        "sha256:" + hashlib.sha256(expected.encode()).hexdigest()
    )
    assert k2["contributor"]["model_id"] == "opus"
    meta = record["metadata"]
    assert meta["dev.genguard.chunk"]["k1"]["status"] == "reviewed"
    assert meta["dev.genguard.chunk"]["k2"] == {
        "tool": "claude",
        "model": "opus",
        "method": "declared",
        "kind": "unknown",
        "status": "unreviewed",
        "reviewer": None,
    }
    assert meta["dev.genguard.ledger_head"] == "sha256:" + "a" * 64
    assert meta["dev.genguard.findings"][0]["rule"] == "py-eval-exec"
    assert all(k.startswith("dev.genguard.") for k in meta)
    assert "compute(" not in out.read_text()  # hashes only, never code

    # stdout by default; the same commit keeps the same record id
    assert cli("export", "agent-trace", "HEAD~1", "-C", str(repo)) == 0
    again = json.loads(capsys.readouterr().out.splitlines()[0])
    assert again["id"] == record["id"]


def test_export_bad_range_keeps_an_existing_file(repo: Path, tmp_path: Path, capsys) -> None:
    commit(repo, {"a.py": "a = 1\n"}, "one")
    out = tmp_path / "keep.jsonl"
    out.write_text("old\n")
    assert cli("export", "agent-trace", "nope..HEAD", "-C", str(repo), "-o", str(out)) == 2
    assert "bad revision range" in capsys.readouterr().err
    assert out.read_text() == "old\n"


GIT_AI_NOTE = """\
app.py
  s1a2b3c 1-3,7
  hum4n00 5
"src/my file.py"
  d4e5f6a 2
  s1a2b3c x-y
---
{
  "schema_version": "authorship/3.0.0",
  "git_ai_version": "1.0.0",
  "base_commit_sha": "",
  "prompts": {
    "s1a2b3c": {"agent_id": {"tool": "cursor", "id": "sess-1", "model": "claude-3-sonnet"},
                "human_author": null, "messages": [{"type": "user", "text": "secret plan"}]}
  },
  "sessions": {
    "d4e5f6a": {"agent_id": {"tool": "claude-code", "id": "sess-2", "model": "opus"}}
  },
  "humans": {"hum4n00": {"author": "Dev <dev@example.com>"}}
}
"""


def test_parse_git_ai_defensively() -> None:
    log = parse_git_ai(GIT_AI_NOTE)
    assert log.schema_version == "authorship/3.0.0"
    assert log.files["app.py"] == [("s1a2b3c", [(1, 3), (7, 7)]), ("hum4n00", [(5, 5)])]
    assert log.files["src/my file.py"] == [("d4e5f6a", [(2, 2)])]
    assert (log.sessions["s1a2b3c"].tool, log.sessions["s1a2b3c"].model) == (
        "cursor",
        "claude-3-sonnet",
    )
    assert log.sessions["hum4n00"].human
    assert any("bad line range 'x-y'" in p for p in log.problems)
    assert parse_ranges("1-4,9") == [(1, 4), (9, 9)]
    with pytest.raises(ValueError):
        parse_ranges("4-1")


def test_import_git_ai_notes(repo: Path, capsys) -> None:
    c1 = commit(repo, {"app.py": APP, "src/my file.py": "a = 1\nb = 2\n"}, "by git-ai")
    c2 = commit(repo, {"app.py": APP + "extra = 1\n"}, "already noted")
    own = add_note(repo, c2, {"app.py": (1, [])})
    before = read_note_text(repo, c2)
    c3 = commit(repo, {"z.py": "z = 1\n"}, "broken git-ai note")
    for sha, text in ((c1, GIT_AI_NOTE), (c2, GIT_AI_NOTE), (c3, "no divider here\n")):
        replace_note_text(repo, sha, text, ref="refs/notes/ai")

    assert cli("import", "git-ai", "-C", str(repo), "--json") == 0
    doc = json.loads(capsys.readouterr().out)
    assert (doc["scanned"], doc["imported"], doc["already_noted"], doc["unreadable"]) == (
        3,
        1,
        1,
        1,
    )
    assert doc["commits"]["imported"] == [c1]
    assert "divider" in doc["commits"]["unreadable"][0]["error"]

    note = read_note(repo, c1)
    assert note is not None and note.author == "dev@example.com"
    app = note.files["app.py"]
    assert [(r.start, r.end, r.tool, r.model, r.method) for r in app.ranges] == [
        (1, 3, "cursor", "claude-3-sonnet", "imported"),
        (7, 7, "cursor", "claude-3-sonnet", "imported"),
    ]  # the human-attested line 5 stays human
    assert app.ai_lines == 4 and app.added_lines == 10
    assert note.files["src/my file.py"].ranges[0].tool == "claude-code"
    assert note.totals["ai_lines"] == 5
    assert "secret plan" not in (read_note_text(repo, c1) or "")  # prompts are never copied
    assert read_note_text(repo, c2) == before and own.files["app.py"].ranges == []

    # a second run changes nothing; imported notes pass verify (they have no ledger links)
    assert cli("import", "git-ai", "-C", str(repo)) == 0
    assert "imported 0, kept 2" in capsys.readouterr().out
    Ledger.for_workspace(repo).append("chunk.created", {"chunk": "x", "file": "app.py"})
    assert cli("verify", str(repo)) == 0


def test_import_reports_a_missing_ref_and_dry_run(repo: Path, capsys) -> None:
    c1 = commit(repo, {"app.py": APP}, "one")
    assert cli("import", "git-ai", "-C", str(repo)) == 0
    assert "0 annotated commit(s)" in capsys.readouterr().out
    replace_note_text(repo, c1, GIT_AI_NOTE, ref="refs/notes/ai")
    assert cli("import", "git-ai", "-C", str(repo), "--dry-run") == 0
    assert "would import 1" in capsys.readouterr().out
    assert read_note(repo, c1) is None
    assert cli("import", "git-ai", "-C", str(repo), "--ref", "ai") == 2
