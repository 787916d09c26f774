"""Rule findings in the AI lines being committed, and how each was handled.

The same rules as the editor (``load_workspace_rules`` + ``CompiledRules``) run
on the committed content of each file, restricted to its AI lines. A finding is
``suppressed`` when the editor recorded a suppression for its chunk and rule, or
when an inline ``genguard: ignore[rule-id] reason`` marker covers it — unless the
marker itself sits on unreviewed AI code (an AI may not excuse its own code).
Rules the editor raised on a chunk that no longer fire are ``fixed``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from genguard.attribution.committed import Attribution, FileAttribution, Reader, ensure_contents
from genguard.attribution.match import Owner
from genguard.attribution.state import ChunkState
from genguard.config import Settings
from genguard.notes.format import NoteFinding
from genguard.rules import CompiledRules
from genguard.rules.loader import RuleSet
from genguard.rules.model import Rule
from genguard.syntax.languages import language_for_path, new_parser

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


def _line_span(data: bytes, starts: list[int], line: int) -> tuple[int, int]:
    start = starts[line - 1]
    end = starts[line] - 1 if line < len(starts) else len(data)
    return start, end


def _check_file(
    fa: FileAttribution,
    compiled: CompiledRules,
    settings: Settings,
    editor_suppressions: Mapping[tuple[str, str], tuple[str, str | None]],
    actor: str,
    result: CheckResult,
) -> None:
    data = fa.content
    if data is None or not fa.owners:
        return
    language = language_for_path(fa.path)
    matcher = compiled.matcher_for(language)
    if not matcher.groups and not matcher.regex_rules:
        return
    starts = _line_starts(data)
    ai = {n: o for n, o in fa.owners.items() if n <= len(starts)}
    ranges = [_line_span(data, starts, n) for n in sorted(ai)]
    tree = None
    # only when some query group's prefilter admits the file: that group alone compiles
    if language is not None and matcher.wants_tree(data):
        parser = new_parser(language)
        tree = parser.parse(data) if parser is not None else None
    matches = matcher.run(data, tree, ranges)

    def owner_of(start: int, end: int) -> Owner | None:
        first = bisect_right(starts, start)
        last = bisect_right(starts, max(start, end - 1))
        return next((ai[n] for n in range(first, last + 1) if n in ai), None)

    def human_or_reviewed(line0: int) -> bool:
        owner = ai.get(line0 + 1)
        return owner is None or owner.status == "reviewed"

    inline = None
    try:
        from genguard.rules.suppression import apply_suppressions
    except ImportError:  # pragma: no cover - suppression support is part of the rules package
        apply_suppressions = None  # type: ignore[assignment]
    if apply_suppressions is not None and matches:
        inline = apply_suppressions(
            matches,
            data,
            language,
            key=lambda m: (m.rule.id, m.start, m.end),
            allowed=lambda marker: human_or_reviewed(marker.line),
        )
        for marker, _m in inline.unjustified:
            result.ignored_markers.append((fa.path, marker.line + 1, "it gives no reason"))
        for marker, _m in inline.refused:
            result.ignored_markers.append(
                (fa.path, marker.line + 1, "it is part of unreviewed AI-written code")
            )
    by_inline = {id(m): marker for m, marker in (inline.suppressed if inline else [])}
    for m in matches:
        owner = owner_of(m.start, m.end)
        rule = m.rule
        finding = GateFinding(
            file=fa.path,
            line=bisect_right(starts, m.start),
            rule=rule,
            rule_id=rule.id,
            severity=settings.rules.severity_for(rule.id, rule.severity),
            owner=owner,
            fix=m.fix,
            cwe=tuple(rule.cwe),
        )
        recorded = editor_suppressions.get((owner.chunk, rule.id)) if owner else None
        marker = by_inline.get(id(m))
        if recorded is not None:
            finding.handling, finding.reason, finding.by = "suppressed", recorded[0], recorded[1]
        elif marker is not None:
            finding.handling, finding.reason, finding.by = "suppressed", marker.reason, actor
        result.findings.append(finding)


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
    compiled = CompiledRules(ruleset, lean=True)  # a few files, checked once
    for fa in attribution.ai_files():
        _check_file(fa, compiled, settings, editor_suppressions, actor, result)
    result.findings.extend(_fixed(attribution, chunks, result.findings, ruleset, settings))
    result.findings.sort(key=lambda f: (f.file, f.line, f.rule_id))
    return result
