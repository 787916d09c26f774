"""Run rules against source bytes.

Per language, all query rules are folded into one combined tree-sitter query so
a single cursor pass serves every rule; regex rules run through RE2, whose
matching time is linear in the input. Every pass is bounded (match limit, time
budget, RE2 memory), because this runs on each keystroke-sized edit.

Language inheritance: a rule listing ``javascript`` or ``typescript`` also runs
on ``tsx`` files when its query compiles for the tsx grammar (JS/TS queries
nearly always do); rules whose query does not compile for tsx are skipped there
silently. ``*`` rules run for every language and for files without a grammar.

Regex rules report the named group ``secret`` if it took part in the match, else
the group ``match`` if it did, else the whole match (so one pattern can offer a
quoted and a bare alternative); ``allow`` patterns and the ``entropy`` threshold
are applied to that reported text. ``check`` rules are not patterns
and are left to the code that implements each check.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from tree_sitter import Node, Query, QueryCursor, QueryError, Tree

from genguard.rules.budget import CHUNK, KEYSTROKE, Budget
from genguard.rules.literals import split_patterns
from genguard.rules.loader import RuleSet, compile_query, compile_regex, regex_group_names
from genguard.rules.model import REPOSITORY_PACK, Checked, Cut, Match, Rule, shannon_entropy
from genguard.syntax.languages import SUPPORTED, get_language
from genguard.taint.model import TaintModel
from genguard.taint.run import affected as taint_affected
from genguard.taint.run import analyse as taint_analyse
from genguard.taint.run import edit_tables as taint_edit_tables
from genguard.taint.run import supports as taint_supports
from genguard.taint.run import taint_matches
from genguard.text.buffer import merge_ranges

log = logging.getLogger(__name__)

MATCH_LIMIT = 1024
"""In-progress match cap per cursor; keeps memory flat on pathological trees."""
UNTRUSTED_WINDOW = 4 * 1024
"""Bytes one cursor pass of a repository rule covers, every matched node inside them.

