"""Content fingerprints that survive reformatting.

A chunk's fingerprint is a hash of its tree-sitter leaf tokens with comments and
whitespace left out, so re-indenting or re-commenting AI code does not make it
look new, while any change to the code itself does. Files without a grammar fall
back to whitespace-separated tokens.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache

from tree_sitter import Parser

from genguard.syntax.languages import new_parser

_MAX_FINGERPRINT_BYTES = 1 << 20


@cache
def _parser(language: str) -> Parser | None:
    return new_parser(language)


def _leaf_tokens(data: bytes, language: str | None) -> list[bytes]:
    parser = _parser(language) if language else None
    if parser is None or len(data) > _MAX_FINGERPRINT_BYTES:
        return data.split()
    tree = parser.parse(data)
    tokens: list[bytes] = []
    cursor = tree.walk()
    visited_children = False
    while True:
        node = cursor.node
        if not visited_children:
            assert node is not None
            if "comment" in node.type:
                visited_children = True  # skip comments and everything under them
                continue
            if cursor.goto_first_child():
                continue
            start, end = node.start_byte, node.end_byte
            if end > start:
                text = data[start:end].strip()
                if text:
                    tokens.append(text)
            visited_children = True
        elif cursor.goto_next_sibling():
            visited_children = False
        elif not cursor.goto_parent():
            break
    return tokens


def fingerprint(data: bytes, language: str | None) -> str:
    """Stable hash of the code tokens in ``data`` (``fp:`` + 32 hex digits)."""
    digest = hashlib.sha256(b"\x00".join(_leaf_tokens(data, language))).hexdigest()
    return f"fp:{digest[:32]}"


# -- formatting-only changes -------------------------------------------------------
#
# A formatter (black, prettier, gofmt, an editor's format-on-save) changes how code
# is laid out, never what it says. Two texts are "the same but for formatting" when
# their tokens agree once whitespace, line breaks, line continuations, the quote
# style of strings and trailing commas are set aside. The tokens carry their byte
# spans, so a change that only reformats can hand every token's owner on to its
# counterpart in the new text.

_HASH_COMMENTS = frozenset({"python", "bash", "ruby", "yaml", "toml", "r", "perl", "make"})
_TOKEN = re.compile(
    rb"""
    (?P<str>[rRbBuUfF]{0,2}(?:\"\"\"(?:\\.|[^\\])*?\"\"\"|'''(?:\\.|[^\\])*?'''
        |"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'))
    | (?P<tmpl>`(?:\\.|[^`\\])*`)
    | (?P<word>[A-Za-z0-9_$\x80-\xff]+)
    | (?P<cont>\\\r?\n)
    | (?P<space>\s+)
    | (?P<punct>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_LINE_COMMENT = {True: re.compile(rb"#[^\n]*"), False: re.compile(rb"//[^\n]*|/\*.*?\*/", re.S)}
_CLOSERS = frozenset({b")", b"]", b"}"})


@dataclass(frozen=True, slots=True)
class FormatToken:
    """One token of source text: its byte span and the form formatting cannot change."""

    start: int
    end: int
    norm: bytes


def _string_norm(raw: bytes) -> bytes:
    """A string literal without the choice of quote (prefix letters kept, lower-cased)."""
    i = 0
    while raw[i : i + 1] not in (b'"', b"'"):
        i += 1
    prefix, body = raw[:i].lower(), raw[i:]
    q = 3 if body[:3] in (b'"""', b"'''") else 1
    inner = body[q:-q]
    inner = inner.replace(b"\\'", b"'").replace(b'\\"', b'"')
    return b"S" + prefix + (b"3" if q == 3 else b"1") + inner


def format_tokens(data: bytes, language: str | None) -> list[FormatToken]:
    """Tokens of ``data`` as formatting leaves them (see above); comments count,
    without their spacing, so rewording a comment is not formatting."""
    return [FormatToken(*token) for token in format_spans(data, language)]


def format_spans(data: bytes, language: str | None) -> list[tuple[int, int, bytes]]:
    """:func:`format_tokens` as (start, end, norm) tuples: a line key, made each edit
    of the tokens of a few lines, needs no more.

    A comment starts where a token would be its first byte alone (``#`` or ``/``):
    the tokens are read in one pass of the pattern, taken up again after each."""
    hashes = language in _HASH_COMMENTS
    comment, opener = _LINE_COMMENT[hashes], b"#" if hashes else b"/"
    out: list[tuple[int, int, bytes]] = []
    pos, n = 0, len(data)
    while pos < n:
        for m in _TOKEN.finditer(data, pos):  # the last alternative matches any byte
            kind = m.lastgroup
            if kind == "punct":
                raw = m.group()
                if raw == opener and (c := comment.match(data, m.start())) is not None:
                    out.append((m.start(), c.end(), b"C" + b"".join(c.group().split())))
                    pos = c.end()
                    break
                out.append((m.start(), m.end(), raw))
            elif kind == "str":
                out.append((m.start(), m.end(), _string_norm(m.group())))
            elif kind not in ("space", "cont"):
                out.append((m.start(), m.end(), m.group()))
        else:
            break
    # a comma right before a closing bracket is the formatter's choice
    return [
        t
        for i, t in enumerate(out)
        if not (t[2] == b"," and i + 1 < len(out) and out[i + 1][2] in _CLOSERS)
    ]


def same_but_formatting(old: bytes, new: bytes, language: str | None) -> bool:
    """Whether ``new`` differs from ``old`` only in layout (and is not identical)."""
    if old == new:
        return False
    a, b = format_tokens(old, language), format_tokens(new, language)
    return len(a) == len(b) and all(x.norm == y.norm for x, y in zip(a, b, strict=True))
