"""The text buffer's line table, kept across edits (with a lazily applied shift),
against one built from scratch for the same text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from genguard.text.buffer import TextBuffer, merge_ranges

PIECES = ["a", "b", "\n", "\r\n", "\r", "é", "😀", "x\n"]
text = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
pieces = st.lists(st.sampled_from(PIECES), max_size=4)
edit = st.tuples(st.floats(0, 1), st.sampled_from([0, 0, 1, 3, 12]), pieces)


def boundary(data: bytes, offset: int) -> int:
    """``offset`` moved back to the start of a character (edits never split one)."""
    while 0 < offset < len(data) and 0x80 <= data[offset] < 0xC0:
        offset -= 1
    return offset


def assert_same(buffer: TextBuffer, data: bytes) -> None:
    fresh = TextBuffer(data, buffer.encoding)
    assert buffer.data == data
    assert buffer.line_count == fresh.line_count
    for line in range(fresh.line_count):
        assert buffer.line_start(line) == fresh.line_start(line)
        assert buffer.line_end(line) == fresh.line_end(line)
    for offset in range(len(data) + 1):
        assert buffer.line_of(offset) == fresh.line_of(offset)
        assert buffer.position_at(offset) == fresh.position_at(offset)
        assert buffer.point_at(offset) == fresh.point_at(offset)
    for line in range(fresh.line_count + 1):
        for column in (0, 1, 3, 99):
            assert buffer.offset_at(line, column) == fresh.offset_at(line, column)


@settings(max_examples=150, deadline=None)
@given(text, st.lists(edit, max_size=25))
def test_line_table_after_edits_equals_a_fresh_one(initial: str, edits) -> None:
    buffer = TextBuffer(initial)
    data = buffer.data
    for where, length, pieces in edits:
        start = boundary(data, round(where * len(data)))
        end = boundary(data, min(len(data), start + length))
        new = "".join(pieces).encode()
        edited = buffer.replace(start, end, new)
        data = data[:start] + new + data[end:]
        assert edited.new_end == start + len(new)
        assert_same(buffer, data)


def test_typing_on_one_line_then_elsewhere() -> None:
    """Keystrokes on one line share one pending shift; an edit above it applies it."""
    buffer = TextBuffer("".join(f"line {n}\n" for n in range(50)))
    data = buffer.data
    at = buffer.line_start(20) + 2
    for k, ch in enumerate(b"typed"):
        buffer.replace(at + k, at + k, bytes([ch]))
        data = data[: at + k] + bytes([ch]) + data[at + k :]
    assert_same(buffer, data)
    buffer.replace(3, 3, b"\nnew\n")
    data = data[:3] + b"\nnew\n" + data[3:]
    assert_same(buffer, data)
    buffer.replace(len(data) - 3, len(data), b"")
    data = data[:-3]
    assert_same(buffer, data)


def test_ranges_merge_one_way_with_an_explicit_choice_for_empty_ones() -> None:
    """One merge for a check's ranges and a chunk's segments: overlapping or touching
    ranges join; an empty one (a cursor position) is kept for a check where nothing
    covers it, never for a span of text; a range ending before its start is nothing."""
    ranges = [(8, 8), (3, 4), (1, 3), (5, 5), (4, 4), (12, 10), (6, 9)]
    assert merge_ranges(ranges, empty=True) == [(1, 4), (5, 5), (6, 9)]
    assert merge_ranges(ranges, empty=False) == [(1, 4), (6, 9)]
    assert merge_ranges([(2, 2)], empty=True) == [(2, 2)]
    assert merge_ranges([(2, 2)], empty=False) == []
