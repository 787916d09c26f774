"""The provenance note genguard attaches to each commit (``refs/notes/genguard``).

One JSON object per commit. It is the contract between the hooks that write
notes and everything that reads them back (blame, stats, verify, exports), so it
is versioned and validated here, in one place. Lines are 1-based line numbers in
the committed version of the file; ranges are inclusive.

Example::

    {
      "schema": "genguard/note/1",
      "commit": "<sha of the commit the note is attached to>",
      "created": "2026-11-27T09:30:00.000Z",
      "author": "dev@example.com",
      "files": {
        "app.py": {
          "added_lines": 12,
          "ai_lines": 5,
          "ranges": [
            {"start": 3, "end": 7, "chunk": "9f2c1a0b3d4e", "tool": "copilot",
             "model": "gpt-4.1", "method": "declared", "kind": "inline-completion",
             "status": "reviewed", "reviewer": "lead@example.com"}
          ]
        }
      },
      "findings": [
        {"file": "app.py", "line": 5, "rule": "py-eval-exec", "cwe": ["CWE-95"],
         "severity": "error", "chunk": "9f2c1a0b3d4e", "handling": "suppressed",
         "reason": "input is a constant", "by": "lead@example.com"}
      ],
      "totals": {"added_lines": 12, "ai_lines": 5, "reviewed_ai_lines": 5, "files": 1},
      "tools": [{"tool": "copilot", "model": "gpt-4.1", "lines": 5}],
      "ledger_head": "sha256:…",
      "policy_hash": "sha256:…",
      "bypass": false,
      "signature": {"format": "ssh", "namespace": "genguard", "signer": "dev@example.com",
                    "sig": "-----BEGIN SSH SIGNATURE-----…"}
    }

``handling`` is one of ``open`` (committed with the finding in place), ``suppressed``
(with ``reason`` and ``by``), ``fixed`` (raised in the editor, gone before commit).
``signature`` signs the canonical JSON of the note without the ``signature`` key.
``bypass`` is true when the commit was made with ``--no-verify`` (the gate did
not run); such notes are written by post-commit after the fact.

``incomplete`` (present only when something was left undone) lists what genguard
could not do for the commit, so a note never looks cleaner than the check was:
``{"what": "timeout" | "error", "hook": "pre-commit", "detail": "..."}`` for a hook
that was stopped or failed, ``{"what": "oversize", "file": "data.py", "detail":
"..."}`` for a file too large to analyse, ``{"what": "cut-short", "file": "app.py",
"detail": "taint analysis stopped at its time budget; findings may be missing"}``
for a file whose check stopped at a time budget or a limit (:func:`cut_short`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from genguard.values import Value

SCHEMA = "genguard/note/1"
NOTES_REF = "refs/notes/genguard"
HANDLING = ("open", "suppressed", "fixed")
#: ``incomplete`` entries read back from a note (more are ignored).
MAX_INCOMPLETE = 100


class AiRange(Value):
    """Lines ``start``-``end`` of a file, written by ``chunk`` (a plain value class:
    see :mod:`genguard.values`)."""

    __slots__ = (  # noqa: RUF023  (the fields, in order)
        "start", "end", "chunk", "tool", "model", "method", "kind", "status", "reviewer"
    )  # fmt: skip

    def __init__(
        self,
        start: int,
        end: int,
        chunk: str,
        tool: str,
        model: str | None = None,
        method: str = "heuristic",
        kind: str = "unknown",
        status: str = "unreviewed",
        reviewer: str | None = None,
    ) -> None:
        self.start, self.end, self.chunk, self.tool, self.model = start, end, chunk, tool, model
        self.method, self.kind, self.status, self.reviewer = method, kind, status, reviewer

    @property
    def lines(self) -> int:
        return self.end - self.start + 1


class FileEntry(Value):
    __slots__ = ("added_lines", "ai_lines", "ranges")

    def __init__(
        self, added_lines: int = 0, ai_lines: int = 0, ranges: list[AiRange] | None = None
    ) -> None:
        self.added_lines, self.ai_lines = added_lines, ai_lines
        self.ranges: list[AiRange] = [] if ranges is None else ranges


class NoteFinding(Value):
    __slots__ = (  # noqa: RUF023  (the fields, in order)
        "file", "line", "rule", "cwe", "severity", "chunk", "handling", "reason", "by"
    )  # fmt: skip

    def __init__(
        self,
        file: str,
        line: int,
        rule: str,
        cwe: list[str] | None = None,
        severity: str = "error",
        chunk: str | None = None,
        handling: str = "open",
        reason: str | None = None,
        by: str | None = None,
    ) -> None:
        self.file, self.line, self.rule = file, line, rule
        self.cwe: list[str] = [] if cwe is None else cwe
        self.severity, self.chunk, self.handling = severity, chunk, handling
        self.reason, self.by = reason, by


class Note(Value):
    __slots__ = (  # noqa: RUF023  (the fields, in order)
        "commit", "created", "author", "files", "findings", "totals", "tools",
        "ledger_head", "policy_hash", "bypass", "signature", "schema", "incomplete",
    )  # fmt: skip

    def __init__(
        self,
        commit: str,
        created: str,
        author: str | None = None,
        files: dict[str, FileEntry] | None = None,
        findings: list[NoteFinding] | None = None,
        totals: dict[str, int] | None = None,
        tools: list[dict[str, Any]] | None = None,
        ledger_head: str | None = None,
        policy_hash: str | None = None,
        bypass: bool = False,
        signature: dict[str, Any] | None = None,
        schema: str = SCHEMA,
        incomplete: list[dict[str, str]] | None = None,
    ) -> None:
        self.commit, self.created, self.author = commit, created, author
        self.files: dict[str, FileEntry] = {} if files is None else files
        self.findings: list[NoteFinding] = [] if findings is None else findings
        self.totals: dict[str, int] = {} if totals is None else totals
        self.tools: list[dict[str, Any]] = [] if tools is None else tools
        self.ledger_head, self.policy_hash, self.bypass = ledger_head, policy_hash, bypass
        self.signature, self.schema = signature, schema
        self.incomplete: list[dict[str, str]] = [] if incomplete is None else incomplete

    def compute_totals(self) -> None:
        """Fill ``totals`` and ``tools`` from ``files`` (call after building the note)."""
        added = sum(f.added_lines for f in self.files.values())
        ai = sum(f.ai_lines for f in self.files.values())
        reviewed = sum(
            r.lines for f in self.files.values() for r in f.ranges if r.status == "reviewed"
        )
        self.totals = {
            "added_lines": added,
            "ai_lines": ai,
            "reviewed_ai_lines": reviewed,
            "files": len(self.files),
        }
        by_tool: dict[tuple[str, str | None], int] = {}
        for f in self.files.values():
            for r in f.ranges:
                by_tool[(r.tool, r.model)] = by_tool.get((r.tool, r.model), 0) + r.lines
        self.tools = [
            {"tool": t, "model": m, "lines": n} for (t, m), n in sorted(by_tool.items(), key=str)
        ]

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        if data["signature"] is None:
            del data["signature"]
        if not data["incomplete"]:
            del data["incomplete"]  # notes of complete checks read as they always did
        return data

    def payload(self) -> bytes:
        """Canonical bytes that a signature covers (the note without ``signature``)."""
        data = self.to_dict()
        data.pop("signature", None)
        return canonical(data)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True, indent=1, ensure_ascii=False) + "\n"


class NoteError(ValueError):
    """A note that does not follow the schema (reported with what is wrong)."""


def cut_short(path: str, cuts: Iterable[object]) -> dict[str, str]:
    """The ``incomplete`` entry for a file whose check was cut short (``cuts``: the
    checks that were, each worded by ``str``, as :class:`~genguard.rules.model.Cut`)."""
    why = "; ".join(map(str, cuts))
    return {"what": "cut-short", "file": path, "detail": f"{why}; findings may be missing"}


def canonical(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


MAX_LINE = 10_000_000
"""Highest line number a note may name: far beyond any file genguard checks, and small
enough that nothing sized by a range (a count, a loop) can exhaust memory."""
MAX_NOTE_BYTES = 16 << 20
"""Largest note blob read; a real note is a few KB."""
MAX_NOTE_ITEMS = 100_000
"""Most files, ranges and findings one note may list, together."""


def _bounded(value: Any, what: str, low: int, high: int) -> int:
    """``value`` if it is an integer (not a bool) in [low, high]; NoteError otherwise."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise NoteError(f"{what} must be an integer, got {type(value).__name__}")
    if not low <= value <= high:
        raise NoteError(f"{what} {value} is out of range ({low}..{high})")
    return value


