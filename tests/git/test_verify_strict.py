"""`genguard verify` says what the chain proves about the ledger's tail, and can fail on it.

Real hooks, real commits, real rewrites: after a commit every record is vouched for
(anchored by a note's ledger_head, or the hooks' own record of a note that exists);
work not committed yet is said plainly and fails only under `--strict` or an
organisation's `[ledger] require_anchored`; a tail cut after the last commit fails
`--strict`, naming the commit whose record went missing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.git.conftest import (
    NO_PACKS,
    ai_write,
    commit,
    configure,
    genguard,
    run_git,
)

BLOCK = "def double(x):\n    return x * 2\n\n\ndef triple(x):\n    return x * 3\n"


def _verify(repo: Path, *args: str) -> tuple[int, str, dict]:
    text = genguard(repo, "verify", *args)
    doc = json.loads(genguard(repo, "verify", "--format", "json", *args).stdout)
    return text.returncode, text.stdout + text.stderr, doc


@pytest.fixture
def committed(hooked: Path) -> Path:
    ai_write(hooked, "a.py", BLOCK)
    commit(hooked, "-m", "AI block")
    return hooked


def test_after_a_commit_every_record_is_vouched_for_even_when_strict(committed: Path):
    rc, out, doc = _verify(committed, "--strict")
    assert rc == 0, out
    assert "every record is vouched for by a commit note" in out
    assert doc["unanchored_records"] >= 1  # the hook's own commit.noted, after the head
    assert doc["unvouched_records"] == 0 and doc["strict"] is True


def test_uncommitted_work_is_said_and_fails_only_when_strict(committed: Path):
    ai_write(committed, "b.py", BLOCK.replace("double", "half"))
    rc, out, doc = _verify(committed)
    assert rc == 0, out  # the normal working state stays usable
    assert "ledger records are vouched for by no commit note" in out
    assert "not a failure unless --strict" in out
    assert doc["unvouched_records"] >= 1 and doc["ok"] is True

    rc, out, doc = _verify(committed, "--strict")
    assert rc == 1, out
    assert "vouched for by no commit note" in out and "first failure: ledger seq" in out
    assert doc["ok"] is False and doc["first_failure"]["kind"] == "unanchored"

    commit(committed, "-m", "more")  # committing anchors them
    rc, out, _ = _verify(committed, "--strict")
    assert rc == 0, out


def test_the_organisation_makes_it_a_failure_and_a_repository_cannot_lower_it(
    committed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    ai_write(committed, "b.py", BLOCK.replace("double", "half"))
    policy = tmp_path / "org-policy.toml"
    policy.write_text("[ledger]\nrequire_anchored = true\n")
    monkeypatch.setenv("GENGUARD_ORG_POLICY", str(policy))
    configure(committed, NO_PACKS + "[ledger]\nrequire_anchored = false\n")
    rc, out, doc = _verify(committed)
    assert rc == 1, out
    assert doc["strict"] is True and doc["first_failure"]["kind"] == "unanchored"


def test_a_tail_cut_after_the_last_commit_fails_strict(committed: Path):
    ai_write(committed, "b.py", BLOCK.replace("double", "half"))
    commit(committed, "-m", "second")
    ledger = committed / ".git" / "genguard" / "ledger.jsonl"
    lines = ledger.read_text().splitlines(keepends=True)
    assert json.loads(lines[-1])["event"] == "commit.noted"
    ledger.write_text("".join(lines[:-1]))  # the chain itself still holds

    rc, out, _ = _verify(committed)
    assert rc == 0, out
    assert "have no commit.noted record in the ledger" in out
    rc, out, doc = _verify(committed, "--strict")
    assert rc == 1, out
    head = run_git(committed, "rev-parse", "HEAD").stdout.strip()
    assert doc["first_failure"] == {
        "kind": "unanchored",
        "reason": doc["first_failure"]["reason"],
        "commit": head,
    }
    assert "tail may have been cut" in doc["first_failure"]["reason"]


def test_amend_and_rebase_keep_a_strict_verify_green(committed: Path):
    commit(committed, "--amend", "-m", "AI block, amended")
    ai_write(committed, "c.py", BLOCK.replace("double", "quad"))
    commit(committed, "-m", "third")
    rebased = run_git(
        committed,
        "rebase",
        "-i",
        "HEAD~2",
        env={"GIT_SEQUENCE_EDITOR": "sed -i '2s/^pick/fixup/'"},
    )
    assert rebased.returncode == 0, rebased.stderr
    rc, out, _ = _verify(committed, "--strict")
    assert rc == 0, out


GIT_AI_NOTE = """\
imported.py
  s1a2b3c 1-2
---
{
  "schema_version": "authorship/3.0.0",
  "git_ai_version": "1.0.0",
  "base_commit_sha": "",
  "sessions": {"s1a2b3c": {"agent_id": {"tool": "cursor", "id": "s", "model": "m"}}}
}
"""


def test_a_note_imported_from_git_ai_is_not_taken_for_a_cut_tail(committed: Path):
    """Imported notes name no ledger head and have no commit.noted: nothing was cut."""
    from tests.git.conftest import human_write

    human_write(committed, "imported.py", "a = 1\nb = 2\n")
    # made where genguard's hooks did not run (another machine), with git-ai's note
    made = run_git(committed, "-c", "core.hooksPath=/dev/null", "commit", "-qm", "via git-ai")
    assert made.returncode == 0, made.stderr
    head = run_git(committed, "rev-parse", "HEAD").stdout.strip()
    added = run_git(committed, "notes", "--ref", "ai", "add", "-m", GIT_AI_NOTE, head)
    assert added.returncode == 0, added.stderr
    imported = genguard(committed, "import", "git-ai")
    assert imported.returncode == 0, imported.stdout + imported.stderr
    rc, out, doc = _verify(committed, "--strict")
    assert doc["notes"]["unrecorded_notes"] == [], out
    assert rc == 0, out
