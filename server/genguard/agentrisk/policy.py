"""The agent-risk checks for one AI edit, and for one agent checkpoint.

Security rules ask "is this code dangerous?"; these ask "did the assistant cut a
corner?": an import of a package nobody declared, a test made to pass by testing
less, a checker told to be quiet, a CI step switched off, a change far larger
than the task, a documented function with no body. The caller (the editor
session, ``genguard record``) gathers :class:`EditFacts` — the chunk's text and
the text the edit replaced, both as whole lines — and shows each
:class:`~genguard.governance.Violation` with the metadata of the ``agent-risk``
rule whose ``check`` names it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from genguard.agentrisk.deps import describe, load_project, undeclared_imports
from genguard.agentrisk.guardrail import GuardrailSpec, ci_weakening, is_ci_file
from genguard.agentrisk.silence import unexplained_new
from genguard.agentrisk.stubs import find_stubs
from genguard.agentrisk.testdiff import is_test_file, weakened
from genguard.config.settings import Settings
from genguard.governance.imports import find_imports
from genguard.governance.policy import Violation
from genguard.rules.model import AGENT_RISK_CHECKS

UNDECLARED_DEPENDENCY = "undeclared-dependency"
WEAKENED_TEST = "weakened-test"
SILENCED_TOOL = "silenced-tool"
GUARDRAIL_PATH = "guardrail-path"
CI_WEAKENING = "ci-weakening"
BROAD_CHANGE = "broad-change"
BROAD_CHECKPOINT = "broad-checkpoint"
STUB_IMPLEMENTATION = "stub-implementation"

CHUNK_CHECKS: tuple[str, ...] = tuple(c for c in AGENT_RISK_CHECKS if c != BROAD_CHECKPOINT)
"""The checks evaluated per AI chunk (``broad-checkpoint`` is per agent checkpoint)."""

DEPENDENCY_LANGUAGES = frozenset({"python", "javascript", "typescript", "tsx", "go", "java"})


@dataclass(frozen=True, slots=True)
class EditFacts:
    """One AI edit, without editor types.

    ``after`` is the chunk's text expanded to whole lines, found at byte ``start``
    of the file; ``before`` is what the edit replaced, as whole lines too (``b""``:
    a pure insertion; ``None``: not known, so diff-aware checks judge ``after``
    on its own).
    """

    file: str
    language: str | None
    after: bytes
    start: int = 0
    before: bytes | None = b""
    tool: str = "unknown"
    kind: str = "unknown"
    reviewed: bool = False


@dataclass(frozen=True)
class AgentRiskPolicy:
    """The agent-risk settings, compiled once per configuration load.

    ``root`` is where manifests are looked for (no root: the dependency check is
    off). ``max_changed_lines`` bounds one edit's removed plus inserted lines;
    when ``size_by_governance`` is set, an edit that only grew past the limit is
    left to ``governance-chunk-size``, so one problem gives one finding.
    """

    enabled: frozenset[str] = frozenset(AGENT_RISK_CHECKS)
    guardrails: GuardrailSpec = field(default_factory=GuardrailSpec)
    max_changed_lines: int = 0
    size_by_governance: bool = False
    max_files_per_checkpoint: int = 0
    root: Path | None = None

    @classmethod
    def build(
        cls,
        *,
        enabled: Collection[str] = AGENT_RISK_CHECKS,
        guardrail_globs: Sequence[str] = (),
        max_changed_lines: int = 0,
        size_by_governance: bool = False,
        max_files_per_checkpoint: int = 0,
        root: Path | None = None,
    ) -> AgentRiskPolicy:
        return cls(
            enabled=frozenset(enabled),
            guardrails=GuardrailSpec.build(guardrail_globs),
            max_changed_lines=max(0, max_changed_lines),
            size_by_governance=size_by_governance,
            max_files_per_checkpoint=max(0, max_files_per_checkpoint),
            root=root,
        )

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        enabled: Collection[str] = AGENT_RISK_CHECKS,
        root: Path | None = None,
        governance_size: bool = False,
    ) -> AgentRiskPolicy:
        """``governance_size``: the governance chunk-size rule is loaded (it shares the limit)."""
        return cls.build(
            enabled=enabled,
            guardrail_globs=settings.agent_risk.guardrail_globs,
            max_changed_lines=settings.governance.max_chunk_lines,
            size_by_governance=governance_size,
            max_files_per_checkpoint=settings.agent_risk.max_files_per_checkpoint,
            root=root,
        )

    @property
    def active(self) -> bool:
        """Whether any per-chunk check can fire at all."""
        return bool(self.enabled & set(CHUNK_CHECKS))


def _line_span(facts: EditFacts, line: int) -> tuple[int, int]:
    """Byte span of 0-based ``line`` of ``facts.after`` in the file, without its newline."""
    text = facts.after
    offset = 0
    for _ in range(max(0, line)):
        nl = text.find(b"\n", offset)
        if nl < 0:
            break
        offset = nl + 1
    nl = text.find(b"\n", offset)
    end = len(text) if nl < 0 else nl
    end = offset + len(text[offset:end].rstrip(b"\r"))
    return facts.start + offset, facts.start + max(end, offset + (1 if text else 0))


def _head(facts: EditFacts) -> tuple[int, int]:
    """The first non-blank line of the chunk, where chunk-wide findings are shown."""
    for i, line in enumerate(facts.after.split(b"\n")):
        if line.strip():
            return _line_span(facts, i)
    return _line_span(facts, 0)


_SUBSTANCE = re.compile(r"\w")


def changed_lines(before: str, after: str) -> int:
    """Lines removed plus lines inserted by replacing ``before`` with ``after``.

    Only lines with a word character count: blank lines and lone braces match
    anything, so they would make a rewrite look like a small edit.
    """
    old = [x.strip() for x in before.splitlines() if _SUBSTANCE.search(x)]
    new = [x.strip() for x in after.splitlines() if _SUBSTANCE.search(x)]
    if not old or not new:
        return len(old) + len(new)
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    return sum(
        (i2 - i1) + (j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    )


def evaluate(facts: EditFacts, policy: AgentRiskPolicy) -> list[Violation]:
    """Every enabled agent-risk check that the edit breaks, in a stable order."""
    on = policy.enabled
    out: list[Violation] = []
    after = facts.after.decode("utf-8", "replace")
    before = facts.before.decode("utf-8", "replace") if facts.before is not None else None
    language = facts.language

    def add(check: str, detail: str, span: tuple[int, int] | None = None) -> None:
        span = span or _head(facts)
        out.append(Violation(check, span[0], span[1], detail))

    if GUARDRAIL_PATH in on and not facts.reviewed:
        glob = policy.guardrails.match(facts.file)
        if glob is not None:
            add(GUARDRAIL_PATH, f"AI edit to {facts.file}, a guard-rail file ({glob!r})")
    if CI_WEAKENING in on and is_ci_file(facts.file):
        for w in ci_weakening(before, after, facts.file):
            add(
                CI_WEAKENING,
                f"This edit {w.detail}",
                _line_span(facts, w.line) if w.line >= 0 else None,
            )
    if (
        UNDECLARED_DEPENDENCY in on
        and policy.root is not None
        and language in DEPENDENCY_LANGUAGES
        and find_imports(facts.after, language)  # memoised; most chunks import nothing
    ):
        deps = load_project(policy.root, facts.file)
        in_tests = is_test_file(facts.file)
        for item in undeclared_imports(facts.after, language, deps, in_tests=in_tests):
            span = (facts.start + item.ref.start, facts.start + item.ref.end)
            add(UNDECLARED_DEPENDENCY, describe(item, deps), span)
    if WEAKENED_TEST in on and is_test_file(facts.file):
        for w in weakened(before, after, language):
            add(
                WEAKENED_TEST,
                f"This edit {w.detail}",
                _line_span(facts, w.line) if w.line >= 0 else None,
            )
    if SILENCED_TOOL in on and not facts.reviewed:  # a person accepted the markers
        for m in unexplained_new(before, after):
            s, _ = _line_span(facts, m.line)
            detail = f"Adds `{m.kind}`" + (
                f" ({m.codes.strip(':= ')})" if m.codes.strip(":= ") else ""
            )
            add(
                SILENCED_TOOL,
                detail + " without a reason",
                (s + _col(after, m.line, m.start), s + _col(after, m.line, m.end)),
            )
    if STUB_IMPLEMENTATION in on:
        for stub in find_stubs(facts.after, language, path=facts.file):
            add(
                STUB_IMPLEMENTATION,
                f"{stub.name}() is documented but its body is only {stub.body}",
                (facts.start + stub.start, facts.start + stub.end),
            )
    if BROAD_CHANGE in on and policy.max_changed_lines and not facts.reviewed:
        limit = policy.max_changed_lines
        new_lines = len(after.splitlines())
        old_lines = len(before.splitlines()) if before else 0
        grew_only = policy.size_by_governance and new_lines > limit
        if old_lines + new_lines > limit and not grew_only:
            changed = changed_lines(before or "", after)
            if changed > limit:
                add(
                    BROAD_CHANGE,
                    f"One AI edit changed {changed} lines (limit {limit}): {old_lines} replaced"
                    f" by {new_lines}",
                )
    return out


def _col(text: str, line: int, char: int) -> int:
    """Byte column of character ``char`` on 0-based ``line`` of ``text``."""
    lines = text.split("\n")
    if line >= len(lines):
        return 0
    return len(lines[line][:char].encode("utf-8"))


@dataclass(frozen=True, slots=True)
class CheckpointViolation:
    """A finding about a whole agent checkpoint (not one chunk)."""

    check: str
    detail: str
    files: tuple[str, ...]


def evaluate_checkpoint(files: Sequence[str], policy: AgentRiskPolicy) -> list[CheckpointViolation]:
    """Checks on the set of files one agent checkpoint touched."""
    out: list[CheckpointViolation] = []
    touched = tuple(dict.fromkeys(files))
    limit = policy.max_files_per_checkpoint
    if BROAD_CHECKPOINT in policy.enabled and limit and len(touched) > limit:
        out.append(
            CheckpointViolation(
                BROAD_CHECKPOINT,
                f"One agent checkpoint touched {len(touched)} files (limit {limit})",
                touched,
            )
        )
    return out
