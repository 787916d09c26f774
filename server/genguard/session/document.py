"""One open document: its text, syntax tree, AI chunks and rule findings.

Edits are applied in order and quickly (text, tree edit, chunk ranges, finding
offsets); checking runs afterwards only over the byte ranges that changed, and
only inside AI chunks when the scope is ``ai``.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from genguard.assess.core import (  # above MAX_SYNTAX_BYTES: attribution and regex rules only
    MAX_SYNTAX_BYTES,
    OVERSIZED,
)
from genguard.assess.model import Finding
from genguard.attribution.chunk import Chunk
from genguard.attribution.diff import Edit, minimal_edits, token_pairs
from genguard.attribution.moves import LineKeys, Origins
from genguard.attribution.tracker import ChunkTracker, Outcome, Thresholds
from genguard.rules import LanguageMatcher
from genguard.rules.model import Checked, Cut, Match, Related
from genguard.syntax.fingerprint import fingerprint
from genguard.syntax.tree import SyntaxTree
from genguard.text.buffer import TextBuffer, encode, merge_ranges
from genguard.text.positions import Change, Position, transform

Range = tuple[Position, Position]
Partial = tuple[int, int, tuple[Cut, ...]]
"""A byte range whose last check was cut short, with the cuts."""
_VISIBLE = re.compile(rb"[^\s]+")

_HISTORY = 64


class GuardError(ValueError):
    """Bad input from a client: reported to the user, never fatal."""


@dataclass(slots=True)
class ChangeReport:
    """What applying one didChange did, for the session to record and re-check."""

    outcome: Outcome = field(default_factory=Outcome)
    warnings: list[str] = field(default_factory=list)


class GuardedDocument:
    def __init__(
        self,
        uri: str,
        file: str,
        language: str | None,
        version: int,
        text: str,
        *,
        thresholds: Thresholds,
        encoding: str = "utf-16",
        origins: Origins | None = None,
    ) -> None:
        self.uri = uri
        self.file = file
        self.language = language
        self.version = version
        self.buffer = TextBuffer(text, encoding)
        self.oversized = len(self.buffer) > MAX_SYNTAX_BYTES
        self.binary = b"\x00" in self.buffer.data[:8192]
        self.syntax = None if self.oversized or self.binary else SyntaxTree.for_language(language)
        self.tracker = ChunkTracker(file, self._fingerprint, thresholds, origins=origins)
        self.line_keys = LineKeys()  # for copy searches (see attribution.moves)
        self.findings: list[Finding] = []
        self.dirty: list[tuple[int, int]] = []
        #: The checks cut short (a budget, a limit) since the findings were last whole
        #: (what the editor shows), and where, each range with its own cuts: a check
        #: takes a range again when a clock cut it or an edit touches it (a limit cuts
        #: the same text again: it stands until that text changes).
        self.cut: tuple[Cut, ...] = ()
        self.partial: list[Partial] = []
        self.needs_full_check = True
        self.tables: Any = None  # the matcher's, kept across edits (LanguageMatcher.edit_tables)
        #: The last check built the document's whole state anew (a full check, or the
        #: tables a first edit makes): it lives until the next such check or a close.
        self.rebuilt = False
        self.history: deque[tuple[int, list[Change]]] = deque(maxlen=_HISTORY)
        self.finding_keys: set[tuple[str, str, str]] = set()  # for raised/resolved records
        self.published: list | None = None
        self.published_version: int | None = None  # never publish an older one after it
        self.touched_since_save: set[str] = set()
        # inline suppressions already in the ledger: (rule, chunk, match hash, reason)
        self.inline_recorded: set[tuple[str, str, str, str]] = set()

    def _fingerprint(self, data: bytes) -> str:
        return fingerprint(data, self.language)

    # -- edits -----------------------------------------------------------------
    def apply_changes(
        self,
        version: int,
        changes: Sequence[tuple[Range | None, str]],
        *,
        heuristic: bool = True,
    ) -> ChangeReport:
        """Apply an LSP didChange; without ``heuristic`` no text of unknown origin
        becomes AI (the session knows it is content git already holds)."""
        report = ChangeReport()
        lsp_changes: list[Change] = []
        for rng, text in changes:
            buffer = self.buffer
            if rng is None:
                start, end = 0, len(buffer)
                lsp_changes.append(((0, 0), buffer.position_at(len(buffer)), text))
            else:
                (sl, sc), (el, ec) = rng
                if (el, ec) < (sl, sc):
                    report.warnings.append(
                        f"{self.uri}: change range end {el}:{ec} is before its start {sl}:{sc};"
                        " treated as empty"
                    )
                    (el, ec) = (sl, sc)
                start, c1 = buffer.offset_at(sl, sc)
                end, c2 = buffer.offset_at(el, ec)
                if c1 or c2:
                    report.warnings.append(
                        f"{self.uri}: change range {sl}:{sc}-{el}:{ec} is outside the document"
                        f" ({buffer.line_count} lines, version {self.version}); clamped to it"
                    )
                lsp_changes.append(((sl, sc), (el, ec), text))
            self._attribute(start, end, encode(text), report, heuristic)
        if version <= self.version:
            report.warnings.append(
                f"{self.uri}: version {version} is not newer than {self.version}; applied anyway"
            )
        self.version = version
        self.history.append((version, lsp_changes))
        return report

    def _attribute(
        self, start: int, end: int, new: bytes, report: ChangeReport, heuristic: bool
    ) -> None:
        """Apply one replacement as the smallest edits that explain it (see
        :mod:`genguard.attribution.diff`), so that only new text can start a chunk."""
        data = self.buffer.data
        if start == end:
            if new:
                self._apply(Edit(start, start, new), b"", report, heuristic)
            return
        if not new:
            self._apply(Edit(start, end, b""), data[start:end], report, heuristic)
            return
        # whole lines around the change, so tokens and lines are never cut in two
        first, last = self.line_bounds(start, end)
        old_region = data[first:last]
        new_region = data[first:start] + new + data[end:last]
        edits = minimal_edits(old_region, new_region, self.language)
        for e in edits:  # every removal first: text may move from one edit to another
            if not e.reformat and e.end > e.start:
                self.tracker.note_removal(first + e.start, old_region[e.start : e.end])
        for e in reversed(edits):  # from the end, so earlier offsets hold
            moved = Edit(first + e.start, first + e.end, e.text, e.reformat)
            self._apply(moved, old_region[e.start : e.end], report, heuristic, noted=True)

    def _apply(
        self,
        change: Edit,
        removed: bytes,
        report: ChangeReport,
        heuristic: bool,
        *,
        noted: bool = False,
    ) -> None:
        start, end, new = change.start, change.end, change.text
        edit = self.buffer.replace(start, end, new)
        self.line_keys.edited(edit.start_point[0], edit.old_end_point[0], edit.new_end_point[0])
        if self.syntax is not None:
            self.syntax.edit(edit, self.buffer)
        if self.tables is not None:
            self.tables.edited(edit.start, edit.old_end, edit.new_end)
        delta = edit.delta
        kept: list[Finding] = []
        for f in self.findings:
            if f.end <= start:
                kept.append(f)
            elif f.start >= end:
                f.start += delta
                f.end += delta
                kept.append(f)
            else:
                continue
            if f.related:  # the path moves too; a step the edit meets stretches over it
                spans = _shift([(r.start, r.end) for r in f.related], start, end, edit.new_end)
                f.related = tuple(
                    r if (r.start, r.end) == span else Related(*span, r.message)
                    for r, span in zip(f.related, spans, strict=True)
                )
        self.findings = kept
        touched = (start, max(edit.new_end, start + 1))
        shifted = _shift(self.dirty, start, end, edit.new_end)
        self.dirty = merge_ranges([*shifted, touched], empty=False)
        if self.partial:
            spans = _shift([(p[0], p[1]) for p in self.partial], start, end, edit.new_end)
            self.partial = [(a, b, p[2]) for (a, b), p in zip(spans, self.partial, strict=True)]
        if change.reformat:
            pairs = [
                (a.start, a.end, b.start, b.end)
                for a, b in token_pairs(removed, new, self.language)
            ]
            outcome = self.tracker.reformat(start, end, len(new), pairs)
        else:
            outcome = self.tracker.apply_edit(
                start,
                end,
                new,
                removed,
                document=self.buffer.data,
                noted=noted,
                heuristic=heuristic,
            )
        for chunk in outcome.created + outcome.restored:
            self.dirty = merge_ranges([*self.dirty, (chunk.start, chunk.end)], empty=False)
        self.touched_since_save |= outcome.touched
        report.outcome.merge(outcome)

    def map_range(self, version: int | None, rng: Range) -> Range:
        """Bring a range given against document ``version`` to the current version."""
        if version is None or version == self.version:
            return rng
        if version > self.version:
            raise GuardError(
                f"range is for version {version} but the document is at version {self.version}"
            )
        later = [changes for v, changes in self.history if v > version]
        if not self.history or self.history[0][0] > version + 1 or not later:
            raise GuardError(f"version {version} is too old to map (document is at {self.version})")
        start, end = rng
        encoding = self.buffer.encoding
        for changes in later:
            for change in changes:
                start = transform(start, change, encoding, is_end=False)
                end = transform(end, change, encoding, is_end=True)
        return start, max(start, end)

    def offsets(self, rng: Range, *, clamp: bool = False) -> tuple[int, int]:
        """Byte offsets of an LSP range; out of range is an error unless ``clamp``."""
        (sl, sc), (el, ec) = rng
        start, c1 = self.buffer.offset_at(sl, sc)
        end, c2 = self.buffer.offset_at(el, ec)
        if (c1 or c2) and not clamp:
            lines = self.buffer.line_count
            raise GuardError(f"range {sl}:{sc}-{el}:{ec} is outside the document ({lines} lines)")
        return start, max(start, end)

    def line_bounds(self, start: int, end: int) -> tuple[int, int]:
        """The start of the line holding ``start`` and the end (past its line break) of
        the line holding the last byte before ``end``."""
        data = self.buffer.data
        first = data.rfind(b"\n", 0, start) + 1
        last = data.find(b"\n", max(end - 1, start))
        return first, len(data) if last < 0 else last + 1

    def lsp_range(self, start: int, end: int) -> Range:
        return self.buffer.position_at(start), self.buffer.position_at(end)

    def ai_lines(self, chunk: Chunk) -> list[tuple[int, int]]:
        """0-based runs of lines (first, last) holding a visible byte of ``chunk``'s AI
        text: the lines it owns, whatever a person typed between them."""
        data = self.buffer.data
        lines: set[int] = set()
        for s, e in chunk.segments:
            for m in _VISIBLE.finditer(data, s, e):
                first = self.buffer.line_of(m.start())
                lines.update(range(first, self.buffer.line_of(m.end() - 1) + 1))
        runs: list[tuple[int, int]] = []
        for n in sorted(lines):
            if runs and runs[-1][1] == n - 1:
                runs[-1] = (runs[-1][0], n)
            else:
                runs.append((n, n))
        return runs

    def lines(self, start: int, end: int) -> tuple[int, int]:
        """1-based first and last line of [start, end)."""
        first = self.buffer.line_of(start) + 1
        last = self.buffer.line_of(max(start, end - 1)) + 1
        return first, last

    # -- checking --------------------------------------------------------------
    def check(
        self,
        matcher: LanguageMatcher,
        scope: str,
        *,
        full_results: Callable[[bytes, Callable[[], Checked[Finding]]], Checked[Finding]]
        | None = None,
    ) -> bool:
        """Re-run rules where the text changed; True when findings may have changed.

        Always on the whole, incrementally reparsed tree: a check of the edited
        lines alone misreads code-like text in a docstring and misses what an
        enclosing call or function makes of the edit, so its answer would later
        be withdrawn or added to. One answer per edit, the final one.
        """
        data = self.buffer.data
        if self.binary:
            self.dirty = []
            return False
        if self.needs_full_check:
            self.needs_full_check = False
            self.rebuilt = True
            self.dirty = []
            self.tables = None
            if scope == "all":

                def compute() -> Checked[Finding]:
                    return self._run(matcher, None)

                found = full_results(data, compute) if full_results else compute()
                spans = [(0, len(data))]
            else:
                spans = [(c.start, c.end) for c in self.tracker.live()]
                found = self._run(matcher, spans) if spans else Checked()
            self.findings = list(found.items)
            self.partial = []
            self._cut(matcher, found.cut, spans)
            return True
        live = [(c.start, c.end) for c in self.tracker.live()] if scope == "ai" else None
        if live is not None and self.partial:  # what is no AI code any more is not checked
            self.partial = _clip(self.partial, live)
            self._cut(matcher, (), [])
        if not self.dirty and not self.retrying:
            return False
        ranges = _retried(self.partial, self.dirty)
        ranges += _through(self.findings, ranges)
        if live is not None:
            ranges = _intersect(ranges, live)
            if not ranges:
                self.dirty = []
                return False
        self.dirty = []
        self._recheck(matcher, ranges, live)
        return True

    @property
    def retrying(self) -> bool:
        """Whether a range a clock cut short waits to be checked again with the next check."""
        return any(c.timed for p in self.partial for c in p[2])

    def refresh(self) -> None:
        """Reparse now what edits changed, if a check did not (an edit outside AI
        chunks under scope ``ai``), and bring the kept tables up to it: called once
        the answer to them is out, so the next check does not pay for it."""
        if self.syntax is None or self.binary:
            return
        changed = self.syntax.refresh(self.buffer.data)
        if changed is not None and self.tables is not None and self.syntax.tree is not None:
            self.tables.update(self.buffer.data, self.syntax.tree, changed)  # as run_edited does

    def _tree(self, matcher: LanguageMatcher):
        if self.syntax is None or matcher.query is None:
            return None, []
        return self.syntax.current(self.buffer.data)

    def _run(
        self, matcher: LanguageMatcher, ranges: list[tuple[int, int]] | None
    ) -> Checked[Finding]:
        tree, _ = self._tree(matcher)
        found = matcher.run(self.buffer.data, tree, ranges)
        return Checked(tuple(Finding.from_match(m) for m in found.items), found.cut)

    def _recheck(
        self,
        matcher: LanguageMatcher,
        ranges: list[tuple[int, int]],
        live: list[tuple[int, int]] | None,
    ) -> None:
        """Check ``ranges`` (under scope ``ai``: within the ``live`` chunks' spans)."""
        tree, changed = self._tree(matcher)
        if changed:  # structure changed beyond the edit (e.g. an opened string)
            extra = [*changed, *_through(self.findings, changed)]
            extra = extra if live is None else _intersect(extra, live)
            ranges = _retried(self.partial, [*ranges, *extra])
        if self.tables is None:
            self.tables = matcher.edit_tables()
            self.rebuilt = self.tables is not None
        # the tables were told at each refresh what it changed: only this reparse's news
        fresh = self.syntax.last_reparse if self.syntax is not None and tree is not None else []
        widened, found = matcher.run_edited(
            self.buffer.data, tree, ranges, tables=self.tables, changed=fresh
        )
        self._replace_findings(found.items, ranges, widened, whole=found.complete)
        self._cut(matcher, found.cut, widened)

    def _cut(
        self, matcher: LanguageMatcher, cut: Sequence[Cut], ranges: list[tuple[int, int]]
    ) -> None:
        """Note what the check of ``ranges`` left undone, in place of the earlier cut
        ranges it took again (those inside ``ranges``); the others stand. A file too
        large for a tree is never whole."""
        kept = [p for p in self.partial if not _hits_within(p, ranges)]
        self.partial = kept + [(a, b, tuple(cut)) for a, b in ranges] if cut else kept
        cuts = [c for p in self.partial for c in p[2]]
        if self.oversized and (matcher.groups or matcher.taint):
            cuts.insert(0, OVERSIZED)
        self.cut = tuple(dict.fromkeys(cuts))

    def _replace_findings(
        self,
        found: Sequence[Match],
        ranges: list[tuple[int, int]],
        taint_ranges: list[tuple[int, int]] | None = None,
        *,
        whole: bool,
    ) -> None:
        """The findings of a check of ``ranges`` in place of the old ones there (those
        of taint rules in place of the old ones in ``taint_ranges``, where given: see
        :meth:`~genguard.rules.matcher.LanguageMatcher.run_edited`); a check cut short
        (not ``whole``) only adds: what it did not reach still stands."""
        wider = ranges if taint_ranges is None else taint_ranges
        kept = [
            f
            for f in self.findings
            if not whole or not _hits(f.start, f.end, wider if f.rule.taint else ranges)
        ]
        have = {(f.rule.id, f.start, f.end) for f in kept}
        for m in found:
            key = (m.rule.id, m.start, m.end)
            if key not in have:
                have.add(key)
                kept.append(Finding.from_match(m))
        kept.sort(key=lambda f: (f.start, f.rule.id))
        self.findings = kept


def _through(findings: list[Finding], ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans of the taint findings whose path (source and steps) meets ``ranges``:
    a flow through changed text is found again or not at all, wherever its sink is
    (a caller's source edited, or the caller broken, changes a finding in a helper)."""
    return [
        (f.start, f.end)
        for f in findings
        if f.rule.taint and any(_hits(r.start, r.end, ranges) for r in f.related)
    ]


def _shift(
    ranges: list[tuple[int, int]], start: int, end: int, new_end: int
) -> list[tuple[int, int]]:
    """``ranges`` after [start, end) became [start, new_end): moved when after it,
    stretched over it when they meet it."""
    delta = new_end - end
    return [
        r
        if r[1] < start
        else (r[0] + delta, r[1] + delta)
        if r[0] > end
        else (min(r[0], start), max(r[1] + delta, new_end))
        for r in ranges
    ]


def _hits(start: int, end: int, ranges: list[tuple[int, int]]) -> bool:
    return any(start < e and end > s for s, e in ranges)


def _hits_within(p: Partial, ranges: list[tuple[int, int]]) -> bool:
    """Whether the cut range ``p`` lies inside one of ``ranges`` (a check took it whole)."""
    return any(s <= p[0] and p[1] <= e for s, e in ranges)


def _retried(partial: list[Partial], ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``ranges`` with every cut range a check takes again along with them: those a
    clock cut short, and those ``ranges`` touch (ends included: an edit stretches the
    cut range it meets over itself). A range a limit cut, no edit touched, stands."""
    out = merge_ranges(ranges, empty=False)
    todo = list(partial)
    while todo:
        take = [p for p in todo if any(c.timed for c in p[2]) or _touches(p, out)]
        if not take:
            break
        out = merge_ranges([*out, *((p[0], p[1]) for p in take)], empty=False)
        todo = [p for p in todo if p not in take]
    return out


def _touches(p: Partial, ranges: list[tuple[int, int]]) -> bool:
    return any(s <= p[1] and p[0] <= e for s, e in ranges)


def _clip(partial: list[Partial], spans: list[tuple[int, int]]) -> list[Partial]:
    """The parts of the cut ranges inside ``spans`` (AI code under scope ``ai``)."""
    out = []
    for a, b, cut in partial:
        out.extend((max(a, s), min(b, e), cut) for s, e in spans if max(a, s) < min(b, e))
    return out


def _intersect(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    for s1, e1 in a:
        for s2, e2 in b:
            s, e = max(s1, s2), min(e1, e2)
            if s < e:
                out.append((s, e))
    return merge_ranges(out, empty=False)