def _scalars(value: Any, what: str) -> dict[str, Any]:
    """A JSON object of plain values (strings, numbers, booleans, null) only."""
    if not isinstance(value, dict):
        raise NoteError(f"{what} must be an object")
    for key, item in value.items():
        if item is not None and not isinstance(item, str | int | float | bool):
            raise NoteError(f"{what}.{key} must be a plain value")
    return value


def _range(data: Any, where: str) -> AiRange:
    if not isinstance(data, dict):
        raise NoteError(f"{where}: a range must be an object")
    r = AiRange(**data)
    _bounded(r.start, f"{where}: start", 1, MAX_LINE)
    _bounded(r.end, f"{where}: end", r.start, MAX_LINE)
    for name in ("chunk", "tool", "method", "kind", "status"):
        if not isinstance(getattr(r, name), str):
            raise NoteError(f"{where}: {name} must be a string")
    for name in ("model", "reviewer"):
        if getattr(r, name) is not None and not isinstance(getattr(r, name), str):
            raise NoteError(f"{where}: {name} must be a string or null")
    return r


def _finding(data: Any) -> NoteFinding:
    if not isinstance(data, dict):
        raise NoteError("a finding must be an object")
    f = NoteFinding(**data)
    _bounded(f.line, f"finding {f.rule!r}: line", 0, MAX_LINE)
    if not isinstance(f.file, str) or not isinstance(f.rule, str):
        raise NoteError("a finding's file and rule must be strings")
    if not isinstance(f.cwe, list) or not all(isinstance(c, str) for c in f.cwe):
        raise NoteError(f"finding {f.rule!r}: cwe must be a list of strings")
    return f


