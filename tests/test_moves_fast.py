"""Edits attributed with the quick ways of tracing lines (keys kept once per line text,
removals compared by their shapes, copies looked for only where a document holds the
line) come out exactly as with the plain ones: every line keyed anew, every removal's
bytes counted, every document's lines read."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from difflib import SequenceMatcher
from itertools import islice
from typing import Any
from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st

from genguard.attribution import moves, tracker
from genguard.attribution.moves import SIMILAR_LINE, SIMILAR_SCAN, MoveMemory, Origin
from genguard.attribution.tracker import Thresholds
from genguard.session.document import GuardedDocument

LINES = [
    "def evaluate_1(expr):",
    "    context = {'limit': 1}",
    "    value = eval(expr, context)",
    '    print("evaluated", value, 1)',
    "    return value",
    "        return value",
    "    self.log('added', value, 1)",
    "    text = 'a long line ' \\",
    '    sep = "==================1=="',
    "    sep = '====================1'",
    "}",
    "",
    "x = 1",
]


def _plain_similar(self: MoveMemory, key: bytes) -> Origin | None:
    """The removal most like ``key``, each quick ratio counted byte by byte."""
    now = self._clock()
    best: tuple[float, Any] | None = None
    present = list(set(key))
    counts = [key.count(b) for b in present]
    for k in islice(reversed(self._lines), SIMILAR_SCAN):
        when, owner, _ = self._lines[k]
        if now - when > self.window or abs(len(k) - len(key)) > len(key) // 3:
            continue
        common = sum(map(min, counts, map(k.count, present)))
        quick = 2.0 * common / (len(key) + len(k))
        if quick < SIMILAR_LINE or (best is not None and quick <= best[0]):
            continue
        ratio = SequenceMatcher(None, key, k, autojunk=False).ratio()
        if ratio >= SIMILAR_LINE and (best is None or ratio > best[0]):
            best = (ratio, owner)
    return None if best is None else Origin(best[1])


_copied_kept = moves._copied_kept


def _read_every_line(*args: Any) -> dict[bytes, Origin]:
    return _copied_kept(*args[:5])  # without the counts: every line is read


@contextmanager
def plain() -> Iterator[None]:
    """Every quick way of tracing lines replaced by the plain one."""
    with ExitStack() as stack:
        stack.enter_context(patch.object(tracker, "key_of", moves.line_key))
        stack.enter_context(patch.object(moves, "key_of", moves.line_key))
        stack.enter_context(patch.object(MoveMemory, "_similar", _plain_similar))
        stack.enter_context(patch.object(moves, "_copied_kept", _read_every_line))
        stack.enter_context(
            patch.object(
                tracker.ChunkTracker, "_fingerprint", lambda self, d: self._fingerprinter(d)
            )
        )
        yield


def _replay(ops: list[tuple[int, float, float, list[str]]], start: str) -> list[Any]:
    """What each edit did to the chunks, chunks named by order of appearance."""
    origins = moves.WorkspaceOrigins(
        lambda: [
            (d.file, d.buffer.data, d.tracker.line_owner, (d.line_keys, d.buffer)) for d in docs
        ]
    )
    docs = [
        GuardedDocument(
            f"file:///{n}.py",
            f"{n}.py",
            "python",
            1,
            start,
            thresholds=Thresholds(),
            origins=origins,
        )
        for n in range(2)
    ]
    names: dict[str, int] = {}

    def name(chunk: Any) -> tuple[Any, ...]:
        n = names.setdefault(chunk.id, len(names))
        return (n, chunk.tool, chunk.method, chunk.model, chunk.fingerprint, chunk.segments)

    seen: list[Any] = []
    for version, (which, at, size, lines) in enumerate(ops, 2):
        doc = docs[which]
        count = doc.buffer.line_count
        first = int(at * count)
        last = min(count - 1, first + int(size * 6))
        text = "".join(line + "\n" for line in lines)
        rng = ((first, 0), (last, 0) if size < 0.5 else (first, 0))
        out = doc.apply_changes(version, [(rng, text)]).outcome
        seen.append(
            (
                [name(c) for c in out.created],
                [name(c) for c in out.restored],
                [(name(c)[0], why) for c, why in out.ended],
                sorted(names.setdefault(i, len(names)) for i in out.touched),
                doc.buffer.data,
            )
        )
    seen.append([[name(c) for c in d.tracker.live()] for d in docs])
    return seen


op = st.tuples(
    st.integers(0, 1),
    st.floats(0, 1),
    st.floats(0, 1),
    st.lists(
        st.builds(
            lambda line, n: line.replace("1", str(n)), st.sampled_from(LINES), st.integers(0, 12)
        ),
        max_size=6,
    ),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(op, min_size=1, max_size=14), st.lists(st.sampled_from(LINES), max_size=8))
def test_quick_tracing_attributes_edits_as_the_plain_one(ops, start) -> None:
    text = "".join(line + "\n" for line in start)
    quick = _replay(ops, text)
    with plain():
        slow = _replay(ops, text)
    assert quick == slow
