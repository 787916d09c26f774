"""The provenance ledger: chaining, concurrency, torn tails, tampering, and the CLI."""

from __future__ import annotations

import itertools
import json
import logging
import multiprocessing
import threading
from pathlib import Path
from typing import Any

import pytest
from platformdirs import user_data_dir
from tests.conftest import git

import genguard.cli.main as cli_main
from genguard.ledger import (
    LEDGER_RECOVERED,
    Ledger,
    LedgerError,
    hash_text,
    record_hash,
)
from genguard.ledger import store as store_module
from genguard.ledger.verify import verify

WORKERS = 4
PER_WORKER = 200


pytestmark = pytest.mark.usefixtures("isolated_git")


@pytest.fixture
def repo(repo: Path) -> Path:
    """The shared repository, by its real path (what git reports)."""
    return repo.resolve()


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    return Ledger(tmp_path / "l" / "ledger.jsonl", actor="t@example.com")


def fill(ledger: Ledger, n: int, start: int = 0) -> list[dict[str, Any]]:
    return [
        ledger.append("chunk.created", {"n": 1000 + i, "code_sha": hash_text(f"code {i}")})
        for i in range(start, start + n)
    ]


def lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def cli(*argv: str) -> int:
    return cli_main.main(["verify", *argv])


@pytest.fixture(autouse=True)
def verify_only_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    """Wire only the verify command, so these tests do not depend on the others."""
    monkeypatch.setattr(cli_main, "COMMANDS", ("verify",))


# -- chaining ------------------------------------------------------------------


def test_appends_form_a_valid_chain(ledger: Ledger) -> None:
    written = fill(ledger, 5)
    read = list(ledger.records())
    assert read == written
    assert [r["seq"] for r in read] == list(range(5))
    assert read[0]["prev"] is None
    for before, after in itertools.pairwise(read):
        assert after["prev"] == before["hash"]
    for r in read:
        assert r["v"] == 1
        assert r["actor"] == "t@example.com"
        assert r["hash"] == record_hash(r)
        assert r["time"].endswith("Z") and len(r["time"]) == len("2025-01-01T00:00:00.000Z")
    assert ledger.head() == written[-1]["hash"]
    result = verify(ledger.path)
    assert result.ok and result.count == 5 and not result.torn_tail
    assert result.head == written[-1]["hash"]


def test_lines_are_canonical_json(ledger: Ledger) -> None:
    ledger.append("finding.raised", {"rule": "é", "b": [1, 2], "a": {"z": 1, "y": None}})
    (line,) = lines(ledger.path)
    record = json.loads(line)
    canonical = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert line == canonical.encode() + b"\n"
    assert "é".encode() in line


def test_per_call_actor_and_default_actor(tmp_path: Path) -> None:
    led = Ledger(tmp_path / "ledger.jsonl")
    assert led.append("chunk.reviewed", {})["actor"] == "unknown"
    assert led.append("chunk.reviewed", {}, actor="rev@example.com")["actor"] == "rev@example.com"


def test_empty_and_missing_ledger(tmp_path: Path) -> None:
    led = Ledger(tmp_path / "none" / "ledger.jsonl")
    assert led.head() is None
    assert list(led.records()) == []
    assert led.recover() is None
    assert not led.path.exists()
    with pytest.raises(FileNotFoundError):
        verify(led.path)


def test_for_workspace_lives_in_git_common_dir_shared_by_worktrees(
    repo: Path, tmp_path: Path
) -> None:
    git(repo, "commit", "-q", "--allow-empty", "-m", "init")
    wt = tmp_path / "wt"
    git(repo, "worktree", "add", "-q", "-b", "feature", str(wt))

    main = Ledger.for_workspace(repo)
    other = Ledger.for_workspace(wt / "sub" / "dir")
    assert main.path == repo / ".git" / "genguard" / "ledger.jsonl"
    assert other.path == main.path
    assert main.actor == "dev@example.com"

    main.append("chunk.created", {"n": 1})
    other.append("chunk.created", {"n": 2})
    assert [r["seq"] for r in main.records()] == [0, 1]
    assert verify(main.path).ok
    assert git(repo, "status", "--porcelain") == ""  # nothing in the working tree
    assert git(wt, "status", "--porcelain") == ""