def parse_note(text: str | bytes) -> Note:
    """Parse and validate a note; raises NoteError naming the first problem.

    Notes arrive from other people's clones (``genguard notes fetch``), so every
    value is checked for type and range before anything uses it: deeply nested
    JSON, line numbers in the billions or millions of entries are refused here
    instead of exhausting the stack or memory of whatever reads the note.
    """
    if len(text) > MAX_NOTE_BYTES:
        raise NoteError(f"note of {len(text)} bytes is over the {MAX_NOTE_BYTES}-byte limit")
    try:
        data = json.loads(text)
    except RecursionError:
        raise NoteError("not a note: JSON nested too deeply") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise NoteError(f"not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise NoteError("a note is a JSON object")
    if data.get("schema") != SCHEMA:
        raise NoteError(f"unknown schema {data.get('schema')!r} (expected {SCHEMA})")
    try:
        raw_files = data.get("files", {})
        raw_findings = data.get("findings", [])
        if not isinstance(raw_files, dict) or not isinstance(raw_findings, list):
            raise NoteError("files must be an object and findings a list")
        items = len(raw_files) + len(raw_findings)
        files: dict[str, FileEntry] = {}
        for path, entry in raw_files.items():
            if not isinstance(entry, dict):
                raise NoteError(f"{path}: a file entry must be an object")
            ranges = entry.get("ranges", [])
            if not isinstance(ranges, list):
                raise NoteError(f"{path}: ranges must be a list")
            items += len(ranges)
            if items > MAX_NOTE_ITEMS:
                raise NoteError(f"more than {MAX_NOTE_ITEMS} files, ranges and findings")
            files[path] = FileEntry(
                added_lines=_bounded(
                    entry.get("added_lines", 0), f"{path}: added_lines", 0, MAX_LINE
                ),
                ai_lines=_bounded(entry.get("ai_lines", 0), f"{path}: ai_lines", 0, MAX_LINE),
                ranges=[_range(r, path) for r in ranges],
            )
        if items > MAX_NOTE_ITEMS:
            raise NoteError(f"more than {MAX_NOTE_ITEMS} files, ranges and findings")
        findings = [_finding(f) for f in raw_findings]
        totals = _scalars(data.get("totals", {}), "totals")
        tools = data.get("tools", [])
        if not isinstance(tools, list) or len(tools) > MAX_NOTE_ITEMS:
            raise NoteError("tools must be a list")
        signature = data.get("signature")
        incomplete = data.get("incomplete", [])
        if not isinstance(incomplete, list):
            raise NoteError("incomplete must be a list")
        note = Note(
            commit=str(data["commit"]),
            created=str(data["created"]),
            author=data.get("author"),
            files=files,
            findings=findings,
            totals=dict(totals),
            tools=[_scalars(t, "tools[]") for t in tools],
            ledger_head=data.get("ledger_head"),
            policy_hash=data.get("policy_hash"),
            bypass=bool(data.get("bypass", False)),
            signature=None if signature is None else _scalars(signature, "signature"),
            incomplete=[
                {str(k): str(v) for k, v in _scalars(item, "incomplete[]").items()}
                for item in incomplete[:MAX_INCOMPLETE]
            ],
        )
        for name in ("author", "ledger_head", "policy_hash"):
            if getattr(note, name) is not None and not isinstance(getattr(note, name), str):
                raise NoteError(f"{name} must be a string or null")
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        if isinstance(exc, NoteError):
            raise
        raise NoteError(f"malformed note: {exc}") from exc
    for f in note.findings:
        if f.handling not in HANDLING:
            raise NoteError(f"finding {f.rule} at {f.file}:{f.line}: bad handling {f.handling!r}")
    return note