tree-sitter offers no way to stop a pass (the progress callback of py-tree-sitter
0.26 crashes), and a pass over a whole file costs what the worst query shape makes
of all of it. A repository's rules therefore run in small windows that each match
must fit in whole (``set_containing_byte_range``), with the time budget checked
between windows: no pass can run for long whatever the query, so an untrusted
query slows the server by at most one window past its budget.
"""
UNTRUSTED_OVERLAP = 2 * 1024
"""Windows overlap this much, so every match up to this size lies whole in one."""
UNTRUSTED_MATCH_LIMIT = 32
"""In-progress match cap for repository rules (the cost of a pass grows with it)."""
KEYED_GAP = 256
"""Mentions of keyed literals closer than this many bytes share one cursor pass."""
MAX_MATCHES_PER_RULE = 500
"""Findings kept per rule and run; more than this is noise, not information."""

_TEMPLATE_RE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}")

# languages that inherit rules written for others (see module docstring)
_INHERITS: dict[str, tuple[str, ...]] = {"tsx": ("javascript", "typescript")}

Range = tuple[int, int]


def _applies(rule: Rule, language: str | None) -> bool:
    if rule.any_language:
        return True
    if language is None:
        return False
    return language in rule.languages or any(
        parent in rule.languages for parent in _INHERITS.get(language, ())
    )


def _intersects(start: int, end: int, ranges: Sequence[Range]) -> bool:
    for a, b in ranges:
        if a == b:  # an empty range (a cursor position) touches what contains it
            if start <= a < end or start == end == a:
                return True
        elif start < b and a < end:
            return True
    return False


def _chunks(ranges: Sequence[Range]) -> list[Range]:
    """Split ranges into CHUNK-sized pieces so the time budget can be checked between
    cursor passes (a match spanning two pieces is found twice, then deduplicated)."""
    out: list[Range] = []
    for a, b in ranges:
        out.extend((i, min(i + CHUNK, b)) for i in range(a, b, CHUNK))
        if a == b:
            out.append((a, b))
    return out


def _windows(ranges: Sequence[Range], size: int) -> list[Range]:
    """Overlapping windows of UNTRUSTED_WINDOW bytes covering ``ranges`` widened by
    UNTRUSTED_OVERLAP on each side (clipped to ``size``), so a match that touches a
    range and is no longer than the overlap lies whole in some window."""
    step = UNTRUSTED_WINDOW - UNTRUSTED_OVERLAP
    out: list[Range] = []
    for a, b in merge_ranges(
        ((max(0, a - UNTRUSTED_OVERLAP), min(size, b + UNTRUSTED_OVERLAP)) for a, b in ranges),
        empty=True,
    ):
        start = a
        while True:
            end = min(start + UNTRUSTED_WINDOW, b)
            out.append((start, end))
            if end >= b:
                break
            start += step
    return out


def _line_ranges(source: bytes, ranges: Sequence[Range]) -> list[Range]:
    """Expand ranges to whole lines so a regex sees complete tokens, then merge."""
    size = len(source)
    expanded = []
    for a, b in ranges:
        a, b = max(0, min(a, size)), max(0, min(b, size))
        start = source.rfind(b"\n", 0, a) + 1
        end = source.find(b"\n", b)
        expanded.append((start, size if end < 0 else end))
    return merge_ranges(expanded, empty=True)


def _render(template: str, text_of: Callable[[str], bytes | None]) -> str | None:
    """Fill ``{{name}}`` placeholders; None when a needed capture is absent."""
    missing = False

    def sub(m: re.Match[str]) -> str:
        nonlocal missing
        value = text_of(m.group(1))
        if value is None:
            missing = True
            return ""
        return value.decode("utf-8", errors="surrogateescape")

    rendered = _TEMPLATE_RE.sub(sub, template)
    return None if missing else rendered


def _no_custom_predicates(*_args: Any) -> bool:
    # The loader rejects unknown predicates, so this only guards rules built by hand.
    return False


@dataclass(slots=True)
class _RegexRule:
    rule: Rule
    regex: Any
    group: int  # 0 = whole match, else the index of the named group "match"
    groups: dict[str, int]  # named groups, for fix templates
    report: tuple[int, ...]  # groups to report, first that took part wins


def _reported_groups(groups: dict[str, int]) -> tuple[int, ...]:
    return (*(groups[n] for n in ("secret", "match") if n in groups), 0)


def _span(m: Any, candidates: tuple[int, ...]) -> tuple[int, int]:
    """Span of the first candidate group that took part in match ``m``."""
    for index in candidates:
        start, end = m.span(index)
        if start >= 0:
            return start, end
    return -1, -1


def _combine(grammar: Any, language: str, rules: list[Rule]) -> tuple[Query, list[Rule]] | None:
    """Compile ``rules`` into one query and map each pattern back to its rule.

    Patterns are attributed by where they start in the combined source, so no
    rule is compiled twice. Only when the combined query does not compile (a rule
    written for another grammar, e.g. a JavaScript rule on TSX) are the rules
    compiled one by one to leave out those that do not fit.
    """
    try:
        query = Query(grammar, "\n".join(r.query or "" for r in rules))
    except (QueryError, ValueError):
        fitting = []
        for rule in rules:
            try:
                compile_query(language, rule.query or "")
            except (QueryError, ValueError):
                if language in rule.languages:
                    log.warning("rule %s: query does not compile for %s", rule.id, language)
                continue
            fitting.append(rule)
        if len(fitting) == len(rules):
            log.error("rules %s do not compile together for %s", [r.id for r in rules], language)
            return None
        if not fitting:
            return None
        return _combine(grammar, language, fitting)
    starts: list[int] = []
    offset = 0
    for rule in rules:
        starts.append(offset)
        offset += len((rule.query or "").encode()) + 1
    owners = []
    for index in range(query.pattern_count):
        at = query.start_byte_for_pattern(index)
        owners.append(rules[bisect_right(starts, at) - 1])
    return query, owners


@dataclass(frozen=True, slots=True)
class _Pass:
    """One compiled query and the rule behind each of its patterns."""

    query: Query
    rules: list[Rule]


@dataclass(frozen=True, slots=True)
class _Compiled:
    """A group's patterns in two queries (see :mod:`genguard.rules.literals`).

    ``open`` runs over the whole file. ``keyed`` holds the patterns that pin a
    literal: a match of one contains an occurrence of its literal, so it only
    has to run where ``finder`` (all those literals, RE2) finds one. A check of
    a few edited ranges (the editor) runs ``whole`` instead: one cursor pass over
    small ranges costs less than two.
    """

    open: _Pass | None
    keyed: _Pass | None
    finder: Any


def _split(grammar: Any, language: str, rules: list[Rule]) -> _Compiled | None:
    """Compile ``rules`` as an open and a keyed query; as one open query when a
    rule's text cannot be split (then :func:`_combine` also drops rules that do
    not compile for this grammar)."""
    sources: dict[bool, list[str]] = {False: [], True: []}
    owners: dict[bool, list[Rule]] = {False: [], True: []}
    literals: set[str] = set()
    try:
        for rule in rules:
            for text, keys in split_patterns(rule.query or ""):
                keyed = keys is not None
                sources[keyed].append(text)
                owners[keyed].append(rule)
                literals.update(keys or ())
        passes: dict[bool, _Pass | None] = {}
        for keyed in (False, True):
            if not sources[keyed]:
                passes[keyed] = None
                continue
            query = Query(grammar, "\n".join(sources[keyed]))
            if query.pattern_count != len(sources[keyed]):
                raise ValueError("patterns were split differently")
            passes[keyed] = _Pass(query, owners[keyed])
    except (QueryError, ValueError):
        combined = _combine(grammar, language, rules)
        if combined is None:
            return None
        single = _Pass(*combined)
        return _Compiled(single, None, None)
    finder = None
    if literals:
        ordered = sorted(literals, key=lambda lit: (-len(lit), lit))
        finder = compile_regex("|".join(re.escape(lit) for lit in ordered))
    return _Compiled(passes[False], passes[True], finder)


def _keyed_spans(finder: Any, source: bytes) -> list[Range]:
    """Where ``source`` mentions a keyed literal, nearby mentions merged."""
    spans: list[Range] = []
    for m in finder.finditer(source):
        start, end = m.span()
        if spans and start - spans[-1][1] <= KEYED_GAP:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def _common_prefix(values: Sequence[bytes]) -> bytes:
    first, last = min(values), max(values)  # the sorted extremes share the prefix
    n = 0
    while n < min(len(first), len(last)) and first[n] == last[n]:
        n += 1
    return first[:n]


class _QueryGroup:
    """Query rules sharing one ``requires`` prefilter.

    The queries are compiled when a file first passes the prefilter: compiling
    is the costliest step of a scan's start-up (tree-sitter analyses every
    pattern against the grammar), and a group no file admits is never compiled.
    """

    __slots__ = (
        "_compiled",
        "_grammar",
        "_language",
        "_lean",
        "_lock",
        "_patterns",
        "_prefix",
        "_subsets",
        "_whole",
        "members",
        "requires",
        "untrusted",
    )

    def __init__(
        self,
        requires: tuple[bytes, ...],
        grammar: Any,
        language: str,
        members: list[Rule],
        lean: bool = False,
        untrusted: bool = False,
    ) -> None:
        self.requires = requires
        self.members = members
        # a repository's rules: run in small windows (see UNTRUSTED_WINDOW)
        self.untrusted = untrusted
        # text all the literals start with: one search rules out most files
        self._prefix = _common_prefix(requires) if len(requires) > 1 else b""
        self._grammar = grammar
        self._language = language
        self._compiled: _Compiled | bool | None = False  # False: not compiled yet
        self._whole: _Pass | bool | None = False
        self._lean = lean
        self._patterns: list[tuple[str, tuple[bytes, ...] | None, Rule]] | None = None
        self._subsets: dict[tuple[int, ...], _Pass | None] = {}
        self._lock = threading.Lock()

    def wanted(self, source: bytes) -> bool:
        if not self.requires:
            return True
        if self._prefix and self._prefix not in source:
            return False
        return any(lit in source for lit in self.requires)

    def compiled(self) -> _Compiled | None:
        """The group's queries (compiled on first use); None when no rule compiles."""
        compiled = self._compiled
        if compiled is False:
            with self._lock:
                if self._compiled is False:
                    self._compiled = _split(self._grammar, self._language, self.members)
                compiled = self._compiled
        return compiled  # type: ignore[return-value]

    def whole(self) -> _Pass | None:
        """All the group's patterns in one query, compiled on first use, and on its
        own: a process that only checks edited ranges (the editor, the commit gate)
        never pays for the split queries of :meth:`compiled`."""
        whole = self._whole
        if whole is False:
            with self._lock:
                if self._whole is False:
                    split = self._compiled
                    if isinstance(split, _Compiled) and split.keyed is None:
                        self._whole = split.open
                    else:
                        combined = _combine(self._grammar, self._language, self.members)
                        self._whole = None if combined is None else _Pass(*combined)
                whole = self._whole
        return whole  # type: ignore[return-value]

    def for_source(self, source: bytes) -> _Pass | None:
        """The query to check ranges of ``source`` with. Normally :meth:`whole`; in a
        lean matcher (a process that checks a few files once, such as the commit gate)
        only the patterns ``source`` can match (see :mod:`genguard.rules.literals`),
        compiled per distinct set: compiling is most of such a process's cost."""
        if not self._lean:
            return self.whole()
        with self._lock:
            if self._patterns is None:
                try:
                    self._patterns = [
                        (text, None if keys is None else tuple(k.encode() for k in keys), rule)
                        for rule in self.members
                        for text, keys in split_patterns(rule.query or "")
                    ]
                except ValueError:
                    self._patterns = []
        if not self._patterns:
            return self.whole()
        admitted = tuple(
            i
            for i, (_, keys, _) in enumerate(self._patterns)
            if keys is None or any(k in source for k in keys)
        )
        with self._lock:
            if admitted not in self._subsets:
                self._subsets[admitted] = self._compile_subset(admitted)
            found = self._subsets[admitted]
        return found if found is not None or not admitted else self.whole()

    def _compile_subset(self, admitted: tuple[int, ...]) -> _Pass | None:
        if not admitted:
            return None
        assert self._patterns is not None
        texts = [self._patterns[i][0] for i in admitted]
        try:
            query = Query(self._grammar, "\n".join(texts))
        except (QueryError, ValueError):
            return None  # e.g. a rule written for another grammar: the whole query sorts it out
        if query.pattern_count != len(texts):
            return None
        return _Pass(query, [self._patterns[i][2] for i in admitted])

    @property
    def passes(self) -> list[_Pass]:
        compiled = self.compiled()
        if compiled is None:
            return []
        return [p for p in (compiled.open, compiled.keyed) if p is not None]

    @property
    def query(self) -> Query | None:
        """A query of this group; None when no rule compiles."""
        passes = self.passes
        return passes[0].query if passes else None

    @property
    def pattern_rules(self) -> list[Rule]:
        """The rule behind every pattern of the group's queries."""
        return [rule for p in self.passes for rule in p.rules]


