"""Suppressions made in the editor travel with the commit note: `genguard scan` honours
them in the same repository and in a fresh clone, until the line changes."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import git
from tests.git.conftest import (
    WITH_PACKS,
    ai_write,
    commit,
    configure,
    genguard,
    note_of,
    run_git,
)

from genguard.gitio.notes import read_note, write_note
from genguard.gitio.run import Git
from genguard.hooks.install import install_hooks
from genguard.ledger.store import Ledger, ledger_path
from genguard.notes.decisions import Verdict, decide
from genguard.notes.format import Note, NoteFinding

EVAL_BLOCK = "import os\n\n\ndef run(cmd):\n    return eval(cmd or input())\n"
REASON = "only ever called with constants from config"


def scan_json(cwd: Path, *args: str) -> tuple[int, dict]:
    """Exit code and report; ``suppressed_by_notes`` lists the note-carried suppressions."""
    proc = genguard(cwd, "scan", "--no-cache", "--format", "json", *args)
    assert proc.returncode in (0, 1), proc.stderr
    report = json.loads(proc.stdout)
    report["suppressed_by_notes"] = [f for f in report["suppressed"] if "suppression" in f]
    return proc.returncode, report


def suppress_in_editor(repo: Path, chunk: str, rule: str, reason: str) -> None:
    """The ledger event the editor's Suppress action writes (same schema)."""
    Ledger(ledger_path(repo), actor="alice@example.com").append(
        "finding.suppressed",
        {
            "chunk": chunk,
            "file": "run.py",
            "lines": [0, 4],
            "rule": rule,
            "cwe": ["CWE-95"],
            "reason": reason,
            "by": "alice@example.com",
        },
    )


def _remote_and_alice(tmp_path: Path) -> tuple[Path, Path]:
    bare = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(bare))
    alice = tmp_path / "alice"
    git(tmp_path, "init", "-q", str(alice))
    git(alice, "config", "user.email", "alice@example.com")
    git(alice, "config", "user.name", "alice")
    configure(alice, WITH_PACKS)
    (alice / "README.md").write_text("# demo\n")
    git(alice, "add", ".")
    git(alice, "commit", "-qm", "initial")
    git(alice, "remote", "add", "origin", str(bare))
    git(alice, "push", "-q", "-u", "origin", "main")
    assert install_hooks(Git(alice)).ok
    return bare, alice


def test_editor_suppression_travels_to_a_clone_until_the_line_changes(tmp_path: Path):
    bare, alice = _remote_and_alice(tmp_path)
    [chunk] = ai_write(alice, "run.py", EVAL_BLOCK)
    suppress_in_editor(alice, chunk, "py-eval-exec", REASON)
    commit(alice, "-m", "Add runner")  # the gate honours the editor's suppression
    sha = git(alice, "rev-parse", "HEAD").strip()
    [recorded] = note_of(alice).findings
    assert (recorded.handling, recorded.line, recorded.by) == ("suppressed", 5, "alice@example.com")

    # the same repository: the ledger and the note agree, the finding is suppressed
    code, report = scan_json(alice)
    assert code == 0, report
    assert report["findings"] == []
    [held] = report["suppressed"]
    assert held["rule"] == "py-eval-exec" and held["reason"] == REASON

    # a fresh clone, as CI has it: the branch, then the notes through genguard
    git(alice, "push", "-q", "origin", "main")
    assert genguard(alice, "notes", "push").returncode == 0
    ci = tmp_path / "ci"
    git(tmp_path, "clone", "-q", str(bare), str(ci))
    git(ci, "config", "user.email", "ci@example.com")
    git(ci, "config", "user.name", "ci")
    assert scan_json(ci)[0] == 1  # no notes yet: the finding stands
    fetched = genguard(ci, "notes", "fetch")
    assert fetched.returncode == 0, fetched.stderr
    code, report = scan_json(ci)
    assert code == 0 and report["findings"] == []
    [held] = report["suppressed_by_notes"]
    assert held["rule"] == "py-eval-exec" and held["range"]["start"]["line"] == 4
    decision = held["suppression"]
    assert decision["by"] == "alice@example.com" and decision["reason"] == REASON
    assert decision["commit"] == sha and decision["when"] == note_of(alice).created
    text = genguard(ci, "scan", "--no-cache")
    assert text.returncode == 0, text.stdout + text.stderr
    assert f"suppressed by alice@example.com on {decision['when'][:10]}" in text.stdout
    assert f"in commit {sha[:12]}: {REASON}" in text.stdout
    assert "1 suppressed (1 by commit notes)" in text.stdout
    code, report = scan_json(ci, "--ai-only")
    assert code == 0 and report["findings"] == [] and report["suppressed_by_notes"]

    sarif_proc = genguard(ci, "scan", "--no-cache", "--format", "sarif")
    assert sarif_proc.returncode == 0, sarif_proc.stderr
    [result] = json.loads(sarif_proc.stdout)["runs"][0]["results"]
    assert result["ruleId"] == "py-eval-exec"
    [suppression] = result["suppressions"]
    assert suppression["kind"] == "external" and suppression["justification"] == REASON
    assert suppression["properties"]["commit"] == sha
    assert suppression["properties"]["by"] == "alice@example.com"

    # the line changes: the decision no longer covers it
    changed = EVAL_BLOCK.replace("eval(cmd or input())", "eval(cmd or input() or '')")
    (ci / "run.py").write_text(changed)
    code, report = scan_json(ci)
    assert code == 1 and report["suppressed_by_notes"] == []
    assert [f["rule"] for f in report["findings"]] == ["py-eval-exec"]
    # committed by someone else: blame names the new commit, whose note says nothing
    git(ci, "commit", "-qam", "Change the runner")
    code, report = scan_json(ci)
    assert code == 1 and [f["rule"] for f in report["findings"]] == ["py-eval-exec"]
    # a line elsewhere changing keeps the decision for the untouched line
    git(ci, "reset", "-q", "--hard", sha)
    (ci / "run.py").write_text("import os  # the os module\n" + EVAL_BLOCK[len("import os\n") :])
    code, report = scan_json(ci)
    assert code == 0 and report["suppressed_by_notes"][0]["suppression"]["commit"] == sha


