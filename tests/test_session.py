"""The session without the LSP layer: caching, parsing discipline, ledger records."""

from __future__ import annotations

import json
from pathlib import Path

from genguard.session.session import Session

BLOCK = (
    "def fetch(url):\n"
    "    import requests\n"
    "    resp = requests.get(url, verify=False)\n"
    "    return resp.text\n"
)


def _write_config(repo: Path, text: str) -> None:
    (repo / ".genguard.toml").write_text(text)


def test_reopening_unchanged_text_is_a_cache_hit(repo: Path, tmp_path: Path):
    _write_config(repo, 'scope = "all"\n')
    source = "import requests\n" + "x = 1\n" * 2000 + BLOCK
    first = Session(repo, cache_dir=tmp_path / "cache")
    doc = first.open((repo / "a.py").as_uri(), "python", 1, source)
    first.check(doc)
    assert [f.rule.id for f in doc.findings] == ["py-requests-verify-false"]
    assert doc.syntax.full_parses == 1

    second = Session(repo, cache_dir=tmp_path / "cache")
    doc2 = second.open((repo / "b.py").as_uri(), "python", 1, source)
    second.check(doc2)
    assert [f.rule.id for f in doc2.findings] == ["py-requests-verify-false"]
    assert doc2.syntax.full_parses == 0  # answered from the cache without parsing


def test_keystrokes_never_cause_a_full_reparse(repo: Path, tmp_path: Path):
    session = Session(repo, cache_dir=tmp_path / "cache")
    uri = (repo / "a.py").as_uri()
    doc = session.open(uri, "python", 1, "import os\n")
    session.check(doc)
    session.change(uri, 2, [(((1, 0), (1, 0)), BLOCK)])
    session.check(doc)
    assert len(doc.tracker.live()) == 1
    line = 3  # "    return resp.text" (0-based line 4 after the import)
    version = 2
    for i, ch in enumerate(" # checked by hand"):
        version += 1
        session.change(uri, version, [(((line + 1, 20 + i), (line + 1, 20 + i)), ch)])
        session.check(doc)
    assert doc.syntax.full_parses == 1
    assert doc.syntax.incremental_parses >= 1
    assert doc.tracker.live()[0].human_edited_share > 0


def test_human_edits_are_recorded_once_per_save(repo: Path, tmp_path: Path):
    session = Session(repo, cache_dir=tmp_path / "cache")
    uri = (repo / "a.py").as_uri()
    doc = session.open(uri, "python", 1, "")
    session.change(uri, 2, [(((0, 0), (0, 0)), BLOCK)])
    for v, ch in enumerate("xyz", start=3):
        session.change(uri, v, [(((0, 4 + v - 3), (0, 4 + v - 3)), ch)])
    session.save(uri)
    session.save(uri)
    ledger = repo / ".git" / "genguard" / "ledger.jsonl"
    events = [json.loads(line) for line in ledger.read_text().splitlines()]
    modified = [e for e in events if e["event"] == "chunk.modified"]
    assert len(modified) == 1
    assert modified[0]["data"]["reason"] == "human-edit"
    assert modified[0]["data"]["human_edited_share"] > 0
    assert doc.tracker.live()[0].id == modified[0]["data"]["chunk"]


def test_recorded_chunks_come_back_when_the_file_is_reopened(repo: Path, tmp_path: Path):
    first = Session(repo, cache_dir=tmp_path / "cache")
    uri = (repo / "a.py").as_uri()
    first.open(uri, "python", 1, "import os\n")
    first.change(uri, 2, [(((1, 0), (1, 0)), BLOCK)])
    chunk = first.declare_ai(uri, 2, ((1, 0), (5, 0)), tool="copilot", model="m1")
    first.mark_reviewed(uri, chunk.id)
    text = first.get(uri).buffer.text
    first.close(uri)

    # a new editor session (restart), with a line added above by someone else
    second = Session(repo, cache_dir=tmp_path / "cache")
    doc = second.open(uri, "python", 1, "# header\n" + text)
    [back] = doc.tracker.live()
    assert (back.id, back.tool, back.model, back.status) == (chunk.id, "copilot", "m1", "reviewed")
    assert doc.lines(back.start, back.end) == (3, 6)
    second.check(doc)
    assert [f.rule.id for f, _ in second.visible_findings(doc)] == ["py-requests-verify-false"]

    # lines edited outside the editor: the chunk is not guessed back
    third = Session(repo, cache_dir=tmp_path / "cache")
    changed = text.replace("resp.text", "resp.content")
    assert third.open(uri, "python", 1, changed).tracker.live() == []


