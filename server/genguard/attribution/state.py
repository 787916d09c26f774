"""The current state of every AI chunk, rebuilt by replaying the ledger.

The editor records chunk events as they happen; commit hooks, ``scan --ai-only``
and reports need "which lines of which file are AI now, from which tool, and
were they reviewed". Replaying is cheap (one pass over JSON lines) and keeps the
ledger the single source of truth.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from genguard.values import Value


class ChunkState(Value):
    """The latest state of one chunk (a plain value class: see :mod:`genguard.values`;
    every hook reads the live ones)."""

    __slots__ = (  # noqa: RUF023  (the fields, in order)
        "id", "file", "tool", "model", "method", "kind", "status", "reviewer", "lines",
        "line_hashes", "created", "updated", "actor", "prompt_hash", "human_edited_share",
        "ended", "suppressed", "findings",
    )  # fmt: skip

    def __init__(
        self,
        id: str,
        file: str,
        tool: str = "unknown",
        model: str | None = None,
        method: str = "heuristic",
        kind: str = "unknown",
        status: str = "unreviewed",
        reviewer: str | None = None,
        lines: tuple[int, int] = (0, 0),
        line_hashes: list[str] | None = None,
        created: str = "",
        updated: str = "",
        actor: str | None = None,
        prompt_hash: str | None = None,
        human_edited_share: float = 0.0,
        ended: bool = False,
        suppressed: dict[str, str] | None = None,
        findings: dict[str, str] | None = None,
    ) -> None:
        self.id, self.file, self.tool, self.model, self.method = id, file, tool, model, method
        self.kind, self.status, self.reviewer, self.lines = kind, status, reviewer, lines
        self.line_hashes: list[str] = [] if line_hashes is None else line_hashes
        self.created, self.updated, self.actor = created, updated, actor
        self.prompt_hash, self.human_edited_share = prompt_hash, human_edited_share
        self.ended = ended
        self.suppressed: dict[str, str] = {} if suppressed is None else suppressed  # rule -> reason
        #: rule -> raised|resolved
        self.findings: dict[str, str] = {} if findings is None else findings


_CARRIED = ("tool", "model", "method", "kind", "status", "reviewer", "prompt_hash")


def replay(records: Iterable[Mapping[str, Any]]) -> dict[str, ChunkState]:
    """Fold ledger records into the latest state of each chunk (ended ones included)."""
    chunks: dict[str, ChunkState] = {}
    for rec in records:
        apply(chunks, rec)
    return chunks


def apply(chunks: dict[str, ChunkState], rec: Mapping[str, Any]) -> None:
    """Fold one ledger record into ``chunks`` (the ledger's index folds as it appends)."""
    event = rec.get("event", "")
    data = rec.get("data") or {}
    chunk_id = data.get("chunk")
    if not isinstance(chunk_id, str):
        return
    state = chunks.get(chunk_id)
    if state is None:
        if event not in ("chunk.created", "chunk.restored", "chunk.modified"):
            return
        state = chunks[chunk_id] = ChunkState(
            id=chunk_id,
            file=str(data.get("file", "")),
            created=str(rec.get("time", "")),
            actor=rec.get("actor"),
        )
    state.updated = str(rec.get("time", state.updated))
    if event in ("chunk.created", "chunk.restored", "chunk.modified", "chunk.reviewed"):
        for key in _CARRIED:
            if key in data and (data[key] is not None or key in ("model", "reviewer")):
                setattr(state, key, data[key])
        if "file" in data:
            state.file = str(data["file"])
        lines = data.get("lines")
        if isinstance(lines, list) and len(lines) == 2:
            state.lines = (int(lines[0]), int(lines[1]))
        if isinstance(data.get("line_hashes"), list):
            state.line_hashes = [str(h) for h in data["line_hashes"]]
        if "human_edited_share" in data:
            state.human_edited_share = float(data["human_edited_share"])
        if event == "chunk.reviewed":
            state.status = "reviewed"
        if event == "chunk.restored":
            state.ended = False
    elif event == "chunk.ended":
        state.ended = True
    elif event == "finding.suppressed":
        state.suppressed[str(data.get("rule"))] = str(data.get("reason", ""))
    elif event == "finding.raised":
        state.findings[str(data.get("rule"))] = "raised"
    elif event == "finding.resolved":
        state.findings[str(data.get("rule"))] = "resolved"


def live_by_file(chunks: Mapping[str, ChunkState]) -> dict[str, list[ChunkState]]:
    """Chunks that still exist, grouped by repository-relative file path."""
    out: dict[str, list[ChunkState]] = {}
    for state in chunks.values():
        if not state.ended:
            out.setdefault(state.file, []).append(state)
    return out