@dataclass(slots=True)
class LanguageMatcher:
    """All rules that apply to one language, compiled and ready to run."""

    language: str | None
    groups: list[_QueryGroup] = field(default_factory=list)
    regex_rules: list[_RegexRule] = field(default_factory=list)
    allow: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    taint: TaintModel | None = None

    @property
    def query(self) -> Query | None:
        """A query of this matcher, or None when it has no query rules (no tree needed)."""
        return next((g.query for g in self.groups if g.query is not None), None)

    def wants_tree(self, source: bytes) -> bool:
        """Whether some query or taint rule may match ``source``: if not, it need not be parsed."""
        return bool(self.taint) or any(group.wanted(source) for group in self.groups)

    @property
    def pattern_rules(self) -> list[Rule]:
        return [rule for group in self.groups for rule in group.pattern_rules]

    @property
    def rules(self) -> tuple[Rule, ...]:
        """The rules this matcher runs (each once)."""
        taint = [e.rule for e in self.taint.rules] if self.taint else []
        seen = dict.fromkeys([*self.pattern_rules, *(r.rule for r in self.regex_rules), *taint])
        return tuple(seen)

    def run(
        self,
        source: bytes,
        tree: Tree | None,
        ranges: Sequence[Range] | None = None,
        *,
        budget: Budget = KEYSTROKE,
        taint_analysis: Any = None,
        taint_ranges: Sequence[Range] | None = None,
    ) -> Checked[Match]:
        """Matches in ``source`` (the bytes ``tree`` was parsed from), with the checks
        a budget or limit cut short (``cut``: findings may be missing).

        With ``ranges`` (byte ranges) only query matches whose reported span
        intersects a range are returned; regex rules see every line a range
        touches, so a secret on a partly edited line is still found whole.
        Results are deduplicated by (rule, start, end) and sorted by start.
        ``budget`` is the time the queries and the taint analysis are allowed (the
        entry point's row of :mod:`genguard.rules.budget`).
        ``taint_analysis`` is one :meth:`run_edited` already scoped on this text;
        ``taint_ranges`` (with ``ranges``) are the ranges its findings are wanted in,
        when wider than those of the other rules (see :meth:`run_edited`).
        """
        if ranges is not None:
            ranges = merge_ranges(ranges, empty=True)  # a cursor position is checked too
            wider = ranges if taint_ranges is None else taint_ranges
            taint_ranges = merge_ranges(wider, empty=True)
            if not taint_ranges:
                return Checked()
        cuts: list[Cut] = []
        found: dict[tuple[str, int, int], Match] = {}
        counts: dict[str, int] = {}

        def add(m: Match) -> None:
            key = (m.rule.id, m.start, m.end)
            if key in found or counts.get(m.rule.id, 0) >= MAX_MATCHES_PER_RULE:
                return
            for allowed in self.allow.get(m.rule.id, ()):
                if allowed.search(source[m.start : m.end]):
                    return
            counts[m.rule.id] = counts.get(m.rule.id, 0) + 1
            found[key] = m

        others = ranges is None or bool(ranges)  # (an edit may want taint findings alone)
        if self.groups and tree is not None and others:
            for m in self._run_query(source, tree, ranges, budget.query, cuts):
                add(m)
        if self.regex_rules and others:
            for m in self._run_regex(source, ranges):
                add(m)
        if self.taint and tree is not None and self.language is not None:
            # one data-flow pass serves every taint rule; with ranges only the
            # functions they touch (and their callers) are analysed
            flows = taint_matches(
                self.taint,
                self.language,
                source,
                tree,
                taint_ranges,
                analysis=taint_analysis,
                budget=budget.taint,
            )
            cuts.extend(flows.cut)
            for m in flows:
                if taint_ranges is None or _intersects(m.start, m.end, taint_ranges):
                    add(m)
        ordered = sorted(found.values(), key=lambda m: (m.start, m.end, m.rule.id))
        return Checked(tuple(ordered), tuple(cuts))

    def edit_tables(self) -> Any:
        """Tables an open document keeps across edits for :meth:`run_edited` (None when
        this matcher has no use for them)."""
        if not self.taint or self.language is None:
            return None
        return taint_edit_tables(self.language)

    def run_edited(
        self,
        source: bytes,
        tree: Tree | None,
        ranges: Sequence[Range],
        *,
        tables: Any = None,
        changed: Sequence[Range] = (),
    ) -> tuple[list[Range], Checked[Match]]:
        """The matches after an edit of ``ranges``, and the ranges the taint findings
        among them replace: ``ranges`` plus every span where the edit can change one.

        Pattern and regex findings change only where the text (or its tree) did, so
        they are looked for in ``ranges`` alone and replace those there; a taint
        finding can change anywhere its flow passes: in the edited function, its
        same-file callers and the helpers they call. One taint analysis serves both
        steps. ``tables`` (from :meth:`edit_tables`, told of every edit since) are
        brought up to ``tree``, whose reparse changed the structure of ``changed``.
        """
        if not self.taint or tree is None or self.language is None or not ranges:
            return list(ranges), self.run(source, tree, ranges)
        if tables is not None:
            tables.update(source, tree, changed)
        analysis = taint_analyse(self.taint, self.language, source, tree, tables)
        widened = merge_ranges([*ranges, *taint_affected(analysis, ranges)], empty=True)
        found = self.run(source, tree, ranges, taint_analysis=analysis, taint_ranges=widened)
        return widened, found

    def _run_query(
        self,
        source: bytes,
        tree: Tree,
        ranges: Sequence[Range] | None,
        budget: float,
        cuts: list[Cut],
    ) -> Iterable[Match]:
        for group in self.groups:
            if group.wanted(source):
                yield from self._run_group(group, source, tree, ranges, budget, cuts)

    def _run_group(
        self,
        group: _QueryGroup,
        source: bytes,
        tree: Tree,
        ranges: Sequence[Range] | None,
        budget: float,
        cuts: list[Cut],
    ) -> Iterable[Match]:
        """The group's matches; a pass the deadline or the match limit cuts short is
        added to ``cuts``."""
        spans = [(0, len(source))] if ranges is None else ranges
        pieces = list(_chunks(spans))
        if group.untrusted:
            cut, limit = (lambda r: _windows(r, len(source))), UNTRUSTED_MATCH_LIMIT
        else:
            cut, limit = _chunks, MATCH_LIMIT
        work: list[tuple[_Pass, Range]] = []
        if ranges is not None:  # an edit: the ranges are small already
            whole = group.for_source(source)
            work += [(whole, piece) for piece in cut(spans)] if whole is not None else []
        else:
            compiled = group.compiled()
            if compiled is None:
                return
            if compiled.open is not None:
                work += [(compiled.open, piece) for piece in cut(spans)]
            if compiled.keyed is not None:  # only where a keyed literal occurs
                keyed_pieces = cut(_keyed_spans(compiled.finder, source))
                work += [(compiled.keyed, piece) for piece in keyed_pieces]
        # the clock starts once the queries are compiled: compiling is not matching,
        # and a slow first compile on a busy machine must not cut results short
        allowed = budget * max(1, len(pieces))
        deadline = time.monotonic() + allowed
        for run, (a, b) in work:
            if time.monotonic() > deadline:
                log.warning(
                    "rule queries for %s stopped after %.0f ms; results are partial",
                    self.language,
                    allowed * 1000,
                )
                cuts.append(
                    Cut(
                        "rule queries",
                        f"stopped at their time budget ({allowed * 1000:.0f} ms)",
                        timed=True,
                    )
                )
                return
            cursor = QueryCursor(run.query, match_limit=limit)
            cursor.set_byte_range(a, b)
            if group.untrusted:
                cursor.set_containing_byte_range(a, b)
            # No progress_callback: py-tree-sitter 0.26 keeps a pointer to a
            # stack-allocated options struct after exec returns, which crashes.
            results = cursor.matches(tree.root_node, _no_custom_predicates)
            if cursor.did_exceed_match_limit:  # the oldest matches in progress were dropped
                log.warning("rule queries for %s hit the match limit", self.language)
                cuts.append(
                    Cut("rule queries", f"hit the match limit ({limit} matches in progress)")
                )
            for pattern_index, captures in results:
                rule = run.rules[pattern_index]
                nodes = captures.get("match")
                if not nodes:
                    continue
                start, end = nodes[0].start_byte, nodes[-1].end_byte
                if ranges is not None and not _intersects(start, end, ranges):
                    continue
                fix = None
                if rule.fix is not None:
                    fix = _render(rule.fix, _capture_text(source, captures))
                yield Match(rule, start, end, fix)

    def _run_regex(self, source: bytes, ranges: Sequence[Range] | None) -> Iterable[Match]:
        spans = [(0, len(source))] if ranges is None else _line_ranges(source, ranges)
        for a, b in spans:
            chunk = source if (a, b) == (0, len(source)) else source[a:b]
            for compiled in self.regex_rules:
                needs = compiled.rule.requires
                if needs and not any(lit.encode() in source for lit in needs):
                    continue
                n = 0
                entropy = compiled.rule.entropy
                for m in compiled.regex.finditer(chunk):
                    start, end = _span(m, compiled.report)
                    if start < 0 or start == end:
                        continue
                    if entropy is not None:
                        text = chunk[start:end].decode("utf-8", errors="replace")
                        if shannon_entropy(text) < entropy:
                            continue
                    fix = None
                    if compiled.rule.fix is not None:
                        fix = _render(compiled.rule.fix, _group_text(m, compiled))
                    yield Match(compiled.rule, a + start, a + end, fix)
                    n += 1
                    if n >= MAX_MATCHES_PER_RULE:
                        break


