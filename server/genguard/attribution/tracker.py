"""Attribution of one document's text to AI chunks, kept right as the text changes.

Pure logic over byte offsets: the language server, the CLI and the tests drive
it the same way. It never sees LSP types; callers convert positions first.
"""

from __future__ import annotations

import uuid
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from genguard.attribution import segments as seg
from genguard.attribution.chunk import Chunk
from genguard.config.settings import HeuristicSettings

Fingerprinter = Callable[[bytes], str]

_GRAVEYARD_SIZE = 64
_RECENT_HUMAN_CUTS = 16
_MIN_RESTORE_BYTES = 8


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _new_id() -> str:
    return uuid.uuid4().hex[:12]


Thresholds = HeuristicSettings
"""When an insertion is big enough to be AI-shaped (both must hold); declared, with
its defaults, as ``[heuristics]`` in :mod:`genguard.config.settings`."""


@dataclass(slots=True)
class Outcome:
    """What one operation did to the chunks, for the ledger and for re-checking."""

    created: list[Chunk] = field(default_factory=list)
    restored: list[Chunk] = field(default_factory=list)
    declared: list[Chunk] = field(default_factory=list)
    ended: list[tuple[Chunk, str]] = field(default_factory=list)
    touched: set[str] = field(default_factory=set)

    def merge(self, other: Outcome) -> None:
        self.created += other.created
        self.restored += other.restored
        self.declared += other.declared
        self.ended += other.ended
        self.touched |= other.touched


def looks_generated(text: bytes, thresholds: Thresholds) -> bool:
    """The heuristic: one insertion of several lines and a fair amount of code."""
    lines = text.count(b"\n") + 1 if text else 0
    if text.endswith(b"\n"):
        lines -= 1
    if lines < thresholds.min_lines:
        return False
    return len(bytes(text.translate(None, b" \t\r\n\f\v"))) >= thresholds.min_chars


