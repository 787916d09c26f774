"""What the editor writes to the ledger, and when.

Chunks are recorded as they are created, restored, declared or ended; human
edits inside a chunk once per save or close (not per keystroke); findings when
the set of findings inside AI chunks changes (raised, resolved); inline
suppressions at save, so a justification being typed is recorded as written.
Each record is also handed to live telemetry. The ledger never takes the editor
down: a failed append is logged and the guard goes on.

A language server holds the records of edits (:meth:`EditorRecorder.hold`) until
it has published its answer to them, then writes them (:meth:`EditorRecorder.flush`):
the answer does not wait on the disk. What is held is already final: chunk records
as the edits made them, finding records from the check of the version published.
"""

from __future__ import annotations

import logging
from typing import Any

from genguard.assess import Assessed, Assessment
from genguard.attribution.chunk import Chunk
from genguard.attribution.linehash import line_hashes
from genguard.attribution.tracker import Outcome
from genguard.ledger import (
    CHUNK_CREATED,
    CHUNK_ENDED,
    CHUNK_MODIFIED,
    CHUNK_RESTORED,
    CHUNK_REVIEWED,
    FINDING_RAISED,
    FINDING_RESOLVED,
    FINDING_SUPPRESSED,
    Ledger,
    events,
    hash_text,
)
from genguard.session.document import GuardedDocument
from genguard.telemetry.live import LiveExporter

log = logging.getLogger(__name__)


