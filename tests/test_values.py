"""The plain value classes a commit's note is built from answer as dataclasses would.

Each is checked against a dataclass declared with the same fields, defaults and
order: ``repr``, ``==``, unhashability, ``replace`` and ``to_dict`` (``asdict``), and
mutable defaults that are never shared.
"""

from __future__ import annotations

import dataclasses
from dataclasses import field, make_dataclass
from typing import Any

import pytest

from genguard.attribution.state import ChunkState
from genguard.gitio.diff import FileDiff
from genguard.ledger.index import LedgerState
from genguard.notes.format import SCHEMA, AiRange, FileEntry, Note, NoteFinding
from genguard.values import Value


def _twin(name: str, *fields: tuple[str, Any] | str) -> Any:
    """A dataclass named ``name`` with these fields (``name`` or ``(name, default)``;
    a list or dict default is a factory)."""
    spec: list[Any] = []
    for f in fields:
        if isinstance(f, str):
            spec.append((f, Any))
        elif isinstance(f[1], list | dict):
            spec.append((f[0], Any, field(default_factory=type(f[1]))))
        else:
            spec.append((f[0], Any, field(default=f[1])))
    return make_dataclass(name, spec)


RefRange = _twin(
    "AiRange", "start", "end", "chunk", "tool", ("model", None), ("method", "heuristic"),
    ("kind", "unknown"), ("status", "unreviewed"), ("reviewer", None),
)  # fmt: skip
RefEntry = _twin("FileEntry", ("added_lines", 0), ("ai_lines", 0), ("ranges", []))
RefFinding = _twin(
    "NoteFinding", "file", "line", "rule", ("cwe", []), ("severity", "error"), ("chunk", None),
    ("handling", "open"), ("reason", None), ("by", None),
)  # fmt: skip
RefNote = _twin(
    "Note", "commit", "created", ("author", None), ("files", {}), ("findings", []),
    ("totals", {}), ("tools", []), ("ledger_head", None), ("policy_hash", None),
    ("bypass", False), ("signature", None), ("schema", SCHEMA), ("incomplete", []),
)  # fmt: skip
RefDiff = _twin(
    "FileDiff", "path", ("old_path", None), ("added", []), ("oversize", False),
    ("skipped_lines", 0), ("added_bytes", 0),
)  # fmt: skip
RefChunk = _twin(
    "ChunkState", "id", "file", ("tool", "unknown"), ("model", None), ("method", "heuristic"),
    ("kind", "unknown"), ("status", "unreviewed"), ("reviewer", None), ("lines", (0, 0)),
    ("line_hashes", []), ("created", ""), ("updated", ""), ("actor", None),
    ("prompt_hash", None), ("human_edited_share", 0.0), ("ended", False), ("suppressed", {}),
    ("findings", {}),
)  # fmt: skip
RefState = _twin(
    "LedgerState", ("chunks", {}), ("suppressions", {}), ("seq", -1), ("hash", None),
    ("offset", 0), ("replayed", 0), ("ended_raw", b"[]"), ("_ended", None),
)  # fmt: skip


def _pairs() -> list[tuple[Value, Any]]:
    rng = {"start": 3, "end": 5, "chunk": "c1", "tool": "agent", "model": "m"}
    finding = {"file": "a.py", "line": 4, "rule": "py-eval", "cwe": ["CWE-95"]}
    return [
        (AiRange(**rng), RefRange(**rng)),
        (AiRange(1, 2, "c", "t"), RefRange(1, 2, "c", "t")),
        (FileEntry(3, 2, [AiRange(**rng)]), RefEntry(3, 2, [RefRange(**rng)])),
        (FileEntry(), RefEntry()),
        (NoteFinding(**finding), RefFinding(**finding)),
        (NoteFinding("b.py", 1, "r"), RefFinding("b.py", 1, "r")),
        (
            Note("abc", "t", files={"a.py": FileEntry(1)}, findings=[NoteFinding(**finding)]),
            RefNote("abc", "t", files={"a.py": RefEntry(1)}, findings=[RefFinding(**finding)]),
        ),
        (Note("abc", "t", signature={"sig": "x"}), RefNote("abc", "t", signature={"sig": "x"})),
        (
            FileDiff("a.py", "old.py", [(1, b"x")], False, 0, 2),
            RefDiff("a.py", "old.py", [(1, b"x")], False, 0, 2),
        ),
        (FileDiff("a.py"), RefDiff("a.py")),
        (ChunkState("c", "a.py"), RefChunk("c", "a.py")),
        (
            ChunkState(
                "c", "a.py", "agent", lines=(1, 2), line_hashes=["h"], findings={"r": "raised"}
            ),
            RefChunk(
                "c", "a.py", "agent", lines=(1, 2), line_hashes=["h"], findings={"r": "raised"}
            ),
        ),
        (LedgerState(), RefState()),
        (
            LedgerState({"c": ChunkState("c", "a.py")}, {"c": {"r": ("why", None)}}, 3, "h", 9),
            RefState({"c": RefChunk("c", "a.py")}, {"c": {"r": ("why", None)}}, 3, "h", 9),
        ),
    ]


@pytest.mark.parametrize("value, ref", _pairs())
def test_plain_value_classes_answer_as_dataclasses(value: Value, ref: Any) -> None:
    assert repr(value) == repr(ref)
    assert Value.to_dict(value) == dataclasses.asdict(ref)
    assert list(Value.to_dict(value)) == [f.name for f in dataclasses.fields(ref)]
    twin = type(value)(**{k: getattr(value, k) for k in value.__slots__})
    assert twin == value
    assert value != ref  # (another class: never equal, as dataclasses of two classes)
    with pytest.raises(TypeError):
        hash(value)
    first = value.__slots__[0]
    changed = value.replace(**{first: "other"})
    assert getattr(changed, first) == "other" and changed != value
    assert dataclasses.replace(ref, **{first: "other"}) != ref
    for name in value.__slots__[1:]:
        assert getattr(changed, name) is getattr(value, name)


def test_to_dict_copies_what_it_holds() -> None:
    note = Note("abc", "t", files={"a.py": FileEntry(1, 1, [AiRange(1, 1, "c", "t")])})
    data = note.to_dict()
    data["files"]["a.py"]["ranges"].clear()
    assert note.files["a.py"].ranges == [AiRange(1, 1, "c", "t")]
    assert "signature" not in data and "incomplete" not in data  # as notes always read


def test_mutable_defaults_are_never_shared() -> None:
    a, b = Note("a", "t"), Note("b", "t")
    a.files["x"] = FileEntry()
    a.findings.append(NoteFinding("x", 1, "r"))
    FileEntry().ranges.append(AiRange(1, 1, "c", "t"))
    NoteFinding("x", 1, "r").cwe.append("CWE-1")
    FileDiff("x").added.append((1, b"y"))
    ChunkState("c", "x").line_hashes.append("h")
    LedgerState().chunks["c"] = ChunkState("c", "x")
    assert b.files == {} and b.findings == []
    assert ChunkState("c", "x").line_hashes == [] and LedgerState().chunks == {}
    assert FileEntry().ranges == [] and NoteFinding("x", 1, "r").cwe == []
    assert FileDiff("x").added == []
