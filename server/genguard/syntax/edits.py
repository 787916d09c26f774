"""How an edit is told to tree-sitter, so that its reparse reuses the old tree.

Every description of an edit that covers the bytes that changed gives the same new
tree (the text before and after it is the same in the old and the new document),
but not the same reparse. tree-sitter-python's scanner produces the line breaks,
indents and dedents between statements as empty tokens, and tree-sitter reuses an
old node only where the scanner's state (its stack of indentations) is the one the
old tree had there. Where it parses afresh and comes to a line start after a
dedent, it has not yet produced the new dedents when it compares, so the states
differ and it skips the old node whole, then the next one, to the end of the file
(of a module of classes, every statement starts after a dedent). An insertion of
lines described at a line start, where the editor sends it, invalidates the empty
tokens before it, so the parse goes on afresh to the end of the file: 14 ms in the
middle of a 10k-line file, a full parse (about 25-30 ms) near its top.

Described one byte into the last token before the edit and one byte into the first
token of a line after it (an edit within a line, after its first token, is told as it
is: no line break or indentation changes), the edit lets the parser meet the old tree again inside a
line, where no empty token is pending, and the reparse costs about the same wherever
the edit is. That line is the first whose indentation is at most the least of the
lines the edit inserted or removed (or started in): from there on the old and the new
text have the same blocks open. A line of a new top-level function inserted into a
method makes the rest of that method belong to the function, so the old tree is met
again only at the next line at the margin.
"""

from __future__ import annotations

import re
from functools import cache

from genguard.text.buffer import ByteEdit, TextBuffer

_SPACE = b" \t\f\r\n"
_INDENT = re.compile(rb"[ \t\f]*")
_CODE_LINE = re.compile(rb"\n([ \t\f]*)[^ \t\f\r\n#]")  # a line of code, its indentation
#: How far after an edit a line with the blocks of the old text open is looked for;
#: past it (a top-level line inserted into a class of hundreds of lines), the edit is
#: only widened to the next token and the reparse may go on to the end of the file.
_SEARCH = 4096


@cache
def _next_line(indent: int | None) -> re.Pattern[bytes]:
    """A line break, then a line of code (not blank, not only a comment) indented at
    most ``indent`` (any indentation for None); the match ends one byte into its code."""
    lead = rb"[ \t\f]*" if indent is None else rb"[ \t\f]{0,%d}" % indent
    return re.compile(rb"\n" + lead + rb"[^ \t\f\r\n#]")


def _least_indent(text: bytes, upto: int, first_line: bool) -> int | None:
    """Least indentation of the lines of code in ``text`` that start before ``upto``
    (its first line only when ``first_line``: the text starts a line)."""
    if not upto:
        return None
    if text[upto - 1] == 0x0A:  # the line at ``upto`` is not the edit's
        text = text[:upto]
    sizes = [len(m) for m in _CODE_LINE.findall(text)]
    if first_line:
        code = _INDENT.match(text).end()  # type: ignore[union-attr]
        if code < len(text) and text[code] not in b"\r\n#":
            sizes.append(code)
    return min(sizes) if sizes else None


def for_reuse(language: str, buffer: TextBuffer, edit: ByteEdit) -> ByteEdit:
    """``edit`` (just applied to ``buffer``) as tree-sitter should be told it: the same
    change, widened where that lets the reparse reuse more of the old tree."""
    if language != "python":
        return edit
    data = buffer.data
    start, new_end = edit.start, edit.new_end
    line = data.rfind(b"\n", 0, start) + 1
    first_line = not data[line:start].strip(b" \t\f")  # the edit starts its line
    breaks = b"\n" in edit.inserted or b"\n" in edit.removed
    if not breaks and not first_line:
        return edit  # within a line, after its first token: the lines around it stay
    begin = start
    while begin > 0 and data[begin - 1] in _SPACE:
        begin -= 1
    begin = max(0, begin - 1)  # one byte into the token before
    end = -1
    if breaks:
        brk = data.find(b"\n", new_end)
        rest = data[new_end : len(data) if brk < 0 else brk]
        least = [
            n
            for n in (
                _least_indent(data[line:new_end] + rest, new_end - line, first_line),
                _least_indent(
                    data[line:start] + edit.removed + rest,
                    start - line + len(edit.removed),
                    first_line,
                ),
            )
            if n is not None
        ]
        at = new_end - 1 if new_end and data[new_end - 1] == 0x0A else new_end
        found = _next_line(min(least) if least else None).search(data, at, at + _SEARCH)
        if found is not None:
            end = found.end()
    if end < 0:  # one byte into the next token
        end = new_end
        while end < len(data) and data[end] in _SPACE:
            end += 1
        end = min(len(data), end + 1)
    if begin == start and end == new_end:
        return edit
    extra = end - new_end
    (orow, ocol), nrow = edit.old_end_point, edit.new_end_point[0]
    row, column = buffer.point_at(end)  # the text after the edit is the old text's
    return ByteEdit(
        start=begin,
        old_end=edit.old_end + extra,
        new_end=end,
        start_point=buffer.point_at(begin),
        old_end_point=(orow + row - nrow, column if row != nrow else ocol + extra),
        new_end_point=(row, column),
        removed=data[begin:start] + edit.removed + data[new_end:end],
        inserted=data[begin:end],
    )
