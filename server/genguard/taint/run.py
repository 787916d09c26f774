"""Run a language's taint rules over one parsed file and report rule matches.

Severity follows the evidence: a flow from a source the rule lists keeps the
rule's severity (a ``weak`` source, such as the process environment, at most a
warning); a sink reached only through values of unknown origin reports the
rule's ``unknown`` level (at most a warning, or nothing); constants report
nothing. Each match carries its path: the source, up to a few steps, then the
sink itself as the match's span.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from tree_sitter import Tree

from genguard.rules.budget import KEYSTROKE
from genguard.rules.model import SEVERITIES, Checked, Cut, Match, Related, Rule, at_most
from genguard.taint.model import TaintModel
from genguard.taint.values import UNKNOWN, Trace

log = logging.getLogger(__name__)

MAX_RELATED = 5
"""Locations shown with a match: the source and a few steps."""

Analyse = Callable[[TaintModel, bytes, Tree, "Sequence[tuple[int, int]] | None"], list]

FRONT_ENDS: dict[str, str] = {
    "python": "genguard.taint.python",
    "javascript": "genguard.taint.javascript",
    "typescript": "genguard.taint.javascript",
    "tsx": "genguard.taint.javascript",
    "go": "genguard.taint.golang",
    "java": "genguard.taint.java",
}
"""Language -> module of its front end (a ``FileAnalysis`` over that grammar)."""
TABLES: dict[str, str] = {"python": "genguard.taint.python_tables"}
"""Language -> module whose ``Tables`` keep a front end's function and call tables
across an editor's edits (``FileAnalysis(..., tables=)``)."""


def supports(language: str | None) -> bool:
    return language in FRONT_ENDS


def _severity(trace: Trace, rule: Rule, unknown: str) -> str | None:
    if trace.origin == UNKNOWN:
        return None if unknown == "off" else unknown
    if trace.weak:
        return "warning"
    return rule.severity


def _related(trace: Trace, sink_start: int) -> tuple[Related, ...]:
    out = [Related(trace.start, trace.end, trace.label)] if trace.end > trace.start else []
    for step in trace.steps:
        if step.start == sink_start or any(r.start == step.start for r in out):
            continue
        if step.start <= trace.start and trace.end <= step.end:
            continue  # the assignment that reads the source: the source says it
        out.append(Related(step.start, step.end, step.label))
    return tuple(out[:MAX_RELATED])


def _front_end(language: str):
    import importlib

    return importlib.import_module(FRONT_ENDS[language])


def analyse(model: TaintModel, language: str, source: bytes, tree: Tree, tables: Any = None):
    """One file's analysis. Collecting its functions and calls is most of a check's
    cost in a large file, so an edit's scope (:func:`affected`) and its matches
    (:func:`taint_matches`) share one, and an editor keeps the tables across edits
    (``tables``: from :func:`edit_tables`, already updated to ``tree``)."""
    if tables is not None:
        return _front_end(language).FileAnalysis(model, source, tree, tables=tables)
    return _front_end(language).FileAnalysis(model, source, tree)


def edit_tables(language: str | None) -> Any:
    """Function and call tables for one document, to keep across its edits; None
    when the language's front end collects them afresh each time."""
    import importlib

    module = TABLES.get(language or "")
    return importlib.import_module(module).Tables() if module else None


def affected(analysis, ranges: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans whose taint findings an edit of ``ranges`` can change (see the front
    end's ``scope``): an editor replaces its findings there, not only in ``ranges``."""
    return analysis.scope(ranges)


def taint_matches(
    model: TaintModel,
    language: str,
    source: bytes,
    tree: Tree,
    ranges: Sequence[tuple[int, int]] | None = None,
    *,
    analysis=None,
    budget: float = KEYSTROKE.taint,
) -> Checked[Match]:
    """Taint findings in ``source``; with ``ranges`` only the functions touching them
    (and their same-file callers) are analysed. ``analysis``: one :func:`affected`
    has already scoped on this text and tree (used once). ``budget``: seconds per
    :data:`~genguard.rules.budget.CHUNK` of source (the taint part of the entry
    point's :class:`~genguard.rules.budget.Budget`). An analysis stopped by its budget
    says so in the result's ``cut``."""
    if analysis is None:
        analysis = analyse(model, language, source, tree)
    hits = analysis.run(ranges, budget=budget)
    cut = (Cut("taint analysis", analysis.stopped, analysis.timed),) if analysis.exhausted else ()
    if cut:
        log.info("taint analysis %s; results are partial", analysis.stopped)
    best: dict[tuple[str, int, int], tuple[int, Match]] = {}
    for hit in hits:
        entry = model.rules[hit.rule]
        severity = _severity(hit.trace, entry.rule, entry.unknown)
        if severity is None:
            continue
        rule = at_most(entry.rule, severity)
        rank = SEVERITIES.index(severity) * 10 + (0 if hit.trace.origin >= 0 else 1)
        key = (rule.id, hit.start, hit.end)
        if key in best and best[key][0] <= rank:
            continue
        best[key] = (rank, Match(rule, hit.start, hit.end, None, _related(hit.trace, hit.start)))
    found = sorted((m for _, m in best.values()), key=lambda m: (m.start, m.end, m.rule.id))
    return Checked(tuple(found), cut)
