"""A document as UTF-8 bytes with a line table, addressed the way LSP and tree-sitter need.

LSP speaks (line, UTF-16 code unit); tree-sitter speaks byte offsets and
(row, byte column) points. Keeping the text as bytes makes tree-sitter edits and
rule spans exact, and the line table is patched locally on each edit so a
keystroke in a 10k-line file does not rescan the file.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate, count
from operator import add

_BREAK = re.compile(rb"\r\n|\r|\n")
ENCODING_ERRORS = "surrogatepass"  # JSON may carry lone surrogates; never crash on them


def encode(text: str) -> bytes:
    return text.encode("utf-8", ENCODING_ERRORS)


def decode(data: bytes) -> str:
    return data.decode("utf-8", ENCODING_ERRORS)


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (what LSP columns count by default)."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le", ENCODING_ERRORS)) // 2


def column_len(text: str, encoding: str) -> int:
    """Length of ``text`` as a column count in the negotiated position encoding."""
    if encoding == "utf-16":
        return utf16_len(text)
    if encoding == "utf-8":
        return len(encode(text))
    return len(text)


MAX_ENVELOPES = 32
"""Separate places edited that :func:`envelop` keeps apart; more are merged into one."""


def envelop(
    edits: list[tuple[int, int, int]], start: int, old_end: int, new_end: int
) -> list[tuple[int, int, int]]:
    """``edits`` after one more edit, replacing [start, old_end) by text ending at
    ``new_end``. An envelope (lo, hi, delta) says that [lo, hi), in the offsets of the
    text now, holds every byte its edits changed, and that the text after it moved by
    delta; they are sorted and apart (those that meet are one), and past
    :data:`MAX_ENVELOPES` all are one. What keeps state across a document's edits
    (the taint tables, their scans and searches) learns from them what changed."""
    delta = new_end - old_end
    lo, hi, moved = start, old_end, delta
    out: list[tuple[int, int, int]] = []
    for a, b, d in edits:
        if b < start:
            out.append((a, b, d))
        elif a > old_end:
            out.append((a + delta, b + delta, d))
        else:  # touching this edit: one envelope
            lo, hi, moved = min(lo, a), max(hi, b), moved + d
    out.append((lo, hi + delta, moved))
    out.sort()
    if len(out) > MAX_ENVELOPES:
        out = [(out[0][0], out[-1][1], sum(d for _, _, d in out))]
    return out


def merge_ranges(ranges: Iterable[tuple[int, int]], *, empty: bool) -> list[tuple[int, int]]:
    """Sort [start, end) byte ranges and join those that overlap or touch, so that each
    byte is visited once (an edit's changed ranges, the reparse's, a check's) or owned
    once (a chunk's segments).

    ``empty``: whether an empty range is kept where nothing else covers it. A check
    keeps them (a cursor position: the matcher looks at what contains it); spans of
    text drop them (an empty span owns no byte). A range that ends before it starts
    is always dropped.
    """
    merged: list[tuple[int, int]] = []
    for a, b in sorted(ranges):
        if b < a or (b == a and not empty):
            continue
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


@dataclass(frozen=True, slots=True)
class ByteEdit:
    """One replacement in byte coordinates, with the points tree-sitter's ``edit`` wants."""

    start: int
    old_end: int
    new_end: int
    start_point: tuple[int, int]
    old_end_point: tuple[int, int]
    new_end_point: tuple[int, int]
    removed: bytes
    inserted: bytes

    @property
    def delta(self) -> int:
        return self.new_end - self.old_end


def _line_starts(data: bytes, base: int = 0) -> list[int]:
    if b"\r" in data:
        return [base + m.end() for m in _BREAK.finditer(data)]
    # only \n breaks (nearly every file): the line lengths summed in C, not a Python
    # step per line (a scan builds the table of every file it reports on)
    lines = data.split(b"\n")
    return list(map(add, accumulate(map(len, lines[:-1])), count(base + 1)))


class TextBuffer:
    """Mutable text with O(changed lines) edits and position conversions.

    The line table moves lazily: the line starts from index ``_from`` on are
    ``_shift`` bytes further than stored. Keystrokes on one line keep adding to
    the same shift, so typing costs nothing per line of the file; an edit
    elsewhere first applies the pending shift (once per place edited).
    """

    __slots__ = ("_data", "_from", "_shift", "_starts", "encoding")

    def __init__(self, text: str | bytes = b"", encoding: str = "utf-16") -> None:
        self.encoding = encoding  # LSP position encoding: utf-16 (default), utf-8 or utf-32
        self._data = encode(text) if isinstance(text, str) else bytes(text)
        self._starts = [0, *_line_starts(self._data)]
        self._from = len(self._starts)
        self._shift = 0

    def _start(self, line: int) -> int:
        """Where ``line`` starts (0 <= line < line_count)."""
        start = self._starts[line]
        return start + self._shift if line >= self._from else start

    def _count_at_most(self, offset: int) -> int:
        """How many lines start at or before ``offset``."""
        starts, k = self._starts, self._from
        if k < len(starts) and offset >= starts[k] + self._shift:
            return bisect_right(starts, offset - self._shift, k)
        return bisect_right(starts, offset, 0, k)

    def _settle(self) -> None:
        """Apply the pending shift to the stored line starts."""
        k, starts = self._from, self._starts
        if self._shift and k < len(starts):
            shift = self._shift
            starts[k:] = [p + shift for p in starts[k:]]
        self._from, self._shift = len(starts), 0

    # -- reading ---------------------------------------------------------------
    @property
    def data(self) -> bytes:
        return self._data

    @property
    def text(self) -> str:
        return decode(self._data)

    def __len__(self) -> int:
        return len(self._data)

    @property
    def line_count(self) -> int:
        return len(self._starts)

    def line_start(self, line: int) -> int:
        return self._start(line)

    def line_end(self, line: int) -> int:
        """Offset of the end of ``line``'s content (before its line break)."""
        if line + 1 < len(self._starts):
            end = self._start(line + 1)
            if self._data[end - 1 : end] == b"\n":
                end -= 1
                if end > self._start(line) and self._data[end - 1 : end] == b"\r":
                    end -= 1
            else:  # lone \r
                end -= 1
            return end
        return len(self._data)

    def line_bytes(self, line: int) -> bytes:
        return self._data[self._start(line) : self.line_end(line)]

    def line_of(self, offset: int) -> int:
        return self._count_at_most(offset) - 1

    # -- conversions -----------------------------------------------------------
    def offset_at(self, line: int, character: int) -> tuple[int, bool]:
        """Byte offset of an LSP position; the flag says whether it had to be clamped.

        Out-of-range lines and columns clamp to the end of the document / line, as
        the LSP specification asks, so a client that is slightly out of sync never
        crashes the server.
        """
        clamped = False
        if line < 0 or character < 0:
            return 0, True
        if line >= len(self._starts):
            return len(self._data), True
        start = self._start(line)
        content = self._data[start : self.line_end(line)]
        if content.isascii() or self.encoding == "utf-8":
            if character > len(content):
                clamped = True
            return start + min(character, len(content)), clamped
        units = 0
        offset = 0
        for ch in decode(content):
            if units >= character:
                break
            code = ord(ch)
            units += 2 if code > 0xFFFF and self.encoding == "utf-16" else 1
            offset += 1 if code < 0x80 else 2 if code < 0x800 else 3 if code < 0x10000 else 4
        else:
            clamped = units < character
        return start + offset, clamped

    def position_at(self, offset: int) -> tuple[int, int]:
        """LSP (line, UTF-16 column) of a byte offset."""
        offset = max(0, min(offset, len(self._data)))
        line = self._count_at_most(offset) - 1
        start = self._start(line)
        prefix = self._data[start:offset]
        if prefix.isascii() or self.encoding == "utf-8":
            return line, len(prefix)
        return line, column_len(prefix.decode("utf-8", "replace"), self.encoding)

    def point_at(self, offset: int) -> tuple[int, int]:
        """tree-sitter (row, byte column) of a byte offset."""
        line = self._count_at_most(offset) - 1
        return line, offset - self._start(line)

    # -- editing ---------------------------------------------------------------
    def replace(self, start: int, end: int, new: bytes) -> ByteEdit:
        """Replace bytes [start, end) with ``new`` and patch the line table locally."""
        data = self._data
        size = len(data)
        start = max(0, min(start, size))
        end = max(start, min(end, size))
        start_point = self.point_at(start)
        old_end_point = self.point_at(end)
        removed = data[start:end]
        data = data[:start] + new + data[end:]
        self._data = data
        new_end = start + len(new)
        delta = new_end - end

        # Line starts below ``start`` and above ``end`` keep their status (only the
        # bytes around them decide it); everything in between is rescanned.
        hi = self._count_at_most(end)  # starts <= end
        if hi != self._from:  # the pending shift begins elsewhere: apply it first
            self._settle()
        lo = self._count_at_most(start - 1)  # starts < start
        win_start = max(0, start - 1)
        win_end = min(len(data), new_end + 1)
        middle = [
            p for p in _line_starts(data[win_start:win_end], win_start) if start <= p <= new_end
        ]
        # offset 0 always starts a line and is never rescanned (middle holds p >= 1)
        lo = max(lo, 1)
        self._starts[lo:hi] = middle
        self._from = lo + len(middle)  # the tail, stored as it was, moves by delta
        self._shift += delta
        return ByteEdit(
            start=start,
            old_end=end,
            new_end=new_end,
            start_point=start_point,
            old_end_point=old_end_point,
            new_end_point=self.point_at(new_end),
            removed=removed,
            inserted=new,
        )
