"""Content fingerprints that survive reformatting.

A chunk's fingerprint is a hash of its tree-sitter leaf tokens with comments and
whitespace left out, so re-indenting or re-commenting AI code does not make it
look new, while any change to the code itself does. Files without a grammar fall
back to whitespace-separated tokens.
"""

from __future__ import annotations

import hashlib
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
