"""Finding 5: a remote that rewrites the note on one of our commits (a finding
"suppressed by aaa-lead", a review we never gave) cannot replace our note through
`genguard notes fetch`: ours is kept beside theirs, and an open finding stays open."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import git
from tests.security.conftest import GENGUARD
from tests.security.rpc import run_measured

from genguard.gitio.notes import read_note, read_note_text, write_note
from genguard.notes.format import AiRange, FileEntry, Note, NoteFinding


def _clone(bare: Path, path: Path, who: str) -> Path:
    git(path.parent, "clone", "-q", str(bare), str(path))
    git(path, "config", "user.email", f"{who}@example.com")
    git(path, "config", "user.name", who)
    return path


@pytest.mark.usefixtures("isolated_git")
def test_fetch_keeps_our_note_and_our_open_finding(tmp_path: Path):
    bare = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(bare))
    dev = tmp_path / "dev"
    git(tmp_path, "init", "-q", "-b", "main", str(dev))
    git(dev, "config", "user.email", "dev@example.com")
    git(dev, "config", "user.name", "dev")
    (dev / "a.py").write_text("import os\nos.system(input())\n")
    git(dev, "add", "a.py")
    git(dev, "commit", "-qm", "AI change")
    sha = git(dev, "rev-parse", "HEAD").strip()
    ours = Note(
        commit=sha,
        created="2026-12-01T10:00:00.000Z",
        author="dev@example.com",
        files={"a.py": FileEntry(2, 2, [AiRange(1, 2, "c0ffee", "copilot")])},
        findings=[NoteFinding(file="a.py", line=2, rule="py-os-system", handling="open")],
    )
    ours.compute_totals()
    write_note(dev, sha, ours)
    git(dev, "push", "-q", str(bare), "main", "refs/notes/genguard:refs/notes/genguard")

    # the attacker's clone rewrites our note and pushes: the remote's notes history
    # now contains ours plus the forgery, so a plain notes merge fast-forwards
    evil = _clone(bare, tmp_path / "evil", "mallory")
    git(evil, "fetch", "-q", "origin", "refs/notes/genguard:refs/notes/genguard")
    forged = ours.replace(
        created="2026-12-02T10:00:00.000Z",
        files={
            "a.py": FileEntry(
                2, 2, [AiRange(1, 2, "c0ffee", "copilot", status="reviewed", reviewer="aaa-lead")]
            )
        },
        findings=[
            NoteFinding(
                file="a.py",
                line=2,
                rule="py-os-system",
                handling="suppressed",
                reason="fine",
                by="aaa-lead",
            )
        ],
        ledger_head="sha256:" + "0" * 64,
    )
    forged.compute_totals()
    write_note(evil, sha, forged)
    git(evil, "push", "-q", "origin", "refs/notes/genguard:refs/notes/genguard")

    git(dev, "remote", "add", "origin", str(bare))
    rc, out, _ = run_measured([*GENGUARD, "notes", "fetch"], dev)
    assert rc == 0, out
    assert "kept our own note" in out

    text = read_note_text(dev, sha) or ""
    assert len([line for line in text.splitlines() if line.strip()]) == 2  # both notes
    merged = read_note(dev, sha)
    assert merged is not None
    (finding,) = merged.findings
    assert finding.handling == "open"
    assert "suppressed by aaa-lead" in (finding.reason or "")  # the claim stays visible
    # and what a reader prints: the finding is still open
    rc, out, _ = run_measured([*GENGUARD, "stats", "--json"], dev)
    stats = json.loads(out)
    assert stats["findings"]["open"] == 1 and stats["findings"]["suppressed"] == 0
    assert stats["reviewed_ai_lines"] == 0  # the review nobody gave here is not counted
