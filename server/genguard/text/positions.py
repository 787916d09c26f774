"""Carry an LSP position forward through later content changes.

A client may declare an AI edit against a document version that is already a
few keystrokes old; its range is mapped through the changes made since, in the
same (line, column) units the client used.
"""

from __future__ import annotations

import re

from genguard.text.buffer import column_len

Position = tuple[int, int]
Change = tuple[Position, Position, str]  # start, end, new text

_BREAK = re.compile(r"\r\n|\r|\n")


def transform(pos: Position, change: Change, encoding: str, *, is_end: bool) -> Position:
    """Where ``pos`` lands after ``change``.

    A start position at an insertion point moves with the inserted text; an end
    position stays before it, so a range never grows to swallow later typing.
    """
    start, end, text = change
    if pos < start or (pos == start and (is_end or start != end)):
        return pos
    breaks = list(_BREAK.finditer(text))
    if breaks:
        new_end = (start[0] + len(breaks), column_len(text[breaks[-1].end() :], encoding))
    else:
        new_end = (start[0], start[1] + column_len(text, encoding))
    if pos < end:  # inside the replaced text
        return new_end
    if pos[0] == end[0]:
        return (new_end[0], new_end[1] + pos[1] - end[1])
    return (pos[0] + new_end[0] - end[0], pos[1])
