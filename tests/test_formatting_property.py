"""Formatting never changes who wrote the code.

Any sequence of formatting-only changes (indentation, spacing, quote style,
trailing commas, lines split or joined), sent whole or as a ranged change,
leaves every token with the owner it had: the set of AI tokens, the chunks and,
where the line structure is kept, the set of AI lines are unchanged.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from genguard.attribution.tracker import Thresholds
from genguard.session.document import GuardedDocument
from genguard.syntax import fingerprint as fp
from genguard.syntax.fingerprint import format_tokens, same_but_formatting

HUMAN_LINES = [
    "import os\n",
    "def load(path, mode='r'):\n",
    "    with open(path, mode) as fh:\n",
    "        return fh.read()\n",
    "\n",
    "value = compute(1, 2, key='x')\n",
    "print('done', value)\n",
]
AI_BLOCKS = [
    "def summarize(rows, key='id'):\n    out = {}\n    for row in rows:\n"
    "        out[row[key]] = out.get(row[key], 0) + row['n']\n    return out\n",
    "items = [transform(x, scale=2) for x in source if x]\ntotal = sum(items, start=0)\n",
]

_STRING = re.compile(r"'[^'\"\\\n]*'|\"[^'\"\\\n]*\"")


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


def _reformat(text: str, op: str, a: float, b: float) -> str:
    """One layout change of ``text`` chosen by ``op`` at a place chosen by ``a``."""
    lines = text.splitlines(keepends=True)
    if not lines:
        return text
    i = int(a * len(lines)) % len(lines)
    line = lines[i]
    if op == "indent":
        lines[i] = ("    " + line) if b < 0.5 or not line.startswith("    ") else line[4:]
    elif op == "space":
        spots = [m.start() for m in re.finditer(r"[,(=]", line)]
        if spots:
            at = spots[int(b * len(spots)) % len(spots)] + 1
            lines[i] = line[:at] + (" " if line[at : at + 1] != " " else "") + line[at:]
            if line[at : at + 1] == " ":
                lines[i] = line[:at] + line[at + 1 :]
    elif op == "quote":
        m = _STRING.search(line)
        if m:
            s = m.group()
            q = '"' if s[0] == "'" else "'"
            lines[i] = line[: m.start()] + q + s[1:-1] + q + line[m.end() :]
    elif op == "comma":
        at = line.rfind(")")
        if at > 0 and line[at - 1] not in "(,":
            lines[i] = line[:at] + "," + line[at:]
        elif at > 0 and line[at - 1] == ",":
            lines[i] = line[: at - 1] + line[at:]
    elif op == "split":
        at = line.find(", ")
        if at > 0:
            lines[i] = line[: at + 1] + "\n        " + line[at + 2 :]
    elif op == "join" and i + 1 < len(lines) and line.strip() and lines[i + 1].strip():
        lines[i] = line.rstrip("\n") + " " + lines[i + 1].lstrip()
        del lines[i + 1]
    return "".join(lines)


def _ai_tokens(doc: GuardedDocument) -> list[bool]:
    data = doc.buffer.data
    return [
        doc.tracker.owner_of(t.start) is not None
        or any(doc.tracker.owner_of(p) is not None for p in range(t.start, t.end))
        for t in format_tokens(data, doc.language)
    ]


def _ai_lines(doc: GuardedDocument) -> set[int]:
    return {n for c in doc.tracker.live() for a, b in doc.ai_lines(c) for n in range(a, b + 1)}


def _range_of(old: str, new: str) -> tuple[tuple[tuple[int, int], tuple[int, int]], str]:
    """The smallest whole-line range of ``old`` to replace, and its new text."""
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    end_line = len(a) - tail
    return ((head, 0), (end_line, 0)), "".join(b[head : len(b) - tail])


ops = st.lists(
    st.tuples(
        st.sampled_from(["indent", "space", "quote", "comma", "split", "join"]),
        st.floats(0, 1),
        st.floats(0, 1),
        st.booleans(),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(HUMAN_LINES), min_size=1, max_size=8),
    st.lists(st.tuples(st.integers(0, 8), st.sampled_from(AI_BLOCKS)), min_size=1, max_size=2),
    ops,
)
def test_formatting_only_changes_keep_every_owner(
    human: list[str], blocks: list[tuple[int, str]], changes: list[tuple[str, float, float, bool]]
) -> None:
    text = "".join(human)
    if not text.endswith("\n"):
        text += "\n"
    doc = GuardedDocument("file:///f.py", "f.py", "python", 1, text, thresholds=Thresholds())
    version = 1
    for line, block in blocks:
        line = min(line, doc.buffer.line_count - 1)
        version += 1
        doc.apply_changes(version, [(((line, 0), (line, 0)), block)])
    assume_ai = _ai_tokens(doc)
    assert any(assume_ai), "the AI blocks were recognised"
    chunks = sorted(c.id for c in doc.tracker.live())
    for op, a, b, whole in changes:
        old = doc.buffer.data.decode()
        new = _reformat(old, op, a, b)
        if new == old or not same_but_formatting(old.encode(), new.encode(), "python"):
            continue
        lines_before = _ai_lines(doc)
        same_lines = len(old.splitlines()) == len(new.splitlines())
        version += 1
        if whole:
            report = doc.apply_changes(version, [(None, new)])
        else:
            rng, text_in = _range_of(old, new)
            report = doc.apply_changes(version, [(rng, text_in)])
        assert doc.buffer.data.decode() == new
        assert not report.outcome.created and not report.outcome.ended
        assert _ai_tokens(doc) == assume_ai, (op, old, new)
        assert sorted(c.id for c in doc.tracker.live()) == chunks
        if same_lines:
            assert _ai_lines(doc) == lines_before


PIECES = [b"a", b"rb", b"f", b"U", b"'", b'"', b"`", b"\\", b"\n", b"\r", b" ", b"\t", b"/", b"*"]
PIECES += [b"#", b",", b")", b"]", b"}", b"(", b"1", b"_", b"$", b"\xc3\xa9", b"'''", b'"""']
PIECES += [b"//", b"/*", b"*/", b"\\\n"]


def _tokens_position_by_position(data: bytes, language: str | None) -> list[tuple]:
    """Tokens read one position at a time: a comment where one starts, else a token."""
    comment = fp._LINE_COMMENT[language in fp._HASH_COMMENTS]
    out: list[tuple] = []
    pos = 0
    while pos < len(data):
        c = comment.match(data, pos)
        if c is not None:
            out.append((pos, c.end(), b"C" + b"".join(c.group().split())))
            pos = c.end()
            continue
        m = fp._TOKEN.match(data, pos)
        assert m is not None
        if m.lastgroup == "str":
            out.append((pos, m.end(), fp._string_norm(m.group())))
        elif m.lastgroup not in ("space", "cont"):
            out.append((pos, m.end(), m.group()))
        pos = m.end()
    return [
        t
        for i, t in enumerate(out)
        if not (t[2] == b"," and i + 1 < len(out) and out[i + 1][2] in fp._CLOSERS)
    ]


@settings(max_examples=1000, deadline=None)
@given(
    st.lists(st.sampled_from(PIECES), max_size=30),
    st.sampled_from([None, "python", "javascript", "go", "bash"]),
)
def test_tokens_read_in_one_pass_are_those_read_position_by_position(pieces, language) -> None:
    data = b"".join(pieces)
    expected = _tokens_position_by_position(data, language)
    assert fp.format_spans(data, language) == expected
    assert [(t.start, t.end, t.norm) for t in format_tokens(data, language)] == expected
