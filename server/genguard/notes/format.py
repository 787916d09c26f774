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
"..."}`` for a file too large to analyse.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

SCHEMA = "genguard/note/1"
NOTES_REF = "refs/notes/genguard"
HANDLING = ("open", "suppressed", "fixed")
#: ``incomplete`` entries read back from a note (more are ignored).
MAX_INCOMPLETE = 100


@dataclass(slots=True)
class AiRange:
    start: int
    end: int
    chunk: str
    tool: str
    model: str | None = None
    method: str = "heuristic"
    kind: str = "unknown"
    status: str = "unreviewed"
    reviewer: str | None = None

    @property
    def lines(self) -> int:
        return self.end - self.start + 1


@dataclass(slots=True)
class FileEntry:
    added_lines: int = 0
    ai_lines: int = 0
    ranges: list[AiRange] = field(default_factory=list)


@dataclass(slots=True)
class NoteFinding:
    file: str
    line: int
    rule: str
    cwe: list[str] = field(default_factory=list)
    severity: str = "error"
    chunk: str | None = None
    handling: str = "open"
    reason: str | None = None
    by: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Note:
    commit: str
    created: str
    author: str | None = None
    files: dict[str, FileEntry] = field(default_factory=dict)
    findings: list[NoteFinding] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    tools: list[dict[str, Any]] = field(default_factory=list)
    ledger_head: str | None = None
    policy_hash: str | None = None
    bypass: bool = False
    signature: dict[str, Any] | None = None
    schema: str = SCHEMA
    incomplete: list[dict[str, str]] = field(default_factory=list)

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
        data = asdict(self)
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


def canonical(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def parse_note(text: str | bytes) -> Note:
    """Parse and validate a note; raises NoteError naming the first problem."""
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise NoteError(f"not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise NoteError("a note is a JSON object")
    if data.get("schema") != SCHEMA:
        raise NoteError(f"unknown schema {data.get('schema')!r} (expected {SCHEMA})")
    try:
        files = {
            path: FileEntry(
                added_lines=int(entry.get("added_lines", 0)),
                ai_lines=int(entry.get("ai_lines", 0)),
                ranges=[AiRange(**r) for r in entry.get("ranges", [])],
            )
            for path, entry in data.get("files", {}).items()
        }
        findings = [NoteFinding(**f) for f in data.get("findings", [])]
        note = Note(
            commit=str(data["commit"]),
            created=str(data["created"]),
            author=data.get("author"),
            files=files,
            findings=findings,
            totals=dict(data.get("totals", {})),
            tools=list(data.get("tools", [])),
            ledger_head=data.get("ledger_head"),
            policy_hash=data.get("policy_hash"),
            bypass=bool(data.get("bypass", False)),
            signature=data.get("signature"),
            incomplete=[
                {str(k): str(v) for k, v in dict(item).items()}
                for item in data.get("incomplete", [])[:MAX_INCOMPLETE]
            ],
        )
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise NoteError(f"malformed note: {exc}") from exc
    for f in note.findings:
        if f.handling not in HANDLING:
            raise NoteError(f"finding {f.rule} at {f.file}:{f.line}: bad handling {f.handling!r}")
    return note
