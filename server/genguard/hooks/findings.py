"""Rule findings in the AI lines being committed, and how each was handled.

The committed content of each file, with its AI lines as chunks, is judged by
:func:`genguard.assess.assess`, as in the editor: the same rules, governance and
agent-risk checks, inline markers (refused in unreviewed AI code) and the
suppressions recorded through the editor. This module only turns the result
into what a note records. Rules the editor raised on a chunk that no longer fire
are ``fixed``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from genguard.assess import AiChunk, Policy, Snapshot, assess, chunks_from_lines
from genguard.attribution.committed import Attribution, FileAttribution, Reader, ensure_contents
from genguard.attribution.match import Owner
from genguard.attribution.state import ChunkState
from genguard.config import Settings
from genguard.notes.format import NoteFinding
from genguard.rules.loader import RuleSet
from genguard.rules.model import Rule
from genguard.rules.suppression import MARKER_PACK
from genguard.syntax.languages import language_for_path

if TYPE_CHECKING:
    from genguard.hooks.context import HookContext


@dataclass(slots=True)
class GateFinding:
    """One finding in committed AI code, with what the gate knows to explain it."""

    file: str
    line: int
    rule: Rule | None
    rule_id: str
    severity: str
    owner: Owner | None
    handling: str = "open"
    reason: str | None = None
    by: str | None = None
    fix: str | None = None
    cwe: tuple[str, ...] = ()

    @property
    def blocking(self) -> bool:
        return self.handling == "open" and self.severity == "error"

    @property
    def about_marker(self) -> bool:
        """A finding about a suppression comment rather than about the code."""
        return self.rule is not None and self.rule.pack == MARKER_PACK

    def to_note(self) -> NoteFinding:
        return NoteFinding(
            file=self.file,
            line=self.line,
            rule=self.rule_id,
            cwe=list(self.cwe),
            severity=self.severity,
            chunk=self.owner.chunk if self.owner else None,
            handling=self.handling,
            reason=self.reason,
            by=self.by,
        )


@dataclass(slots=True)
class CheckResult:
    findings: list[GateFinding] = field(default_factory=list)
    #: markers that did not suppress: (file, line, why)
    ignored_markers: list[tuple[str, int, str]] = field(default_factory=list)
    rules_version: str | None = None
    rule_errors: int = 0


def _line_starts(data: bytes) -> list[int]:
    starts = [0]
    i = data.find(b"\n")
    while i >= 0:
        starts.append(i + 1)
        i = data.find(b"\n", i + 1)
    return starts


def _check_file(
    fa: FileAttribution,
    policy: Policy,
    chunks: Mapping[str, ChunkState],
    editor_suppressions: Mapping[tuple[str, str], tuple[str, str | None]],
    actor: str,
    result: CheckResult,
) -> None:
    """The AI lines of one committed file, judged by :func:`genguard.assess.assess`."""
    data = fa.content
    if data is None or not fa.owners:
        return
    starts = _line_starts(data)
    ai = {n: o for n, o in fa.owners.items() if n <= len(starts)}
    templates: dict[Owner, AiChunk] = {}
    for o in ai.values():
        if o not in templates:
            state = chunks.get(o.chunk)
            recorded = dict(state.suppressed) if state is not None else {}
            templates[o] = AiChunk(
                o.chunk,
                tool=o.tool,
                model=o.model,
                kind=o.kind,
                status=o.status,
                suppressed=recorded,
            )
    ai_chunks = chunks_from_lines(data, {n: templates[o] for n, o in ai.items()})
    ranges = [seg for c in ai_chunks for seg in c.segments]
    snapshot = Snapshot(fa.path, language_for_path(fa.path), data, ai_chunks)
    assessment = assess(snapshot, policy, scope="ai", ranges=ranges)
    owners = {o.chunk: o for o in ai.values()}
    for item in assessment.items:
        f = item.finding
        line = bisect_right(starts, f.start)
        owner = ai.get(line) or (owners.get(item.chunk.id) if item.chunk else None)
        rule = item.rule
        finding = GateFinding(
            file=fa.path,
            line=line,
            rule=rule,
            rule_id=rule.id,
            severity=item.severity,
            owner=owner,
            fix=f.fix,
            cwe=tuple(rule.cwe),
            handling=item.handling,
            reason=item.reason,
        )
        if item.by == "inline":
            finding.by = actor
        elif item.by == "command" and item.chunk is not None:
            recorded = editor_suppressions.get((item.chunk.id, rule.id))
            finding.by = recorded[1] if recorded is not None else None
        result.findings.append(finding)
        if item.marker is not None and item.about_marker:
            why = (
                "it gives no reason"
                if not item.marker.justified
                else "it is part of unreviewed AI-written code"
            )
            result.ignored_markers.append((fa.path, item.marker.line + 1, why))


def _fixed(
    attribution: Attribution,
    chunks: Mapping[str, ChunkState],
    current: list[GateFinding],
    ruleset: RuleSet | None,
    settings: Settings,
) -> list[GateFinding]:
    """Rules the editor raised on committed chunks that do not fire any more."""
    firing = {(f.owner.chunk, f.rule_id) for f in current if f.owner}
    out: list[GateFinding] = []
    for fa in attribution.ai_files():
        first_line: dict[str, tuple[int, Owner]] = {}
        for n in sorted(fa.owners):
            first_line.setdefault(fa.owners[n].chunk, (n, fa.owners[n]))
        for chunk_id, (line, owner) in first_line.items():
            state = chunks.get(chunk_id)
            if state is None:
                continue
            for rule_id in sorted(state.findings):
                if (chunk_id, rule_id) in firing:
                    continue
                rule = ruleset.by_id(rule_id) if ruleset is not None else None
                severity = rule.severity if rule is not None else "error"
                out.append(
                    GateFinding(
                        file=fa.path,
                        line=line,
                        rule=rule,
                        rule_id=rule_id,
                        severity=settings.rules.severity_for(rule_id, severity),
                        owner=owner,
                        handling="fixed",
                        cwe=tuple(rule.cwe) if rule is not None else (),
                    )
                )
    return out


def check_in(ctx: HookContext, attribution: Attribution, read: Reader, actor: str) -> CheckResult:
    """:func:`check` with what a hook knows: the file contents come from ``read``
    (the index for the gate, a commit for post-commit), the rest from ``ctx``."""
    ensure_contents(attribution, read)
    return check(attribution, ctx.settings, ctx.root, ctx.chunks(), ctx.suppressions(), actor)


def check(
    attribution: Attribution,
    settings: Settings,
    root: Path,
    chunks: Mapping[str, ChunkState],
    editor_suppressions: Mapping[tuple[str, str], tuple[str, str | None]],
    actor: str,
) -> CheckResult:
    """Findings in the AI lines of ``attribution`` (file contents must be loaded)."""
    result = CheckResult()
    if not attribution.ai_files():
        return result
    from genguard.cache.rules import workspace_rules

    ruleset = workspace_rules(root, settings)
    result.rules_version = ruleset.version
    result.rule_errors = len(ruleset.errors)
    policy = Policy.build(settings, ruleset, root=root, lean=True)  # a few files, checked once
    for fa in attribution.ai_files():
        _check_file(fa, policy, chunks, editor_suppressions, actor, result)
    result.findings.extend(_fixed(attribution, chunks, result.findings, ruleset, settings))
    result.findings.sort(key=lambda f: (f.file, f.line, f.rule_id))
    return result
