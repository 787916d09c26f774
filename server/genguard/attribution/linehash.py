"""Per-line hashes that let commit hooks recognise AI lines without storing code.

A line is hashed with surrounding whitespace stripped, so re-indentation keeps
the match; blank lines and lone punctuation are never hashed (they would match
everything and make "AI share" meaningless).
"""

from __future__ import annotations

from genguard.digest import sha256

_TRIVIAL = frozenset({"", "{", "}", "(", ")", "[", "]", "};", "});", "end", "pass", "else:"})
LINE_HASH_HEX = 16


def line_hash(line: str | bytes) -> str | None:
    """Short hash of one line's content, or None for a line too trivial to attribute."""
    text = line.decode("utf-8", "surrogateescape") if isinstance(line, bytes) else line
    text = text.strip()
    if text in _TRIVIAL:
        return None
    digest = sha256(text.encode("utf-8", "surrogateescape")).hexdigest()
    return digest[:LINE_HASH_HEX]


def line_hashes(text: str | bytes) -> list[str]:
    """Hashes of the attributable lines of ``text``, in order (duplicates kept)."""
    data = text.decode("utf-8", "surrogateescape") if isinstance(text, bytes) else text
    return [h for h in (line_hash(line) for line in data.splitlines()) if h is not None]
