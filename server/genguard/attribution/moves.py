"""Where inserted lines came from: a recent removal, or another open document.

A refactoring (extract, inline, move) removes lines and inserts them elsewhere,
with a new line or two around them; ``git stash`` and ``git stash pop`` do the
same through a reload. Judged as a fresh insertion, the moved lines would look
like a block of new code. So every removal is remembered for a while with who
owned each line, and an insertion asks, line by line, where its text was last
seen. Lines found keep that owner (a person's stay a person's, AI lines stay
AI with their chunk's tool and model); only the lines nobody had are judged on
their own. Copies count too: lines pasted from another open document take the
owner they have there.

Lines are compared without whitespace or quote style, so re-indentation (a
method moved into a class, a block into a function) or a formatter run on the
way does not hide a move. Pure: the
caller says which documents are open.
"""

from __future__ import annotations

import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import islice
from typing import Protocol

from genguard.attribution.chunk import Chunk
from genguard.syntax.fingerprint import format_spans

#: Seconds a removal is remembered: long enough for a refactoring's second half
#: or a ``git stash`` / ``git stash pop`` round trip, short enough that ordinary
#: new code is not mistaken for something deleted long ago.
MOVE_WINDOW = 900.0
#: Removed lines remembered at most (oldest forgotten first).
MOVE_CAPACITY = 4096
#: A line shorter than this (visible bytes) is too common to say where it came from.
MIN_KEY_BYTES = 6


#: How alike a line must be to one just removed to count as moved with a touch-up,
#: and how many of the latest removed lines are compared.
SIMILAR_LINE = 0.8
SIMILAR_SCAN = 256
#: A line this long (visible bytes) found elsewhere is a copy even on its own.
LONG_KEY_BYTES = 24


def line_key(line: bytes) -> bytes | None:
    """A line's tokens without whitespace or quote style (a move may be reformatted
    on the way), or None when too short to trace."""
    if b"'" in line or b'"' in line or b"`" in line:
        key = b"".join(t[2] for t in format_spans(line, None))
    else:
        key = b"".join(line.split())
    return key if len(key) >= MIN_KEY_BYTES else None


#: Line keys by line text, across calls: a line is keyed when it is inserted, when
#: its document's kept keys take it in and when it is removed, and the lines of an
#: open document are mostly the same from one edit to the next.
_KEYS: dict[bytes, bytes] = {}  # b"": too short to trace
_KEYS_MAX = 200_000


def key_of(line: bytes) -> bytes | None:
    """:func:`line_key` of ``line``, which may end with its line break, computed once
    per text. Without its break a line has the same key (the break is whitespace),
    unless it ends with a backslash (before a break, a line continuation): then it is
    keyed as given."""
    cut = 2 if line.endswith(b"\r\n") else 1 if line.endswith((b"\n", b"\r")) else 0
    body = line[: len(line) - cut]
    text = line if cut and body.endswith(b"\\") else body
    key = _KEYS.get(text)
    if key is None:
        if len(_KEYS) > _KEYS_MAX:
            _KEYS.clear()
        key = _KEYS[text] = line_key(text) or b""
    return key or None


@dataclass(frozen=True, slots=True)
class Origin:
    """Who owned a line where it was seen last (``chunk`` None: a person)."""

    chunk: Chunk | None


class Origins(Protocol):
    """What a tracker asks about where text comes from and tells about removals."""

    def removed(self, file: str, lines: Sequence[tuple[bytes, Chunk | None]]) -> None: ...

    def lookup(
        self,
        file: str,
        keys: Sequence[bytes | None],
        *,
        copies: bool = True,
        span: tuple[int, int] = (0, 0),
    ) -> list[Origin | None]:
        """Where each line was seen (None: nowhere); ``copies`` also searches the
        open documents (``file`` outside ``span``, where the lines were inserted),
        which costs more than the removals remembered."""
        ...


