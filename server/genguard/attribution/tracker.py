"""Attribution of one document's text to AI chunks, kept right as the text changes.

Pure logic over byte offsets: the language server, the CLI and the tests drive
it the same way. It never sees LSP types; callers convert positions first.
"""

from __future__ import annotations

import uuid
from bisect import bisect_right
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from genguard.attribution import segments as seg
from genguard.attribution.chunk import Chunk
from genguard.attribution.moves import MoveMemory, Origin, Origins, key_of
from genguard.config.settings import HeuristicSettings
from genguard.text.buffer import merge_ranges

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


def _same_origin(a: Origin | None, b: Origin | None) -> bool:
    if a is None or b is None:
        return a is b
    return (a.chunk.id if a.chunk else None) == (b.chunk.id if b.chunk else None)


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
        origins: Origins | None = None,
    ) -> None:
        self.file = file
        # where moved or copied text comes from; shared by a workspace's documents
        self.origins: Origins = origins if origins is not None else MoveMemory()
        self.thresholds = thresholds or Thresholds()
        self._fingerprinter = fingerprinter
        self._last_fingerprint: tuple[bytes, str] | None = None
        self._clock = clock
        self._new_id = new_id
        self.chunks: dict[str, Chunk] = {}
        self._graveyard: OrderedDict[str, Chunk] = OrderedDict()  # fingerprint -> ended chunk
        self._human_cuts: deque[str] = deque(maxlen=_RECENT_HUMAN_CUTS)

    # -- queries ---------------------------------------------------------------
    def fingerprint_of(self, data: bytes) -> str:
        return self._fingerprint(data)

    def _fingerprint(self, data: bytes) -> str:
        """The fingerprint of ``data``; the last one is kept, as an insertion is
        fingerprinted to look for an ended chunk like it, then as the chunk it becomes."""
        last = self._last_fingerprint
        if last is None or last[0] != data:
            last = self._last_fingerprint = (data, self._fingerprinter(data))
        return last[1]

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

    def line_owner(self, start: int, end: int) -> Chunk | None:
        """The chunk holding a visible byte of [start, end) (None: a person's text)."""
        for chunk in self.chunks.values():
            for s, e in chunk.segments:
                if s < end and e > start:
                    return chunk
        return None

    def _line_owners(self, data: bytes, base: int) -> list[tuple[bytes, Chunk | None]]:
        """(key, owner) of each traceable line of ``data``, which stands at ``base``."""
        spans = sorted((s, e, c) for c in self.chunks.values() for s, e in c.segments)
        ends = [e for _, e, _ in spans]
        out = []
        pos = base
        for line in data.splitlines(keepends=True):
            key = key_of(line)
            if key is not None:
                a = pos + len(line) - len(line.lstrip())
                b = pos + len(line.rstrip())
                i = bisect_right(ends, a)
                owner = spans[i][2] if i < len(spans) and spans[i][0] < b else None
                out.append((key, owner))
            pos += len(line)
        return out

    # -- edits -----------------------------------------------------------------
    def note_removal(self, start: int, removed: bytes) -> None:
        """Tell the origins who owned the lines of ``removed`` (at ``start``), before it goes."""
        lines = self._line_owners(removed, start)
        if lines:
            self.origins.removed(self.file, lines)

    def apply_edit(
        self,
        start: int,
        old_end: int,
        inserted: bytes,
        removed: bytes = b"",
        *,
        document: bytes = b"",
        noted: bool = False,
        heuristic: bool = True,
    ) -> Outcome:
        """Move, shrink, split or end chunks for one replacement, then classify the insertion.

        ``removed`` is the text that was replaced (used to recognise a move; pass
        ``noted`` when :meth:`note_removal` already told the origins about it);
        ``document`` is the text after the edit (used to recognise a copy of text
        that already sits in the file). Without ``heuristic``, text whose origin
        is unknown stays a person's (content git already holds, for example).
        """
        out = Outcome()
        if removed and not noted:
            self.note_removal(start, removed)
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
            self._classify_insertion(start, inserted, document, out, heuristic)
        return out

    def _classify_insertion(
        self, start: int, inserted: bytes, document: bytes, out: Outcome, heuristic: bool
    ) -> None:
        end = start + len(inserted)
        big = looks_generated(inserted, self.thresholds)
        if len(inserted) < _MIN_RESTORE_BYTES:
            return
        fp = self._fingerprint(inserted)
        revived = self._graveyard.pop(fp, None)
        if revived is not None and revived.ended:
            self._revive(revived, [(start, end)], out)
            return
        if self._from_origins(start, inserted, document, out, heuristic):
            return
        if not big or not heuristic:
            return
        if fp in self._human_cuts:
            return  # a human moved their own text
        if document and self._copied_from_human_text(document, inserted, start):
            return
        self._new_chunk(start, end, fp, out)

    def _revive(self, chunk: Chunk, segments: list[tuple[int, int]], out: Outcome) -> None:
        chunk.segments = segments
        chunk.ended = False
        chunk.file = self.file
        self.chunks[chunk.id] = chunk
        out.restored.append(chunk)

    def _from_origins(
        self, start: int, inserted: bytes, document: bytes, out: Outcome, heuristic: bool
    ) -> bool:
        """Give moved or copied lines their earlier owner and judge the rest on its own.

        False when no line of ``inserted`` was seen before (the caller judges it whole).
        """
        spans: list[tuple[int, int]] = []  # line spans with text, in ``inserted``
        keys: list[bytes | None] = []
        pos = 0
        for line in inserted.splitlines(keepends=True):
            if line.strip():
                spans.append((pos, pos + len(line)))
                keys.append(key_of(line))
            pos += len(line)
        if not any(k is not None for k in keys):
            return False
        # copies from other documents only for text big enough to be judged AI
        big = looks_generated(inserted, self.thresholds)
        span = (start, start + len(inserted))
        found = self.origins.lookup(self.file, keys, copies=big, span=span)
        if all(f is None for f in found):
            return False
        # runs of consecutive lines with one origin: a chunk, a person, or unknown;
        # a line too short to trace ("}", "else:") goes with the run it stands in
        runs: list[tuple[Origin | None, int, int]] = []
        pending: int | None = None  # start of untraceable lines before any run
        for (s, e), origin, key in zip(spans, found, keys, strict=True):
            if key is None:
                if runs:
                    runs[-1] = (runs[-1][0], runs[-1][1], e)
                elif pending is None:
                    pending = s
                continue
            if runs and _same_origin(runs[-1][0], origin):
                runs[-1] = (runs[-1][0], runs[-1][1], e)
            else:
                first = pending if not runs and pending is not None else s
                runs.append((origin, first, e))
        # new lines that come with moved ones (a def line, a call) are glue unless
        # they are a block of their own
        glue = Thresholds(
            min_lines=self.thresholds.min_lines + 2, min_chars=self.thresholds.min_chars
        )
        for origin, s, e in runs:
            if origin is not None and origin.chunk is None:
                continue  # a person's lines, moved or copied
            if origin is not None:
                assert origin.chunk is not None
                self._moved_ai(origin.chunk, start + s, start + e, inserted[s:e], out)
            elif (
                heuristic
                and looks_generated(inserted[s:e], glue)
                and self._judged_ai(inserted[s:e], document, start + s)
            ):
                self._new_chunk(start + s, start + e, self._fingerprint(inserted[s:e]), out)
        return True

    def _judged_ai(self, text: bytes, document: bytes, start: int) -> bool:
        """New text of unknown origin, judged by the heuristic (a copy of a person's
        text elsewhere in the file is theirs)."""
        if not looks_generated(text, self.thresholds):
            return False
        return not (document and self._copied_from_human_text(document, text, start))

    def _moved_ai(self, source: Chunk, start: int, end: int, text: bytes, out: Outcome) -> None:
        """AI lines seen before: the same chunk when it had ended (moved whole), else a
        chunk of its own carrying the source's tool, model and review."""
        if source.ended and not source.segments:
            self._graveyard.pop(source.fingerprint, None)
            self._revive(source, [(start, end)], out)
            return
        chunk = Chunk(
            id=self._new_id(),
            file=self.file,
            tool=source.tool,
            method=source.method,
            kind=source.kind,
            created=self._clock(),
            fingerprint=self._fingerprint(text),
            segments=[(start, end)],
            original_length=end - start,
            model=source.model,
            prompt_hash=source.prompt_hash,
            status=source.status,
            reviewer=source.reviewer,
            reviewed_at=source.reviewed_at,
            suppressed=dict(source.suppressed),
        )
        self.chunks[chunk.id] = chunk
        out.created.append(chunk)

    def _new_chunk(self, start: int, end: int, fp: str, out: Outcome) -> None:
        chunk = Chunk(
            id=self._new_id(),
            file=self.file,
            tool="unknown",
            method="heuristic",
            kind="unknown",
            created=self._clock(),
            fingerprint=fp,
            segments=[(start, end)],
            original_length=end - start,
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

    def reformat(
        self, start: int, old_end: int, new_len: int, pairs: list[tuple[int, int, int, int]]
    ) -> Outcome:
        """A layout-only replacement of [start, old_end) by ``new_len`` bytes.

        ``pairs`` maps each token (old start, old end) to its counterpart (new
        start, new end), offsets relative to ``start``. Every token keeps its
        owner and no chunk starts or ends: a formatter never makes code AI or a
        person's. Whitespace between two tokens of one chunk belongs to it.
        """
        out = Outcome()
        delta = start + new_len - old_end
        old_ends = [start + p[1] for p in pairs]
        for chunk in list(self.chunks.values()):
            before = chunk.segments
            if before[-1][1] <= start:
                continue
            if before[0][0] >= old_end:
                if delta:
                    chunk.segments = [(s + delta, e + delta) for s, e in before]
                continue
            owned: list[int] = []  # indices in pairs of this chunk's tokens
            for s, e in before:
                i = bisect_right(old_ends, s)
                while i < len(pairs) and start + pairs[i][0] < e:
                    if not owned or owned[-1] != i:
                        owned.append(i)
                    i += 1
            inside: list[tuple[int, int]] = []
            for n, i in enumerate(owned):
                ns, ne = start + pairs[i][2], start + pairs[i][3]
                if n and owned[n - 1] == i - 1:
                    inside[-1] = (inside[-1][0], ne)  # join across the layout
                else:
                    inside.append((ns, ne))
            outside = [
                span
                for span in seg.apply_edit(before, start, old_end, new_len)
                if span[1] <= start or span[0] >= start + new_len
            ]
            ai_before = chunk.ai_bytes
            chunk.segments = merge_ranges([*outside, *inside], empty=False)
            # layout is nobody's edit: the human-edited share stays what it was
            chunk.original_length = max(1, chunk.original_length + chunk.ai_bytes - ai_before)
            out.touched.add(chunk.id)
            if not chunk.segments:
                self._end(chunk, "deleted", out)
        return out

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
        lines: tuple[int, int] | None = None,
    ) -> tuple[Chunk, Outcome]:
        """The editor says the text at [start, end) came from ``tool``.

        A heuristic chunk already covering that text becomes this declared chunk
        (same id: one chunk, not two); any other AI text in the range is taken over.
        ``lines`` (the start of the first line, the end of the last) bounds what the
        declaration trims from that heuristic chunk: on those lines it is exact.
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
            segments = target.segments
            if lines is not None:
                # The declaration is exact on its own lines: a line diff widens a
                # completion to whole lines, taking in the indentation and the
                # characters typed before the accept, which stay the person's.
                segments = seg.subtract(seg.subtract(segments, lines[0], start), end, lines[1])
            target.segments = merge_ranges([*segments, (start, end)], empty=False)
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
