"""genguard stats over real commits and notes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import git
from tests.report.conftest import add_note, ai, cli, commit, replace_note_text

from genguard.notes.format import NoteFinding


@pytest.fixture
def commits(repo: Path) -> dict[str, str]:
    c1 = commit(repo, {"a.py": "".join(f"a{i} = {i}\n" for i in range(10))}, "one")
    add_note(
        repo,
        c1,
        {"a.py": (10, [ai(1, 4, "k1", model="gpt-4.1", status="reviewed")])},
        author="dev@example.com",
    )
    c2 = commit(repo, {"b.py": "".join(f"b{i} = {i}\n" for i in range(6)), "a.py": None}, "two")
    add_note(
        repo,
        c2,
        {"b.py": (6, [ai(1, 2, "k2", tool="claude", model="opus")])},
        author="other@example.com",
        bypass=True,
        findings=[
            NoteFinding("b.py", 1, "py-eval-exec", handling="fixed"),
            NoteFinding("b.py", 2, "py-weak-hash", handling="suppressed", reason="r", by="l@x"),
            NoteFinding("b.py", 2, "py-shell", handling="open"),
        ],
    )
    c3 = commit(repo, {"c.py": "c = 1\nd = 2\ne = 3\nf = 4\n"}, "three, genguard off")
    return {"c1": c1, "c2": c2, "c3": c3}


def stats(*argv: str, capsys: pytest.CaptureFixture) -> dict:
    assert cli("stats", *argv, "--json") == 0
    return json.loads(capsys.readouterr().out)


def test_totals_and_json_keys(repo: Path, commits: dict[str, str], capsys) -> None:
    doc = stats("-C", str(repo), capsys=capsys)
    assert doc["commits"] == 3 and doc["noted_commits"] == 2
    assert doc["added_lines"] == 20  # 10 + 6 from notes, 4 from git for the unnoted commit
    assert doc["ai_lines"] == 6 and doc["ai_share"] == 0.3
    assert doc["noted_added_lines"] == 16 and doc["ai_share_noted"] == 0.375
    assert doc["reviewed_ai_lines"] == 4 and doc["reviewed_share"] == round(4 / 6, 4)
    assert doc["findings"] == {"raised": 3, "fixed": 1, "suppressed": 1, "open": 1}
    assert doc["unnoted_commits"] == [commits["c3"]]
    assert doc["bypassed_commits"] == [commits["c2"]]
    assert {t["key"]: t["ai_lines"] for t in doc["tools"]} == {
        "copilot/gpt-4.1": 4,
        "claude/opus": 2,
    }


def test_group_by_tool_author_file(repo: Path, commits: dict[str, str], capsys) -> None:
    by_tool = stats("-C", str(repo), "--by", "tool", capsys=capsys)
    assert by_tool["by"] == "tool"
    assert [g["key"] for g in by_tool["groups"]] == ["copilot/gpt-4.1", "claude/opus"]

    by_author = stats("-C", str(repo), "--by", "author", capsys=capsys)
    rows = {g["key"]: g for g in by_author["groups"]}
    assert rows["dev@example.com"]["ai_lines"] == 4
    assert rows["dev@example.com"]["added_lines"] == 14  # c1 (note) + c3 (git author)
    assert rows["other@example.com"]["ai_share"] == round(2 / 6, 4)

    by_file = stats("-C", str(repo), "--by", "file", capsys=capsys)
    rows = {g["key"]: g for g in by_file["groups"]}
    assert rows["a.py"]["ai_share"] == 0.4 and rows["b.py"]["ai_lines"] == 2
    assert rows["c.py"] == {
        "key": "c.py",
        "commits": 1,
        "added_lines": 4,
        "ai_lines": 0,
        "reviewed_ai_lines": 0,
        "reviewed_share": 0.0,
        "ai_share": 0.0,
    }


def test_range_text_output_and_bad_input(repo: Path, commits: dict[str, str], capsys) -> None:
    doc = stats("-C", str(repo), f"{commits['c1']}..HEAD", capsys=capsys)
    assert doc["commits"] == 2 and doc["ai_lines"] == 2

    assert cli("stats", "-C", str(repo), "--by", "author") == 0
    out = capsys.readouterr().out
    assert "other@example.com" in out and "without a note" in out and "bypassed" in out

    assert cli("stats", "-C", str(repo), "nope..HEAD") == 2
    assert "bad revision range" in capsys.readouterr().err

    replace_note_text(repo, commits["c1"], "{not json")
    doc = stats("-C", str(repo), capsys=capsys)
    assert doc["malformed_notes"][0]["commit"] == commits["c1"]
    assert commits["c1"] in doc["unnoted_commits"]
    assert git(repo, "notes", "--ref", "refs/notes/genguard", "show", commits["c1"]).startswith(
        "{not json"
    )  # reading never rewrites a note
