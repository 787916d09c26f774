"""The sources' search kept across a document's edits (``Presence``) finds what a
search of the whole text finds, after any run of edits: probes anchored at the
text's ends or a line's, reaching across lines or not at all, of unknown reach,
matching a byte beside the edit."""

from __future__ import annotations

import random

import pytest

from genguard.rules.loader import compile_regex
from genguard.taint.model import LINE, Presence, TaintModel, _reach

PROBES = [
    r"^pw",
    r"@[^\n]*\b(?:route|get)\b",
    r"\b(?:request|argv)\b",
    r"(?i)(passw(or)?d|secret)s?",
    r"foo$",
    r"(?s)begin.*end",  # reach unknown: searched whole each time
    r"x\s*=\s*1",  # across lines, unbounded: unknown too
    r"(?m)^import\b",
    r"(?m)^#[^\n]*\bend\b",  # from a line's first byte, past the bounded probes' reach
    r"(?m)\bpw[^\n]*#$",  # to a line's last byte, as far
    r"\bé\w*z",
    r"\Bq\B",
    None,  # any text may hold it
]
TIGHT = [r"\b𝔘𝔘\b", r"[^\n]q"]
"""Probes whose reach in bytes is that of their widest match (four-byte characters)."""
PIECES = [
    *("pw", "@app.", "route", "get", "request", "argv", "PassWord", "secret", "foo"),
    *("begin", "end", "x", " = ", "1", "import", "é", "z", "q", "\n", "\n#", "#", " "),
    *("(", "a", "𝔘", "𝔘𝔘"),
]


def model_of(probes: list[str | None]) -> TaintModel:
    model = TaintModel()
    model.probes = [None if p is None else compile_regex(p) for p in probes]
    return model


def test_the_reach_of_a_probe() -> None:
    """Bounded in bytes (a character of UTF-8 takes up to four), within a line, or not
    known: where RE2 reads a pattern otherwise than Python's parser, unknown."""
    assert _reach(rb"\b(?:request|argv)\b") == 7 * 4
    assert _reach(rb"@[^\n]*\b(?:route|get)\b") == LINE
    assert _reach(rb"x\w+") == LINE
    for pattern in (
        rb"x\s*=\s*1",
        rb"(?s)a.*b",
        rb"a(?s:.)*b",
        rb"a[^x]*b",
        rb"a\W*b",
        rb"[[:space:]]+",
        rb"a{,3}",
        rb"\pL+",
        rb"a\z",
    ):
        assert _reach(pattern) is None, pattern


@pytest.mark.parametrize("seed", range(16))
@pytest.mark.parametrize("probes", [PROBES, TIGHT], ids=["probes", "tight"])
def test_presence_kept_across_edits_equals_a_search_of_the_whole_text(
    probes: list[str | None], seed: int
) -> None:
    model = model_of(probes)
    rng = random.Random(seed)
    text = "".join(rng.choice(PIECES) for _ in range(300)).encode()
    kept = Presence()
    for _ in range(400):
        start = rng.randint(0, len(text))
        end = min(len(text), start + rng.choice([0, 0, 1, 2, 5, 30]))
        inserted = "".join(rng.choice(PIECES) for _ in range(rng.choice([0, 1, 2, 4, 8])))
        text = text[:start] + inserted.encode() + text[end:]
        kept.edited(start, end, start + len(inserted.encode()))
        if rng.random() < 0.05:  # a text of its own (the document replaced)
            old = len(text)
            text = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 40))).encode()
            kept.edited(0, old, len(text))
        if rng.random() < 0.6:  # checked now, or after more edits (told one by one)
            assert model.present(text, kept) == model.present(text), text
