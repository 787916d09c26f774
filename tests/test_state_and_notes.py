"""Ledger replay into chunk state, and notes through the real git."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import git

from genguard.attribution.state import live_by_file, replay
from genguard.gitio.notes import notes_in_range, read_note, write_note
from genguard.ledger import Ledger
from genguard.notes.format import AiRange, FileEntry, Note
from genguard.session.session import Session

BLOCK = "def f(x):\n    y = eval(x)\n    return y + 1  # add one\n"


def test_replay_follows_the_editor_session(repo: Path, tmp_path: Path):
    session = Session(repo, cache_dir=tmp_path / "c")
    uri = (repo / "a.py").as_uri()
    session.open(uri, "python", 1, "import os\n")
    session.change(uri, 2, [(((1, 0), (1, 0)), BLOCK)])
    chunk = session.declare_ai(uri, 2, ((1, 0), (4, 0)), tool="copilot", model="m1")
    session.mark_reviewed(uri, chunk.id)
    states = replay(Ledger.for_workspace(repo).records())
    live = live_by_file(states)["a.py"]
    assert len(live) == 1
    state = live[0]
    assert (state.tool, state.model, state.method, state.status) == (
        "copilot",
        "m1",
        "declared",
        "reviewed",
    )
    assert state.reviewer == "dev@example.com"
    assert state.lines == (2, 4)
    assert len(state.line_hashes) == 3


def test_notes_round_trip_in_a_real_repo(repo: Path):
    (repo / "a.py").write_text("x = 1\n")
    git(repo, "add", "a.py")
    git(repo, "commit", "-qm", "first")
    head = git(repo, "rev-parse", "HEAD").strip()
    note = Note(
        commit=head,
        created="2026-11-27T00:00:00Z",
        files={"a.py": FileEntry(added_lines=1, ai_lines=1, ranges=[AiRange(1, 1, "c1", "t")])},
    )
    note.compute_totals()
    write_note(repo, head, note)
    back = read_note(repo, head)
    assert back is not None and back.totals["ai_lines"] == 1
    assert [(c, n is not None, e) for c, n, e in notes_in_range(repo)] == [(head, True, None)]
