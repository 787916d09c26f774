"""Typed, immutable genguard settings.

Settings are frozen so they can be shared between the language server's
handlers, cached, and compared cheaply; :meth:`Settings.fingerprint` gives a
stable digest so callers can tell whether a reload actually changed anything.
Validation of user input lives in :mod:`genguard.config.loader`; these classes
only normalise container types (lists become tuples, dicts become read-only
mappings) so programmatic construction cannot break immutability.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal, get_args

Scope = Literal["ai", "all"]
"""``"ai"`` checks only AI-attributed code; ``"all"`` checks the whole file."""

Severity = Literal["error", "warning", "info", "hint"]
"""Diagnostic severities a rule can be overridden to."""

SCOPES: tuple[str, ...] = get_args(Scope)
SEVERITIES: tuple[str, ...] = get_args(Severity)

DEFAULT_PACKS: tuple[str, ...] = ("security",)


def _str_tuple(values: Iterable[str]) -> tuple[str, ...]:
    """Deduplicate while keeping the user's order, so equal configs compare equal."""
    return tuple(dict.fromkeys(values))


def _frozen_map(values: Mapping[str, str]) -> Mapping[str, Any]:
    """A read-only, key-sorted copy: immutable and independent of input order."""
    return MappingProxyType(dict(sorted(values.items())))


def _set(obj: object, name: str, value: object) -> None:
    object.__setattr__(obj, name, value)


@dataclass(frozen=True, kw_only=True)
class HeuristicSettings:
    """Thresholds for treating an unattributed insertion as AI-written.

    An insertion becomes a heuristic AI chunk when it spans at least
    ``min_lines`` lines *and* holds at least ``min_chars`` non-blank characters;
    both must hold so that ordinary typing and small pastes are not flagged.
    """

    min_lines: int = 2
    min_chars: int = 40


@dataclass(frozen=True, kw_only=True)
class RuleSettings:
    """Which policy rules run, and at what severity."""

    packs: tuple[str, ...] = DEFAULT_PACKS
    disable: tuple[str, ...] = ()
    enable: tuple[str, ...] = ()
    # Excluded from hashing because mapping proxies are unhashable; equality
    # still compares it, which keeps hash/eq consistent.
    severity: Mapping[str, Severity] = field(
        default_factory=lambda: MappingProxyType({}), hash=False
    )

    def __post_init__(self) -> None:
        _set(self, "packs", _str_tuple(self.packs))
        _set(self, "disable", _str_tuple(self.disable))
        _set(self, "enable", _str_tuple(self.enable))
        _set(self, "severity", _frozen_map(self.severity))

    def is_enabled(self, rule_id: str, pack: str) -> bool:
        """Whether ``rule_id`` from ``pack`` should run.

        ``disable`` wins over ``enable`` so that an explicit opt-out is never
        silently overridden; ``enable`` turns on rules from unlisted packs.
        """
        if rule_id in self.disable:
            return False
        return rule_id in self.enable or pack in self.packs

    def severity_for(self, rule_id: str, default: Severity) -> Severity:
        """The configured severity for ``rule_id``, else the rule's own ``default``."""
        return self.severity.get(rule_id, default)


@dataclass(frozen=True, kw_only=True)
class CacheSettings:
    """Result cache; disabling it trades speed for never reusing stale results."""

    enabled: bool = True


@dataclass(frozen=True, kw_only=True)
class LedgerSettings:
    """Provenance ledger of attributed chunks and their review state."""

    enabled: bool = True


@dataclass(frozen=True, kw_only=True)
class Settings:
    """The complete genguard configuration for one workspace."""

    scope: Scope = "ai"
    unreviewed_diagnostic: bool = True
    approved_tools: tuple[str, ...] = ()
    reviewer: str | None = None
    heuristics: HeuristicSettings = field(default_factory=HeuristicSettings)
    rules: RuleSettings = field(default_factory=RuleSettings)
    cache: CacheSettings = field(default_factory=CacheSettings)
    ledger: LedgerSettings = field(default_factory=LedgerSettings)

    def __post_init__(self) -> None:
        _set(self, "approved_tools", _str_tuple(self.approved_tools))
        # An empty reviewer means "use the default identity", same as unset.
        _set(self, "reviewer", self.reviewer or None)

    @classmethod
    def default(cls) -> Settings:
        """The settings used when no configuration exists or it is unusable."""
        return cls()

    def to_dict(self) -> dict[str, Any]:
        """A plain, JSON-serialisable view (tuples as lists, mappings as dicts)."""
        return {
            "scope": self.scope,
            "unreviewed_diagnostic": self.unreviewed_diagnostic,
            "approved_tools": list(self.approved_tools),
            "reviewer": self.reviewer,
            "heuristics": {
                "min_lines": self.heuristics.min_lines,
                "min_chars": self.heuristics.min_chars,
            },
            "rules": {
                "packs": list(self.rules.packs),
                "disable": list(self.rules.disable),
                "enable": list(self.rules.enable),
                "severity": dict(self.rules.severity),
            },
            "cache": {"enabled": self.cache.enabled},
            "ledger": {"enabled": self.ledger.enabled},
        }

    def fingerprint(self) -> str:
        """SHA-256 of a canonical JSON dump: equal settings give equal digests.

        Stable across processes (unlike ``hash``), so it can key caches on disk.
        """
        canonical = json.dumps(
            self.to_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
