"""Plain data for the rule engine.

Everything here is immutable so rules and matches can be shared freely between
the language server's worker threads and used as cache keys.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Generic, Literal, TypeVar

if TYPE_CHECKING:
    from genguard.taint.spec import TaintSpec

Severity = Literal["error", "warning", "info", "hint"]

SEVERITIES: tuple[str, ...] = ("error", "warning", "info", "hint")

ANY_LANGUAGE = "*"
"""Language wildcard: the rule also runs on files genguard has no grammar for."""
REPOSITORY_PACK = "repository"
"""The pack of a repository's own rules (``.genguard/rules``): untrusted data."""

CHECKS: tuple[str, ...] = (
    "protected-path",
    "approved-tool",
    "approved-model",
    "chunk-size",
    "banned-import",
    "license-header",
)
"""Built-in non-pattern checks a ``check`` rule may name; they are implemented in
Python elsewhere (their behaviour depends on configuration), never in rule data."""

AGENT_RISK_CHECKS: tuple[str, ...] = (
    "undeclared-dependency",
    "weakened-test",
    "silenced-tool",
    "guardrail-path",
    "ci-weakening",
    "broad-change",
    "broad-checkpoint",
    "stub-implementation",
)
"""Checks of the ``agent-risk`` pack (:mod:`genguard.agentrisk`): failure modes of AI
coding tools that need code (manifests, the text an edit replaced, file counts)."""

ALL_CHECKS: tuple[str, ...] = CHECKS + AGENT_RISK_CHECKS
"""Every name a ``check`` rule may use."""

OWASP_LLM_2025: Mapping[str, str] = MappingProxyType(
    {
        "LLM01:2025": "Prompt Injection",
        "LLM02:2025": "Sensitive Information Disclosure",
        "LLM03:2025": "Supply Chain",
        "LLM04:2025": "Data and Model Poisoning",
        "LLM05:2025": "Improper Output Handling",
        "LLM06:2025": "Excessive Agency",
        "LLM07:2025": "System Prompt Leakage",
        "LLM08:2025": "Vector and Embedding Weaknesses",
        "LLM09:2025": "Misinformation",
        "LLM10:2025": "Unbounded Consumption",
    }
)
"""OWASP Top 10 for LLM Applications 2025: the ids ``owasp_llm`` accepts, with titles."""


@dataclass(frozen=True, slots=True)
class Rule:
    """One validated policy rule.

    Exactly one of ``query`` (tree-sitter), ``regex`` (RE2), ``taint`` (a data-flow
    rule, :mod:`genguard.taint`) and ``check`` (a built-in check from
    :data:`ALL_CHECKS`) is set; the loader guarantees it, so the matcher never has to
    re-validate. The matcher runs query, regex and taint rules.

    ``entropy`` (regex rules) keeps a hit only when the Shannon entropy of its
    reported text reaches it, which separates real keys from words and
    placeholders. ``redact`` marks the reported text as a secret: display it only
    through :func:`redact` / :meth:`Match.display`.
    """

    id: str
    name: str
    languages: tuple[str, ...]
    severity: str
    message: str
    cwe: tuple[str, ...] = ()
    owasp: tuple[str, ...] = ()
    owasp_llm: tuple[str, ...] = ()
    security_severity: float | None = None
    controls: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    query: str | None = None
    regex: str | None = None
    check: str | None = None
    taint: TaintSpec | None = None
    allow: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    entropy: float | None = None
    redact: bool = False
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
class RuleSet:
    """The outcome of one load: usable rules, what went wrong, and a cache key.

    ``version`` changes whenever any loaded rule's content or the genguard version
    changes, so cached findings keyed by it can never outlive the rules that made them.
    Defined with the rule model, not the loader, so a set restored from the rule cache
    never imports what reading YAML and checking queries need.
    """

    rules: tuple[Rule, ...]
    errors: tuple[RuleError, ...]
    version: str

    def by_id(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)


@dataclass(frozen=True, slots=True)
class Related:
    """A place that explains a finding (e.g. one step of a source-to-sink path).

    ``start``/``end`` are bytes into the same source as the finding; ``message``
    says what happens there. A taint finding's first place is where its data
    entered (``request.args``), then the steps it took.
    """

    start: int
    end: int
    message: str


@dataclass(frozen=True, slots=True)
class Match:
    """One rule hit; offsets are bytes into the UTF-8 source, as tree-sitter reports them.

    ``fix`` is the rendered replacement for ``source[start:end]``, or None when the
    rule has no fix or a capture the template needs was absent. ``related`` are the
    places that explain the hit, in order (a data-flow path), empty for most rules.
    """

    rule: Rule
    start: int
    end: int
    fix: str | None = None
    related: tuple[Related, ...] = ()

    def display(self, source: bytes) -> str:
        """The matched text as it may be shown to a person: redacted for ``redact`` rules."""
        text = source[self.start : self.end].decode("utf-8", errors="replace")
        return redact(text) if self.rule.redact else text


INCOMPLETE_ID = "genguard.check-incomplete"
"""The code of what every report says of a check cut short (the editor's diagnostic,
SARIF's notification)."""


@dataclass(frozen=True, slots=True)
class Cut:
    """A check that stopped before it finished, so its findings may be missing some.

    ``check`` names it (``rule queries``, ``taint analysis``, ``syntax rules``) and
    ``reason`` says why it stopped (a time budget, a match or node limit), in words
    every report shows as they are. ``timed``: a clock stopped it, so the same text may
    be checked to its end on another try (on a less busy moment); a limit (a count, a
    size) stops it again at the same place for as long as the text is the same.
    """

    check: str
    reason: str
    timed: bool = False

    def __str__(self) -> str:
        return f"{self.check} {self.reason}"


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Checked(Generic[T]):
    """The results of one check (``items``) with the parts of it that were cut short
    (``cut``), as one value: whoever passes the results on passes the cut with them,
    and whoever takes only a part of them says so (``.items``). A check that was cut
    short never looks complete.

    Iterating goes over ``items``; there is no slicing, adding or length, each of which
    would make a list that no longer knows it is partial.
    """

    items: tuple[T, ...] = ()
    cut: tuple[Cut, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "items", tuple(self.items))
        object.__setattr__(self, "cut", tuple(dict.fromkeys(self.cut)))

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    @property
    def complete(self) -> bool:
        """Whether the check ran to its end."""
        return not self.cut


@lru_cache(maxsize=256)
def at_most(rule: Rule, severity: str) -> Rule:
    """``rule`` as reported at ``severity`` when that is lower than its own: a match
    whose evidence supports less (a taint flow from a value of unknown origin)
    carries its rule at the severity it earned, so every output shows that."""
    if severity not in SEVERITIES or SEVERITIES.index(rule.severity) >= SEVERITIES.index(
        severity
    ):
        return rule
    return replace(rule, severity=severity)


def shannon_entropy(value: str) -> float:
    """Shannon entropy of ``value`` in bits per character (0.0 for the empty string).

    Random keys score high (base64 ~5-6, hex ~4); words, identifiers and
    placeholders such as ``changeme`` or ``xxxxxxxx`` score low.
    """
    if not value:
        return 0.0
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in Counter(value).values())


def redact(value: str) -> str:
    """A safe stand-in for a secret: a short prefix (which names the key type, e.g.
    ``AKIA``), an ellipsis and the length. Never more than a quarter of the value
    is shown, so short passwords reveal little, and never the whole value."""
    keep = min(4, len(value) // 4)
    return f"{value[:keep]}…({len(value)} chars)"
