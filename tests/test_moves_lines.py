"""Copies found by line keys over a document split once (with remembered keys) agree
with the straightforward reading of its lines one by one."""

from __future__ import annotations

from collections import Counter
from difflib import SequenceMatcher

from hypothesis import given, settings
from hypothesis import strategies as st

from genguard.attribution.moves import (
    SIMILAR_LINE,
    SIMILAR_SCAN,
    LineKeys,
    MoveMemory,
    _copied_kept,
    _copied_lines,
    copied_lines,
    key_of,
    line_key,
)
from genguard.text.buffer import TextBuffer

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
    b"sep = '==================1=='",  # a byte more often than a shape holds it
    b'sep = "====================1"',
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


def _touched_up(key: bytes, changes: list[tuple[int, int, int]]) -> bytes:
    """``key`` with bytes swapped, replaced or added (a line touched up on its way)."""
    out = bytearray(key)
    for how, i, j in changes:
        i, j, byte = i % len(out), j % len(out), b"valuerxpctx=(),"[j % 15]
        if how == 0:
            out[i], out[j] = out[j], out[i]
        elif how == 1:
            out[i] = byte
        else:
            out.insert(i, byte)
    return bytes(out)


change = st.tuples(st.integers(0, 2), st.integers(0, 30), st.integers(0, 30))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(change, min_size=1, max_size=3), max_size=40), st.lists(change, max_size=2)
)
def test_the_latest_of_the_most_alike_removals_is_found(removed, looked_up) -> None:
    """Removals alike to one line (many with the same ratio, not all in the order of
    their quick ratios): the most alike is found, and of those the latest."""
    base = b"value=eval(expr,ctx)"
    memory = MoveMemory(clock=lambda: 0.0)
    for i, changes in enumerate(removed):
        memory.removed("f.py", [(_touched_up(base, changes), i)])  # type: ignore[list-item]
    key = _touched_up(base, looked_up)
    if memory.find(key) is not None:
        return
    found = memory._similar(key)
    assert (None if found is None else found.chunk) == _similar_by_ratio(memory, key)


BROKEN = [b"", b"\n", b"\r\n", b"\r"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from([*LINES, *SIMILAR_LINES, b"'a' \\", b"x = 'y' + \\", b"\\", b"  "]),
        min_size=1,
        max_size=3,
    ),
    st.sampled_from(BROKEN),
)
def test_a_line_is_keyed_as_line_key_keys_it(parts, brk) -> None:
    """The key kept once per line text is the key of the line as given, with or
    without its line break (a backslash before it is a line continuation)."""
    line = b" ".join(parts) + brk
    assert key_of(line) == line_key(line)
    assert key_of(line) == line_key(line)  # kept


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(LINES), max_size=20),
    st.lists(
        st.tuples(
            st.integers(0, 10_000),
            st.integers(0, 30),
            st.lists(st.sampled_from([*LINES, b"\n", b"\r\n", b"x"]), max_size=4),
        ),
        min_size=1,
        max_size=8,
    ),
    st.lists(st.sampled_from(LINES), min_size=1, max_size=4),
    st.integers(0, 10_000),
    st.integers(0, 40),
)
def test_kept_line_keys_find_the_copies_a_fresh_split_finds(
    lines, edits, wanted_lines, at, size
) -> None:
    """A document's line keys kept across edits (each marking only its lines) find, in
    the whole text and around an inserted span, what splitting the text anew finds."""
    buffer = TextBuffer(b"\n".join(lines))
    kept = LineKeys()
    kept.current(buffer)
    for pos, length, pieces in edits:
        start = pos % (len(buffer) + 1)
        end = min(len(buffer), start + length)
        edit = buffer.replace(start, end, b"\n".join(pieces))
        kept.edited(edit.start_point[0], edit.old_end_point[0], edit.new_end_point[0])
        if pos % 3 == 0:  # a search between edits
            kept.current(buffer)
    data = buffer.data
    wanted = [k for k in map(line_key, wanted_lines) if k is not None]
    s = at % (len(data) + 1)
    span = (s, min(len(data), s + size))

    def owner(start: int, end: int):
        return (start, end)  # stands for the chunk: the span it was asked about

    keys = kept.current(buffer)
    if b"\r" in data:
        assert keys is None
        return
    assert keys is not None
    assert kept.counts == Counter(k for k in keys if k is not None)
    whole = copied_lines(wanted, data, owner)  # type: ignore[arg-type]
    for counts in (None, kept.counts):  # every line read; only those holding a wanted key
        assert _copied_kept(wanted, keys, buffer, owner, None, counts) == whole  # type: ignore[arg-type]
    around = copied_lines(wanted, data[: span[0]], owner)  # type: ignore[arg-type]
    after = copied_lines(wanted, data[span[1] :], lambda a, b: owner(a + span[1], b + span[1]))
    for key, origin in after.items():
        around.setdefault(key, origin)
    for counts in (None, kept.counts):
        assert _copied_kept(wanted, keys, buffer, owner, span, counts) == around  # type: ignore[arg-type]


def test_kept_line_keys_around_a_span_ending_inside_a_line() -> None:
    """A copy whose first line begins where the inserted span ends, inside a line: its
    owner is asked about the text from there, as in the text after the span alone."""
    buffer = TextBuffer(b"zz\nxx print('hello world')\nfoo(bar, baz)\n")
    kept = LineKeys()
    keys = kept.current(buffer)
    assert keys is not None
    wanted = [line_key(b"print('hello world')"), line_key(b"foo(bar, baz)")]
    for counts in (None, kept.counts):  # the first line held only after the span, in part
        found = _copied_kept(wanted, keys, buffer, lambda a, b: (a, b), (0, 6), counts)  # type: ignore[arg-type]
        assert {k: o.chunk for k, o in found.items()} == {wanted[0]: (6, 27), wanted[1]: (27, 41)}