class ChunkTracker:
    """Owns the chunks of one document."""

    def __init__(
        self,
        file: str,
        fingerprinter: Fingerprinter,
        thresholds: Thresholds | None = None,
        *,
        clock: Callable[[], str] = _now,
        new_id: Callable[[], str] = _new_id,
    ) -> None:
        self.file = file
        self.thresholds = thresholds or Thresholds()
        self._fingerprint = fingerprinter
        self._clock = clock
        self._new_id = new_id
        self.chunks: dict[str, Chunk] = {}
        self._graveyard: OrderedDict[str, Chunk] = OrderedDict()  # fingerprint -> ended chunk
        self._human_cuts: deque[str] = deque(maxlen=_RECENT_HUMAN_CUTS)

    # -- queries ---------------------------------------------------------------
    def fingerprint_of(self, data: bytes) -> str:
        return self._fingerprint(data)

    def live(self) -> list[Chunk]:
        return sorted(self.chunks.values(), key=lambda c: c.start)

    def at(self, offset: int) -> Chunk | None:
        for chunk in self.chunks.values():
            if chunk.start <= offset < chunk.end:
                return chunk
        return None

    def covering(self, start: int, end: int) -> list[Chunk]:
        return [c for c in self.live() if c.covers(start, end)]

    def owner_of(self, offset: int) -> str | None:
        """Id of the chunk whose AI text holds byte ``offset`` (None: human)."""
        for chunk in self.chunks.values():
            for s, e in chunk.segments:
                if s <= offset < e:
                    return chunk.id
        return None

    # -- edits -----------------------------------------------------------------
    def apply_edit(
        self,
        start: int,
        old_end: int,
        inserted: bytes,
        removed: bytes = b"",
        *,
        document: bytes = b"",
    ) -> Outcome:
        """Move, shrink, split or end chunks for one replacement, then classify the insertion.

        ``removed`` is the text that was replaced (used to recognise a human move);
        ``document`` is the text after the edit (used to recognise a copy of text
        that already sits in the file).
        """
        out = Outcome()
        new_len = len(inserted)
        delta = start + new_len - old_end
        removed_human = bool(removed)
        for chunk in list(self.chunks.values()):
            before = chunk.segments
            if before[-1][1] <= start:
                continue  # wholly before the edit
            if before[0][0] >= old_end:
                if delta:  # wholly after: slide
                    chunk.segments = [(s + delta, e + delta) for s, e in before]
                continue
            if removed and any(s < old_end and e > start for s, e in before):
                removed_human = False  # the cut text was (partly) the AI's
            chunk.segments = seg.apply_edit(before, start, old_end, new_len)
            out.touched.add(chunk.id)
            if not chunk.segments:
                self._end(chunk, "deleted", out)

        if removed_human and len(removed) >= _MIN_RESTORE_BYTES:
            self._human_cuts.append(self._fingerprint(removed))

        if new_len:
            self._classify_insertion(start, inserted, document, out)
        return out

    def _classify_insertion(
        self, start: int, inserted: bytes, document: bytes, out: Outcome
    ) -> None:
        end = start + len(inserted)
        big = looks_generated(inserted, self.thresholds)
        if not big and (len(inserted) < _MIN_RESTORE_BYTES or not self._graveyard):
            return
        fp = self._fingerprint(inserted)
        revived = self._graveyard.pop(fp, None)
        if revived is not None:
            revived.segments = [(start, end)]
            revived.ended = False
            self.chunks[revived.id] = revived
            out.restored.append(revived)
            return
        if not big:
            return
        if fp in self._human_cuts:
            return  # a human moved their own text
        if document and self._copied_from_human_text(document, inserted, start):
            return
        chunk = Chunk(
            id=self._new_id(),
            file=self.file,
            tool="unknown",
            method="heuristic",
            kind="unknown",
            created=self._clock(),
            fingerprint=fp,
            segments=[(start, end)],
            original_length=len(inserted),
        )
        self.chunks[chunk.id] = chunk
        out.created.append(chunk)

    def _copied_from_human_text(self, document: bytes, inserted: bytes, start: int) -> bool:
        """A paste of text that already stands elsewhere in the file, outside AI code."""
        end = start + len(inserted)
        for where in (
            document.find(inserted, 0, start + len(inserted) - 1),
            document.find(inserted, end),
        ):
            if where != -1 and where != start and self.owner_of(where) is None:
                return True
        return False

    def _end(self, chunk: Chunk, reason: str, out: Outcome) -> None:
        chunk.ended = True
        chunk.segments = []
        self.chunks.pop(chunk.id, None)
        self._graveyard[chunk.fingerprint] = chunk
        while len(self._graveyard) > _GRAVEYARD_SIZE:
            self._graveyard.popitem(last=False)
        out.ended.append((chunk, reason))

    # -- declarations ----------------------------------------------------------
    def declare_ai(
        self,
        start: int,
        end: int,
        *,
        tool: str,
        text: bytes,
        model: str | None = None,
        kind: str = "unknown",
        prompt_hash: str | None = None,
    ) -> tuple[Chunk, Outcome]:
        """The editor says the text at [start, end) came from ``tool``.

        A heuristic chunk already covering that text becomes this declared chunk
        (same id: one chunk, not two); any other AI text in the range is taken over.
        """
        out = Outcome()
        overlapping = [
            c for c in self.chunks.values() if any(s < end and e > start for s, e in c.segments)
        ]
        target = None
        heuristic = [c for c in overlapping if c.method == "heuristic"]
        if heuristic:
            target = max(heuristic, key=lambda c: min(c.end, end) - max(c.start, start))
        for chunk in overlapping:
            if chunk is target:
                continue
            chunk.segments = seg.subtract(chunk.segments, start, end)
            out.touched.add(chunk.id)
            if not chunk.segments:
                self._end(chunk, "superseded", out)
        fp = self._fingerprint(text)
        if target is None:
            target = Chunk(
                id=self._new_id(),
                file=self.file,
                tool=tool,
                method="declared",
                kind=kind,
                created=self._clock(),
                fingerprint=fp,
                segments=[(start, end)],
                original_length=end - start,
                model=model,
                prompt_hash=prompt_hash,
            )
            self.chunks[target.id] = target
            out.created.append(target)
        else:
            target.segments = seg.merge([*target.segments, (start, end)])
            target.method = "declared"
            target.tool = tool
            target.model = model
            target.kind = kind
            target.prompt_hash = prompt_hash
            target.fingerprint = fp
            target.original_length = target.ai_bytes
            out.declared.append(target)
        return target, out

    def declare_human(self, start: int, end: int) -> Outcome:
        """The editor says the text at [start, end) is the user's own (e.g. a paste)."""
        out = Outcome()
        for chunk in list(self.chunks.values()):
            after = seg.subtract(chunk.segments, start, end)
            if after != chunk.segments:
                chunk.segments = after
                out.touched.add(chunk.id)
                if not after:
                    self._end(chunk, "declared-human", out)
        return out

    def adopt(self, chunk: Chunk) -> bool:
        """Take back a chunk recorded earlier (its segments already placed in this text).

        Refused when it would overlap a chunk already here.
        """
        if chunk.id in self.chunks or not chunk.segments:
            return False
        start, end = chunk.segments[0][0], chunk.segments[-1][1]
        if any(c.covers(start, end) for c in self.chunks.values()):
            return False
        self.chunks[chunk.id] = chunk
        return True

    # -- review ----------------------------------------------------------------
    def mark_reviewed(self, chunk_id: str, reviewer: str) -> Chunk | None:
        chunk = self.chunks.get(chunk_id)
        if chunk is None:
            return None
        chunk.status = "reviewed"
        chunk.reviewer = reviewer
        chunk.reviewed_at = self._clock()
        return chunk