def _capture_text(source: bytes, captures: dict[str, list[Node]]) -> Callable[[str], bytes | None]:
    def text_of(name: str) -> bytes | None:
        nodes = captures.get(name)
        if not nodes:
            return None
        return source[nodes[0].start_byte : nodes[-1].end_byte]

    return text_of


def _group_text(m: Any, compiled: _RegexRule) -> Callable[[str], bytes | None]:
    def text_of(name: str) -> bytes | None:
        index = compiled.group if name == "match" else compiled.groups.get(name)
        if index is None:
            return None
        return m.group(index)

    return text_of


class CompiledRules:
    """A rule set compiled per language on first use; safe to share across threads."""

    def __init__(self, ruleset: RuleSet, *, lean: bool = False) -> None:
        """``lean``: compile for range checks of a few files (see
        :meth:`_QueryGroup.for_source`) rather than for many checks or whole files."""
        self.ruleset = ruleset
        self.lean = lean
        self._cache: dict[str | None, LanguageMatcher] = {}
        self._lock = threading.Lock()

    @property
    def version(self) -> str:
        return self.ruleset.version

    def matcher_for(self, language: str | None) -> LanguageMatcher:
        """The matcher for ``language``; None (or a language without a grammar
        entry) means only ``*`` regex rules apply."""
        if language is not None and language not in SUPPORTED:
            language = None
        with self._lock:
            matcher = self._cache.get(language)
            if matcher is None:
                matcher = self._compile(language)
                self._cache[language] = matcher
            return matcher

    def _compile(self, language: str | None) -> LanguageMatcher:
        matcher = LanguageMatcher(language)
        rules = [r for r in self.ruleset.rules if _applies(r, language)]
        # (requires, from the repository) -> (query sources, pattern rules)
        parts: dict[tuple[tuple[str, ...], bool], tuple[list[str], list[Rule]]] = {}
        grammar = get_language(language) if language is not None else None
        for rule in rules:
            if rule.regex is not None:
                regex = compile_regex(rule.regex)
                groups = regex_group_names(regex)
                matcher.regex_rules.append(
                    _RegexRule(
                        rule, regex, groups.get("match", 0), groups, _reported_groups(groups)
                    )
                )
            elif rule.taint is not None:
                continue  # compiled below, all taint rules of the language together
            elif rule.query is None:
                continue  # a ``check`` rule: implemented in code, not matched here
            elif language is not None and grammar is not None:
                key = (tuple(sorted(rule.requires)), rule.pack == REPOSITORY_PACK)
                sources, members = parts.setdefault(key, ([], []))
                sources.append(rule.query)
                members.append(rule)
            if rule.allow:
                matcher.allow[rule.id] = tuple(compile_regex(p) for p in rule.allow)
        taint = [r for r in rules if r.taint is not None]
        if taint and grammar is not None and taint_supports(language):
            matcher.taint = TaintModel.build(taint)
        if grammar is not None and language is not None:
            # One query per prefilter group: a single tree walk serves many rules.
            for (requires, untrusted), (_, members) in sorted(parts.items()):
                matcher.groups.append(
                    _QueryGroup(
                        tuple(r.encode() for r in requires),
                        grammar,
                        language,
                        members,
                        self.lean,
                        untrusted,
                    )
                )
        return matcher
