"""Where keys are in a TOML text, for pointing problems at the right line.

tomllib reports no positions, so this light scanner recovers the first line of
each table header and key path, and the line of a syntax error, well enough to
put a diagnostic on the offending key.
"""

from __future__ import annotations

import json
import re
import tomllib

_POSITION_RE = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_END_RE = re.compile(r"\s*\(at end of document\)\s*$")


def decode_error_position(exc: tomllib.TOMLDecodeError, text: str) -> tuple[int | None, str]:
    """Split tomllib's message into (line, message with column)."""
    message = str(exc)
    match = _POSITION_RE.search(message)
    if match:
        base = message[: match.start()]
        return int(match.group(1)), f"{base} (column {match.group(2)})"
    match = _END_RE.search(message)
    if match:
        last = len(text.splitlines()) or 1
        return last, f"{message[: match.start()]} (at end of file)"
    lineno = getattr(exc, "lineno", None)
    return (lineno if isinstance(lineno, int) else None), message


_BARE_KEY_RE = re.compile(r"[A-Za-z0-9_-]+")


def _skip_ws(s: str, i: int) -> int:
    while i < len(s) and s[i] in " \t":
        i += 1
    return i


def _parse_key(s: str, i: int) -> tuple[tuple[str, ...], int] | None:
    """Parse a (dotted, possibly quoted) TOML key starting at ``s[i]``."""
    parts: list[str] = []
    n = len(s)
    while True:
        i = _skip_ws(s, i)
        if i >= n:
            return None
        ch = s[i]
        if ch == '"':
            j = i + 1
            while j < n and s[j] != '"':
                j += 2 if s[j] == "\\" else 1
            if j >= n:
                return None
            raw = s[i + 1 : j]
            try:
                parts.append(json.loads(f'"{raw}"'))
            except ValueError:
                parts.append(raw)
            i = j + 1
        elif ch == "'":
            j = s.find("'", i + 1)
            if j < 0:
                return None
            parts.append(s[i + 1 : j])
            i = j + 1
        else:
            match = _BARE_KEY_RE.match(s, i)
            if not match:
                return None
            parts.append(match.group())
            i = match.end()
        i = _skip_ws(s, i)
        if i < n and s[i] == ".":
            i += 1
            continue
        return tuple(parts), i


def _scan_value(s: str, i: int, depth: int) -> tuple[int, str | None]:
    """Track bracket depth through a value; return (depth, open multi-line delimiter)."""
    n = len(s)
    while i < n:
        ch = s[i]
        if ch == "#":
            break
        if s.startswith('"""', i) or s.startswith("'''", i):
            delim = s[i : i + 3]
            j = s.find(delim, i + 3)
            if j < 0:
                return depth, delim
            i = j + 3
            continue
        if ch == '"':
            j = i + 1
            while j < n and s[j] != '"':
                j += 2 if s[j] == "\\" else 1
            i = j + 1
            continue
        if ch == "'":
            j = s.find("'", i + 1)
            i = n if j < 0 else j + 1
            continue
        if ch in "[{":
            depth += 1
        elif ch in "]}":
            depth = max(0, depth - 1)
        i += 1
    return depth, None


class KeyIndex:
    """First line (1-based) on which each table header or key path appears.

    tomllib reports no positions, so this light scanner recovers them well
    enough to point diagnostics at the right line. Keys written inside inline
    tables are not indexed; lookups then fall back to the enclosing key.
    """

    def __init__(self, text: str) -> None:
        self._lines: dict[tuple[str, ...], int] = {}
        current: tuple[str, ...] = ()
        depth = 0
        pending: str | None = None  # open multi-line string delimiter
        for lineno, line in enumerate(text.splitlines(), start=1):
            start = 0
            if pending is not None:
                end = line.find(pending)
                if end < 0:
                    continue
                pending = None
                start = end + 3
                depth, pending = _scan_value(line, start, depth)
                continue
            if depth > 0:
                depth, pending = _scan_value(line, 0, depth)
                continue
            stripped = line.lstrip()
            if not stripped or stripped.startswith("#"):
                continue
            offset = len(line) - len(stripped)
            if stripped.startswith("["):
                double = stripped.startswith("[[")
                parsed = _parse_key(line, offset + (2 if double else 1))
                if parsed and line[parsed[1] :].startswith("]]" if double else "]"):
                    current = parsed[0]
                    self._add(current, lineno)
                continue
            parsed = _parse_key(line, offset)
            if not parsed or not line[parsed[1] :].startswith("="):
                continue
            self._add(current + parsed[0], lineno)
            depth, pending = _scan_value(line, parsed[1] + 1, 0)

    def _add(self, key: tuple[str, ...], lineno: int) -> None:
        for k in range(1, len(key) + 1):
            self._lines.setdefault(key[:k], lineno)

    def contains(self, key: tuple[str, ...]) -> bool:
        return key in self._lines

    def line_for(self, key: tuple[str, ...], *, floor: int) -> int | None:
        """Line of ``key``, else of its nearest indexed ancestor at least ``floor`` long."""
        for k in range(len(key), max(floor, 1) - 1, -1):
            line = self._lines.get(key[:k])
            if line is not None:
                return line
        return None
