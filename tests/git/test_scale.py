"""Big inputs: a huge AI-written file and a long ledger cost the hooks little and are said."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import git
from tests.git.conftest import commit, configure, ledger_events, note_of

from genguard.ledger import Ledger
from genguard.ledger import index as ledger_index

#: A limit small enough for a quick test; the default is 2 MB, as for `genguard scan`.
LIMIT = 200_000


def _big(path: Path, size: int) -> None:
    line = "VALUE_{:08d} = {:08d}  # generated table row\n"
    rows = size // len(line.format(0, 0)) + 1
    path.write_text("".join(line.format(i, i) for i in range(rows)))


def test_a_file_over_the_limit_is_recorded_as_skipped_and_the_note_says_so(hooked: Path):
    configure(hooked, f"[rules]\npacks = []\n[scan]\nmax_file_bytes = {LIMIT}\n")
    git(hooked, "add", ".genguard.toml")
    commit(hooked, "-m", "limit")
    big = hooked / "table.py"
    _big(big, 5 * LIMIT)
    before = (hooked / ".git" / "genguard" / "ledger.jsonl").stat().st_size
    proc = subprocess.run(
        [sys.executable, "-m", "genguard", "record", "--tool", "agent", "table.py"],
        cwd=hooked,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert "table.py" in proc.stderr and "not attributed" in proc.stderr
    grown = (hooked / ".git" / "genguard" / "ledger.jsonl").stat().st_size - before
    assert grown < 2_000  # one checkpoint record: no hashes of a million lines
    checkpoint = ledger_events(hooked)[-1]
    assert checkpoint["event"] == "checkpoint.recorded"
    assert checkpoint["data"]["oversize"][0]["file"] == "table.py"
    assert not (hooked / ".git" / "genguard" / "snapshots").exists() or not any(
        (hooked / ".git" / "genguard" / "snapshots").rglob("*")
    )

    git(hooked, "add", "table.py")
    commit(hooked, "-m", "a generated table")
    note = note_of(hooked)
    assert note.incomplete == [
        {
            "what": "oversize",
            "file": "table.py",
            "detail": f"{note.files['table.py'].added_lines} lines added,"
            " over [scan] max_file_bytes; not analysed",
        }
    ]
    assert note.files["table.py"].added_lines == len(big.read_text().splitlines())
    assert note.totals["ai_lines"] == 0


def test_a_file_with_live_ai_chunks_over_the_limit_is_not_analysed_by_the_gate(hooked: Path):
    configure(hooked, f"[rules]\npacks = []\n[scan]\nmax_file_bytes = {LIMIT}\n")
    git(hooked, "add", ".genguard.toml")
    commit(hooked, "-m", "limit")
    from tests.git.conftest import ai_write

    ai_write(hooked, "gen.py", "def f():\n    return 1\n")
    commit(hooked, "-m", "small AI file")
    _big(hooked / "gen.py", 3 * LIMIT)
    git(hooked, "add", "gen.py")
    err = commit(hooked, "-m", "the AI file grew")
    assert "gen.py" in err and "not analysed" in err
    assert note_of(hooked).incomplete[0]["file"] == "gen.py"


def test_hooks_read_the_ledger_from_its_index(hooked: Path):
    """After commits, what a reader folds is bounded by the checkpoint stride."""
    from tests.git.conftest import ai_write

    ledger = Ledger(hooked / ".git" / "genguard" / "ledger.jsonl")
    for i in range(3 * ledger_index.STRIDE // 8):  # eight records per round of padding
        for _ in range(8):
            ledger.append("commit.noted", {"commit": f"{i:040x}", "ai_lines": 0})
    ai_write(hooked, "app.py", "def f():\n    return 2\n")
    commit(hooked, "-m", "AI code")
    assert note_of(hooked).totals["ai_lines"] == 2
    assert Ledger(ledger.path).state().replayed < ledger_index.STRIDE
    assert ledger_index.live_path(ledger.path).read_text() == "app.py\n"
