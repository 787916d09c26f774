"""Copies found by line keys over a document split once (with remembered keys) agree
with the straightforward reading of its lines one by one."""

from __future__ import annotations

from difflib import SequenceMatcher

from hypothesis import given, settings
from hypothesis import strategies as st

from genguard.attribution.moves import (
    SIMILAR_LINE,
    SIMILAR_SCAN,
    MoveMemory,
    _copied_lines,
    copied_lines,
    line_key,
)

LINES = [
    b"value = compute(x)",
    b"return value",
    b"    return   value",
    b"print('hello world')",
    b'print("hello world")',
    b"x",
    b"",
    b"foo(bar, baz,)",
    b"foo(bar, baz)",
    b"def handler(request):",
    b"    return eval(data)",
]
BREAKS = [b"\n", b"\r\n", b"\r"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(LINES), st.sampled_from(BREAKS)), max_size=30),
    st.lists(st.sampled_from(LINES), min_size=1, max_size=5),
    st.booleans(),
)
def test_copied_lines_agree_with_a_line_by_line_reading(lines, wanted_lines, unix) -> None:
    data = b"".join(text + (b"\n" if unix else brk) for text, brk in lines)
    wanted = [k for k in map(line_key, wanted_lines) if k is not None]

    def owner(start: int, end: int):
        return (start, end)  # stands for the chunk: the span it was asked about

    fast = copied_lines(wanted, data, owner)  # type: ignore[arg-type]
    plain = _copied_lines(wanted, data.splitlines(keepends=True), owner)  # type: ignore[arg-type]
    assert {k: o.chunk for k, o in fast.items()} == {k: o.chunk for k, o in plain.items()}


SIMILAR_LINES = [
    b"print('evaluated', value, 1)",
    b"print('evaluated', value, 12)",
    b"self.log('added', value, 3)",
    b"value = eval(expr, context)",
    b"value = eval(item, context)",
    b"context = {'limit': 7}",
    b"return value",
    b"return self.value",
    b"def evaluate_3(expr):",
    b"def evaluate(expr, limit):",
]


def _similar_by_ratio(memory: MoveMemory, key: bytes) -> object:
    """The most alike recent removal, every line's ratio taken in full."""
    best = None
    for k in list(reversed(memory._lines))[:SIMILAR_SCAN]:
        _, owner, _ = memory._lines[k]
        if abs(len(k) - len(key)) > len(key) // 3:
            continue
        ratio = SequenceMatcher(None, key, k, autojunk=False).ratio()
        if ratio >= SIMILAR_LINE and (best is None or ratio > best[0]):
            best = (ratio, owner)
    return None if best is None else best[1]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(SIMILAR_LINES), st.integers(0, 40)), max_size=40),
    st.sampled_from(SIMILAR_LINES),
    st.integers(0, 40),
)
def test_similar_lines_agree_with_every_ratio_taken(removed, line, n) -> None:
    memory = MoveMemory(clock=lambda: 0.0)
    for i, (text, m) in enumerate(removed):
        key = line_key(text.replace(b"1", str(m).encode()))
        if key is not None:
            memory.removed("f.py", [(key, i)])  # type: ignore[list-item]  # owner: its order
    key = line_key(line.replace(b"1", str(n).encode()))
    assert key is not None
    found = memory._similar(key)
    assert (None if found is None else found.chunk) == _similar_by_ratio(memory, key)
