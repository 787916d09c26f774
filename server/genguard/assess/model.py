"""The values an assessment takes and gives: findings, AI chunks, handling.

Plain data with no editor, git or LSP types, so every entry point (editor,
``genguard scan``, the commit gate, ``genguard record``) can build the input from
what it knows and read the output the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, Protocol, TypeVar

from tree_sitter import Tree

from genguard.rules.model import Cut, Match, Related, Rule, at_most
from genguard.rules.suppression import MARKER_PACK, Suppression

Handling = Literal["open", "suppressed"]
"""``open``: the finding stands. ``suppressed``: an inline marker or a recorded
command suppression excuses it (with a reason)."""

SuppressedBy = Literal["inline", "command"]

Hit = tuple[Any, ...]
"""A finding as the result cache keeps it: (rule id, start, end, fix, related, severity)."""


@dataclass(slots=True)
class Finding:
    """One rule hit in a document; offsets are UTF-8 bytes.

    Mutable because the editor moves the offsets of unchanged findings as text is
    inserted before them. ``detail`` says what is specific to this hit (a
    governance or agent-risk check's words), shown before the rule's message;
    ``related`` explains it (e.g. a data-flow path from a source to this sink).
    """

    rule: Rule
    start: int
    end: int
    fix: str | None = None
    detail: str | None = None
    related: tuple[Related, ...] = ()

    @classmethod
    def from_match(cls, m: Match) -> Finding:
        return cls(m.rule, m.start, m.end, m.fix, None, m.related)

    def to_hit(self) -> Hit:
        """The cached form (plain values only: it is pickled into the result cache)."""
        related = tuple((r.start, r.end, r.message) for r in self.related)
        return (self.rule.id, self.start, self.end, self.fix, related, self.rule.severity)

    @classmethod
    def from_hit(cls, hit: Sequence[Any], rules: Mapping[str, Rule]) -> Finding | None:
        """A finding from its cached form; None when its rule is gone or the entry is
        of another shape (an older cache)."""
        if len(hit) != 6 or hit[0] not in rules:
            return None
        rule_id, start, end, fix, related, severity = hit
        steps = tuple(Related(s, e, m) for s, e, m in related)
        # the severity the evidence supported when it was found (taint rules)
        return cls(at_most(rules[rule_id], severity), start, end, fix, None, steps)


class ChunkLike(Protocol):
    """What an assessment reads of an AI chunk: the editor's live
    :class:`~genguard.attribution.chunk.Chunk` and :class:`AiChunk` both fit."""

    @property
    def id(self) -> str: ...

    @property
    def tool(self) -> str: ...

    @property
    def model(self) -> str | None: ...

    @property
    def kind(self) -> str: ...

    @property
    def status(self) -> str: ...

    @property
    def segments(self) -> Sequence[tuple[int, int]]: ...

    @property
    def suppressed(self) -> Mapping[str, str]: ...

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


C = TypeVar("C", bound=ChunkLike)


@dataclass(frozen=True, slots=True)
class AiChunk:
    """An AI chunk as known outside the editor (from the ledger or a commit's lines).

    ``segments`` are the byte spans of its AI lines, in order; ``suppressed`` maps
    a rule id to the reason a person gave through the editor's suppress command.
    """

    id: str
    segments: tuple[tuple[int, int], ...] = ()
    tool: str = "unknown"
    model: str | None = None
    kind: str = "unknown"
    status: str = "unreviewed"
    suppressed: Mapping[str, str] = field(default_factory=dict)

    @property
    def start(self) -> int:
        return self.segments[0][0] if self.segments else 0

    @property
    def end(self) -> int:
        return self.segments[-1][1] if self.segments else 0


@dataclass(frozen=True, slots=True)
class Snapshot(Generic[C]):
    """A document at one moment: what :func:`~genguard.assess.assess` judges.

    ``tree`` is the syntax tree of ``text`` when the caller has one; without it
    the rules that need a tree are run on a fresh parse.
    """

    file: str
    language: str | None
    text: bytes
    chunks: Sequence[C] = ()
    tree: Tree | None = None


@dataclass(frozen=True, slots=True)
class Assessed(Generic[C]):
    """One finding with its handling.

    ``chunk`` is the AI chunk it sits in (None: human-written code). A suppressed
    finding has ``reason`` and ``by`` (``inline``: a marker comment, kept in
    ``marker``; ``command``: the editor's suppress command). A marker that
    suppressed nothing (no reason, or written by the AI in unreviewed code) is a
    finding of its own, of a rule in the ``genguard`` pack.
    """

    finding: Finding
    chunk: C | None
    severity: str
    handling: Handling = "open"
    reason: str | None = None
    by: SuppressedBy | None = None
    marker: Suppression | None = None

    @property
    def rule(self) -> Rule:
        return self.finding.rule

    @property
    def about_marker(self) -> bool:
        """A finding about a suppression comment rather than about the code."""
        return self.finding.rule.pack == MARKER_PACK

    def conclusion(self) -> dict[str, Any]:
        """This item as plain JSON values: what was decided and what explains it (the
        rule's words and mappings), never the code (see :mod:`genguard.cache.conclusions`)."""
        rule, f = self.finding.rule, self.finding
        return {
            "rule": rule.id,
            "message": rule.message,
            "url": rule.url,
            "check": rule.check,
            "pack": rule.pack,
            "cwe": list(rule.cwe),
            "security_severity": rule.security_severity,
            "controls": {k: list(v) for k, v in sorted(rule.controls.items())},
            "start": f.start,
            "end": f.end,
            "fix": f.fix,
            "detail": f.detail,
            "severity": self.severity,
            "handling": self.handling,
            "reason": self.reason,
            "by": self.by,
            "chunk": self.chunk.id if self.chunk is not None else None,
            "marker": [self.marker.line, self.marker.justified] if self.marker else None,
            "about_marker": self.about_marker,
        }


@dataclass(slots=True)
class Assessment(Generic[C]):
    """Every finding of one document, each with its handling, in a stable order.

    ``cut`` names the checks that were cut short (a time budget, a match or node
    limit): then findings may be missing, and no entry point may take the document
    for clean or a missing finding for resolved.
    """

    items: list[Assessed[C]] = field(default_factory=list)
    cut: tuple[Cut, ...] = ()

    @property
    def complete(self) -> bool:
        """Whether every check ran to its end."""
        return not self.cut

    @property
    def open(self) -> list[Assessed[C]]:
        return [a for a in self.items if a.handling == "open"]

    @property
    def suppressed(self) -> list[Assessed[C]]:
        return [a for a in self.items if a.handling == "suppressed"]

    @property
    def visible(self) -> list[tuple[Finding, C | None]]:
        """What an editor shows: the open findings with their chunk."""
        return [(a.finding, a.chunk) for a in self.items if a.handling == "open"]

    @property
    def inline(self) -> list[Assessed[C]]:
        """Findings an inline marker suppressed (each is recorded with its reason)."""
        return [a for a in self.items if a.by == "inline"]
