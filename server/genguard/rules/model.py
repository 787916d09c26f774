"""Plain data for the rule engine.

Everything here is immutable so rules and matches can be shared freely between
the language server's worker threads and used as cache keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

Severity = Literal["error", "warning", "info", "hint"]

SEVERITIES: tuple[str, ...] = ("error", "warning", "info", "hint")

ANY_LANGUAGE = "*"
"""Language wildcard: the rule also runs on files genguard has no grammar for."""


@dataclass(frozen=True, slots=True)
class Rule:
    """One validated policy rule.

    Exactly one of ``query`` (tree-sitter) and ``regex`` (RE2) is set; the loader
    guarantees it, so the matcher never has to re-validate.
    """

    id: str
    name: str
    languages: tuple[str, ...]
    severity: str
    message: str
    cwe: tuple[str, ...] = ()
    owasp: tuple[str, ...] = ()
    controls: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    query: str | None = None
    regex: str | None = None
    allow: tuple[str, ...] = ()
    fix: str | None = None
    url: str | None = None
    examples_bad: tuple[str, ...] = ()
    examples_good: tuple[str, ...] = ()
    pack: str = ""
    source: str = ""
    line: int = 0

    def __hash__(self) -> int:
        # ``controls`` is a mapping (unhashable); id + origin identify a rule.
        return hash((self.id, self.pack, self.source, self.line))

    @property
    def any_language(self) -> bool:
        """True for ``languages: ["*"]`` rules, which also run without a grammar."""
        return ANY_LANGUAGE in self.languages


@dataclass(frozen=True, slots=True)
class RuleError:
    """A problem in a rule file, pinned to a file and line so editors can jump to it.

    ``line`` is 1-based; 0 means the problem has no position in a file (a missing
    directory, a bad severity override).
    """

    path: str
    line: int
    rule_id: str | None
    message: str

    def __str__(self) -> str:
        rule = f"{self.rule_id}: " if self.rule_id else ""
        return f"{self.path}:{self.line}: {rule}{self.message}"


@dataclass(frozen=True, slots=True)
class Match:
    """One rule hit; offsets are bytes into the UTF-8 source, as tree-sitter reports them.

    ``fix`` is the rendered replacement for ``source[start:end]``, or None when the
    rule has no fix or a capture the template needs was absent.
    """

    rule: Rule
    start: int
    end: int
    fix: str | None = None
