"""A document's kept scan for sink mentions is exactly a full scan of its text.

An editor scans only around an edit (:class:`~genguard.taint.python_tables.KeptScan`);
random edits that make and break mentions (a name, then comments, line breaks and a
bracket; ``/*`` comments; ``#`` comments holding barrier characters) must leave the
matches a scan of the whole text finds.
"""

from __future__ import annotations

import random

import pytest

from genguard.rules.loader import compile_regex
from genguard.taint.model import WordFinder, _mention
from genguard.taint.python_tables import KeptScan, Tables
from genguard.taint.spec import NamePattern

PIECES = [
    "os.system",
    "eval",
    ".execute",
    "subprocess . call",
    "  ",
    "\n",
    "(",
    ")",
    "[",
    ",",
    "=",
    "# a comment ) = (\n",
    "# eval\n",
    "/*",
    "*/",
    "//",
    "\\\n",
    '"',
    "x",
    "self.cursor",
    "  # note\n    (",
    "def f(cmd):\n    return os.system(cmd)\n",
]


def _finder() -> WordFinder:
    words = [
        _mention(NamePattern.parse(name), call=True)
        for name in ("os.system", "eval", "*.execute", "subprocess.call", "yaml.load")
    ]
    return WordFinder(sorted(set(words)))


def _full(finder, text: bytes) -> list[tuple[int, int, bytes]]:
    return [(m.start(), m.end(), m.group()) for m in finder.finditer(text)]


@pytest.mark.parametrize("seed", range(40))
@pytest.mark.parametrize("kind", ["words", "alias"])
def test_a_kept_scan_is_a_full_scan(seed: int, kind: str) -> None:
    rng = random.Random(seed)
    finder = _finder() if kind == "words" else compile_regex(r"\b(?:run|sp|evil_x)\b")
    text = "".join(rng.choice(PIECES) for _ in range(200)).encode()
    tables = Tables()
    scan = tables.scan(finder)
    assert isinstance(scan, KeptScan)
    assert scan.matches(text) == _full(finder, text)
    for _ in range(30):
        for _ in range(rng.randrange(1, 4)):  # a few edits between two checks
            start = rng.randrange(len(text) + 1)
            end = min(len(text), start + rng.choice([0, 0, 1, 2, 5, 20]))
            new = "".join(rng.choice(PIECES) for _ in range(rng.randrange(0, 3))).encode()
            if kind == "alias" and rng.random() < 0.5:
                new = rng.choice([b"run", b"sp(", b" evil_x", b"r"])
            text = text[:start] + new + text[end:]
            tables.edited(start, end, start + len(new))
        assert scan.matches(text) == _full(finder, text), text


# Each case: a text, then an insertion at the marker ``|`` that makes a search starting
# before it reach past characters that would otherwise end every mention: a comment
# (``#``, ``/* */``) holding them, or a mention whose first character is one.
REACHING = {
    "a # comment": b"x = 1\nrun(eval  # see os.system(x), here\n|y)\n",
    "a /* comment */": b"x = 1\nrun(eval /* os.system(x), here */ |y)\n",
    "a mention's first character": b"x = (1)\nk =eval  # (\n|y\n",
}


@pytest.mark.parametrize("case", sorted(REACHING))
def test_a_kept_scan_restarts_before_what_reaches_an_edit(case: str) -> None:
    finder = _finder()
    text = REACHING[case]
    at = text.index(b"|")
    text = text[:at] + text[at + 1 :]
    tables = Tables()
    scan = tables.scan(finder)
    assert scan.matches(text) == _full(finder, text)
    new = text[:at] + b"(" + text[at:]
    tables.edited(at, at, at + 1)
    assert _full(finder, new) != _full(finder, text)  # the edit changes an earlier match
    assert scan.matches(new) == _full(finder, new)
