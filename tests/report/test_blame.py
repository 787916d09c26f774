"""genguard blame: git blame -M -C joined with commit notes and the ledger, in real repos."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.report.conftest import add_note, ai, cli, commit

from genguard.attribution.linehash import line_hashes
from genguard.ledger import Ledger
from genguard.report.blame import UNCOMMITTED, blame, parse_porcelain

A_V1 = (
    "import os\n"
    "\n"
    "def helper(alpha, beta):\n"
    "    total = alpha + beta * 2\n"
    "    return total_value_of_everything(total)\n"
    "\n"
    "print(helper(1, 2))\n"
)
A_V2 = "import os\n\nprint(os.getcwd())\n"
B_V2 = (
    "# the b module\n"
    "def helper(alpha, beta):\n"
    "    total = alpha + beta * 2\n"
    "    return total_value_of_everything(total)\n"
    "\n"
    "def other():\n"
    "    return answer_to_everything(42)\n"
)
B_WORK = "def third():\n    return compute_the_answer(41) + 1\nx = 1\n"


@pytest.fixture
def history(repo: Path) -> dict[str, str]:
    """Commit 1 has an AI helper in a.py; commit 2 moves it to b.py and adds more AI code."""
    c1 = commit(repo, {"a.py": A_V1}, "helper")
    add_note(
        repo,
        c1,
        {"a.py": (7, [ai(3, 5, "c1", model="gpt-4.1", status="reviewed", reviewer="l@x")])},
    )
    c2 = commit(repo, {"a.py": A_V2, "b.py": B_V2}, "move helper to b")
    add_note(repo, c2, {"b.py": (3, [ai(6, 7, "c2", tool="claude", model="opus")])})
    return {"c1": c1, "c2": c2}


def by_line(doc: dict) -> dict[int, dict]:
    return {ln["line"]: ln for ln in doc["lines"]}


def test_blame_follows_the_move_and_reads_each_commits_note(
    repo: Path, history: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.chdir(repo)
    assert cli("blame", "b.py", "--json") == 0
    lines = by_line(json.loads(capsys.readouterr().out))
    assert lines[1]["ai"] is False and lines[1]["commit"] == history["c2"]
    for n in (2, 3, 4):  # moved from a.py: commit 1, a.py lines 3-5
        assert lines[n]["ai"] is True
        assert lines[n]["commit"] == history["c1"]
        assert (lines[n]["tool"], lines[n]["model"], lines[n]["status"]) == (
            "copilot",
            "gpt-4.1",
            "reviewed",
        )
        assert lines[n]["source"] == {"path": "a.py", "line": n + 1}
    assert lines[5]["ai"] is False
    assert [lines[6]["tool"], lines[7]["model"], lines[7]["status"]] == [
        "claude",
        "opus",
        "unreviewed",
    ]
    assert set(lines[1]) >= {"line", "ai", "tool", "model", "commit", "status"}
    assert "text" not in lines[2]  # reports carry no code


def test_blame_at_a_revision_and_human_edits(repo: Path, history: dict[str, str]) -> None:
    old = blame(repo, "a.py", rev=history["c1"])
    assert [ln.ai for ln in old.lines] == [False, False, True, True, True, False, False]
    now = blame(repo, "a.py", rev="HEAD")
    assert not any(ln.ai for ln in now.lines)
    assert now.lines[2].commit == history["c2"]  # the rewritten print line is commit 2's


def test_uncommitted_lines_come_from_the_ledger(repo: Path, history: dict[str, str]) -> None:
    (repo / "b.py").write_text(B_V2 + B_WORK)
    ai_text = "def third():\n    return compute_the_answer(41) + 1\n"
    Ledger.for_workspace(repo).append(
        "chunk.created",
        {"chunk": "c3", "file": "b.py", "lines": [8, 9], "line_hashes": line_hashes(ai_text),
         "tool": "cursor", "model": "m1", "method": "declared", "status": "unreviewed"},
    )  # fmt: skip
    report = blame(repo, "b.py")
    tail = {ln.line: ln for ln in report.lines[7:]}
    assert tail[8].commit == UNCOMMITTED and tail[8].ai and tail[8].tool == "cursor"
    assert tail[9].ai and tail[9].evidence == "ledger" and tail[9].chunk == "c3"
    assert tail[10].commit == UNCOMMITTED and not tail[10].ai  # typed by hand
    assert report.lines[1].ai and report.lines[1].commit == history["c1"]


def test_commits_without_a_note_and_text_output(
    repo: Path, history: dict[str, str], capsys
) -> None:
    commit(repo, {"b.py": B_V2 + "y = 2\n"}, "no genguard here")
    report = blame(repo, "b.py")
    assert report.lines[-1].evidence == "missing" and not report.lines[-1].ai
    assert any("without a genguard note" in w for w in report.warnings)
    assert cli("blame", str(repo / "b.py")) == 0
    out = capsys.readouterr().out
    assert "copilot/gpt-4.1" in out and "claude/opus" in out and "5 of 8 lines AI" in out


def test_untracked_file_and_bad_input(repo: Path, history: dict[str, str], capsys) -> None:
    (repo / "new.py").write_text("print(1)\n")
    report = blame(repo, "new.py")
    assert [(ln.commit, ln.ai) for ln in report.lines] == [(UNCOMMITTED, False)]
    assert cli("blame", str(repo / "missing.py")) == 2
    assert "no such file" in capsys.readouterr().err
    assert cli("blame", str(repo / "a.py"), "--rev", "no-such-rev") == 2
    assert "git blame" in capsys.readouterr().err


def test_porcelain_parser_unquotes_paths() -> None:
    sha = "a" * 40
    out = (
        f'{sha} 3 1 1\nauthor A\nauthor-mail <a@x>\nfilename "we\\tird\\"name.py"\n\tcode\n'
    ).encode()
    (line,) = parse_porcelain(out)
    assert (line.orig_path, line.orig_line, line.line, line.author) == (
        'we\tird"name.py',
        3,
        1,
        "a@x",
    )
