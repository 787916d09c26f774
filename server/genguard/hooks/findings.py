"""Rule findings in the AI lines being committed, and how each was handled.

The committed content of each file, with its AI lines as chunks, is judged by
:func:`genguard.assess.assess_lines`, as in the editor: the same rules,
governance and agent-risk checks, inline markers (refused in unreviewed AI code)
and the suppressions recorded through the editor. When ``genguard record`` (or
an earlier gate) already judged the same lines of the same content under the
same rules, its conclusion is reused (:mod:`genguard.cache.conclusions`), and the
rule engine is not even loaded. This module only turns the conclusions into what
a note records. Rules the editor raised on a chunk that no longer fire are
``fixed``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING, Any

from genguard.agentrisk.manifests import signature
from genguard.attribution.committed import Attribution, FileAttribution, Reader, ensure_contents
from genguard.attribution.match import Owner
from genguard.cache.conclusions import Line, chunk_line, conclusion_key, recall, remember
from genguard.cache.rules import rule_table, rules_key, rules_version
from genguard.config import Settings
from genguard.notes.format import NoteFinding, cut_short
from genguard.values import Value

if TYPE_CHECKING:
    from genguard.assess import Policy
    from genguard.hooks.context import HookContext
    from genguard.ledger.index import LedgerState


@dataclass(slots=True, repr=False, eq=False)
class GateFinding(Value):
    """One finding in committed AI code, with what the gate knows to explain it:
    ``rule`` holds the rule's words and mappings (``message``, ``url``, ``check``,
    ``cwe``, ``security_severity``, ``controls``), empty for a rule no longer loaded."""

    file: str
    line: int
    rule_id: str
    severity: str
    owner: Owner | None
    handling: str = "open"
    reason: str | None = None
    by: str | None = None
    fix: str | None = None
    rule: Mapping[str, Any] = field(default_factory=dict)
    #: A finding about a suppression comment rather than about the code.
    about_marker: bool = False

    @property
    def cwe(self) -> tuple[str, ...]:
        return tuple(self.rule.get("cwe") or ())

    @property
    def where(self) -> str:
        cwe = f" ({', '.join(self.cwe)})" if self.cwe else ""
        return f"{self.file}:{self.line}: {self.rule_id}{cwe}"

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


@dataclass(slots=True, repr=False, eq=False)
class CheckResult(Value):
    findings: list[GateFinding] = field(default_factory=list)
    #: markers that did not suppress: (file, line, why)
    ignored_markers: list[tuple[str, int, str]] = field(default_factory=list)
    rules_version: str | None = None
    #: the note's ``incomplete`` entries for files whose check was cut short
    incomplete: list[dict[str, str]] = field(default_factory=list)


class _Judge:
    """Conclusions on committed files: recalled when already reached, else reached by
    :func:`~genguard.assess.assess_lines` (the rules are loaded only then) and kept."""

    def __init__(self, settings: Settings, root: Path, state_dir: Path, into: CheckResult) -> None:
        self.settings, self.root, self.state_dir = settings, root, state_dir
        self.incomplete = into.incomplete  # files whose check was cut short
        self.rules_key = rules_key(root, settings)
        self.rules_version: str | None = None

    @cached_property
    def policy(self) -> Policy:
        from genguard.assess import Policy
        from genguard.cache.rules import workspace_rules

        ruleset = workspace_rules(self.root, self.settings)
        self.rules_version = ruleset.version
        return Policy.build(self.settings, ruleset, root=self.root, lean=True)

    @cached_property
    def rule_table(self) -> Mapping[str, Mapping[str, Any]]:
        return rule_table(self.root, self.settings)

    def items(self, path: str, data: bytes, lines: Mapping[int, Line]) -> list[dict[str, Any]]:
        key = conclusion_key(self.rules_key, path, data, lines, signature(self.root, path))
        found = recall(self.state_dir, key)
        if found is not None:
            self.rules_version = self.rules_version or found["rules_version"]
            return found["items"]
        from genguard.assess import AiChunk, assess_lines

        templates = {  # one chunk per Line (see cache.conclusions.Line)
            (c, t, m, k, s, x): AiChunk(c, tool=t, model=m, kind=k, status=s, suppressed=dict(x))
            for c, t, m, k, s, x in set(lines.values())
        }
        chunks = {n: templates[v] for n, v in lines.items()}
        assessment = assess_lines(path, data, chunks, self.policy)
        items = [a.conclusion() for a in assessment.items]
        if assessment.cut:  # not a conclusion: findings may be missing, and it is not kept
            self.incomplete.append(cut_short(path, assessment.cut))
        else:
            remember(self.state_dir, key, {"rules_version": self.rules_version, "items": items})
        return items


def _check_file(
    fa: FileAttribution,
    judge: _Judge,
    state: LedgerState,
    actor: Callable[[], str],
    result: CheckResult,
) -> None:
    """The AI lines of one committed file, judged."""
    data = fa.content
    if data is None:
        return
    starts = [0, *accumulate(len(line) + 1 for line in data.split(b"\n")[:-1])]
    ai = {n: o for n, o in fa.owners.items() if n <= len(starts)}
    chunks = state.chunks
    recorded = {c: chunks[c].suppressed for c in {o.chunk for o in ai.values()} if c in chunks}
    lines = {
        n: chunk_line(o.chunk, o.tool, o.model, o.kind, o.status, recorded.get(o.chunk, {}))
        for n, o in ai.items()
    }
    owners = {o.chunk: o for o in ai.values()}
    for item in judge.items(fa.path, data, lines):
        line = bisect_right(starts, item["start"])
        by = item["by"]
        if by == "inline":
            by = actor()
        elif by == "command":  # whom the editor recorded the suppression for
            by = state.suppressions.get(item["chunk"], {}).get(item["rule"], ("", None))[1]
        owner = ai.get(line) or owners.get(item["chunk"])
        handling, reason, fix = item["handling"], item["reason"], item["fix"]
        result.findings.append(
            GateFinding(fa.path, line, item["rule"], item["severity"], owner, handling, reason,
                        by, fix, item, item["about_marker"])
        )  # fmt: skip
        if item["marker"] is not None and item["about_marker"]:
            line0, justified = item["marker"]
            why = "it is part of unreviewed AI-written code" if justified else "it gives no reason"
            result.ignored_markers.append((fa.path, line0 + 1, why))


def check_in(
    ctx: HookContext, attribution: Attribution, read: Reader, actor: str | None = None
) -> CheckResult:
    """Findings in the AI lines of ``attribution``, whose contents come from ``read``
    (the index for the gate, a commit for post-commit); conclusions are recalled from
    and kept in the repository's state directory. ``actor`` made the inline
    suppressions (default: ``user.email``, asked of git only when there is one). Rules
    the editor raised on a committed chunk that no longer fire are ``fixed``, unless
    the file's check was cut short: it may not have reached them."""
    ensure_contents(attribution, read)
    result = CheckResult()
    state = ctx.ledger_state()
    judge = _Judge(ctx.settings, ctx.root, ctx.state_dir, result)
    for fa in attribution.ai_files():
        _check_file(fa, judge, state, lambda: actor or ctx.email, result)
    firing = {(f.owner.chunk, f.rule_id) for f in result.findings if f.owner}
    cut = {entry["file"] for entry in result.incomplete}
    for chunk, (path, line) in attribution.first_lines().items():
        raised = state.chunks[chunk].findings if chunk in state.chunks and path not in cut else {}
        for rule_id in sorted(r for r in raised if (chunk, r) not in firing):
            rule = judge.rule_table.get(rule_id, {})
            severity = ctx.settings.rules.severity_for(rule_id, rule.get("severity", "error"))
            owner = attribution.files[path].owners[line]
            fixed = GateFinding(path, line, rule_id, severity, owner, "fixed", rule=rule)
            result.findings.append(fixed)
    result.findings.sort(key=lambda f: (f.file, f.line, f.rule_id))
    if attribution.ai_files():
        result.rules_version = judge.rules_version or rules_version(ctx.root, ctx.settings)
    return result
