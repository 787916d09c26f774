"""A replacement of text, broken into the smallest edits that explain it.

Editors send a format-on-save, a reload from disk or a refactoring as one large
replacement, often of the whole document. Taken whole, it looks like a big new
insertion and would end every chunk it covers. Attribution must see only what
really changed, so the replacement is diffed: lines first, then, inside a run
of changed lines that still resemble each other, words and punctuation. A run
that changes only layout (see :func:`genguard.syntax.fingerprint.same_but_formatting`)
is marked ``reformat``: its tokens keep their owners.

Pure: bytes in, edits out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from genguard.syntax.fingerprint import FormatToken, format_tokens, same_but_formatting

#: Below this share of unchanged words, a run of changed lines is treated as
#: rewritten: one edit, not a scatter of small ones around common words. (One
#: changed line is always taken word by word: a rename must not replace it.)
SIMILAR = 0.7
#: An unchanged stretch shorter than this (in visible bytes) between two changes
#: is folded into them, so ``(`` or ``, `` does not split a rewrite in two.
_WEAK_BYTES = 3
_WORDS = re.compile(rb"\w+|\s+|[^\w\s]")


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``old[start:end]`` with ``text`` (offsets in the old text)."""

    start: int
    end: int
    text: bytes
    reformat: bool = False  # layout only: owners carry over token by token


def _visible(data: bytes) -> int:
    return len(data.translate(None, b" \t\r\n\f\v"))


def _offsets(lines: list[bytes]) -> list[int]:
    out = [0]
    for line in lines:
        out.append(out[-1] + len(line))
    return out


def minimal_edits(old: bytes, new: bytes, language: str | None) -> list[Edit]:
    """Edits, in ascending order and not overlapping, that turn ``old`` into ``new``."""
    if old == new:
        return []
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    # common leading and trailing lines are never part of the change
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    oa, ob = _offsets(a), _offsets(b)
    o_start, o_end = oa[head], oa[len(a) - tail]
    n_start, n_end = ob[head], ob[len(b) - tail]
    if same_but_formatting(old[o_start:o_end], new[n_start:n_end], language):
        return [Edit(o_start, o_end, new[n_start:n_end], reformat=True)]
    hunks = _line_hunks(a[head : len(a) - tail], b[head : len(b) - tail])
    edits: list[Edit] = []
    for i1, i2, j1, j2 in hunks:
        s, e = oa[head + i1], oa[head + i2]
        text = new[ob[head + j1] : ob[head + j2]]
        edits.extend(_refine(old, s, e, text, language))
    return edits


def _line_hunks(a: list[bytes], b: list[bytes]) -> list[tuple[int, int, int, int]]:
    """Changed line runs; two runs parted only by blank lines are one."""
    hunks: list[list[int]] = []
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if hunks:
            prev = hunks[-1]
            if all(not line.strip() for line in a[prev[1] : i1]):
                prev[1], prev[3] = i2, j2
                continue
        hunks.append([i1, i2, j1, j2])
    return [(h[0], h[1], h[2], h[3]) for h in hunks]


def _refine(old: bytes, start: int, end: int, text: bytes, language: str | None) -> list[Edit]:
    """One changed run of lines as a reformat, a few word-level edits, or one edit."""
    removed = old[start:end]
    if not removed or not text:
        return [Edit(start, end, text)]
    # a last line that only gained its line break: the rest is inserted after it
    if text.startswith(removed):
        return [Edit(end, end, text[len(removed) :])]
    if removed.startswith(text):
        return [Edit(start + len(text), end, b"")]
    if same_but_formatting(removed, text, language):
        return [Edit(start, end, text, reformat=True)]
    x = [m.group() for m in _WORDS.finditer(removed)]
    y = [m.group() for m in _WORDS.finditer(text)]
    ox, oy = _offsets(x), _offsets(y)
    matcher = SequenceMatcher(None, x, y, autojunk=False)
    kept = 0
    spans: list[list[int]] = []  # [i1, i2, j1, j2] in tokens, changes only
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            same = b"".join(x[i1:i2])
            if spans and _visible(same) < _WEAK_BYTES and i2 < len(x):
                spans[-1][1], spans[-1][3] = i2, j2  # folded into the change before it
            else:
                kept += _visible(same)
            continue
        if spans and spans[-1][1] == i1 and spans[-1][3] == j1:
            spans[-1][1], spans[-1][3] = i2, j2
        else:
            spans.append([i1, i2, j1, j2])
    one_line = removed.count(b"\n") <= 1 and text.count(b"\n") <= 1
    if not one_line and kept < SIMILAR * max(_visible(removed), _visible(text)):
        return [Edit(start, end, text)]
    return [Edit(start + ox[i1], start + ox[i2], text[oy[j1] : oy[j2]]) for i1, i2, j1, j2 in spans]


def token_pairs(
    old: bytes, new: bytes, language: str | None
) -> list[tuple[FormatToken, FormatToken]]:
    """Each token of ``old`` with its counterpart in ``new`` (formatting-only texts)."""
    return list(zip(format_tokens(old, language), format_tokens(new, language), strict=True))
