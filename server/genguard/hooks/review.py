"""Reviewing AI chunks without an editor: what ``genguard review`` lists and records.

The gate blocks on unreviewed AI lines in the staged changes (``[hooks]
require_review = "block"``); a developer working with an agent in a terminal
needs the editor's "Mark AI chunk as reviewed" there too. The chunks are the
gate's own (the staged attribution), and marking one writes the editor's
``chunk.reviewed`` ledger event with the same fields, so the gate, the notes
and every report see the review exactly as if it were made in the editor.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from genguard.attribution.linehash import line_hash
from genguard.attribution.state import ChunkState
from genguard.hooks.context import HookContext
from genguard.ledger.records import hash_text


class ReviewError(ValueError):
    """A chunk or file that cannot be reviewed as asked (unknown, ambiguous)."""


@dataclass(slots=True)
class PendingChunk:
    """An unreviewed AI chunk with lines in the staged changes.

    ``lines`` are 1-based numbers in the staged content; ``findings`` the rule
    ids the gate raises on its lines; ``live`` is False for lines carried from
    another commit's note (a squash or cherry-pick), which the ledger cannot mark.
    """

    chunk: str
    file: str
    tool: str
    model: str | None
    lines: list[int] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    live: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "chunk": self.chunk,
            "file": self.file,
            "lines": line_groups(self.lines),
            "tool": self.tool,
            "model": self.model,
            "findings": list(self.findings),
            "can_mark": self.live,
        }


def line_groups(numbers: Sequence[int]) -> str:
    """``1-2, 5`` for [1, 2, 5]."""
    out: list[str] = []
    start = prev = None
    for n in sorted(numbers):
        if start is None:
            start = prev = n
        elif n == prev + 1:  # type: ignore[operator]
            prev = n
        else:
            out.append(f"{start}" if start == prev else f"{start}-{prev}")
            start = prev = n
    if start is not None:
        out.append(f"{start}" if start == prev else f"{start}-{prev}")
    return ", ".join(out)


def reviewer(ctx: HookContext) -> str:
    """Who reviews: ``reviewer`` from the configuration, else git's user.email (as the editor)."""
    return getattr(ctx.settings, "reviewer", None) or ctx.email


def staged_pending(ctx: HookContext, *, with_findings: bool = True) -> list[PendingChunk]:
    """The unreviewed chunks that own lines of the staged changes, as the gate sees them."""
    from genguard.hooks.gate import staged_attribution

    attribution, _diffs = staged_attribution(ctx, amend=False)
    chunks = ctx.chunks()
    pending: dict[tuple[str, str], PendingChunk] = {}
    for fa in attribution.ai_files():
        for n, owner in sorted(fa.owners.items()):
            if owner.status == "reviewed":
                continue
            key = (fa.path, owner.chunk)
            item = pending.get(key)
            if item is None:
                state = chunks.get(owner.chunk)
                item = pending[key] = PendingChunk(
                    owner.chunk,
                    fa.path,
                    owner.tool,
                    owner.model,
                    live=state is not None and not state.ended,
                )
            item.lines.append(n)
    if with_findings and pending and attribution.ai_lines:
        from genguard.hooks.attribution import index_reader
        from genguard.hooks.findings import check_in

        result = check_in(ctx, attribution, index_reader(ctx.git), ctx.email)
        for f in result.findings:
            if f.owner is None or f.handling != "open":
                continue
            item = pending.get((f.file, f.owner.chunk))
            if item is not None and f.rule_id not in item.findings:
                item.findings.append(f.rule_id)
    return sorted(pending.values(), key=lambda p: (p.file, p.lines[0] if p.lines else 0))


def resolve(ctx: HookContext, wanted: Iterable[str]) -> list[ChunkState]:
    """Live chunks named by id (or a unique prefix of one)."""
    live = [c for c in ctx.chunks().values() if not c.ended]
    out: list[ChunkState] = []
    for name in wanted:
        hits = [c for c in live if c.id == name] or [c for c in live if c.id.startswith(name)]
        if not hits:
            raise ReviewError(f"no live AI chunk {name!r} (see `genguard review` for the list)")
        if len(hits) > 1:
            raise ReviewError(f"{name!r} names {len(hits)} chunks; give more of the id")
        out.append(hits[0])
    return out


def of_file(ctx: HookContext, rel: str) -> list[ChunkState]:
    """The live, unreviewed chunks of one repository-relative file."""
    return [c for c in ctx.live().get(rel, []) if c.status != "reviewed"]


def _content_hash(ctx: HookContext, chunk: ChunkState) -> str | None:
    """Hash of the chunk's lines as they are now in the working tree (as the editor hashes
    the chunk's text); None when the file cannot be read or none of its lines is left."""
    try:
        data = (ctx.root / chunk.file).read_bytes()
    except OSError:
        return None
    wanted = set(chunk.line_hashes)
    rows = data.split(b"\n")
    hits = [i for i, row in enumerate(rows) if line_hash(row) in wanted]
    if not hits:
        return None
    return hash_text(b"\n".join(rows[hits[0] : hits[-1] + 1]))


def mark(
    ctx: HookContext, chunks: Sequence[ChunkState], who: str, note: str | None = None
) -> list[ChunkState]:
    """Record ``chunk.reviewed`` for each chunk not reviewed yet; returns those marked."""
    done: list[ChunkState] = []
    for c in chunks:
        if c.status == "reviewed":
            continue
        data: dict[str, Any] = {
            "chunk": c.id,
            "file": c.file,
            "lines": list(c.lines),
            "tool": c.tool,
            "model": c.model,
            "method": c.method,
            "kind": c.kind,
            "status": "reviewed",
            "reviewer": who,
            "line_hashes": list(c.line_hashes),
            "content_hash": _content_hash(ctx, c),
            "human_edited_share": c.human_edited_share,
            "via": "cli",
        }
        if note:
            data["note"] = note.strip()
        ctx.append("chunk.reviewed", data)
        c.status, c.reviewer = "reviewed", who
        done.append(c)
    return done
