"""Finding 7: notes written to crash or exhaust their readers (100k nested ``[``,
a range of ten billion lines, the same in a git-ai note) are reported as
unreadable; every reader finishes, in little memory, and the amend hook still
commits."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from tests.conftest import git
from tests.security.conftest import GENGUARD
from tests.security.rpc import run_measured

from genguard.gitio.notemerge import covered_lines
from genguard.notes.format import AiRange, NoteError, parse_note

MEMORY_CAP_MB = 300
DEEP = "[" * 100_000


def _huge_range_note(commit: str, created: str = "2026-12-01T00:00:00Z") -> str:
    return json.dumps(
        {
            "schema": "genguard/note/1",
            "commit": commit,
            "created": created,
            "files": {
                "a.py": {
                    "added_lines": 2,
                    "ai_lines": 2,
                    "ranges": [{"start": 1, "end": 10**10, "chunk": "c1", "tool": "copilot"}],
                }
            },
        }
    )


def test_parse_refuses_depth_and_range_without_exhausting_anything():
    with pytest.raises(NoteError, match="nested too deeply"):
        parse_note(DEEP)
    with pytest.raises(NoteError, match="out of range"):
        parse_note(_huge_range_note("abc"))
    with pytest.raises(NoteError, match="must be an integer"):
        parse_note(_huge_range_note("abc").replace('"start": 1', '"start": true'))
    # counting lines of legal ranges costs the number of ranges, not of lines
    ranges = [AiRange(1, 10_000_000, "a", "t"), AiRange(5, 20_000_000 // 2, "b", "t")]
    assert covered_lines(ranges) == 10_000_000


@pytest.fixture
def noted_repo(repo: Path) -> tuple[Path, list[str]]:
    """Three commits: a deep note; two huge-range notes in one blob (what a merge of
    notes leaves, so readers merge them); a huge-range note and a deep one in one blob."""
    shas = []
    for i, text in enumerate((DEEP, None, None)):
        (repo / "a.py").write_text(f"x = {i}\ny = {i}\n")
        git(repo, "add", "a.py")
        git(repo, "commit", "-qm", f"c{i}")
        sha = git(repo, "rev-parse", "HEAD").strip()
        shas.append(sha)
        note = text if text is not None else _huge_range_note(sha)
        if i == 1:
            note = _huge_range_note(sha) + "\n" + _huge_range_note(sha, "2026-12-02T00:00:00Z")
        if i == 2:
            note = _huge_range_note(sha) + "\n" + DEEP
        git(repo, "notes", "--ref", "refs/notes/genguard", "add", "-f", "-m", note, sha)
    return repo, shas


@pytest.mark.usefixtures("isolated_git")
@pytest.mark.parametrize(
    "argv",
    [
        ["verify"],
        ["blame", "a.py"],
        ["stats"],
        ["stats", "--json"],
        ["evidence", "--since", "2000-01-01", "--until", "2100-01-01", "--out", "EVIDENCE"],
        ["export", "agent-trace"],
        ["sbom"],
    ],
    ids=lambda a: a[0] + ("-json" if "--json" in a else ""),
)
def test_every_reader_finishes_small(noted_repo, tmp_path: Path, argv: list[str]):
    repo, _ = noted_repo
    argv = [str(tmp_path / "evidence") if a == "EVIDENCE" else a for a in argv]
    rc, out, peak = run_measured([*GENGUARD, *argv], repo, timeout=120)
    assert "Traceback" not in out and "RecursionError" not in out and "MemoryError" not in out
    assert peak < MEMORY_CAP_MB, f"{argv[0]} used {peak:.0f} MB"
    assert rc in (0, 1), out  # a verdict, not a crash (rc 2+ is usage / internal error)
    if argv[0] == "verify":
        assert rc == 1 and "malformed note" in out


@pytest.mark.usefixtures("isolated_git")
def test_amend_over_a_hostile_note_commits(noted_repo):
    from genguard.gitio.run import Git
    from genguard.hooks.install import install_hooks

    repo, _ = noted_repo
    (repo / ".genguard.toml").write_text("[rules]\npacks = []\n")
    assert install_hooks(Git(repo)).ok
    (repo / "a.py").write_text("x = 9\n")
    git(repo, "add", "a.py")
    env = {**os.environ, "GENGUARD_STANDBY": "0"}
    rc, out, peak = run_measured(["git", "commit", "-q", "--amend", "-m", "amended"], repo, env=env)
    assert rc == 0, out
    assert "Traceback" not in out and peak < MEMORY_CAP_MB
    assert git(repo, "log", "-1", "--format=%s").strip() == "amended"


@pytest.mark.usefixtures("isolated_git")
def test_git_ai_import_of_a_huge_range(repo: Path):
    (repo / "a.py").write_text("x = 1\ny = 2\n")
    git(repo, "add", "a.py")
    git(repo, "commit", "-qm", "c")
    meta = {"schema_version": "authorship/3.0.0", "sessions": {"s1": {"agent_id": {"tool": "x"}}}}
    note = "a.py\n  s1 1-9999999999\n---\n" + json.dumps(meta) + "\n"
    git(repo, "notes", "--ref", "refs/notes/ai", "add", "-m", note, "HEAD")
    rc, out, peak = run_measured([*GENGUARD, "import", "git-ai", "--json"], repo, timeout=120)
    assert rc in (0, 1), out
    assert "Traceback" not in out and "MemoryError" not in out, out
    assert peak < MEMORY_CAP_MB
    assert "bad line range" in out
