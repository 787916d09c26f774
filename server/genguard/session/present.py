"""What the editor shows, worded, as plain values: diagnostics and a file's provenance.

The words live here (the specifics of a hit first, since panels truncate; the
CWE when the rule's message does not name it; one notice per unreviewed chunk).
Positions are (line, character) pairs in the document's encoding; turning these
values into LSP types and camelCase JSON is :mod:`genguard.lsp.convert`'s job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from genguard.rules.model import INCOMPLETE_ID
from genguard.session.document import GuardedDocument, Range

if TYPE_CHECKING:
    from genguard.assess import Assessment
    from genguard.attribution.chunk import Chunk

UNREVIEWED_CODE = "genguard.unreviewed-ai"


@dataclass(frozen=True, slots=True)
class DiagnosticInfo:
    """One diagnostic, described without LSP types.

    ``chunk_id`` names the AI chunk it sits in (None: human code); ``related`` are
    places in the same document that explain it (a data-flow path).
    """

    range: Range
    severity: str
    code: str
    message: str
    chunk_id: str | None = None
    cwe: tuple[str, ...] = ()
    controls: tuple[tuple[str, tuple[str, ...]], ...] = ()
    fix: str | None = None
    href: str | None = None
    related: tuple[tuple[Range, str], ...] = ()


def diagnostics(
    doc: GuardedDocument, assessment: Assessment[Chunk], *, unreviewed: bool
) -> list[DiagnosticInfo]:
    """The open findings of ``assessment``, then (with ``unreviewed``) one notice per
    unreviewed AI chunk; first, when a check was cut short, a warning on the first
    line saying which and that findings may be missing."""
    out: list[DiagnosticInfo] = []
    if assessment.cut:
        out.append(incomplete(doc, assessment))
    for item in assessment.open:
        f, chunk, rule = item.finding, item.chunk, item.rule
        missing = [c for c in rule.cwe if c not in rule.message]
        label = f" ({', '.join(missing)})" if missing else ""
        detail = f"{f.detail}. " if f.detail else ""  # the specifics first: panels truncate
        out.append(
            DiagnosticInfo(
                range=doc.lsp_range(f.start, f.end),
                severity=item.severity,
                code=rule.id,
                message=f"{detail}{rule.message}{label}",
                chunk_id=chunk.id if chunk else None,
                cwe=tuple(rule.cwe),
                controls=tuple((k, tuple(v)) for k, v in rule.controls.items()),
                fix=f.fix,
                href=rule.url,
                related=tuple((doc.lsp_range(r.start, r.end), r.message) for r in f.related),
            )
        )
    if unreviewed:
        for chunk in doc.tracker.live():
            if chunk.status == "reviewed":
                continue
            line = doc.buffer.line_of(chunk.start)
            end = min(chunk.end, max(doc.buffer.line_end(line), chunk.start))
            who = chunk.tool if chunk.tool != "unknown" else "an AI tool (inferred)"
            first, last = doc.lines(chunk.start, chunk.end)
            out.append(
                DiagnosticInfo(
                    range=doc.lsp_range(chunk.start, end),
                    severity="info",
                    code=UNREVIEWED_CODE,
                    message=(
                        f"Unreviewed AI-written code from {who}, lines {first}-{last}:"
                        " review it, then mark it reviewed"
                    ),
                    chunk_id=chunk.id,
                )
            )
    return out


def incomplete(doc: GuardedDocument, assessment: Assessment[Chunk]) -> DiagnosticInfo:
    """The warning that the document's check was cut short: a file whose findings may
    be missing must not look clean."""
    first = doc.buffer.line_end(0) if doc.buffer.line_count else 0
    why = "; ".join(map(str, assessment.cut))
    if doc.retrying:
        again = "; it is checked again with the next edit"
    elif doc.partial:  # a limit cuts the same text again
        again = "; it is checked again once that code is edited"
    else:
        again = ""
    return DiagnosticInfo(
        range=doc.lsp_range(0, first),
        severity="warning",
        code=INCOMPLETE_ID,
        message=f"Check cut short ({why}): findings may be missing{again}",
    )


@dataclass(frozen=True, slots=True)
class ChunkProvenance:
    """One live AI chunk as the editor's provenance view shows it."""

    id: str
    range: Range
    tool: str
    model: str | None
    method: str
    kind: str
    created: str
    status: str
    reviewer: str | None
    findings: tuple[str, ...]
    suppressed: tuple[str, ...]
    human_edited_share: float
    lines: tuple[tuple[int, int], ...] = ()  # 0-based runs of lines its AI text holds


@dataclass(frozen=True, slots=True)
class FileProvenance:
    """Who wrote what in one open document: its AI share and its live chunks.

    ``ai_share`` is the share of lines (one definition everywhere: blame, stats,
    evidence); ``ai_byte_share`` the share of bytes, a second figure.
    """

    uri: str
    version: int
    ai_share: float
    chunks: tuple[ChunkProvenance, ...] = field(default_factory=tuple)
    ai_lines: int = 0
    total_lines: int = 0
    ai_byte_share: float = 0.0


def provenance(doc: GuardedDocument, assessment: Assessment[Chunk]) -> FileProvenance:
    """The document's live chunks, each with the rules that have open findings in it."""
    findings: dict[str, list[str]] = {}
    for f, chunk in assessment.visible:
        if chunk is not None:
            findings.setdefault(chunk.id, []).append(f.rule.id)
    live = doc.tracker.live()
    chunks = tuple(
        ChunkProvenance(
            id=c.id,
            range=doc.lsp_range(c.start, c.end),
            tool=c.tool,
            model=c.model,
            method=c.method,
            kind=c.kind,
            created=c.created,
            status=c.status,
            reviewer=c.reviewer,
            findings=tuple(findings.get(c.id, [])),
            suppressed=tuple(sorted(c.suppressed)),
            human_edited_share=c.human_edited_share,
            lines=tuple(doc.ai_lines(c)),
        )
        for c in live
    )
    ai_lines, total_lines = ai_line_count(doc)
    share = round(ai_lines / total_lines, 4) if total_lines else 0.0
    ai_bytes = sum(c.ai_bytes for c in live)
    byte_share = round(ai_bytes / max(len(doc.buffer), 1), 4)
    return FileProvenance(doc.uri, doc.version, share, chunks, ai_lines, total_lines, byte_share)


def ai_line_count(doc: GuardedDocument) -> tuple[int, int]:
    """(AI-written lines, lines) of a document, counted as ``git blame`` counts lines: a
    line is AI when an AI chunk covers any of it; a final line break adds no line."""
    buffer = doc.buffer
    total = buffer.line_count - (1 if buffer.data.endswith(b"\n") else 0)
    rows: set[int] = set()
    for chunk in doc.tracker.live():
        for start, end in chunk.segments:
            if end > start:
                rows.update(range(buffer.line_of(start), buffer.line_of(end - 1) + 1))
    return len(rows), max(total, 0)