class MoveMemory:
    """Recently removed lines, newest first, across documents."""

    def __init__(
        self,
        window: float = MOVE_WINDOW,
        capacity: int = MOVE_CAPACITY,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.window = window
        self.capacity = capacity
        self._clock = clock
        self._lines: OrderedDict[bytes, tuple[float, Chunk | None, str]] = OrderedDict()

    def removed(self, file: str, lines: Sequence[tuple[bytes, Chunk | None]]) -> None:
        now = self._clock()
        for key, owner in lines:
            self._lines.pop(key, None)
            self._lines[key] = (now, owner, file)
        while len(self._lines) > self.capacity:
            self._lines.popitem(last=False)

    def forget(self, file: str) -> None:
        """Drop what was removed from ``file`` (closed: its edits are over)."""
        for key in [k for k, (_, _, f) in self._lines.items() if f == file]:
            del self._lines[key]

    def find(self, key: bytes) -> Origin | None:
        seen = self._lines.get(key)
        if seen is None or self._clock() - seen[0] > self.window:
            return None
        return Origin(seen[1])

    def lookup(
        self,
        file: str,
        keys: Sequence[bytes | None],
        *,
        copies: bool = True,
        span: tuple[int, int] = (0, 0),
    ) -> list[Origin | None]:
        found = [None if k is None else self.find(k) for k in keys]
        if any(f is not None for f in found):  # a move: its lines may be touched up on the way
            for i, key in enumerate(keys):
                if key is not None and found[i] is None:
                    found[i] = self._similar(key)
        return found

    def _similar(self, key: bytes) -> Origin | None:
        """The recent removal most like ``key`` (a move that added ``self.`` or renamed
        a variable), when it is alike enough: of the most alike, the latest.

        A line's ratio is never above its quick ratio (the bytes the two have in
        common, read off the two keys' shapes: see :func:`_shape`). Lines are compared
        in full with a :class:`~difflib.SequenceMatcher` from the highest quick ratio
        down, and only while one could still reach the threshold and beat the best so
        far (few do: a move's neighbours are alike in length, not in text)."""
        now = self._clock()
        shape, size, shapes = _shape(key), len(key), _SHAPES
        lo, hi = size - size // 3, size + size // 3  # lengths that could reach the threshold
        many = [(b, n) for b in set(key) if (n := key.count(b)) > _LAYERS_KEPT]
        near: list[tuple[float, int, bytes, Chunk | None]] = []  # (-quick, age, line, owner)
        recent = islice(reversed(self._lines.items()), SIMILAR_SCAN)
        for age, (k, (when, owner, _)) in enumerate(recent):
            length = len(k)
            if not lo <= length <= hi or now - when > self.window:
                continue
            common = (shape & (shapes.get(k) or _shape(k))).bit_count()
            for b, n in many:  # what the shapes leave out of a byte both hold often
                common += max(0, min(n, k.count(b)) - _LAYERS_KEPT)
            quick = 2.0 * common / (size + length)  # as SequenceMatcher.quick_ratio
            if quick >= SIMILAR_LINE:
                near.append((-quick, age, k, owner))
        near.sort()  # by quick ratio, then age (never by line: ages differ)
        best: tuple[float, int, Chunk | None] | None = None  # (ratio, -age, owner)
        for minus_quick, age, k, owner in near:
            if best is not None and (-minus_quick, -age) <= best[:2]:
                break  # no line left can beat the best (nor tie it and be later)
            ratio = SequenceMatcher(None, key, k, autojunk=False).ratio()
            if ratio >= SIMILAR_LINE and (best is None or (ratio, -age) > best[:2]):
                best = (ratio, -age, owner)
        return None if best is None else Origin(best[2])


#: Occurrences of one byte a shape holds (see :func:`_shape`): a line rarely holds a
#: byte more often, and a shape's size stays bounded.
_LAYERS_KEPT = 16
#: Line key -> its shape, for the lines remembered and the lines looked up.
_SHAPES: dict[bytes, int] = {}
_SHAPES_MAX = 4 * MOVE_CAPACITY


def _shape(key: bytes) -> int:
    """Bit ``b + 256 * i`` is set when byte ``b`` occurs more than ``i`` times in
    ``key`` (``i`` < ``_LAYERS_KEPT``): two keys have ``(shape(a) & shape(b))
    .bit_count()`` bytes in common (as :meth:`~difflib.SequenceMatcher.quick_ratio`
    counts them, but for the occurrences past ``_LAYERS_KEPT``), in one operation
    instead of one count per byte."""
    shape = _SHAPES.get(key)
    if shape is None:
        shape = 0
        for b in set(key):
            shape |= _LAYERS[min(key.count(b), _LAYERS_KEPT)] << b
        if len(_SHAPES) > _SHAPES_MAX:
            _SHAPES.clear()
        _SHAPES[key] = shape
    return shape


#: ``n`` -> bits ``256 * i`` for each ``i`` < ``n``.
_LAYERS = [((1 << (256 * n)) - 1) // ((1 << 256) - 1) for n in range(_LAYERS_KEPT + 1)]


class Lines(Protocol):
    """A document's line table (as :class:`~genguard.text.buffer.TextBuffer` keeps it)."""

    @property
    def data(self) -> bytes: ...

    @property
    def line_count(self) -> int: ...

    def line_start(self, line: int) -> int: ...

    def line_bytes(self, line: int) -> bytes: ...

    def line_of(self, offset: int) -> int: ...


_STALE = b"-"  # a line edited since it was keyed (shorter than any key: see line_key)


class LineKeys:
    """One open document's line keys, kept across its edits: a copy search asks for
    every line of every open document, and splitting and keying a large file anew on
    each insertion costs milliseconds. An edit marks only its lines to be keyed again
    (:meth:`edited`); :meth:`current` keys them when a search needs them. How many
    lines hold each key is kept along, so a search for lines the document does not
    hold (most new code) ends without reading its lines."""

    def __init__(self) -> None:
        self._keys: list[bytes | None] | None = None  # None: to build from the text
        self._stale: tuple[int, int] | None = None  # the lines holding every stale one
        self.counts: dict[bytes, int] = {}  # key -> lines holding it (stale ones aside)

    def edited(self, first: int, old_last: int, new_last: int) -> None:
        """Lines ``first``..``old_last`` were replaced by ``first``..``new_last``."""
        if self._keys is not None:
            counts = self.counts
            for key in self._keys[first : old_last + 1]:
                if key is not None and key is not _STALE:
                    if counts[key] == 1:
                        del counts[key]
                    else:
                        counts[key] -= 1
            self._keys[first : old_last + 1] = [_STALE] * (new_last - first + 1)
            lo, hi = self._stale or (first, new_last)
            if hi > old_last:
                hi += new_last - old_last
            self._stale = (min(lo, first), max(hi, new_last))

    def current(self, lines: Lines) -> list[bytes | None] | None:
        """The key of each line of ``lines`` (None: too short to trace); None when its
        lines are not all cut at ``\\n`` (then the search splits as the editor does)."""
        data = lines.data
        if b"\r" in data:
            self._keys = None
            return None
        keys, stale, counts = self._keys, self._stale, self.counts
        self._stale = None
        if keys is None or len(keys) != lines.line_count:
            keys = self._keys = _keys(data.split(b"\n"))
            counts.clear()
            for key in keys:
                if key is not None:
                    counts[key] = counts.get(key, 0) + 1
        elif stale is not None:
            i, last = stale[0] - 1, min(stale[1], len(keys) - 1)
            try:
                while True:
                    i = keys.index(_STALE, i + 1, last + 1)
                    key = keys[i] = key_of(lines.line_bytes(i))
                    if key is not None:
                        counts[key] = counts.get(key, 0) + 1
            except ValueError:
                pass
        return keys


#: (file, text, owner of the line at [start, end), its kept line keys and line table
#: or None) of each open document.
OpenDocument = tuple[
    str, bytes, Callable[[int, int], Chunk | None], "tuple[LineKeys, Lines] | None"
]


class WorkspaceOrigins:
    """Removals remembered across open documents, and copies from the others."""

    def __init__(self, documents: Callable[[], Iterable[OpenDocument]]) -> None:
        self.memory = MoveMemory()
        self._documents = documents

    def removed(self, file: str, lines: Sequence[tuple[bytes, Chunk | None]]) -> None:
        self.memory.removed(file, lines)

    def forget(self, file: str) -> None:
        self.memory.forget(file)

    def lookup(
        self,
        file: str,
        keys: Sequence[bytes | None],
        *,
        copies: bool = True,
        span: tuple[int, int] = (0, 0),
    ) -> list[Origin | None]:
        found = self.memory.lookup(file, keys)
        wanted = [k for k, f in zip(keys, found, strict=True) if k is not None and f is None]
        if not copies or not wanted:
            return found
        for other, data, owner_of, kept in self._documents():
            lines = kept[0].current(kept[1]) if kept is not None else None
            if lines is not None and kept is not None:
                around = span if other == file else None
                copied = _copied_kept(wanted, lines, kept[1], owner_of, around, kept[0].counts)
            elif other == file:  # this document around the inserted text
                s, e = span
                copied = copied_lines(wanted, data[:s], owner_of)
                shifted = _shifted(owner_of, e)
                after = copied_lines(wanted, data[e:], shifted)
                for key, origin in after.items():
                    copied.setdefault(key, origin)
            else:
                copied = copied_lines(wanted, data, owner_of)
            for i, key in enumerate(keys):
                if key is not None and found[i] is None and key in copied:
                    found[i] = copied[key]
        return found


def _shifted(
    owner_of: Callable[[int, int], Chunk | None], by: int
) -> Callable[[int, int], Chunk | None]:
    return lambda a, b: owner_of(a + by, b + by)


def _keys(lines: list[bytes]) -> list[bytes | None]:
    """``line_key`` of each line (without its line break); None: too short to trace."""
    keys: list[bytes | None] = list(map(_KEYS.get, lines))
    if None in keys:
        if len(_KEYS) > _KEYS_MAX:
            _KEYS.clear()
        i = -1
        try:
            while True:
                i = keys.index(None, i + 1)
                keys[i] = _KEYS.setdefault(lines[i], line_key(lines[i]) or b"")
        except ValueError:
            pass
    return [k or None for k in keys] if b"" in keys else keys


def _copied_kept(
    wanted: Sequence[bytes],
    keys: list[bytes | None],
    lines: Lines,
    owner_of: Callable[[int, int], Chunk | None],
    span: tuple[int, int] | None,
    counts: Mapping[bytes, int] | None = None,
) -> dict[bytes, Origin]:
    """:func:`copied_lines` over a document's kept line keys (``keys``, of ``lines``);
    with ``span``, over its text before it and after it, as two documents.

    ``counts`` (how many lines hold each key, as :class:`LineKeys` keeps them) says
    which wanted lines stand outside ``span`` at all: only those are looked for among
    the lines, and none of them, nothing is."""
    data = lines.data
    count = len(keys)

    def next_start(line: int) -> int:  # where the line after ``line`` starts
        return lines.line_start(line + 1) if line + 1 < count else len(data)

    if span is None:
        held = None if counts is None else counts.__contains__
        if held is not None and not any(map(held, wanted)):
            return {}

        def bounds(p: int) -> tuple[int, int]:
            return lines.line_start(p), next_start(p)

        return _copied_runs(wanted, keys, bounds, owner_of, held)
    s, e = span
    first, last = lines.line_of(s), lines.line_of(e)
    end_of_last = lines.line_start(last) + len(lines.line_bytes(last))
    head = _keys([data[lines.line_start(first) : s]])[0]  # the text before s on its line
    tail = _keys([data[e:end_of_last]])[0]  # and after e on its line
    if counts is not None:
        inside = Counter(keys[first : last + 1])

        def held(key: bytes) -> bool:
            return counts.get(key, 0) > inside[key] or key in (head, tail)

        if not any(map(held, wanted)):
            return {}
    else:
        held = None
    before = [*keys[:first], head]

    def before_bounds(p: int) -> tuple[int, int]:
        return lines.line_start(p), (lines.line_start(p + 1) if p < first else s)

    copied = _copied_runs(wanted, before, before_bounds, owner_of, held)
    after = [tail, *keys[last + 1 :]]

    def after_bounds(p: int) -> tuple[int, int]:
        return (e if p == 0 else lines.line_start(last + p)), next_start(last + p)

    for key, origin in _copied_runs(wanted, after, after_bounds, owner_of, held).items():
        copied.setdefault(key, origin)
    return copied


def copied_lines(
    wanted: Sequence[bytes], data: bytes, owner_of: Callable[[int, int], Chunk | None]
) -> dict[bytes, Origin]:
    """Lines of ``wanted`` standing in ``data`` as a run of two or more, or one long
    line (a short line alone is too weak a sign of a copy), with their owners there."""
    if not wanted:
        return {}
    if b"\r" in data:  # line breaks other than \n: split as the editor does
        return _copied_lines(wanted, data.splitlines(keepends=True), owner_of)
    raw = data.split(b"\n")
    n = len(raw)

    def line_bounds(p: int) -> tuple[int, int]:
        start = sum(map(len, raw[:p])) + p
        return start, start + len(raw[p]) + (1 if p + 1 < n else 0)

    return _copied_runs(wanted, _keys(raw), line_bounds, owner_of)


def _copied_runs(
    wanted: Sequence[bytes],
    keys: list[bytes | None],
    line_bounds: Callable[[int], tuple[int, int]],
    owner_of: Callable[[int, int], Chunk | None],
    held: Callable[[bytes], bool] | None = None,
) -> dict[bytes, Origin]:
    """:func:`copied_lines` over the key of each line (``line_bounds``: where line ``p``
    is, in the offsets ``owner_of`` takes); ``held``, when given, says False of a key
    no line holds (its lines are not looked for)."""
    if not wanted:
        return {}
    n = len(keys)
    found: dict[bytes, list[int]] = {}  # wanted key -> the lines holding it

    def holding(key: bytes) -> list[int]:
        where = found.get(key)
        if where is None:
            where = found[key] = []
            i = -1 if held is None or held(key) else n  # n: none to look for
            try:
                while True:
                    i = keys.index(key, i + 1)
                    where.append(i)
            except ValueError:
                pass
        return where

    def after(p: int) -> int:
        """The next line with a key after line ``p`` (n: none)."""
        p += 1
        while p < n and keys[p] is None:
            p += 1
        return p

    backwards: list[bytes | None] = []  # the keys from the last line up, once needed

    def last_holding(key: bytes) -> int:
        """The last line holding ``key`` (-1: none), without reading every one."""
        if held is not None and not held(key):
            return -1
        if not backwards:
            backwards.extend(reversed(keys))
        try:
            return n - 1 - backwards.index(key)
        except ValueError:
            return -1

    out: dict[bytes, Origin] = {}
    i = 0
    while i < len(wanted):
        best: tuple[int, int] = (0, -1)  # (run length, first line)
        if held is not None and (i + 1 == len(wanted) or not held(wanted[i + 1])):
            # no line holds the next wanted one: every run is one line long, the last wins
            j = last_holding(wanted[i])
            best = (1, j) if j >= 0 else best
        else:
            for j in holding(wanted[i]):
                run, p = 0, j
                while i + run < len(wanted) and p < n and keys[p] == wanted[i + run]:
                    run += 1
                    p = after(p)
                best = max(best, (run, j))
        run, j = best
        if run >= 2 or (run == 1 and (len(wanted) == 1 or len(wanted[i]) >= LONG_KEY_BYTES)):
            p = j
            for k in range(run):
                out.setdefault(wanted[i + k], Origin(owner_of(*line_bounds(p))))
                p = after(p)
            i += run
        else:
            i += 1
    return out


def _copied_lines(
    wanted: Sequence[bytes], split: list[bytes], owner_of: Callable[[int, int], Chunk | None]
) -> dict[bytes, Origin]:
    """:func:`copied_lines` over lines as ``splitlines(keepends=True)`` cuts them."""
    lines: list[tuple[bytes, int, int]] = []
    pos = 0
    for line in split:
        key = line_key(line)
        if key is not None:
            lines.append((key, pos, pos + len(line)))
        pos += len(line)
    where: dict[bytes, list[int]] = {}
    for i, (key, _, _) in enumerate(lines):
        where.setdefault(key, []).append(i)
    out: dict[bytes, Origin] = {}
    i = 0
    while i < len(wanted):
        best: tuple[int, int] = (0, -1)  # (run length, start in lines)
        for j in where.get(wanted[i], ()):
            n = 0
            while i + n < len(wanted) and j + n < len(lines) and lines[j + n][0] == wanted[i + n]:
                n += 1
            best = max(best, (n, j))
        n, j = best
        if n >= 2 or (n == 1 and (len(wanted) == 1 or len(wanted[i]) >= LONG_KEY_BYTES)):
            for k in range(n):
                _, s, e = lines[j + k]
                out.setdefault(wanted[i + k], Origin(owner_of(s, e)))
            i += n
        else:
            i += 1
    return out
