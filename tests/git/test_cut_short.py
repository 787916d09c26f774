"""A check of AI lines cut short by its budget never passes for a clean one: not in
``genguard record``'s checkpoint, not at the commit gate, not in the commit's note."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import git
from tests.cutshort import nested_loops
from tests.git.conftest import (
    WITH_PACKS,
    ai_write,
    commit,
    configure,
    ledger_events,
    note_of,
    run_git,
)


def test_ai_lines_not_fully_checked_are_said_so_at_record_gate_and_note(hooked: Path):
    configure(hooked, WITH_PACKS)
    git(hooked, "add", ".genguard.toml")
    commit(hooked, "-m", "packs on")

    # checked to the end, the flow to the shell is found and the commit refused
    ai_write(hooked, "views.py", nested_loops(4))
    proc = run_git(hooked, "commit", "-m", "shallow")
    assert proc.returncode == 1 and "py-os-system" in proc.stderr
    checkpoint = ledger_events(hooked)[-1]
    assert checkpoint["event"] == "checkpoint.recorded"
    assert "incomplete" not in checkpoint["data"]

    # the same flow behind loops the analysis cannot finish: the gate cannot see it
    ai_write(hooked, "views.py", nested_loops())
    checkpoint = ledger_events(hooked)[-1]
    [entry] = checkpoint["data"]["incomplete"]
    assert entry["what"] == "cut-short" and entry["file"] == "views.py"
    assert entry["detail"].startswith("taint analysis stopped at its")
    err = commit(hooked, "-m", "deep")
    assert "warning: views.py: taint analysis stopped at its" in err
    assert "findings may be missing (in the commit's note)" in err
    note = note_of(hooked)
    assert note.findings == []
    assert [(i["what"], i["file"]) for i in note.incomplete] == [("cut-short", "views.py")]
    assert "taint analysis stopped at its" in note.incomplete[0]["detail"]