def test_outside_git_falls_back_to_user_data_dir(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    led = Ledger.for_workspace(plain)
    assert led.actor == "unknown"
    base = Path(user_data_dir("genguard", appauthor=False)) / "ledgers"
    assert led.path.parent.parent == base
    assert len(led.path.parent.name) == 16
    assert led.path.name == "ledger.jsonl"
    assert Ledger.for_workspace(plain).path == led.path  # stable per workspace
    other = tmp_path / "other"
    other.mkdir()
    assert Ledger.for_workspace(other).path != led.path
    led.append("chunk.created", {"n": 1})
    assert list(plain.iterdir()) == []


# -- refusing raw content ---------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        {"text": "print('hi')"},
        {"code": "x = 1"},
        {"chunk": {"prompt": "write me a parser"}},
        {"items": [{"ok": 1}, {"Secret": "hunter2"}]},
        {"a": {"b": [{"content": "..."}]}},
    ],
)
def test_append_refuses_raw_content(ledger: Ledger, data: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="hash_text"):
        ledger.append("chunk.created", data)
    assert not ledger.path.exists() or ledger.path.read_bytes() == b""


def test_hash_text() -> None:
    assert hash_text("abc") == hash_text(b"abc")
    assert hash_text("abc") == (
        "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )


def test_append_rejects_bad_event_and_unserializable_data(ledger: Ledger) -> None:
    with pytest.raises(ValueError):
        ledger.append("", {})
    with pytest.raises(ValueError):
        ledger.append("Chunk Created", {})
    with pytest.raises(TypeError):
        ledger.append("chunk.created", {"x": object()})
    with pytest.raises(ValueError):
        ledger.append("chunk.created", {"x": float("nan")})


def test_non_string_keys_are_stored_as_read_back(ledger: Ledger) -> None:
    """Hashes must be computed over what verify will read, not the caller's objects."""
    record = ledger.append("chunk.modified", {"ranges": (1, 2), "by_line": {10: "a", 2: "b"}})
    assert record["data"] == {"ranges": [1, 2], "by_line": {"10": "a", "2": "b"}}
    assert list(ledger.records()) == [record]
    assert verify(ledger.path).ok


# -- concurrency ---------------------------------------------------------------------


def _worker(path: str, worker: int, start: Any) -> None:
    led = Ledger(Path(path), actor=f"w{worker}@example.com")
    start.wait()
    for i in range(PER_WORKER):
        led.append("chunk.created", {"worker": worker, "i": i, "pad": "x" * (i % 97)})


def test_concurrent_processes_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "shared" / "ledger.jsonl"
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Event()
    procs = [ctx.Process(target=_worker, args=(str(path), w, start)) for w in range(WORKERS)]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(timeout=120)
        assert p.exitcode == 0

    raw = lines(path)
    assert len(raw) == WORKERS * PER_WORKER
    assert all(line.endswith(b"\n") and line.count(b"\n") == 1 for line in raw)
    records = [json.loads(line) for line in raw]  # every line is one whole record
    assert [r["seq"] for r in records] == list(range(WORKERS * PER_WORKER))
    for w in range(WORKERS):
        mine = [r["data"]["i"] for r in records if r["data"]["worker"] == w]
        assert mine == list(range(PER_WORKER))
        assert {r["actor"] for r in records if r["data"]["worker"] == w} == {f"w{w}@example.com"}
    result = verify(path)
    assert result.ok and result.count == WORKERS * PER_WORKER


def test_concurrent_threads_and_objects(tmp_path: Path) -> None:
    path = tmp_path / "ledger.jsonl"
    shared = Ledger(path)

    def run(led: Ledger, tag: int) -> None:
        for i in range(100):
            led.append("finding.raised", {"tag": tag, "i": i})

    threads = [threading.Thread(target=run, args=(shared, t)) for t in range(3)]
    threads += [threading.Thread(target=run, args=(Ledger(path), t)) for t in range(3, 5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result = verify(path)
    assert result.ok and result.count == 500


def test_unchanged_file_is_not_reread(ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    fill(ledger, 1)
    calls = []
    real = store_module._scan_tail
    monkeypatch.setattr(store_module, "_scan_tail", lambda *a: calls.append(1) or real(*a))
    fill(ledger, 20, start=1)
    assert calls == []
    other = Ledger(ledger.path)
    other.append("chunk.ended", {})
    assert len(calls) == 1  # the other object read the tail once
    fill(ledger, 1, start=21)
    assert len(calls) == 2  # the file changed under us: re-read once
    assert verify(ledger.path).count == 23


def test_records_longer_than_a_read_block(ledger: Ledger) -> None:
    fill(ledger, 2)
    ledger.append("chunk.modified", {"blob": "y" * 200_000})
    other = Ledger(ledger.path)  # must find the tail by reading backwards across blocks
    record = other.append("chunk.ended", {})
    assert record["seq"] == 3
    assert verify(ledger.path).ok


# -- torn tails --------------------------------------------------------------------


def test_torn_tail_is_set_aside_on_next_append(
    ledger: Ledger, caplog: pytest.LogCaptureFixture
) -> None:
    written = fill(ledger, 3)
    good = ledger.path.read_bytes()
    torn = b'{"v":1,"seq":3,"time":"2025-'
    with ledger.path.open("ab") as f:
        f.write(torn)

    with caplog.at_level(logging.WARNING, logger="genguard.ledger"):
        record = Ledger(ledger.path, actor="t@example.com").append("chunk.ended", {"n": 9})
    assert "torn" in caplog.text

    data = ledger.path.read_bytes()
    assert data.startswith(good)  # earlier records untouched
    records = list(ledger.records())
    assert records[:3] == written
    recovered = records[3]
    assert recovered["event"] == LEDGER_RECOVERED
    assert recovered["data"] == {
        "torn_bytes": len(torn),
        "torn_sha256": hash_text(torn),
        "set_aside_to": str(ledger.path) + ".torn",
    }
    assert recovered["prev"] == written[-1]["hash"]
    assert records[4] == record and record["seq"] == 4

    set_aside = Path(str(ledger.path) + ".torn").read_bytes()
    header, body = set_aside.split(b"\n", 1)
    assert header.startswith(b"#") and f"bytes={len(torn)}".encode() in header
    assert body == torn + b"\n"
    result = verify(ledger.path)
    assert result.ok and not result.torn_tail and result.count == 5


def test_torn_tail_with_cached_object(ledger: Ledger) -> None:
    """The crash can hit the same object's file: the size change invalidates the cache."""
    fill(ledger, 2)
    with ledger.path.open("ab") as f:
        f.write(b'{"v":1,"se')
    ledger.append("chunk.ended", {})
    assert ledger.last_recovery is not None
    assert [r["event"] for r in ledger.records()][-2:] == [LEDGER_RECOVERED, "chunk.ended"]
    assert verify(ledger.path).ok


def test_invalid_last_line_with_newline_is_torn(ledger: Ledger) -> None:
    fill(ledger, 2)
    with ledger.path.open("ab") as f:
        f.write(b"\x00\x00\x00garbage\n")
    assert verify(ledger.path).torn_tail
    recovered = ledger.recover()
    assert recovered is not None and recovered["data"]["torn_bytes"] == 11
    assert ledger.recover() is None  # nothing left to recover
    assert verify(ledger.path).ok and verify(ledger.path).count == 3


def test_torn_tail_as_only_content(tmp_path: Path) -> None:
    path = tmp_path / "ledger.jsonl"
    path.write_bytes(b'{"v":1,')
    result = verify(path)
    assert result.ok and result.torn_tail and result.count == 0 and result.head is None
    record = Ledger(path).append("chunk.created", {})
    assert record["seq"] == 1 and record["prev"] is not None
    first = next(iter(Ledger(path).records()))
    assert first["event"] == LEDGER_RECOVERED and first["seq"] == 0 and first["prev"] is None
    assert verify(path).ok


def test_complete_record_missing_only_its_newline_is_kept(ledger: Ledger) -> None:
    written = fill(ledger, 3)
    data = ledger.path.read_bytes()
    ledger.path.write_bytes(data[:-1])  # crash right before the final newline
    assert verify(ledger.path).ok and not verify(ledger.path).torn_tail
    record = Ledger(ledger.path).append("chunk.ended", {})
    assert record["seq"] == 3 and record["prev"] == written[-1]["hash"]
    assert ledger.path.read_bytes().startswith(data)
    assert not Path(str(ledger.path) + ".torn").exists()


def test_records_and_verify_do_not_modify_a_torn_file(
    ledger: Ledger, caplog: pytest.LogCaptureFixture
) -> None:
    written = fill(ledger, 3)
    with ledger.path.open("ab") as f:
        f.write(b'{"v":1,"seq":3')
    before = ledger.path.read_bytes()
    with caplog.at_level(logging.WARNING, logger="genguard.ledger"):
        assert list(ledger.records()) == written
    assert "torn tail" in caplog.text
    result = verify(ledger.path)
    assert result.ok and result.torn_tail and result.count == 3
    assert result.head == written[-1]["hash"]
    assert ledger.head() == written[-1]["hash"]
    assert ledger.path.read_bytes() == before
    assert not Path(str(ledger.path) + ".torn").exists()


def test_damage_before_the_tail_blocks_appends(ledger: Ledger) -> None:
    fill(ledger, 3)
    with ledger.path.open("ab") as f:
        f.write(b"garbage\nmore garbage")
    before = ledger.path.read_bytes()
    with pytest.raises(LedgerError):
        Ledger(ledger.path).append("chunk.ended", {})
    assert ledger.path.read_bytes() == before


# -- tampering -----------------------------------------------------------------------


def test_changed_byte_is_named(ledger: Ledger, tmp_path: Path) -> None:
    written = fill(ledger, 6)
    raw = lines(ledger.path)
    assert b'"n":1001' in raw[1]
    raw[1] = raw[1].replace(b'"n":1001', b'"n":1009')
    ledger.path.write_bytes(b"".join(raw))

    result = verify(ledger.path)
    assert not result.ok
    assert result.first_bad == 2 and result.seq == 1
    assert result.reason == "hash mismatch"
    assert result.count == 1 and result.head == written[0]["hash"]


def test_deleted_middle_line_is_caught(ledger: Ledger) -> None:
    fill(ledger, 6)
    raw = lines(ledger.path)
    del raw[2]
    ledger.path.write_bytes(b"".join(raw))
    result = verify(ledger.path)
    assert not result.ok and result.first_bad == 3 and result.seq == 3
    assert "seq gap" in (result.reason or "")


def test_rehashed_forgery_breaks_prev_link(ledger: Ledger) -> None:
    """Editing a record and recomputing its own hash still breaks the next link."""
    fill(ledger, 4)
    raw = lines(ledger.path)
    rec = json.loads(raw[1])
    rec["data"]["n"] = 7
    rec["hash"] = record_hash(rec)
    raw[1] = json.dumps(rec, sort_keys=True, separators=(",", ":")).encode() + b"\n"
    ledger.path.write_bytes(b"".join(raw))
    result = verify(ledger.path)
    assert not result.ok and result.first_bad == 3 and result.seq == 2
    assert result.reason == "prev does not match the previous record's hash"


def test_swapped_lines_are_caught(ledger: Ledger) -> None:
    fill(ledger, 4)
    raw = lines(ledger.path)
    raw[1], raw[2] = raw[2], raw[1]
    ledger.path.write_bytes(b"".join(raw))
    result = verify(ledger.path)
    assert not result.ok and result.first_bad == 2


def test_unparsable_middle_line_is_a_break(ledger: Ledger) -> None:
    fill(ledger, 4)
    raw = lines(ledger.path)
    raw[1] = raw[1][:20] + b"\n"
    ledger.path.write_bytes(b"".join(raw))
    result = verify(ledger.path)
    assert not result.ok and result.first_bad == 2 and result.reason == "invalid JSON"
    assert not result.torn_tail


def test_whitespace_edit_and_schema_version_are_caught(ledger: Ledger) -> None:
    fill(ledger, 3)
    raw = lines(ledger.path)
    assert raw[0].endswith(b',"v":1}\n')
    raw[0] = raw[0].replace(b',"v":1}', b', "v":1}')
    ledger.path.write_bytes(b"".join(raw))
    assert verify(ledger.path).reason == "record is not in canonical form"

    raw = lines(ledger.path)
    rec = json.loads(raw[2])
    rec["v"] = 2
    raw[0] = raw[0].replace(b', "v":1}', b',"v":1}')
    raw[2] = json.dumps(rec, sort_keys=True, separators=(",", ":")).encode() + b"\n"
    ledger.path.write_bytes(b"".join(raw))
    result = verify(ledger.path)
    assert result.first_bad == 3 and "schema version" in (result.reason or "")


# -- CLI -------------------------------------------------------------------------------


def test_cli_exit_codes(ledger: Ledger, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    fill(ledger, 5)
    assert cli("--ledger", str(ledger.path)) == 0
    out = capsys.readouterr().out
    assert "5 records checked" in out and ledger.head() in out

    raw = lines(ledger.path)
    raw[1] = raw[1].replace(b'"n":1001', b'"n":1002')
    ledger.path.write_bytes(b"".join(raw))
    assert cli("--ledger", str(ledger.path)) == 1
    out = capsys.readouterr().out
    assert "line 2" in out and "seq 1" in out and "hash mismatch" in out

    assert cli("--ledger", str(tmp_path / "missing.jsonl")) == 2
    assert "no ledger" in capsys.readouterr().err


def test_cli_json(ledger: Ledger, capsys: pytest.CaptureFixture) -> None:
    fill(ledger, 3)
    assert cli("--json", "--ledger", str(ledger.path)) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["ok"] is True and doc["count"] == 3 and doc["head"] == ledger.head()
    assert doc["first_bad"] is None and doc["torn_tail"] is False

    raw = lines(ledger.path)
    del raw[1]
    ledger.path.write_bytes(b"".join(raw))
    assert cli("--json", "--ledger", str(ledger.path)) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["ok"] is False and doc["first_bad"] == 2 and doc["seq"] == 2


def test_cli_workspace_path(repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert cli(str(repo)) == 2  # nothing recorded yet
    assert "no ledger" in capsys.readouterr().err
    fill(Ledger.for_workspace(repo), 4)
    sub = repo / "src"
    sub.mkdir()
    assert cli(str(sub)) == 0
    assert "4 records checked" in capsys.readouterr().out
    plain = tmp_path / "plain"
    plain.mkdir()
    assert cli("--json", str(plain)) == 2
    assert json.loads(capsys.readouterr().out)["error"] == "no ledger"
