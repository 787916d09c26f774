"""Silenced tools: AI-added markers that switch a checker off, without a reason.

An assistant that cannot make the type checker, linter, security scanner or
coverage gate happy can make it quiet instead: ``# type: ignore``, ``# noqa``,
``// eslint-disable``, ``@ts-ignore``, ``//nolint``, ``# nosec``, ``# pragma: no
cover``. A marker with a reason (text after the marker and its code list, such
as ``# noqa: E501 -- generated table``, or a comment on the line above) is a
decision someone can review; a bare one hides a finding. Diff-aware: markers
that were already in the replaced text are not new.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

# Each marker: a regex whose group "codes" is the code list (may be absent) and
# whose match ends where a reason would start.
_CODES = r"(?P<codes>(?:\s*[:=]?\s*[\w./@-]+(?:\s*,\s*[\w./@-]+)*)?)"
MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("type: ignore", re.compile(r"#\s*type:\s*ignore(?P<codes>\[[^\]]*\])?")),
    ("pyright: ignore", re.compile(r"#\s*pyright:\s*ignore(?P<codes>\[[^\]]*\])?")),
    ("mypy: ignore-errors", re.compile(r"#\s*mypy:\s*ignore-errors(?P<codes>)")),
    (
        "ruff: noqa",
        re.compile(
            r"#\s*ruff\s*:\s*noqa(?P<codes>(?:\s*:\s*[A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*)?)"
        ),
    ),
    (
        "noqa",
        re.compile(
            r"#\s*noqa(?P<codes>(?:\s*:\s*[A-Z]+[0-9]+(?:\s*[, ]\s*[A-Z]+[0-9]+)*)?)", re.IGNORECASE
        ),
    ),
    (
        "nosec",
        re.compile(r"(?:#|//)\s*#?nosec(?P<codes>(?:\s+[A-Z][0-9]+(?:\s*,\s*[A-Z][0-9]+)*)?)"),
    ),
    ("pragma: no cover", re.compile(r"#\s*pragma:\s*no\s*(?:cover|branch)(?P<codes>)")),
    (
        "pylint: disable",
        re.compile(r"#\s*pylint:\s*disable(?:-next)?\s*=(?P<codes>\s*[\w-]+(?:\s*,\s*[\w-]+)*)"),
    ),
    ("eslint-disable", re.compile(r"(?://|/\*)\s*eslint-disable(?:-next-line|-line)?" + _CODES)),
    ("@ts-ignore", re.compile(r"//\s*@ts-(?:ignore|nocheck|expect-error)(?P<codes>)")),
    (
        "istanbul ignore",
        re.compile(r"/\*\s*(?:istanbul|c8|v8)\s+ignore\s+(?:next|if|else|file|start)(?P<codes>)"),
    ),
    ("nolint", re.compile(r"//\s*nolint(?P<codes>(?::[\w-]+(?:,[\w-]+)*)?)")),
    ("lint:ignore", re.compile(r"//\s*lint:(?:file-)?ignore(?P<codes>\s+[\w,]+)")),
    ("SuppressWarnings", re.compile(r"@SuppressWarnings\s*\((?P<codes>[^)]*)\)")),
    ("NOPMD", re.compile(r"//\s*NOPMD(?P<codes>)")),
    ("CHECKSTYLE:OFF", re.compile(r"//\s*CHECKSTYLE:OFF(?P<codes>)")),
    ("rubocop:disable", re.compile(r"#\s*rubocop:disable(?P<codes>\s+[\w/,\s]+?)(?=\s--|\s#|$)")),
    ("shellcheck disable", re.compile(r"#\s*shellcheck\s+disable=(?P<codes>[\w,]+)")),
)

_REASON_LEAD = re.compile(r"^[\s\-–—:;,#/*]*")
_WORD = re.compile(r"[A-Za-z]{3,}")
_COMMENT_ONLY = re.compile(r"^\s*(?:#|//|/\*|\*|--)\s*(?P<text>.*?)\s*(?:\*/)?\s*$")


def _reason(rest: str) -> str:
    """What follows a marker once separators and a closing ``*/`` are stripped."""
    rest = rest.split("*/", 1)[0]
    for _kind, other in MARKERS:
        m = other.search(rest)
        if m is not None:  # a second marker on the same line is not a reason
            rest = rest[: m.start()]
    return _REASON_LEAD.sub("", rest).strip()


def _has_reason(text: str) -> bool:
    words = _WORD.findall(text)
    return len(words) >= 1 and len(text) >= 6


def _explained_above(lines: list[str], i: int) -> bool:
    """A comment-only line directly above that says something (and is no marker itself)."""
    if i == 0:
        return False
    m = _COMMENT_ONLY.match(lines[i - 1])
    if m is None:
        return False
    above = m.group("text")
    if any(p.search(lines[i - 1]) for _, p in MARKERS):
        return False
    return _has_reason(above) and len(_WORD.findall(above)) >= 2


def _in_string(line: str, at: int) -> bool:
    """Whether column ``at`` is inside a quoted string literal of ``line``."""
    quote = None
    i = 0
    while i < at:
        ch = line[i]
        if quote is not None:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "\"'`":
            quote = ch
        i += 1
    return quote is not None


@dataclass(frozen=True, slots=True)
class Marker:
    """One tool-silencing marker; ``line`` is 0-based, ``start``/``end`` are columns."""

    kind: str
    codes: str
    line: int
    start: int
    end: int
    reason: str

    @property
    def key(self) -> tuple[str, str]:
        return self.kind, re.sub(r"\s+", "", self.codes)


def markers(text: str) -> list[Marker]:
    """Every silencing marker in ``text`` with the reason given for it ('' when none)."""
    lines = text.splitlines()
    out: list[Marker] = []
    for i, line in enumerate(lines):
        if "#" not in line and "/" not in line and "@" not in line:
            continue
        taken: list[tuple[int, int]] = []
        for kind, pattern in MARKERS:
            for m in pattern.finditer(line):
                if any(s <= m.start() < e for s, e in taken) or _in_string(line, m.start()):
                    continue
                taken.append((m.start(), m.end()))
                codes = (m.group("codes") or "").strip()
                reason = _reason(line[m.end() :])
                if kind == "SuppressWarnings":
                    tail = line[m.end() :]
                    comment = re.search(r"//\s*(.*)", tail)
                    reason = comment.group(1).strip() if comment else ""
                if not _has_reason(reason) and _explained_above(lines, i):
                    reason = "(comment above)"
                out.append(Marker(kind, codes, i, m.start(), m.end(), reason))
    out.sort(key=lambda m: (m.line, m.start))
    return out


def unexplained_new(before: str | None, after: str) -> list[Marker]:
    """Markers in ``after`` with no reason that ``before`` did not already have."""
    had = Counter(m.key for m in markers(before or ""))
    out = []
    for m in markers(after):
        if had[m.key] > 0:
            had[m.key] -= 1
            continue
        if not _has_reason(m.reason):
            out.append(m)
    return out