def test_text_git_holds_is_known_after_each_commit(repo: Path, tmp_path: Path):
    """A reload bringing committed text starts no AI chunk; git's answer is kept
    while HEAD and the index stay, and asked again once a commit moved them."""
    from tests.conftest import git

    def block(name: str) -> str:
        return "".join(f"def {name}_{i}(value):\n    return value * {i} + 7\n\n" for i in range(6))

    path = repo / "a.py"
    base = "import os\n\n"
    path.write_text(base)
    git(repo, "add", "a.py")
    git(repo, "commit", "-qm", "base")
    session = Session(repo, cache_dir=tmp_path / "cache")
    uri = path.as_uri()
    doc = session.open(uri, "python", 1, base)
    version = 1
    for name in ("first", "second"):  # each brought by a commit, then a reload
        text = doc.buffer.data.decode() + block(name)
        path.write_text(text)
        git(repo, "commit", "-qam", name)
        end = doc.buffer.position_at(len(doc.buffer))
        version += 1
        session.change(uri, version, [((end, end), block(name))])
        assert not doc.tracker.live(), name
    end = doc.buffer.position_at(len(doc.buffer))  # control: the same size, not committed
    session.change(uri, version + 1, [((end, end), block("third"))])
    assert doc.tracker.live()


def test_a_reparse_done_after_an_answer_still_reaches_the_next_check(repo: Path, tmp_path: Path):
    """A person's edit outside AI chunks turns a chunk into string text; the tree is
    reparsed once that edit is answered (refresh), and the next check, for an edit in
    another chunk, still drops the finding the string swallowed, as a check of the
    whole document does."""
    other = BLOCK.replace("fetch(", "fetch_other(")
    session = Session(repo, cache_dir=tmp_path / "cache")
    uri = (repo / "a.py").as_uri()
    doc = session.open(uri, "python", 1, "import os\n\nx = 1\n\n# end '''\n")
    session.check(doc)
    session.change(uri, 2, [(((4, 0), (4, 0)), BLOCK)])  # after "x = 1"
    session.check(doc)
    session.change(uri, 3, [(((1, 0), (1, 0)), other)])  # before it
    session.check(doc)
    assert len(doc.tracker.live()) == 2
    assert [f.rule.id for f in doc.findings] == ["py-requests-verify-false"] * 2
    x = doc.buffer.data.decode().splitlines().index("x = 1")
    session.change(uri, 4, [(((x, 4), (x, 5)), "'''")])  # a string up to the comment's
    session.check(doc)
    doc.refresh()
    session.change(uri, 5, [(((3, 42), (3, 42)), "  # ok")])  # in the first chunk
    session.check(doc)

    kept = [(f.rule.id, f.start) for f in doc.findings]
    doc.needs_full_check = True  # the same text and chunks, checked from scratch
    session.check(doc)
    assert kept == [(f.rule.id, f.start) for f in doc.findings]
    assert [rule for rule, _ in kept] == ["py-requests-verify-false"]  # the string's is gone


def test_a_file_too_large_for_a_tree_stays_incomplete_after_an_edit_outside_ai_code(
    repo: Path, tmp_path: Path
):
    """Syntax rules never run on a file over the tree's limit: an edit that leaves no AI
    code to check must not make the file look fully checked."""
    session = Session(repo, cache_dir=tmp_path / "cache")
    uri = (repo / "big.py").as_uri()
    doc = session.open(uri, "python", 1, "x = 1\n" * 800_000)  # 4.8 MB
    session.check(doc)
    session.change(uri, 2, [(((1, 0), (1, 0)), BLOCK)])  # AI code pasted
    session.check(doc)
    assert [c.check for c in doc.cut] == ["syntax rules"]
    session.change(uri, 3, [(((0, 0), (0, 0)), "y")])  # a person's edit elsewhere
    session.check(doc)
    assert [c.check for c in doc.cut] == ["syntax rules"]
