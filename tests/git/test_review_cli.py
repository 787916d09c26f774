"""`genguard review`: a terminal-only developer gets past `require_review = "block"`."""

from __future__ import annotations

import json
from pathlib import Path

from tests.git.conftest import (
    NO_PACKS,
    WITH_PACKS,
    ai_write,
    commit,
    configure,
    genguard,
    ledger_events,
    note_of,
    run_git,
)

SAFE_BLOCK = "def double(x):\n    return x * 2\n\n\ndef triple(x):\n    return x * 3\n"


def test_blocked_then_reviewed_in_the_terminal_then_committed(hooked: Path):
    configure(hooked, '[hooks]\nrequire_review = "block"\n' + NO_PACKS)
    [first] = ai_write(hooked, "a.py", SAFE_BLOCK, tool="claude-code", model="opus-4")
    [second] = ai_write(hooked, "b.py", SAFE_BLOCK.replace("double", "half"), tool="aider")
    blocked = run_git(hooked, "commit", "-m", "x")
    assert blocked.returncode == 1
    assert "genguard review --staged" in blocked.stderr  # the gate names the way out

    listed = genguard(hooked, "review")
    assert listed.returncode == 0, listed.stderr
    assert f"a.py:1-2, 5-6  {first}  claude-code:opus-4" in listed.stdout
    assert f"b.py:1-2, 5-6  {second}  aider" in listed.stdout
    as_json = json.loads(genguard(hooked, "review", "--format", "json").stdout)
    assert {c["chunk"] for c in as_json["unreviewed"]} == {first, second}

    # one chunk by a prefix of its id, with a note
    one = genguard(hooked, "review", first[:6], "--note", "read it, tests cover it")
    assert one.returncode == 0, one.stderr
    assert f"reviewed a.py chunk {first}" in one.stdout
    [event] = [e for e in ledger_events(hooked) if e["event"] == "chunk.reviewed"]
    data = event["data"]
    assert data["chunk"] == first and data["reviewer"] == "dev@example.com"
    assert data["status"] == "reviewed" and data["note"] == "read it, tests cover it"
    assert data["file"] == "a.py" and data["line_hashes"] and data["tool"] == "claude-code"
    still = run_git(hooked, "commit", "-m", "x")
    assert still.returncode == 1 and "b.py:1-2, 5-6" in still.stderr
    assert "a.py:" not in still.stderr

    # the rest of the staged chunks at once
    rest = genguard(hooked, "review", "--staged")
    assert rest.returncode == 0, rest.stderr
    assert f"reviewed b.py chunk {second}" in rest.stdout
    assert "No unreviewed" in genguard(hooked, "review").stdout
    commit(hooked, "-m", "Reviewed in the terminal")
    note = note_of(hooked)
    statuses = {(r.status, r.reviewer) for f in note.files.values() for r in f.ranges}
    assert statuses == {("reviewed", "dev@example.com")}


def test_review_lists_findings_and_marks_a_file(hooked: Path):
    configure(hooked, '[hooks]\nrequire_review = "block"\n' + WITH_PACKS)
    source = "import os\n\n\ndef run(cmd):\n    return eval(cmd or input())\n"
    [chunk] = ai_write(hooked, "run.py", source)
    listed = genguard(hooked, "review")
    assert "findings: py-eval-exec" in listed.stdout and chunk in listed.stdout
    marked = genguard(hooked, "review", "--file", "run.py")
    assert marked.returncode == 0 and f"reviewed run.py chunk {chunk}" in marked.stdout
    assert genguard(hooked, "review", "nosuchchunk").returncode == 2
    outside = genguard(hooked.parent, "review")
    assert outside.returncode == 2 and "not inside a git repository" in outside.stderr


def test_a_broken_configuration_is_reported_and_nothing_is_marked(hooked: Path):
    """Review lists and marks under the configuration: with a broken one it says so, as
    the scan does, and records nothing under settings nobody chose."""
    [chunk] = ai_write(hooked, "a.py", SAFE_BLOCK)
    for text, said in (
        ("[hooks\nrequire_review = 'block'\n", ".genguard.toml:1: invalid TOML"),
        ("scope = 5\n[rules]\npacks = []\n", 'scope must be one of "ai", "all", got integer 5'),
    ):
        configure(hooked, text)
        for argv in ((), ("--staged",), (chunk,)):
            proc = genguard(hooked, "review", *argv)
            assert proc.returncode == 2, proc.stdout + proc.stderr
            lines = [line for line in proc.stderr.splitlines() if line.strip()]
            assert len(lines) == 1 and said in lines[0], proc.stderr
            assert "fix the configuration, then run the review again" in lines[0]
            assert "using default" not in proc.stderr and "using the default" not in proc.stderr
            assert proc.stdout == ""
    assert not [e for e in ledger_events(hooked) if e["event"] == "chunk.reviewed"]
    configure(hooked, NO_PACKS)
    assert genguard(hooked, "review", "--staged").returncode == 0
    assert [e for e in ledger_events(hooked) if e["event"] == "chunk.reviewed"]
