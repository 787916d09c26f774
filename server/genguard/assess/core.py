"""The one place a finding is decided.

:func:`assess` takes a document (text, tree, AI chunks) and a :class:`Policy` and
returns every finding with its handling, in this order of steps:

1. rule findings (the matcher; the editor hands in the ones it keeps up to date
   incrementally, everyone else lets this run the matcher);
2. scope: each finding is placed in the AI chunk it meets; with scope ``ai``
   those outside AI code are dropped;
3. governance checks and agent-risk checks, per AI chunk;
4. inline suppression markers, refusing a marker that sits in unreviewed AI
   code (an AI may not excuse its own code), and reporting markers that
   suppress nothing as findings of their own;
5. suppressions recorded through the editor's command, per chunk and rule.

Pure: no editor, git or LSP types, no I/O beyond what the agent-risk checks
read (manifests under the policy's root).
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_right
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import accumulate

from tree_sitter import Parser, Tree

from genguard.assess.model import (
    AiChunk,
    Assessed,
    Assessment,
    C,
    Finding,
    Snapshot,
)
from genguard.assess.policy import Policy
from genguard.rules.budget import COMMIT, KEYSTROKE, Budget
from genguard.rules.model import Checked, Cut
from genguard.rules.suppression import (
    AI_WRITTEN_RULE,
    UNJUSTIFIED_RULE,
    Suppression,
    apply_suppressions,
)
from genguard.syntax.languages import language_for_path, new_parser

log = logging.getLogger(__name__)

MAX_SYNTAX_BYTES = 4 * 1024 * 1024
"""Above this only regex rules run (a tree of a larger file costs too much memory)."""
OVERSIZED = Cut("syntax rules", f"not run: the file is over {MAX_SYNTAX_BYTES // 2**20} MiB")
"""What a check of a file too large for a syntax tree leaves out."""

_NON_BLANK = re.compile(rb"\S")
_PARSERS: dict[str, Parser | None] = {}

Span = tuple[int, int]


@dataclass(slots=True)
class RiskEntry:
    """Agent-risk results of one AI chunk, kept between assessments by the editor.

    ``before`` is the text the chunk's edit replaced (whole lines; None when not
    known). The results are stored relative to the chunk's start and reused while
    the chunk keeps its ``shape`` under the same policy.
    """

    before: bytes | None = None
    shape: tuple[int, ...] = ()
    serial: int = -1
    found: list[tuple[str, int, int, str]] = field(default_factory=list)


RiskMemo = MutableMapping[str, RiskEntry]
"""chunk id -> :class:`RiskEntry`; owned by the caller (the editor keeps one per document)."""


def line_context(data: bytes, start: int, end: int) -> Span:
    """[start, end) widened to whole lines (without the last newline)."""
    first = data.rfind(b"\n", 0, start) + 1
    probe = end - 1 if end > start and data[end - 1 : end] == b"\n" else end
    last = data.find(b"\n", probe)
    return first, len(data) if last < 0 else last


def _parse(language: str, text: bytes) -> Tree | None:
    """A fresh tree of ``text``; one parser per language and process."""
    if language not in _PARSERS:
        _PARSERS[language] = new_parser(language)
    parser = _PARSERS[language]
    return parser.parse(text) if parser is not None else None


def rule_findings(
    snapshot: Snapshot[C],
    policy: Policy,
    ranges: Sequence[Span] | None = None,
    *,
    budget: Budget = KEYSTROKE,
) -> Checked[Finding]:
    """What the rules find in ``snapshot`` (within ``ranges`` when given), with the
    checks that were cut short (``cut``), in the entry point's ``budget``
    (:mod:`genguard.rules.budget`)."""
    matcher = policy.compiled.matcher_for(snapshot.language)
    text = snapshot.text
    tree = snapshot.tree
    cut: list[Cut] = []
    if tree is None and snapshot.language is not None and matcher.wants_tree(text):
        if len(text) <= MAX_SYNTAX_BYTES:
            tree = _parse(snapshot.language, text)
        else:
            cut.append(OVERSIZED)
    found = matcher.run(text, tree, ranges, budget=budget)
    return Checked(tuple(Finding.from_match(m) for m in found.items), (*cut, *found.cut))


def _owner(chunks: Sequence[C], offset: int) -> C | None:
    """The chunk whose AI text holds byte ``offset`` (None: a person wrote it)."""
    for chunk in chunks:
        for s, e in chunk.segments:
            if s <= offset < e:
                return chunk
    return None


def _governance(
    snapshot: Snapshot[C], chunks: Sequence[C], policy: Policy
) -> list[tuple[Finding, C]]:
    rules = policy.governance_rules
    if not rules or not chunks:
        return []
    from genguard.governance import ChunkFacts
    from genguard.governance import evaluate as evaluate_governance

    gov = policy.governance
    data = snapshot.text
    head = b""
    if gov.header_window:
        cut = -1
        for _ in range(gov.header_window):
            cut = data.find(b"\n", cut + 1)
            if cut < 0:
                break
        head = data if cut < 0 else data[:cut]
    out: list[tuple[Finding, C]] = []
    for chunk in chunks:
        start, end = chunk.start, chunk.end
        line_count = data.count(b"\n", start, max(start, end - 1)) + 1
        reviewed = chunk.status == "reviewed"
        if gov.size_only and gov.within_size(line_count, reviewed):
            continue  # the common case, kept cheap: nothing configured can fire
        starts_file = bool(gov.license_header) and (
            start == 0 or not (_NON_BLANK.search(data, 0, start) or _NON_BLANK.search(data, end))
        )
        facts = ChunkFacts(
            file=snapshot.file,
            language=snapshot.language,
            text=data[start:end],
            start=start,
            line_count=line_count,
            tool=chunk.tool,
            model=chunk.model,
            reviewed=reviewed,
            starts_file=starts_file,
            file_head=head,
        )
        for v in evaluate_governance(facts, gov):
            out.append((Finding(rules[v.check], v.start, v.end, detail=v.detail), chunk))
    return out


def _agent_risk(
    snapshot: Snapshot[C], chunks: Sequence[C], policy: Policy, memo: RiskMemo
) -> list[tuple[Finding, C]]:
    """Agent-risk findings per AI chunk, evaluated again only when the chunk's shape
    or the policy changed since ``memo`` last saw it."""
    rules = policy.agent_risk_rules
    if not rules or not chunks:
        return []
    from genguard.agentrisk import EditFacts
    from genguard.agentrisk import evaluate as evaluate_agent_risk

    data = snapshot.text
    out: list[tuple[Finding, C]] = []
    for chunk in chunks:
        entry = memo.get(chunk.id)
        if entry is None:  # e.g. brought back by an undo: what it replaced is unknown
            entry = memo[chunk.id] = RiskEntry()
        shape = (chunk.end - chunk.start, sum(e - s for s, e in chunk.segments))
        shape += (len(chunk.segments), chunk.status == "reviewed")
        if entry.shape != shape or entry.serial != policy.serial:
            first, last = line_context(data, chunk.start, chunk.end)
            facts = EditFacts(
                file=snapshot.file,
                language=snapshot.language,
                after=data[first:last],
                start=first,
                before=entry.before,
                tool=chunk.tool,
                kind=chunk.kind,
                reviewed=chunk.status == "reviewed",
            )
            try:
                found = evaluate_agent_risk(facts, policy.agent_risk)
            except Exception as exc:  # a check must never take its caller down
                log.error("agent-risk checks failed on %s: %s", snapshot.file, exc)
                found = []
            entry.found = [
                (v.check, v.start - chunk.start, v.end - chunk.start, v.detail) for v in found
            ]
            entry.shape, entry.serial = shape, policy.serial
        for check, rel_start, rel_end, detail in entry.found:
            start = max(0, chunk.start + rel_start)
            finding = Finding(rules[check], start, chunk.start + rel_end, detail=detail)
            out.append((finding, chunk))
    if len(memo) > len(chunks):
        live = {c.id for c in chunks}
        for gone in [k for k in memo if k not in live]:
            del memo[gone]
    return out


def assess(
    snapshot: Snapshot[C],
    policy: Policy,
    *,
    scope: str | None = None,
    findings: Checked[Finding] | None = None,
    ranges: Sequence[Span] | None = None,
    memo: RiskMemo | None = None,
    budget: Budget = KEYSTROKE,
) -> Assessment[C]:
    """Every finding of ``snapshot`` with its handling (see the module docstring).

    ``scope`` defaults to the workspace's (``ai`` or ``all``). ``findings`` are the
    rule findings when the caller keeps them (the editor, a scan's cache), with the
    checks that were cut short finding them; else the rules run, within ``ranges``
    when given, for ``budget`` (see :func:`rule_findings`). ``memo`` keeps agent-risk
    results between calls. The assessment's ``cut`` is the findings': it says whether
    the assessment may be missing some.
    """
    scope = scope or policy.settings.scope
    if findings is None:
        findings = rule_findings(snapshot, policy, ranges, budget=budget)
    cut = findings.cut
    chunks = sorted(snapshot.chunks, key=lambda c: c.start)
    located: list[tuple[Finding, C | None]] = []
    # the first chunk (by start) whose span meets the finding, by bisection: the
    # running maximum of chunk ends is sorted even if spans were to overlap
    starts = [c.start for c in chunks]
    reach = list(accumulate((c.end for c in chunks), max))
    for f in findings.items:
        i = bisect_right(reach, f.start)
        chunk = chunks[i] if i < len(chunks) and starts[i] < max(f.end, f.start + 1) else None
        if chunk is None and scope == "ai":
            continue
        located.append((f, chunk))
    located.extend(_governance(snapshot, chunks, policy))
    located.extend(_agent_risk(snapshot, chunks, policy, {} if memo is None else memo))
    if not located:
        return Assessment(cut=cut)

    def honoured(marker: Suppression) -> bool:
        # a suppression the AI wrote itself counts only once a person reviewed the chunk
        owner = _owner(chunks, marker.start)
        return owner is None or owner.status == "reviewed"

    split = apply_suppressions(
        located,
        snapshot.text,
        snapshot.language,
        key=lambda item: (item[0].rule.id, item[0].start, item[0].end),
        allowed=honoured,
    )
    items: list[Assessed[C]] = []
    for f, chunk in split.kept:
        severity = policy.severity(f.rule)
        reason = chunk.suppressed.get(f.rule.id) if chunk is not None else None
        if reason is not None:
            items.append(Assessed(f, chunk, severity, "suppressed", reason, "command"))
        else:
            items.append(Assessed(f, chunk, severity))
    for (f, chunk), marker in split.suppressed:
        severity = policy.severity(f.rule)
        items.append(Assessed(f, chunk, severity, "suppressed", marker.reason, "inline", marker))
    for rule, pairs in ((UNJUSTIFIED_RULE, split.unjustified), (AI_WRITTEN_RULE, split.refused)):
        for marker, (_f, chunk) in pairs:
            finding = Finding(rule, marker.start, marker.end)
            items.append(Assessed(finding, chunk, policy.severity(rule), marker=marker))
    return Assessment(items, cut)


def chunks_from_lines(
    text: bytes,
    lines: Mapping[int, AiChunk],
) -> list[AiChunk]:
    """AI chunks of ``text`` from the chunk each AI line belongs to.

    ``lines`` maps a 1-based line number to a chunk with no segments yet (from the
    ledger or a commit's attribution); each chunk gets the byte spans of its lines.
    """
    starts = [0]
    i = text.find(b"\n") if lines else -1
    while i >= 0:
        starts.append(i + 1)
        i = text.find(b"\n", i + 1)
    segments: dict[str, list[Span]] = {}
    templates: dict[str, AiChunk] = {}
    for n in sorted(lines):
        if not 1 <= n <= len(starts):
            continue
        chunk = lines[n]
        start = starts[n - 1]
        end = starts[n] - 1 if n < len(starts) else len(text)
        if end <= start:
            continue
        templates.setdefault(chunk.id, chunk)
        segments.setdefault(chunk.id, []).append((start, end))
    return [replace(templates[cid], segments=tuple(spans)) for cid, spans in segments.items()]


def assess_lines(
    file: str, text: bytes, lines: Mapping[int, AiChunk], policy: Policy
) -> Assessment[AiChunk]:
    """The AI lines of a file as committed, or as an agent wrote them: each 1-based line
    in ``lines`` belongs to its chunk (:func:`chunks_from_lines`), and only those lines
    are checked (scope ``ai``), in a commit's budget."""
    chunks = chunks_from_lines(text, lines)
    ranges = [seg for c in chunks for seg in c.segments]
    snapshot = Snapshot(file, language_for_path(file), text, chunks)
    return assess(snapshot, policy, scope="ai", ranges=ranges, budget=COMMIT)