class EditorRecorder:
    """The editor's ledger events for one workspace (see the module docstring)."""

    def __init__(self, ledger: Ledger | None, telemetry: LiveExporter | None) -> None:
        self.ledger = ledger
        self.telemetry = telemetry
        #: Records not yet written, oldest first; None writes each at once.
        self.held: list[tuple[str, dict[str, Any]]] | None = None

    def hold(self) -> None:
        """Keep records from now on, until :meth:`flush`."""
        if self.held is None:
            self.held = []

    def append(self, event: str, data: dict[str, Any]) -> None:
        if self.ledger is None:
            return
        if self.held is not None:
            self.held.append((event, data))
            return
        self._write(event, data)

    def flush(self) -> None:
        """Write the held records, in the order they were made, and each one at once
        from now on."""
        held, self.held = self.held, None
        for event, data in held or ():
            self._write(event, data)

    def _write(self, event: str, data: dict[str, Any]) -> None:
        assert self.ledger is not None
        try:
            record = self.ledger.append(event, data)
        except Exception as exc:  # never lose the editor over the ledger
            log.error("could not append %s to the ledger: %s", event, exc)
            return
        if self.telemetry is not None:
            self.telemetry.submit(record)

    # -- what a record says about a chunk ----------------------------------------
    @staticmethod
    def _ref(doc: GuardedDocument, chunk: Chunk) -> dict[str, Any]:
        lines = doc.lines(chunk.start, chunk.end) if chunk.segments else (0, 0)
        return events.chunk_ref(chunk.id, doc.file, lines)

    def _state(self, doc: GuardedDocument, chunk: Chunk) -> dict[str, Any]:
        data = doc.buffer.data
        ai_text = b"\n".join(data[s:e] for s, e in chunk.segments)
        return events.chunk_state(
            self._ref(doc, chunk),
            tool=chunk.tool,
            model=chunk.model,
            method=chunk.method,
            kind=chunk.kind,
            status=chunk.status,
            reviewer=chunk.reviewer,
            line_hashes=line_hashes(ai_text),
        )

    @staticmethod
    def _content_hash(doc: GuardedDocument, chunk: Chunk) -> str:
        return hash_text(doc.buffer.data[chunk.start : chunk.end])

    # -- chunks ------------------------------------------------------------------
    def outcome(
        self, doc: GuardedDocument, outcome: Outcome, *, human_reason: str | None = None
    ) -> None:
        """Chunks an edit or a declaration created, restored, declared or ended."""
        for chunk in outcome.created:
            self.append(
                CHUNK_CREATED,
                {
                    **self._state(doc, chunk),
                    "prompt_hash": chunk.prompt_hash,
                    "fingerprint": chunk.fingerprint,
                    "content_hash": self._content_hash(doc, chunk),
                    "bytes": chunk.ai_bytes,
                    "language": doc.language,
                },
            )
        for chunk in outcome.restored:
            self.append(CHUNK_RESTORED, {**self._state(doc, chunk), "reason": "reinserted"})
        for chunk in outcome.declared:
            self.append(
                CHUNK_MODIFIED,
                {
                    **self._state(doc, chunk),
                    "reason": "declared",
                    "prompt_hash": chunk.prompt_hash,
                    "content_hash": self._content_hash(doc, chunk),
                },
            )
        for chunk, reason in outcome.ended:
            data = {"chunk": chunk.id, "file": doc.file, "reason": reason}
            if human_reason and reason == "declared-human":
                data["note"] = human_reason
            self.append(CHUNK_ENDED, data)

    def reviewed(self, doc: GuardedDocument, chunk: Chunk) -> None:
        self.append(
            CHUNK_REVIEWED,
            {
                **self._state(doc, chunk),
                "content_hash": self._content_hash(doc, chunk),
                "human_edited_share": chunk.human_edited_share,
            },
        )

    def human_edits(self, doc: GuardedDocument) -> None:
        """Human edits inside chunks since the last save or close, once per chunk."""
        for chunk_id in sorted(doc.touched_since_save):
            chunk = doc.tracker.chunks.get(chunk_id)
            if chunk is None:
                continue
            self.append(
                CHUNK_MODIFIED,
                {
                    **self._state(doc, chunk),
                    "reason": "human-edit",
                    "human_edited_share": chunk.human_edited_share,
                    "content_hash": self._content_hash(doc, chunk),
                },
            )
        doc.touched_since_save.clear()

    # -- findings ----------------------------------------------------------------
    def suppressed(
        self,
        doc: GuardedDocument,
        chunk: Chunk,
        rule: str,
        cwe: tuple[str, ...],
        reason: str,
        by: str,
    ) -> None:
        """A suppression given through the editor's command."""
        data = events.finding_suppressed(
            self._ref(doc, chunk), rule=rule, cwe=cwe, reason=reason, by=by
        )
        self.append(FINDING_SUPPRESSED, data)

    def inline_suppressions(
        self, doc: GuardedDocument, assessment: Assessment[Chunk], reviewer: str
    ) -> None:
        """Each inline suppression of a finding in an AI chunk, once (with its reason).

        ``by`` is the chunk's reviewer when the marker is part of the (reviewed) AI
        text, else the person at the editor.
        """
        for item in assessment.inline:
            f, chunk, marker = item.finding, item.chunk, item.marker
            if chunk is None or marker is None:
                continue
            match_hash = hash_text(doc.buffer.data[f.start : f.end])
            key = (f.rule.id, chunk.id, match_hash, marker.reason)
            if key in doc.inline_recorded:
                continue
            doc.inline_recorded.add(key)
            owner = doc.tracker.owner_of(marker.start)
            by = chunk.reviewer if owner is not None and chunk.reviewer else reviewer
            data = events.finding_suppressed(
                self._ref(doc, chunk),
                rule=f.rule.id,
                cwe=f.rule.cwe,
                reason=marker.reason,
                by=by,
                inline=(marker.kind, doc.lines(f.start, f.end), match_hash),
            )
            self.append(FINDING_SUPPRESSED, data)

    def findings(self, doc: GuardedDocument, assessment: Assessment[Chunk]) -> None:
        """Changes in the set of findings inside AI chunks, as raised/resolved records.

        An inline-suppressed finding is still there (its record is
        ``finding.suppressed``); warnings about comment markers are not findings
        in the code. A check cut short resolves nothing: a finding it did not see
        may still be there (it is resolved once a whole check agrees).
        """
        current: dict[tuple[str, str, str], Assessed[Chunk]] = {}
        for item in assessment.items:
            f, chunk = item.finding, item.chunk
            if chunk is None or item.about_marker or item.by == "command":
                continue
            what = f.detail if f.detail is not None else doc.buffer.data[f.start : f.end]
            current[(f.rule.id, chunk.id, hash_text(what))] = item
        previous = doc.finding_keys
        for key in current.keys() - previous:
            item = current[key]
            f, chunk = item.finding, item.chunk
            assert chunk is not None  # filtered above
            data = events.finding_raised(
                self._ref(doc, chunk),
                rule=f.rule.id,
                cwe=f.rule.cwe,
                severity=item.severity,
                at=doc.lines(f.start, f.end),
                match_hash=hash_text(doc.buffer.data[f.start : f.end]),
            )
            self.append(FINDING_RAISED, data)
        if assessment.cut:
            doc.finding_keys = previous | current.keys()
            return
        for rule_id, chunk_id, _match in previous - current.keys():
            self.append(FINDING_RESOLVED, events.finding_resolved(chunk_id, doc.file, rule_id))
        doc.finding_keys = set(current)
