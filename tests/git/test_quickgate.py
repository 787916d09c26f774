"""The quick gate: a commit that cannot hold AI lines is passed without the full gate.

Each test makes real commits through the installed shims and checks both that the
shortcut is taken when it may be, and that anything it cannot vouch for goes to the
full gate: a staged file with a live chunk (also under a new name), a ledger or
configuration changed since the gate last ran, a configuration error, an amend.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.git.conftest import (
    NO_PACKS,
    ai_lines,
    ai_write,
    commit,
    configure,
    message,
    note_of,
    run_git,
)

TIMING = {"GENGUARD_HOOK_TIMING": "1"}
BLOCK = "def double(x):\n    return 2 * x\n"


def quick(err: str) -> bool:
    return "pre-commit took" in err and "(quick gate)" in err


def human_commit(repo: Path, path: str, text: str, msg: str, env=None) -> str:
    (repo / path).write_text(text)
    run_git(repo, "add", path)
    return commit(repo, "-m", msg, env={**TIMING, **(env or {})})


def test_a_commit_without_ai_files_takes_the_quick_gate_and_gets_the_same_note(hooked: Path):
    human_commit(hooked, "a.py", "x = 1\n", "First: the full gate leaves its record")
    err = human_commit(hooked, "b.py", "y = 1\n", "Second")
    assert quick(err), err
    quick_note = note_of(hooked)
    err = human_commit(hooked, "c.py", "z = 1\n", "Third", env={"GENGUARD_QUICK_GATE": "0"})
    assert not quick(err), err
    full_note = note_of(hooked)
    for note, path in ((quick_note, "b.py"), (full_note, "c.py")):
        assert list(note.files) == [path]
        assert (note.totals["added_lines"], note.totals["ai_lines"]) == (1, 0)
        assert note.bypass is False and note.findings == [] and note.tools == []
    assert quick_note.policy_hash == full_note.policy_hash
    assert "Assisted-by" not in message(hooked, "HEAD~1")


def test_a_staged_file_with_a_live_chunk_goes_to_the_full_gate(hooked: Path):
    ai_write(hooked, "a.py", BLOCK, tool="claude-code", model="opus-4")
    commit(hooked, "-m", "AI code")
    human_commit(hooked, "b.py", "y = 1\n", "Record the live files")
    # a human edit next to the AI lines: the file has a live chunk, so no shortcut
    err = human_commit(hooked, "a.py", BLOCK + "\nz = 3\n", "Edit the AI file")
    assert not quick(err), err
    assert note_of(hooked).totals["added_lines"] == 2
    # and a rename of it is the file under another name
    run_git(hooked, "mv", "a.py", "renamed.py")
    err = commit(hooked, "-m", "Rename", env=TIMING)
    assert not quick(err), err


def test_a_chunk_recorded_since_the_last_full_gate_is_not_missed(hooked: Path):
    human_commit(hooked, "a.py", "x = 1\n", "First")
    assert quick(human_commit(hooked, "b.py", "y = 1\n", "Second: record is current"))
    ai_write(hooked, "c.py", BLOCK, tool="copilot", model="gpt-5")  # the ledger grows
    err = commit(hooked, "-m", "AI file", env=TIMING)
    assert not quick(err), err
    assert ai_lines(note_of(hooked), "c.py") == [1, 2]
    assert message(hooked).splitlines()[-1] == "Assisted-by: copilot:gpt-5"


def test_a_changed_or_broken_configuration_goes_to_the_full_gate(hooked: Path):
    human_commit(hooked, "a.py", "x = 1\n", "First")
    assert quick(human_commit(hooked, "b.py", "y = 1\n", "Second"))
    configure(hooked, "[hooks]\nrequire_review = 7\n" + NO_PACKS)  # an error, at a line
    run_git(hooked, "add", ".genguard.toml")
    err = commit(hooked, "-m", "Broken setting", env=TIMING)
    assert not quick(err) and "configuration:" in err, err
    err = human_commit(hooked, "c.py", "z = 1\n", "Still broken: still said")
    assert not quick(err) and "configuration:" in err, err


def test_amend_goes_to_the_full_gate(hooked: Path):
    human_commit(hooked, "a.py", "x = 1\n", "First")
    human_commit(hooked, "b.py", "y = 1\n", "Second")
    (hooked / "b.py").write_text("y = 2\n")
    run_git(hooked, "add", "b.py")
    err = commit(hooked, "--amend", "-m", "Second, amended", env=TIMING)
    assert not quick(err), err


def test_the_record_holds_paths_and_identities_not_contents(hooked: Path):
    ai_write(hooked, "secret_module.py", 'API = "value"\n', tool="claude-code", model="opus-4")
    commit(hooked, "-m", "AI code")
    record = json.loads((hooked / ".git" / "genguard" / "gate-cache.json").read_text())
    assert record["live"] == ["secret_module.py"]
    assert "value" not in json.dumps(record)
    assert set(record["config"]) == {".genguard.toml", "pyproject.toml"}


def test_the_quick_gate_reads_the_ledger_the_store_writes():
    from genguard.hooks.quickgate import LEDGER
    from genguard.ledger.store import LEDGER_FILENAME

    assert LEDGER == LEDGER_FILENAME


def test_a_torn_or_foreign_record_sends_the_commit_to_the_full_gate(hooked: Path):
    human_commit(hooked, "a.py", "x = 1\n", "First")
    path = hooked / ".git" / "genguard" / "gate-cache.json"
    for bad in ('{"v": 2, "live": [', '["not", "a", "record"]', "\x00\xff"):
        path.write_bytes(bad.encode("utf-8", "surrogateescape"))
        err = human_commit(hooked, f"f{len(bad)}.py", "y = 1\n", "After a bad record")
        assert not quick(err), err
        assert json.loads(path.read_text())["v"] >= 2  # the full gate wrote it anew
    assert quick(human_commit(hooked, "z.py", "z = 1\n", "And the shortcut is back"))
