"""``--fact key=value`` pairs, typed: what a policy knows that genguard cannot see.

Test results and coverage come from CI, not from genguard, so they are passed in
as facts. Values are typed the way a policy compares them (``true``/``false`` are
booleans, ``null`` is null, numbers are numbers, anything else is a string) and a
dotted key nests (``tests.passed=true`` -> ``{"tests": {"passed": true}}``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

_KEY_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*$")
_INT_RE = re.compile(r"^[+-]?[0-9]+$")


class FactError(ValueError):
    """A ``--fact`` that cannot be used (the message names it and says why)."""


def parse_value(text: str) -> Any:
    """``"true"`` -> True, ``"83.5"`` -> 83.5, ``"12"`` -> 12, ``"null"`` -> None, else text."""
    raw = text.strip()
    lowered = raw.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered == "null":
        return None
    if _INT_RE.match(raw):
        return int(raw)
    try:
        number = float(raw)
    except ValueError:
        return text
    return number if math.isfinite(number) else text


def parse_facts(pairs: Iterable[str]) -> dict[str, Any]:
    """Facts from ``key=value`` strings; FactError on a malformed or conflicting one."""
    facts: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep:
            raise FactError(f"--fact {pair!r}: expected key=value")
        if not _KEY_RE.match(key):
            raise FactError(
                f"--fact {pair!r}: the key must be a name or a dotted path of names "
                "(letters, digits, _ and -)"
            )
        *parents, leaf = key.split(".")
        node = facts
        for i, part in enumerate(parents):
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                where = ".".join(parents[: i + 1])
                raise FactError(f"--fact {pair!r}: {where!r} is already a value, not a group")
            node = child
        if isinstance(node.get(leaf), dict):
            raise FactError(f"--fact {pair!r}: {key!r} is already a group of facts")
        node[leaf] = parse_value(value)
    return facts
