"""Inline suppression comments: ``genguard: ignore[rule-id] reason`` and ``# nosec``.

A person may silence a finding where it stands, but only with a reason: the
reason is what an auditor reads later, so a marker without one suppresses
nothing and is reported itself. Only the lines around findings are looked at
(the finding's first and last line and the comment line directly above), so
this is cheap enough to run on every keystroke.

Recognised forms, in any comment style (``#``, ``//``, ``/* */``, ``--``):

- ``genguard: ignore[rule-id] reason`` or ``genguard: ignore[id1, id2] reason`` on
  the finding's line, or alone in a comment on the line directly above it;
- ``# nosec`` (Python, same line only), as bandit knows it: whatever follows
  (test ids such as ``B602`` or free text) becomes the reason, else ``"nosec"``.

Pure Python over UTF-8 bytes, with no knowledge of documents or chunks: callers
pass a predicate saying whether the marker at an offset may be honoured (the
session uses it to refuse suppressions the AI wrote for itself).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Generic, Literal, TypeVar

from genguard.rules.model import Rule

T = TypeVar("T")

SuppressionKind = Literal["ignore", "nosec"]

UNJUSTIFIED_ID = "genguard.suppression-without-reason"
AI_WRITTEN_ID = "genguard.suppression-by-ai"
MARKER_PACK = "genguard"
"""Pack of the built-in rules about markers themselves (not findings in the code)."""
MAX_REASON_CHARS = 500
"""Longer reasons are cut: a justification is a sentence, not a document."""

_ALL_OPENERS: tuple[bytes, ...] = (b"#", b"//", b"/*", b"--")
_OPENERS: dict[str, tuple[bytes, ...]] = {
    "python": (b"#",),
    "ruby": (b"#",),
    "bash": (b"#",),
    "javascript": (b"//", b"/*"),
    "typescript": (b"//", b"/*"),
    "tsx": (b"//", b"/*"),
    "go": (b"//", b"/*"),
    "java": (b"//", b"/*"),
    "rust": (b"//", b"/*"),
    "c": (b"//", b"/*"),
    "cpp": (b"//", b"/*"),
    "csharp": (b"//", b"/*"),
    "php": (b"//", b"/*", b"#"),
}
_NOSEC_LANGUAGES = frozenset({"python"})

_IGNORE_RE = re.compile(rb"genguard:[ \t]*ignore[ \t]*\[([^\]\r\n]*)\]([^\r\n]*)")
_NOSEC_RE = re.compile(rb"#[ \t]*nosec\b([^\r\n#]*)")
_ID_SPLIT_RE = re.compile(r"[\s,]+")
_CLOSERS_RE = re.compile(r"\s*(?:\*/|-->)\s*$")
_LEADING_RE = re.compile(r"^[\s:;,\-–—]+")
_WORD_RE = re.compile(r"\w")


@dataclass(frozen=True, slots=True)
class Suppression:
    """One marker found in a comment.

    ``rule_ids`` is empty for ``nosec``, which covers every rule on its line.
    ``line`` is 0-based; ``start``/``end`` are the byte span of the marker text
    (what a warning about the marker points at). ``reason`` is "" when missing.
    """

    rule_ids: tuple[str, ...]
    reason: str
    line: int
    kind: SuppressionKind
    start: int = 0
    end: int = 0

    def covers(self, rule_id: str) -> bool:
        return not self.rule_ids or rule_id in self.rule_ids

    @property
    def justified(self) -> bool:
        return bool(self.reason)


@dataclass(slots=True)
class SuppressionResult(Generic[T]):
    """What :func:`apply_suppressions` decided for each item.

    ``unjustified`` and ``refused`` pair each marker that did not suppress (no
    reason; or the ``allowed`` predicate said no) with the first item it was next
    to, so callers can report the marker in that item's context. Each marker is
    listed once.
    """

    kept: list[T] = field(default_factory=list)
    suppressed: list[tuple[T, Suppression]] = field(default_factory=list)
    unjustified: list[tuple[Suppression, T]] = field(default_factory=list)
    refused: list[tuple[Suppression, T]] = field(default_factory=list)


def _openers(language: str | None) -> tuple[bytes, ...]:
    return _OPENERS.get(language or "", _ALL_OPENERS)


def comment_opener(language: str | None) -> str:
    """How a comment starts in ``language``, for a marker genguard suggests writing."""
    return _openers(language)[0].decode()


def _comment_start(text: bytes, limit: int, openers: Sequence[bytes]) -> int:
    """Offset of the first comment opener before ``limit`` in ``text``, or -1."""
    best = -1
    for opener in openers:
        i = text.find(opener, 0, limit)
        if i >= 0 and (best < 0 or i < best):
            best = i
    return best


def _clean_reason(raw: bytes) -> str:
    text = raw.decode("utf-8", errors="replace")
    text = _CLOSERS_RE.sub("", text)
    text = _LEADING_RE.sub("", text).strip()
    if not _WORD_RE.search(text):
        return ""
    return text[:MAX_REASON_CHARS]


def parse_line(text: bytes, line: int, language: str | None, *, base: int = 0) -> list[Suppression]:
    """Suppression markers in one line of source (without its line break).

    ``base`` is the byte offset of the line in the file, so spans are absolute.
    A marker counts only inside a comment: some comment opener of the language
    must come before it on the line.
    """
    found: list[Suppression] = []
    if b"genguard:" in text:
        openers = _openers(language)
        for m in _IGNORE_RE.finditer(text):
            if _comment_start(text, m.start(), openers) < 0:
                continue
            ids = tuple(
                i for i in _ID_SPLIT_RE.split(m.group(1).decode("utf-8", errors="replace")) if i
            )
            if not ids:
                continue
            found.append(
                Suppression(
                    ids, _clean_reason(m.group(2)), line, "ignore", base + m.start(), base + m.end()
                )
            )
    if language in _NOSEC_LANGUAGES and b"nosec" in text:
        for m in _NOSEC_RE.finditer(text):
            reason = _clean_reason(m.group(1)) or "nosec"
            found.append(Suppression((), reason, line, "nosec", base + m.start(), base + m.end()))
    return found


def _comment_only(text: bytes, language: str | None) -> bool:
    stripped = text.lstrip()
    return any(stripped.startswith(o) for o in _openers(language))


class _Lines:
    """Line boundaries in ``source`` found on demand (no full line table needed)."""

    def __init__(self, source: bytes) -> None:
        self.source = source
        self._by_start: dict[int, tuple[int, int, int]] = {}

    def around(self, offset: int) -> tuple[int, int]:
        """(start, end) of the line holding ``offset``; end excludes the line break."""
        src = self.source
        offset = max(0, min(offset, len(src)))
        start = src.rfind(b"\n", 0, offset) + 1
        end = src.find(b"\n", offset)
        if end < 0:
            end = len(src)
        if end > start and src[end - 1 : end] == b"\r":
            end -= 1
        return start, end

    def number(self, start: int) -> int:
        return self.source.count(b"\n", 0, start)

    def above(self, start: int) -> tuple[int, int] | None:
        if start == 0:
            return None
        return self.around(start - 1)


def apply_suppressions(
    items: Iterable[T],
    source: bytes,
    language: str | None,
    *,
    key: Callable[[T], tuple[str, int, int]],
    allowed: Callable[[Suppression], bool] | None = None,
) -> SuppressionResult[T]:
    """Split ``items`` into kept and suppressed ones.

    ``key`` gives an item's (rule id, start byte, end byte). A marker suppresses
    an item when it names the item's rule (``nosec``: any rule), has a reason,
    passes ``allowed`` (default: every marker), and sits on the item's first or
    last line, or alone in a comment on the line directly above the first line.
    """
    lines = _Lines(source)
    parsed: dict[int, list[Suppression]] = {}  # line start -> markers
    numbers: dict[int, int] = {}
    result: SuppressionResult[T] = SuppressionResult()
    reported: set[tuple[int, int]] = set()

    def markers(span: tuple[int, int], *, above: bool) -> list[Suppression]:
        start, end = span
        cached = parsed.get(start)
        if cached is None:
            text = source[start:end]
            if b"genguard:" not in text and b"nosec" not in text:
                cached = []
            else:
                number = numbers.get(start)
                if number is None:
                    number = numbers[start] = lines.number(start)
                cached = parse_line(text, number, language, base=start)
            parsed[start] = cached
        if above and cached and not _comment_only(source[start:end], language):
            return []
        # nosec applies to its own line only
        return [m for m in cached if not (above and m.kind == "nosec")]

    nosec = language in _NOSEC_LANGUAGES
    size = len(source)
    for item in items:
        rule_id, start, end = key(item)
        # fast path (no marker anywhere near): searches in place, no slicing
        line_start = source.rfind(b"\n", 0, max(0, min(start, size))) + 1
        above_start = source.rfind(b"\n", 0, line_start - 1) + 1 if line_start > 1 else 0
        window_end = source.find(b"\n", max(start, end - 1))
        if window_end < 0:
            window_end = size
        if source.find(b"genguard:", above_start, window_end) < 0 and (
            not nosec or source.find(b"nosec", line_start, window_end) < 0
        ):
            result.kept.append(item)
            continue
        first = lines.around(start)
        candidates = markers(first, above=False)
        last = lines.around(max(start, end - 1))
        if last != first:
            candidates = candidates + markers(last, above=False)
        prev = lines.above(first[0])
        if prev is not None:
            candidates = candidates + markers(prev, above=True)
        hit: Suppression | None = None
        for marker in candidates:
            if not marker.covers(rule_id):
                continue
            if not marker.justified:
                if (marker.start, marker.end) not in reported:
                    reported.add((marker.start, marker.end))
                    result.unjustified.append((marker, item))
                continue
            if allowed is not None and not allowed(marker):
                if (marker.start, marker.end) not in reported:
                    reported.add((marker.start, marker.end))
                    result.refused.append((marker, item))
                continue
            hit = marker
            break
        if hit is None:
            result.kept.append(item)
        else:
            result.suppressed.append((item, hit))
    return result


# Rules for the findings this module produces about markers themselves; they are
# built in (not YAML) because they describe genguard's own syntax.
_CONTROLS = MappingProxyType(
    {"soc2": ("CC8.1",), "nist_ai_rmf": ("GOVERN 1.4",), "iso42001": ("A.6.2.8",)}
)

UNJUSTIFIED_RULE = Rule(
    id=UNJUSTIFIED_ID,
    name="Suppression without a reason",
    languages=("*",),
    severity="warning",
    message=(
        "This suppression has no reason, so it suppresses nothing: write"
        " 'genguard: ignore[rule-id] why this is safe'"
    ),
    controls=_CONTROLS,
    pack=MARKER_PACK,
)

AI_WRITTEN_RULE = Rule(
    id=AI_WRITTEN_ID,
    name="Suppression written by AI",
    languages=("*",),
    severity="warning",
    message=(
        "This suppression was written by the AI tool, not by a person, so it is not honoured:"
        " review the code, then write the justification yourself or mark the chunk reviewed"
    ),
    controls=_CONTROLS,
    pack=MARKER_PACK,
)
