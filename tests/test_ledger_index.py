"""The ledger's index: the same chunk state as a full replay, at a cost that does not
grow with the ledger."""

from __future__ import annotations

import random
from pathlib import Path

from genguard.attribution.state import ChunkState, live_by_file, replay
from genguard.ledger import Ledger
from genguard.ledger import index as ledger_index
from genguard.ledger.records import encode_line, make_record


def _chunk(cid: str, file: str, first: int = 1) -> dict:
    """A chunk's state as the editor records it (created, modified and restored alike)."""
    return {
        "status": "unreviewed",
        "reviewer": None,
        "chunk": cid,
        "file": file,
        "lines": [first, first + 1],
        "line_hashes": [f"h{cid}a", f"h{cid}b"],
        "tool": "agent",
    }


def _random_appends(path: Path, n: int, seed: int) -> None:
    """Appends from two writers (as the editor and the CLI do), every kind of event."""
    rnd = random.Random(seed)
    writers = [Ledger(path, actor="a@example.com"), Ledger(path, actor="b@example.com")]
    ids: list[str] = []
    for i in range(n):
        ledger = rnd.choice(writers)
        roll = rnd.random()
        if roll < 0.25 or not ids:
            ids.append(f"c{seed}-{i}")  # ids are random tokens: never reused
            ledger.append("chunk.created", _chunk(ids[-1], f"src/f{rnd.randrange(12)}.py"))
        elif roll < 0.35:
            ledger.append("chunk.ended", {"chunk": rnd.choice(ids), "file": "x"})
        elif roll < 0.45:
            ledger.append("chunk.restored", _chunk(rnd.choice(ids), "src/moved.py", 7))
        elif roll < 0.5:
            ledger.append("chunk.reviewed", {"chunk": rnd.choice(ids), "reviewer": "r@x"})
        elif roll < 0.55:
            ledger.append(
                "finding.suppressed",
                {"chunk": rnd.choice(ids), "rule": "r1", "reason": "fine", "by": "r@x"},
            )
        else:
            ledger.append("commit.noted", {"commit": "c" * 40, "ai_lines": 0})


def _owners(live: dict[str, list[ChunkState]]) -> dict[str, list[str]]:
    """What the hooks take from a live chunk (a chunk restored after it ended starts
    afresh in the index: its creation time is the restore's)."""
    return {
        file: sorted(
            repr((c.id, c.tool, c.model, c.method, c.kind, c.status, c.reviewer, c.lines))
            + repr((c.line_hashes, sorted(c.suppressed.items())))
            for c in chunks
        )
        for file, chunks in live.items()
    }


def _assert_like_replay(path: Path) -> ledger_index.LedgerState:
    state = Ledger(path).state()
    records = list(Ledger(path).records())
    assert _owners(state.live()) == _owners(live_by_file(replay(records)))
    suppressed = {
        (r["data"]["chunk"], r["data"]["rule"]): (r["data"]["reason"], r["data"]["by"])
        for r in records
        if r["event"] == "finding.suppressed"
    }
    assert {(c, r): v for c, s in state.suppressions.items() for r, v in s.items()} == suppressed
    assert state.seq == records[-1]["seq"] and state.hash == records[-1]["hash"]
    return state


def test_the_index_gives_what_a_full_replay_gives(tmp_path: Path):
    path = tmp_path / "genguard" / "ledger.jsonl"
    for seed in range(3):
        _random_appends(path, 400, seed)
        _assert_like_replay(path)
    live = ledger_index.live_path(path).read_text().splitlines()
    assert live == sorted(live_by_file(replay(Ledger(path).records())))


def test_a_reader_folds_only_what_follows_the_checkpoint(tmp_path: Path):
    path = tmp_path / "genguard" / "ledger.jsonl"
    _random_appends(path, 3 * ledger_index.STRIDE + 17, seed=7)
    state = _assert_like_replay(path)
    assert state.replayed < ledger_index.STRIDE
    assert ledger_index.read_header(path)["seq"] > 2 * ledger_index.STRIDE


def test_a_ledger_written_without_index_is_indexed_on_first_read(tmp_path: Path):
    path = tmp_path / "genguard" / "ledger.jsonl"
    path.parent.mkdir()
    prev = None
    with path.open("wb") as f:  # as an older genguard (or a copied ledger) left it
        for seq in range(2000):
            data = _chunk(f"c{seq}", f"f{seq // 4 % 50}.py") if seq % 4 == 0 else {"commit": "x"}
            event = "chunk.created" if seq % 4 == 0 else "commit.noted"
            record = make_record(seq=seq, actor="a", event=event, data=data, prev=prev)
            f.write(encode_line(record))
            prev = record["hash"]
    first = _assert_like_replay(path)
    assert first.replayed == 2000
    again = _assert_like_replay(path)
    assert again.replayed == 0
    assert len(ledger_index.live_path(path).read_text().splitlines()) == 50


def test_a_checkpoint_that_does_not_match_the_ledger_is_ignored(tmp_path: Path):
    path = tmp_path / "genguard" / "ledger.jsonl"
    _random_appends(path, ledger_index.STRIDE + 10, seed=1)
    index_file = ledger_index.index_path(path)
    kept = index_file.read_bytes()
    path.unlink()  # a new ledger: the old checkpoint's record is not in it
    ledger = Ledger(path)
    ledger.append("chunk.created", _chunk("only", "new.py"))
    index_file.write_bytes(kept)
    state = _assert_like_replay(path)
    assert list(state.live()) == ["new.py"]


def test_live_files_follow_chunks_and_quoted_paths_send_every_commit_to_python(tmp_path: Path):
    path = tmp_path / "genguard" / "ledger.jsonl"
    ledger = Ledger(path)
    ledger.append("chunk.created", _chunk("a", "app/x.py"))
    ledger.append("chunk.created", _chunk("b", "app/y.py"))
    assert ledger_index.live_path(path).read_text() == "app/x.py\napp/y.py\n"
    ledger.append("chunk.ended", {"chunk": "a", "file": "app/x.py"})
    assert ledger_index.live_path(path).read_text() == "app/y.py\n"
    ledger.append("chunk.created", _chunk("c", 'odd "name".py'))
    lines = ledger_index.live_path(path).read_text().splitlines()
    assert sorted(lines) == sorted([ledger_index.ANY_PATH, "app/y.py"])


def test_a_malformed_record_or_checkpoint_never_stops_an_append_or_a_read(tmp_path: Path):
    path = tmp_path / "genguard" / "ledger.jsonl"
    ledger = Ledger(path)
    ledger.append("chunk.created", _chunk("a", "app.py"))
    ledger.append("chunk.modified", {"chunk": "a", "lines": ["x", "y"]})  # not numbers
    ledger_index.index_path(path).write_text('{"v": 1, "seq": "not a number"}\n')
    ledger.append("commit.noted", {"commit": "c" * 40})  # the index is damaged: still written
    state = Ledger(path).state()
    assert list(state.live()) == ["app.py"] and state.seq == 2
