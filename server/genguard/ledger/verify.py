"""Check a ledger's hash chain end to end, one line at a time.

Every record's hash is recomputed and its ``prev`` compared with the record
before it, so an edited, deleted, inserted or reordered line is named by line
number. Only an unparsable last line is tolerated: that is what a crash
mid-write leaves behind, and the next append sets it aside.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from genguard.ledger.records import encode_line, parse_line, record_hash, schema_problem


@dataclass(frozen=True)
class VerifyResult:
    """Outcome of :func:`verify`.

    ``count`` is the number of records that verified (all of them when ``ok``);
    ``head`` is the hash of the last of those. On a break, ``first_bad`` is the
    1-based line number, ``seq`` that record's seq if it could be read, and
    ``reason`` says what failed.
    """

    ok: bool
    count: int
    first_bad: int | None = None
    seq: int | None = None
    reason: str | None = None
    torn_tail: bool = False
    head: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _check(record: dict[str, Any], line: bytes, expected_seq: int, prev: str | None) -> str | None:
    """Why ``record`` (read from ``line``) does not continue the chain, or None."""
    problem = schema_problem(record)
    if problem is not None:
        return problem
    if record_hash(record) != record["hash"]:
        return "hash mismatch"
    if encode_line(record).rstrip(b"\n") != line.rstrip(b"\n"):
        return "record is not in canonical form"
    seq = record["seq"]
    if seq > expected_seq:
        return f"seq gap (expected {expected_seq}, found {seq})"
    if seq < expected_seq:
        return f"seq repeats or goes backwards (expected {expected_seq}, found {seq})"
    if record["prev"] != prev:
        if prev is None:
            return "prev of the first record is not null"
        return "prev does not match the previous record's hash"
    return None


def _seq_of(record: dict[str, Any] | None) -> int | None:
    seq = record.get("seq") if record is not None else None
    return seq if isinstance(seq, int) and not isinstance(seq, bool) else None


def verify(path: Path | str) -> VerifyResult:
    """Verify the ledger at ``path``; streams, so memory stays flat on large files.

    Raises FileNotFoundError when there is no ledger.
    """
    count = 0
    head: str | None = None
    unparsable: int | None = None  # line number of an unparsable line, pending lookahead
    with Path(path).open("rb") as f:
        for lineno, line in enumerate(f, start=1):
            if unparsable is not None:  # it was not the last line: a real break
                break
            record = parse_line(line)
            if record is None:
                unparsable = lineno
                continue
            reason = _check(record, line, count, head)
            if reason is not None:
                return VerifyResult(False, count, lineno, _seq_of(record), reason, False, head)
            count += 1
            head = record["hash"]
        else:
            return VerifyResult(True, count, torn_tail=unparsable is not None, head=head)
    return VerifyResult(False, count, unparsable, None, "invalid JSON", False, head)
