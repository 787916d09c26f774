"""The ledger record format: canonical JSON, hash chaining, and what data may hold.

A record is one JSON object per line. Its ``hash`` covers the canonical JSON of
every other field, including ``prev`` (the previous record's hash), so changing,
removing or reordering any earlier line breaks the chain from that point on.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Mapping
from typing import Any

from genguard.digest import sha256

#: Schema version written into every record as ``v``.
SCHEMA_VERSION = 1

CHUNK_CREATED = "chunk.created"
CHUNK_MODIFIED = "chunk.modified"
CHUNK_ENDED = "chunk.ended"
CHUNK_RESTORED = "chunk.restored"
CHUNK_REVIEWED = "chunk.reviewed"
FINDING_RAISED = "finding.raised"
FINDING_RESOLVED = "finding.resolved"
FINDING_SUPPRESSED = "finding.suppressed"
LEDGER_RECOVERED = "ledger.recovered"
COMMIT_NOTED = "commit.noted"
COMMIT_BYPASSED = "commit.bypassed"
CHECKPOINT_RECORDED = "checkpoint.recorded"

#: Event names the rest of genguard writes; others are allowed if well formed.
EVENTS: frozenset[str] = frozenset(
    {
        CHUNK_CREATED,
        CHUNK_MODIFIED,
        CHUNK_ENDED,
        CHUNK_RESTORED,
        CHUNK_REVIEWED,
        FINDING_RAISED,
        FINDING_RESOLVED,
        FINDING_SUPPRESSED,
        LEDGER_RECOVERED,
        COMMIT_NOTED,
        COMMIT_BYPASSED,
        CHECKPOINT_RECORDED,
    }
)

#: Keys that would carry code, prompts or secrets verbatim; callers store hashes.
FORBIDDEN_KEYS: frozenset[str] = frozenset({"text", "code", "prompt", "secret", "content"})

#: Exactly the fields of a schema-1 record.
FIELDS: frozenset[str] = frozenset({"v", "seq", "time", "actor", "event", "data", "prev", "hash"})

_EVENT_RE = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+")


def canonical_json(obj: Any) -> str:
    """The one serialization hashes are computed over (sorted keys, no spaces)."""
    return json.dumps(
        obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def hash_text(s: str | bytes) -> str:
    """``sha256:<hex>`` of a string (UTF-8) or bytes: how code and prompts are recorded."""
    raw = s.encode("utf-8") if isinstance(s, str) else bytes(s)
    return "sha256:" + sha256(raw).hexdigest()


def record_hash(record: Mapping[str, Any]) -> str:
    """Hash of the canonical JSON of ``record`` without its own ``hash`` field."""
    body = {k: v for k, v in record.items() if k != "hash"}
    return hash_text(canonical_json(body))


def utc_now() -> str:
    """Current time as RFC 3339 UTC with milliseconds, e.g. ``2025-01-31T12:00:00.123Z``
    (from ``time``: every hook stamps a record, and ``datetime`` costs it an import)."""
    ms = time.time_ns() // 1_000_000
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms // 1000)) + f".{ms % 1000:03d}Z"


def check_event(event: str) -> None:
    """Reject event names that are not dotted lowercase identifiers."""
    if not isinstance(event, str) or not _EVENT_RE.fullmatch(event):
        raise ValueError(f"invalid ledger event name {event!r} (expected e.g. 'chunk.created')")


def check_data(data: Any, where: str = "data") -> None:
    """Refuse raw code, prompts or secrets anywhere in ``data``: they must be hashed first."""
    if isinstance(data, Mapping):
        for key, value in data.items():
            if isinstance(key, str) and key.casefold() in FORBIDDEN_KEYS:
                raise ValueError(
                    f"ledger data must not hold raw {key!r} (at {where}.{key}); "
                    "store hash_text(...) under another key instead"
                )
            check_data(value, f"{where}.{key}")
    elif isinstance(data, list | tuple):
        for i, value in enumerate(data):
            check_data(value, f"{where}[{i}]")


def normalize_data(data: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` as it will read back from JSON, so the hash matches what verify recomputes."""
    if not isinstance(data, Mapping):
        raise TypeError(f"ledger data must be a mapping, not {type(data).__name__}")
    normalized = json.loads(canonical_json(dict(data)))
    check_data(normalized)
    return normalized


def make_record(
    *,
    seq: int,
    actor: str,
    event: str,
    data: Mapping[str, Any],
    prev: str | None,
    time: str | None = None,
) -> dict[str, Any]:
    """Build a complete, hashed record; ``data`` must already be normalized."""
    record: dict[str, Any] = {
        "v": SCHEMA_VERSION,
        "seq": seq,
        "time": time or utc_now(),
        "actor": actor,
        "event": event,
        "data": data,
        "prev": prev,
    }
    record["hash"] = record_hash(record)
    return record


def encode_line(record: Mapping[str, Any]) -> bytes:
    """The exact bytes of one ledger line, newline included."""
    return (canonical_json(record) + "\n").encode("utf-8")


def parse_line(line: bytes) -> dict[str, Any] | None:
    """Decode one line (with or without its newline); None if it is not a JSON object."""
    if line.endswith(b"\n"):
        line = line[:-1]
    try:
        obj = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return obj if isinstance(obj, dict) else None


def _is_int(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def schema_problem(record: Mapping[str, Any]) -> str | None:
    """Why ``record`` is not a well-formed schema-1 record, or None if it is."""
    v = record.get("v")
    if "v" not in record:
        return "missing field 'v'"
    if v != SCHEMA_VERSION or not _is_int(v):
        return f"unsupported schema version {v!r}"
    for name in sorted(FIELDS - record.keys()):
        return f"missing field {name!r}"
    for name in sorted(record.keys() - FIELDS):
        return f"unexpected field {name!r}"
    if not _is_int(record["seq"]) or record["seq"] < 0:
        return "field 'seq' is not a non-negative integer"
    for name in ("time", "actor", "event", "hash"):
        if not isinstance(record[name], str):
            return f"field {name!r} is not a string"
    if not isinstance(record["data"], dict):
        return "field 'data' is not an object"
    if record["prev"] is not None and not isinstance(record["prev"], str):
        return "field 'prev' is neither a string nor null"
    return None