def test_an_unsigned_suppression_from_elsewhere_does_not_hide_a_local_open(tmp_path: Path):
    bare, alice = _remote_and_alice(tmp_path)
    ai_write(alice, "run.py", EVAL_BLOCK)
    assert run_git(alice, "commit", "-m", "Blocked").returncode == 1
    commit(alice, "--no-verify", "-m", "Add runner anyway")  # the note records it open
    sha = git(alice, "rev-parse", "HEAD").strip()
    assert [f.handling for f in note_of(alice).findings] == ["open"]
    git(alice, "push", "-q", "origin", "main")
    assert genguard(alice, "notes", "push").returncode == 0

    # someone with push access rewrites the remote's note to say "suppressed", unsigned
    mallory = tmp_path / "mallory"
    git(tmp_path, "clone", "-q", str(bare), str(mallory))
    git(mallory, "config", "user.email", "mallory@example.com")
    git(mallory, "config", "user.name", "mallory")
    assert genguard(mallory, "notes", "fetch").returncode == 0
    forged = read_note(mallory, sha)
    assert forged is not None
    forged.findings[0].handling = "suppressed"
    forged.findings[0].reason = "fine"
    forged.findings[0].by = "mallory@example.com"
    forged.created = "2999-01-01T00:00:00.000Z"
    write_note(mallory, sha, forged)
    git(mallory, "push", "-q", "-f", "origin", "refs/notes/genguard:refs/notes/genguard")

    fetched = genguard(alice, "notes", "fetch")
    assert fetched.returncode == 0, fetched.stderr
    code, report = scan_json(alice)
    assert code == 1
    assert [f["rule"] for f in report["findings"]] == ["py-eval-exec"]
    assert report["suppressed_by_notes"] == []
    proc = genguard(alice, "scan", "--no-cache")
    assert proc.returncode == 1
    assert "not suppressed" in proc.stderr and "not signed by an allowed signer" in proc.stderr

    # a clone that only ever saw the forged note has nothing local to protect
    fresh = tmp_path / "fresh"
    git(tmp_path, "clone", "-q", str(bare), str(fresh))
    assert genguard(fresh, "notes", "fetch").returncode == 0
    assert scan_json(fresh)[0] == 0


def _note(handling: str, signed: bool = False) -> Note:
    note = Note(commit="c" * 40, created="2026-12-01T10:00:00.000Z")
    note.findings.append(
        NoteFinding(file="a.py", line=3, rule="r", handling=handling, reason="ok", by="b@x")
    )
    if signed:
        note.signature = {"format": "ssh", "signer": "b@x", "sig": "..."}
    return note


def test_decide_weighs_trust_only_when_something_here_contradicts():
    def decide_on(notes, trusted, here=False):
        return decide(
            notes, "c" * 40, "a.py", 3, "r", trusted=lambda n: trusted(n), noted_here=here
        )

    nobody = lambda n: False  # noqa: E731
    signed = lambda n: n.signature is not None  # noqa: E731
    # another line or rule: nothing to say
    assert decide(
        [_note("suppressed")], "c" * 40, "a.py", 4, "r", trusted=nobody, noted_here=False
    ) == Verdict()
    # from elsewhere, uncontradicted: honoured, with who, when and why
    v = decide_on([_note("suppressed")], nobody)
    assert v.honoured is not None and v.honoured.by == "b@x" and v.honoured.reason == "ok"
    assert v.honoured.describe() == "suppressed by b@x on 2026-12-01 in commit cccccccccccc: ok"
    # contradicted by an open, or by a note of this clone's own: it needs trust
    assert decide_on([_note("open"), _note("suppressed")], nobody).refused is not None
    assert decide_on([_note("suppressed")], nobody, here=True).refused is not None
    v = decide_on([_note("open"), _note("suppressed", signed=True)], signed)
    assert v.honoured is not None and v.honoured.signed
