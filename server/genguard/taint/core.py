"""The language-neutral core of the taint engine: what every front end shares.

A front end (:mod:`.python`, :mod:`.javascript`) knows its grammar: how a file's
functions, imports and calls are found, how each statement and expression is
evaluated. Everything that is a *decision* about data flow lives here, once:

- :class:`FileAnalysisCore` drives a file: which functions can produce findings
  (sink mentions, source reads, the callers of helpers with sinks), summaries
  cached by what they depend on, the editor's incremental scope, budgets.
- :class:`InterpCore` is the part of the abstract interpreter that does not look
  at syntax: reporting a value that reaches a sink (severity by evidence, the
  parameter sinks of summaries), a call's sink checks (``when``/``unless``,
  ``argv0``), applying a helper's summary, container updates and reads, branch
  joins (:meth:`InterpCore.branches`: folded conditions skip dead branches) and
  loops run until their values settle (:meth:`InterpCore.repeat`).
- constant folding (:func:`fold`, :func:`truth`) and the shape checks of sinks.

Adding a language: write ``taint/<language>.py`` with a ``FileAnalysis``
subclass of :class:`FileAnalysisCore` (``_collect`` fills ``functions``,
``by_name``, ``aliases``; ``dotted``/``qualified`` name an expression;
``calls_query`` finds calls and callback references; ``Interp`` is the
interpreter class) and an interpreter subclass of :class:`InterpCore`
(``run_module``, ``run_constants``, ``run_function``, ``statement``, ``_expr``,
``_route_sink``), register it in :data:`genguard.taint.run.FRONT_ENDS`, and
write the models as rule data (docs/architecture.md, "Adding a taint language").
:mod:`.javascript` is the model for brace languages: node-type tables at the top,
one method per statement or expression kind.
"""

from __future__ import annotations

import hashlib
import operator
import re
import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from typing import Any

from tree_sitter import Language, Node, Query, QueryCursor, Tree

from genguard.rules.budget import CHUNK, KEYSTROKE
from genguard.rules.loader import compile_regex
from genguard.taint.model import Presence, TaintModel
from genguard.taint.spec import Sink
from genguard.taint.values import (
    CLEAN,
    FIELD_SLOTS,
    NC,
    UNKNOWN,
    Step,
    Trace,
    Val,
    combine,
    field_slot,
    join,
    leading,
    mapping,
    merge_traces,
    origin_param,
    param_origin,
    sequence,
)

PURE = -2
"""The anchor of a value that depends on nothing but the file (see
:meth:`FileAnalysisCore.end`)."""
HISTORY = -1
"""The anchor of a value that depends on what earlier work left."""
MAX_DEPTH = 120
"""Deepest expression nesting followed; deeper parts count as unknown values."""
MAX_VISITS = 400_000
"""Nodes evaluated per file before the analysis stops (partial results)."""
MAX_HITS = 500
"""Findings recorded per rule and file (as the matcher keeps per rule and run)."""
MAX_CONST = 4096
"""Longest folded string constant."""
LOOP_ROUNDS = 2
BISECT_SHARE = 32
"""Functions put in order by bisecting their starts when fewer than 1 in this many of
the file's are asked for (a bisection costs some 30 times a look in a pass over all)."""
_NOT_YET = object()
NEST_AFTER = 12
"""Bytes outside the last function started before them that :meth:`enclosing` puts in
their function through the tree's ancestors before it works out which function is
around which, over every function (a pass as costly as a few dozen such walks)."""
ENCLOSING_SHARE = 8
"""Places put in their functions by one pass over the functions when there are more
than 1 in this many of the functions (a bisection reads a dozen)."""


@lru_cache(maxsize=256)
def _alias_finder(aliases: tuple[str, ...]) -> Any:
    """The regex of names imported under another name (one per set of them: an editor's
    kept scan of a document follows it, see :meth:`FileAnalysisCore._mentions`)."""
    return compile_regex("\\b(?:" + "|".join(map(re.escape, aliases)) + ")\\b")


@cache
def cached_query(language: Language, text: str) -> Query:
    """One compiled query per grammar and text (compiling costs more than running)."""
    return Query(language, text)


def node_text(node: Node | None) -> str:
    if node is None:
        return ""
    text = node.text  # a new bytes object on every access: read it once
    return text.decode("utf-8", "replace") if text is not None else ""


def snippet(node: Node) -> str:
    """The first line of ``node``'s text, short enough for a label."""
    line = node_text(node).split("\n", 1)[0].strip()
    return line if len(line) <= 60 else line[:57] + "..."


class Exhausted(Exception):
    """The analysis stopped at its time or node budget; the message says which, and
    ``timed`` whether a clock stopped it (another try may finish) or a count did."""

    def __init__(self, reason: str, *, timed: bool = False) -> None:
        super().__init__(reason)
        self.timed = timed


@dataclass(slots=True)
class Hit:
    """A tainted value reaching a sink: severity by evidence, path by trace."""

    rule: int
    start: int
    end: int
    trace: Trace


@dataclass(slots=True)
class ParamSink:
    param: int
    rule: int
    start: int
    end: int
    trace: Trace  # the parameter's trace at the sink: sanitizers applied, steps taken
    check: Sink | None = None  # shape or prefix the argument must still have, if any
    needs: tuple[int, tuple[str, ...]] | None = None
    """A ``when_from`` condition left to the caller: the parameter whose argument must
    hold a value from a source with one of these labels (the parser passed in)."""
    own: bool = False
    """``trace`` is the data itself (read in the helper), not the parameter's: the
    caller reports it when its argument for ``needs`` meets the condition."""


@dataclass(slots=True)
class Summary:
    returns: Val = CLEAN
    sinks: list[ParamSink] = field(default_factory=list)
    fields: dict[str, Val] = field(default_factory=dict)
    """A method's stores into fields of its own object (``self.cmd = ...``), by name:
    the other methods of its class read them."""


@dataclass(slots=True, eq=False)
class Function:
    """A function of the file as the analysis knows it: where and what it is. What an
    analysis works out about it (its summary, whether it reads a source) belongs to
    that analysis (:class:`FileAnalysisCore`), so the same function can serve the next
    analysis of an edited text (the Python front end keeps them across edits)."""

    node: Node
    name: str
    cls: str | None
    decorators: list[Node]
    fa: FileAnalysisCore
    calls: int = 0
    """Calls of its name in the file, and 1000 for each time the name is passed on."""

    def _parse(self) -> tuple[list[str], dict[int, int]]:
        return self.fa.parameters_of(self)

    @property
    def params(self) -> list[str]:
        return self._parse()[0]

    @property
    def sources(self) -> dict[int, int]:
        """Parameter index -> source index (route parameters)."""
        return self._parse()[1]

    @property
    def splats(self) -> tuple[int | None, int | None]:
        """Positions of the parameters that take the rest of the positional and of the
        keyword arguments (Python's ``*args`` and ``**kwargs``), if any."""
        return self.fa.splats(self.node)

    @property
    def offset(self) -> int:
        """Parameters a method call does not pass (self)."""
        params = self.params
        return 1 if self.cls is not None and params and params[0] in self.fa.receiver_params else 0


Predicate = dict[int, frozenset[int]]
"""Parameter index -> the guards that hold for it when a same-file check returns true."""


class FileAnalysisCore:
    """One file's analysis: functions, summaries and the hits found. A front end
    subclasses it (see the module docstring for what it supplies)."""

    Interp: Any = None
    """The front end's interpreter class (a subclass of :class:`InterpCore`)."""
    receiver_params: frozenset[str] = frozenset()
    sinks_named: bool = True
    """Whether every sink call mentions one of its sinks' words in the function that
    makes it (Python: a sink is named where it is called); not where a sink may be
    known by a variable's type alone (``c.File`` of a ``gin.Context``)."""
    prose: frozenset[str] = frozenset()
    """Node types of comment and string text, where a name is no call (none: every
    mention counts)."""
    """Parameter names a method call does not pass (Python's ``self``)."""

    def __init__(
        self, model: TaintModel, source: bytes, tree: Tree, presence: Presence | None = None
    ) -> None:
        """``presence``: what the sources' search found in the document's last text
        (an editor keeps it across edits, :class:`~genguard.taint.model.Presence`)."""
        self.model = model
        self.source = source
        self.root = tree.root_node
        self.aliases: dict[str, str] = {}
        self.functions: list[Function] = []
        self.by_name: dict[str, list[Function]] = {}
        self.by_node: dict[int, Function] = {}
        self.globals: dict[str, Val] = Globals(self)
        self.defined: set[str] = set()
        self.hits: list[Hit] = []
        self._predicates: dict[int, Predicate] = {}
        self._stack: list[list[int]] = []
        """The computations under way (summaries, predicates, fields), outermost first:
        [number, the lowest position on this stack its result depends on]."""
        self._place: dict[int, int] = {}  # computation number -> position on the stack
        self._numbered = 0
        self._anchors: dict[Any, int] = {}  # a cached derived value -> its anchor
        self._running: dict[Any, int] = {}  # a derived value being computed -> its number
        self.callers: dict[str, list[Function]] = {}
        self.callees: dict[int | None, set[str]] = {}
        # what this analysis worked out about each function, by its node's id
        self._summaries: dict[int, Summary] = {}
        self._summary_anchors: dict[int, int] = {}
        """What a summary depends on beyond the file's text (see :meth:`end`): PURE when
        nothing."""
        self._busy: dict[int, int] = {}
        """Functions whose summary is under way: the computation's number (:meth:`begin`)."""
        self._quiet: set[int] = set()
        """Summaries whose run reached no sink with a value it would report: run again
        to report, it reports nothing."""
        self._sourced: dict[int, bool] = {}
        self._returns: dict[int, dict[int, bool]] = {}  # see _returns_into
        self._params: dict[int, tuple[list[str], dict[int, int]]] = {}
        self._counted = False
        self.visits = 0
        self.deadline = float("inf")
        self.exhausted = False
        self.stopped = ""  # why the analysis stopped early (the Exhausted's words)
        self.timed = False  # whether its time budget stopped it (not a limit)
        self.present = model.present(source, presence)
        self.active = model.active(self.present)
        self._named: dict[str, tuple[int, ...]] = {}
        self._assigned: dict[str, list[tuple[int, Sink]]] = {}
        self._context: int | None = None
        self._module_sinky = False
        self._outside: list[tuple[int, int]] = []  # mentions of sinks outside functions
        self._sunk: Any = _NOT_YET  # what _sinks found, once asked
        self._nearby: tuple[tuple[tuple[int, int], ...], set[int]] | None = None
        self._sinky: dict[int, set[int]] = {}
        self.call_captures: dict[str, list[Node]] | None = None
        """What :meth:`calls_query` captures, when the front end's ``_collect`` found it
        along with the file's structure (None: it is run when calls are counted)."""
        self._source_probes: list[tuple[int, Any]] | None = None
        self._mentioned: dict[int, dict[int, bool]] = {}
        self._keys: dict[int, tuple[Any, ...] | None] = {}
        self._texts: dict[int, tuple[bytes, list[Function]]] = {}
        self.per_rule: dict[int, int] = {}
        self.spans: Sequence[tuple[int, int, Function]] = []
        self.starts: Sequence[int] = []
        self._nesting: tuple[list[int], list[int] | None, list[int]] | None = None
        self._misses = 0  # bytes enclosing() found outside the last function started
        self._collect()

    # -- what a front end supplies ------------------------------------------------------

    def _collect(self) -> None:
        """Fill ``functions``, ``by_name``, ``by_node``, ``aliases``, ``defined``,
        ``spans`` and ``starts`` (functions sorted by start)."""
        raise NotImplementedError

    def calls_query(self) -> Query:
        """A query capturing called names (``@callee``) and names passed as arguments
        (``@ref``: callbacks, called from elsewhere with unknown arguments)."""
        raise NotImplementedError

    def dotted(self, node: Node | None) -> str | None:
        raise NotImplementedError

    def qualified(self, node: Node | None) -> tuple[str | None, str | None]:
        """The name as written and as resolved through the file's imports."""
        raise NotImplementedError

    def _parameters(self, node: Node, decorators: list[Node]) -> tuple[list[str], dict[int, int]]:
        """A function's parameter names and which of them are sources (index -> source)."""
        raise NotImplementedError

    def splats(self, node: Node) -> tuple[int | None, int | None]:
        """Where a function's rest parameters stand (see :attr:`Function.splats`):
        none by default."""
        return (None, None)

    def context(self) -> tuple[Any, ...]:
        """What else in the file every summary depends on, beyond its constants and
        imports (see :meth:`_summary_key`): nothing by default."""
        return ()

    def depends(self, fn: Function) -> tuple[Any, ...]:
        """What else ``fn``'s summary depends on, beyond the text of it and its helpers
        (see :meth:`_summary_key`): nothing by default."""
        return ()

    def mates(self, fn: Function) -> list[Function]:
        """The functions that read what ``fn`` stores outside its own frame (the methods
        of its class, when it stores into a field of its object): an edit of ``fn``
        can change their findings. None by default."""
        return []

    def feeds(self, fn: Function) -> list[Function]:
        """The functions whose stores ``fn`` may read (the other methods of its class
        that store into fields of its object): its summary depends on their text.
        None by default."""
        return []

    # -- driving ----------------------------------------------------------------------

    def assign_sinks(self, name: str) -> list[tuple[int, Sink]]:
        """Assignment sinks whose pattern ``name`` matches (remembered per name)."""
        found = self._assigned.get(name)
        if found is None:
            encoded = name.encode()
            found = [
                (r, sink) for regex, r, sink in self.model.assign_sinks if regex.search(encoded)
            ]
            self._assigned[name] = found
        return found

    def named_sources(self, name: str) -> tuple[int, ...]:
        """Identifier sources whose pattern ``name`` matches (remembered per name)."""
        found = self._named.get(name)
        if found is None:
            encoded = name.encode()
            found = tuple(i for regex, i in self.model.identifier_sources if regex.search(encoded))
            self._named[name] = found
        return found

    def _around(self, pos: int) -> list[int]:
        """Indices (in ``spans``) of the functions whose definition holds byte ``pos``,
        innermost first: the tree's ancestors of that byte that are functions, so no
        function the byte is not in is looked at."""
        starts, spans = self.starts, self.spans
        out: list[int] = []
        if not starts or pos < 0 or pos < starts[0]:
            return out
        node: Node | None = self.root.descendant_for_byte_range(pos, pos + 1)
        while node is not None:
            a = node.start_byte
            i = bisect_left(starts, a)
            is_function = i < len(starts) and starts[i] == a and spans[i][1] == node.end_byte
            if is_function and (not out or out[-1] != i):
                out.append(i)
            node = node.parent
        return out

    def enclosing(self, pos: int) -> Function | None:
        """The innermost function whose definition contains byte ``pos``: the last one
        starting at or before it, else the innermost of those around that one that
        reaches past it (the same as :meth:`_around` finds through the tree, without
        walking the node's ancestors). Which function is around which is worked out
        (over every function) only once a dozen bytes the last one does not hold were
        asked for: before, the tree's ancestors of each tell (an edit's check asks for
        a few, a scan for many)."""
        starts = self.starts
        if not starts or pos < 0 or pos < starts[0]:
            return None
        i = bisect_right(starts, pos) - 1
        a, b, fn = self.spans[i]
        if pos < b and (not i or starts[i - 1] != a):
            return fn  # the last one starting at or before it holds it: the innermost
        nesting = self._nesting
        if nesting is None or nesting[0] is not starts:
            self._misses += 1
            if self._misses <= NEST_AFTER:
                around = self._around(pos)
                return self.spans[around[0]][2] if around else None
            nesting = self._nesting = self._nest(starts)
        _, ends, outer = nesting
        if ends is None:  # two functions start at one byte: the tree tells them apart
            around = self._around(pos)
            return self.spans[around[0]][2] if around else None
        while i >= 0 and ends[i] <= pos:
            i = outer[i]
        return self.spans[i][2] if i >= 0 else None

    def _nest(self, starts: list[int]) -> tuple[list[int], list[int] | None, list[int]]:
        """For each function of ``spans``: where it ends and the innermost one it is
        defined in (-1: none); no ends when two start at one byte."""
        ends = [b for _, b, _ in self.spans]
        outer: list[int] = []
        open_: list[int] = []
        for i, a in enumerate(starts):
            if i and starts[i - 1] == a:
                return starts, None, []
            while open_ and ends[open_[-1]] < ends[i]:
                open_.pop()
            outer.append(open_[-1] if open_ else -1)
            open_.append(i)
        return starts, ends, outer

    def touching(self, ranges: Sequence[tuple[int, int]]) -> list[Function]:
        """The functions whose definition touches one of ``ranges`` (ends included),
        in order: those starting in a range, and those holding the byte before it,
        without a pass over every function."""
        starts, spans = self.starts, self.spans
        found: set[int] = set()
        for s, e in ranges:
            found.update(range(bisect_left(starts, s), bisect_right(starts, e)))
            found.update(self._around(s - 1))
        return [spans[i][2] for i in sorted(found)]

    def run(
        self, only: Sequence[tuple[int, int]] | None = None, *, budget: float = KEYSTROKE.taint
    ) -> list[Hit]:
        """Analyse the module body and every function (or only those touching ``only``),
        for at most ``budget`` seconds per CHUNK of source (:mod:`genguard.rules.budget`):
        a file of any size cannot hang a check."""
        if not self.active:
            return self.hits
        chunks = max(1, -(-len(self.source) // CHUNK))
        self.deadline = time.monotonic() + budget * chunks
        try:
            candidates = self._candidates(only)
            if candidates is None:  # no sink in the file's code: no flow ends anywhere
                return self.hits
            selected, with_callers = candidates
            interp = self.Interp(self, None, {})
            if self._module_sinky:
                module_env = interp.run_module(self.root)
            else:  # nothing at module level can reach a sink: its constants are enough
                module_env = interp.run_constants(self.root)
            # module-level configuration read from the environment is not request data
            self.globals = {
                k: Val(tuple(t for t in v.traces if not t.weak), v.const, v.text, v.elems, v.keys)
                for k, v in module_env.items()
            }
            if only is not None:  # (a front end's own choice may hold others)
                near = self._near(only)
                selected = [f for f in selected if f.node.id in near]
                with_callers = [f for f in with_callers if f.node.id in near]
            own = {f.node.id for f in selected}
            wanted = own | self._with_callers(with_callers)
            # callers wanted only because a helper below them has a sink: they wait
            # until their helpers' summaries tell whether anything passes through
            passing: list[tuple[int, Function]] = []
            found: list[tuple[int, list[Hit]]] = []
            first = len(self.hits)
            for i, fn in self._placed(wanted):
                if self.sinks_named and fn.node.id not in own and fn.node.id not in self._sinky:
                    passing.append((i, fn))
                    continue
                found.append((i, self._report(fn)))
            if passing:
                left = {id(fn) for fn in self._unsettled([fn for _, fn in passing])}
                found += [(i, self._report(fn)) for i, fn in passing if id(fn) in left]
                # in the order the functions are written, whatever order they ran in:
                # of the flows that reach one sink, the first function's is shown
                found.sort(key=lambda pair: pair[0])
                self.hits[first:] = [h for _, hits in found for h in hits]
        except Exhausted as stop:
            self.exhausted, self.stopped, self.timed = True, str(stop), stop.timed
        return self.hits

    def _report(self, fn: Function) -> list[Hit]:
        """Run ``fn`` to report what reaches its sinks and its helpers': the hits."""
        before = len(self.hits)
        summary = self.summary(fn, report=True)
        if summary is not None and fn.calls == 0:
            # nothing in this file calls it: its parameters are of unknown origin
            for ps in summary.sinks:
                if (
                    ps.check is None
                    and ps.needs is None  # a condition no caller meets
                    and ps.param < FIELD_SLOTS  # a field no constructor fills
                    and self.model.rules[ps.rule].unknown != "off"
                ):
                    trace = replace(ps.trace, origin=UNKNOWN)
                    self.hits.append(Hit(ps.rule, ps.start, ps.end, trace))
        return self.hits[before:]

    def _unsettled(self, passing: list[Function]) -> list[Function]:
        """Of ``passing`` (functions that mention no sink, wanted only as callers of
        helpers that do), those whose run can still report: a caller reports only
        what its own sinks or its helpers' parameter sinks receive, so one whose every
        helper's summary has no parameter sink (computed, or known the same way to
        have none) reports nothing, and neither does its summary carry a sink to its
        own callers. Helpers still unknown (recursion, a summary not yet computed)
        keep the caller: it runs, in the order written."""
        # the functions whose summary may hold a sink: those that mention one, and
        # the callers of those, transitively (the others' summaries hold none)
        carries = set(self._sinky)
        todo = [self.by_node[fid] for fid in carries]
        while todo:  # (those whose helpers include g: its callers and makers)
            g = todo.pop()
            for fn in (*self.callers.get(g.name, ()), *self.makers(g)):
                if fn.node.id not in carries:
                    carries.add(fn.node.id)
                    todo.append(fn)
        # a worklist, not passes until nothing changes: a chain of callers written
        # caller first would settle one function a pass (quadratic in the file)
        keeps: dict[int, int] = {}  # a passing function -> the helpers that keep it
        kept_by: dict[int, list[Function]] = {}  # a helper -> the callers it keeps
        ready: list[Function] = []
        for fn in passing:
            holding = {
                g.node.id
                for g in self.helpers(fn)
                if g.node.id in carries and not self._inert(g)
            }
            for gid in holding:
                kept_by.setdefault(gid, []).append(fn)
            keeps[fn.node.id] = len(holding)
            if not holding:
                ready.append(fn)
        inert: set[int] = set()
        while ready:
            fid = ready.pop().node.id
            inert.add(fid)
            for caller in kept_by.get(fid, ()):
                keeps[caller.node.id] -= 1
                if not keeps[caller.node.id]:
                    ready.append(caller)
        return [fn for fn in passing if fn.node.id not in inert]

    def _inert(self, fn: Function) -> bool:
        """Whether ``fn``'s summary, done, passes no parameter to a sink."""
        summary = self._summaries.get(fn.node.id)
        return summary is not None and not summary.sinks and fn.node.id not in self._busy

    def helpers(self, fn: Function) -> list[Function]:
        """Every same-file function a run of ``fn`` may apply: those named by its
        calls, and the front end's (see :meth:`made`)."""
        return [
            *(g for n in self.callees.get(fn.node.id, ()) for g in self.by_name.get(n, ())),
            *self.made(fn),
        ]

    def made(self, fn: Function) -> list[Function]:
        """Functions a run of ``fn`` applies that its calls do not name (Python's
        ``__init__`` of a class it instantiates): none by default."""
        return []

    def makers(self, fn: Function) -> list[Function]:
        """The functions whose :meth:`made` holds ``fn``: none by default."""
        return []

    def _candidates(
        self, only: Sequence[tuple[int, int]] | None = None
    ) -> tuple[list[Function], list[Function]] | None:
        """The functions whose own findings are looked for, and those of them whose
        same-file callers must be analysed too; None when the file's code (the module
        body included) mentions no sink at all, so that nothing needs analysing and
        its calls need not be counted. With ``only``, of those only the functions an
        edit of ``only`` can change the findings of (:meth:`_near`): whether one of
        the others would be chosen is not worked out.

        A function is analysed when it mentions a sink of a rule that reports values
        of unknown origin (and then its callers too, unless its summary shows nothing
        passed in reaches a sink: see :meth:`_unsettled`), or when it reads a source
        (or calls a helper, or reads a field of a method, that does) of a rule whose
        sink it or a helper it calls, directly or not, mentions. Everything else can
        only produce findings through such a function, and is analysed when one of
        them needs its summary.
        """
        sinks = self._sinks()
        if sinks is None:
            self._count_calls()
            return [], []
        if not sinks:
            return None
        sinky = self._sinky
        self._count_calls()
        near = None if only is None else self._near(only)
        unknown = {r for r in self.active if self.model.rules[r].unknown != "off"}

        # the sources (and when_from conditions) each rule's findings can come from:
        # a function is analysed for its sources only when one of them can end in a
        # sink it or its helpers hold (a secret-like name read beside a file write
        # starts no flow any rule of that sink reports)
        rules_ = self.model.rules
        needs = {r: rules_[r].sources | rules_[r].conditions for r in self.active}
        # the sinks' rules each function reaches: its own and its same-file helpers'
        reach: dict[int, set[int]] = {fid: set(rules) for fid, rules in sinky.items()}
        by_node = self.by_node
        todo = [by_node[fid] for fid in reach]
        while todo:
            fn = todo.pop()
            rules = reach[fn.node.id]
            for caller in self.callers.get(fn.name, ()):
                known = reach.setdefault(caller.node.id, set())
                if not rules <= known:
                    known |= rules
                    todo.append(caller)
        wants: dict[int, frozenset[int]] = {}

        def wanted(fn: Function) -> frozenset[int]:
            found = wants.get(fn.node.id)
            if found is None:
                found = wants[fn.node.id] = frozenset().union(
                    *(needs.get(r, ()) for r in reach.get(fn.node.id, ()))
                )
            return found

        def own_source(fn: Function, sources: frozenset[int]) -> bool:
            return any(i in sources for i in fn.sources.values()) or self.reads(fn, sources)

        def fed_source(fn: Function) -> bool:
            sources = wanted(fn)
            if own_source(fn, sources):
                return True
            # a field another method fills from a source
            return any(self.reads(g, sources) for g in self.feeds(fn))

        def reads_source(fn: Function) -> bool:
            return fed_source(fn) or any(
                self.reads(g, wanted(fn))
                for n in self.callees.get(fn.node.id, ())
                for g in self.by_name.get(n, ())
            )

        selected: dict[int, Function] = {}
        with_callers: list[Function] = []
        for fn in self._in_order(sinky if near is None else near.intersection(sinky)):
            rules = sinky[fn.node.id]
            if not rules:
                continue
            if rules & unknown:
                selected[fn.node.id] = fn
                with_callers.append(fn)
            elif reads_source(fn):
                selected[fn.node.id] = fn
        # sources that flow into a helper with a sink: the reader must be analysed
        for fn in self._in_order(reach if near is None else near.intersection(reach)):
            if fn.node.id not in selected and fed_source(fn):
                selected[fn.node.id] = fn
        # module-level code that calls into a helper with a sink passes it data
        if any(
            f.node.id in reach for n in self.callees.get(None, ()) for f in self.by_name.get(n, ())
        ):
            self._module_sinky = True
        return list(selected.values()), with_callers

    def _sinks(self) -> bool | None:
        """Whether the file's code mentions a sink (of a function: ``_sinky``; outside
        every function: ``_module_sinky`` and ``_outside``), worked out once per analysis
        (an edit's :meth:`scope` asks before :meth:`run` does); None when no active
        rule's sink has words to look for."""
        if self._sunk is _NOT_YET:
            self._sunk = self._find_sinks()
        return self._sunk

    def _find_sinks(self) -> bool | None:
        words = self.model.words(self.active)
        if words is None:
            return None
        finder, rules_of = words
        sinky: dict[int, set[int]] = {}
        # names imported under another name (from subprocess import run as r): the
        # call mentions only the alias
        aliased: dict[str, set[int]] = {}
        for alias, full in self.aliases.items():
            if alias != full.rsplit(".", 1)[-1] or "." in full:
                rules = self.model.aliased_rules(full, self.active)
                if rules:
                    aliased[alias] = set(rules)
        key_of = self.model.mention_key
        matches = [
            (start, end, rules_of.get(key_of(text), set()))
            for start, end, text in self._mentions(finder)
        ]
        if aliased:
            alias_finder = _alias_finder(tuple(sorted(aliased)))
            matches += [
                (start, end, aliased[text.decode()])
                for start, end, text in self._mentions(alias_finder)
            ]
        around = self._enclosing_each([start for start, _, _ in matches])
        for (start, end, rules), fn in zip(matches, around, strict=True):
            # a mention that adds nothing is not looked up in the tree
            if fn is not None:
                known = sinky.get(fn.node.id)
                if (known is None or not (rules & self.active) <= known) and not self._prose(end):
                    sinky.setdefault(fn.node.id, set()).update(rules & self.active)
            elif rules & self.active:
                self._outside.append((start, end))
                if not self._module_sinky and not self._prose(end):
                    self._module_sinky = True
        returns = [(r, sink) for r, sink in self.model.return_sinks if r in self.active]
        for fn in self.functions if returns else ():
            for r, sink in returns:
                if self._returns_into(fn, r, sink):
                    sinky.setdefault(fn.node.id, set()).add(r)
        self._sinky = sinky
        return bool(sinky) or self._module_sinky

    def _returns_into(self, fn: Function, rule: int, sink: Sink) -> bool:
        """Whether what ``fn`` returns reaches ``sink`` (of ``rule``): its name says so,
        or its decorator makes it a route whose return value is the response. Worked
        out once per function and rule (an editor keeps it across edits)."""
        seen = self._returns.setdefault(fn.node.id, {})
        found = seen.get(rule)
        if found is None:
            found = seen[rule] = bool(
                sink.returns_function
                and compile_regex(sink.returns_function).search(fn.name.encode())
            ) or bool(fn.decorators and self.Interp(self, fn, {})._route_sink(fn, sink))
        return found

    def _enclosing_each(self, positions: list[int]) -> list[Function | None]:
        """:meth:`enclosing` of each of ``positions``: for many (a file with a mention
        of a sink in most functions), in one pass over the functions in order, not a
        bisection each."""
        spans = self.spans
        if len(positions) * ENCLOSING_SHARE < len(spans):
            return [self.enclosing(p) for p in positions]
        out: list[Function | None] = [None] * len(positions)
        open_: list[tuple[int, int, Function]] = []  # around the place reached, innermost last
        i, n, last = 0, len(spans), -1
        for k in sorted(range(len(positions)), key=positions.__getitem__):
            pos = positions[k]
            while i < n:
                span = spans[i]
                if span[0] > pos:
                    break
                if span[0] == last:  # two functions start at one byte: the tree tells
                    return [self.enclosing(p) for p in positions]
                last = span[0]
                while open_ and open_[-1][1] <= span[0]:
                    open_.pop()
                open_.append(span)
                i += 1
            while open_ and open_[-1][1] <= pos:
                open_.pop()
            out[k] = open_[-1][2] if open_ else None
        return out

    def _mentions(self, finder: Any) -> list[tuple[int, int, bytes]]:
        """Every match of ``finder`` (a :class:`~genguard.taint.model.WordFinder`, or the
        regex of :func:`_alias_finder`) in the source, in order: start, end and text."""
        return [(m.start(), m.end(), m.group()) for m in finder.finditer(self.source)]

    def _near(self, only: Sequence[tuple[int, int]]) -> set[int]:
        """The functions (node ids) whose findings an edit of ``only`` can change, of
        those :meth:`run` chooses for their own: the functions touching it and their
        mates (the callers and helpers it reaches are analysed for their sake)."""
        key = tuple(only)
        if self._nearby is not None and self._nearby[0] == key:
            return self._nearby[1]
        touched = self.touching(only)
        near = {f.node.id for f in touched}
        for fn in touched:
            near.update(m.node.id for m in self.mates(fn))
        self._nearby = (key, near)
        return near

    def _in_order(self, ids: Collection[int]) -> list[Function]:
        """The functions of ``ids`` (node ids) in the order of :attr:`functions`."""
        return [fn for _, fn in self._placed(ids)]

    def _placed(self, ids: Collection[int]) -> list[tuple[int, Function]]:
        """The functions of ``ids`` (node ids), each with its index in :attr:`functions`,
        in that order: found by bisection of their starts when they are few (an edit's),
        by one pass over every function when they are many (a scan's)."""
        functions = self.functions
        if len(ids) * BISECT_SHARE > len(functions):
            return [(i, fn) for i, fn in enumerate(functions) if fn.node.id in ids]
        starts, spans = self.starts, self.spans
        placed: list[tuple[int, Function]] = []
        for fid in ids:
            fn = self.by_node[fid]
            i = bisect_left(starts, fn.node.start_byte)
            while spans[i][2] is not fn:  # (two functions may start at one byte)
                i += 1
            placed.append((i, fn))
        placed.sort(key=lambda p: p[0])
        return placed

    def parameters_of(self, fn: Function) -> tuple[list[str], dict[int, int]]:
        """``fn``'s parameter names and which are sources, parsed when first asked:
        most functions are never analysed."""
        found = self._params.get(fn.node.id)
        if found is None:
            found = self._params[fn.node.id] = self._parameters(fn.node, fn.decorators)
        return found

    def running(self, fn: Function) -> int | None:
        """The number of the computation of ``fn``'s summary while it is under way."""
        return self._busy.get(fn.node.id)

    def sourced(self, fn: Function) -> bool:
        """Whether ``fn``'s text mentions a source of an active rule (then its return
        value may be tainted even when called with constants)."""
        found = self._sourced.get(fn.node.id)
        if found is None:
            found = self._sourced[fn.node.id] = self.reads(fn, None)
        return found

    def reads(self, fn: Function, sources: frozenset[int] | None) -> bool:
        """Whether ``fn``'s text mentions one of ``sources`` (None: any source of an
        active rule); each source's search of a function is done once."""
        if self._source_probes is None:  # the same for every function of the file
            wanted = {
                i
                for r in self.active
                for i in (*self.model.rules[r].sources, *self.model.rules[r].conditions)
            }
            # a source whose probe the file's text does not match is mentioned
            # nowhere in it (those of classes with given bases excepted: a
            # function mentions them by other words than the file's probe)
            model_sources = self.model.sources
            self._source_probes = [
                (i, probe)
                for i, probe in enumerate(self.model.mentions)
                if i in wanted and (i in self.present or model_sources[i].bases)
            ]
        seen = self._mentioned.setdefault(fn.node.id, {})
        a, b = fn.node.start_byte, fn.node.end_byte
        for i, probe in self._source_probes:
            if sources is not None and i not in sources:
                continue
            found = seen.get(i)
            if found is None:
                found = seen[i] = probe is None or any(
                    not self._prose(m.end()) for m in probe.finditer(self.source, a, b)
                )
            if found:
                return True
        return False

    def _prose(self, end: int) -> bool:
        """Whether the mention ending at ``end`` is text in a comment or a string
        (``prose`` node types), which no call can be: a docstring that says "open"
        names no sink."""
        if not self.prose:
            return False
        node = self.root.descendant_for_byte_range(end - 1, end)
        return node is not None and node.type in self.prose

    def _touches(self, fn: Function, ranges: Sequence[tuple[int, int]]) -> bool:
        a, b = fn.node.start_byte, fn.node.end_byte
        return any(s <= b and a <= e for s, e in ranges)

    def _with_callers(self, touched: list[Function]) -> set[int]:
        """``touched`` and every same-file function that calls one of them, transitively:
        a caller's findings can land in a callee through its summary."""
        wanted = {f.node.id for f in touched}
        todo = list(touched)
        while todo:
            fn = todo.pop()
            for reader in [*self.callers.get(fn.name, ()), *self.mates(fn)]:
                if reader.node.id not in wanted:
                    wanted.add(reader.node.id)
                    todo.append(reader)
        return wanted

    def scope(self, ranges: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
        """The spans an edit of ``ranges`` can change findings in: the functions it
        touches, their same-file callers (their flows pass through) and the helpers
        either calls (a finding through a summary lands in the helper's body), and
        every sink outside the functions: the code there runs as one body on every
        check, and what reaches its sinks changes with an edit anywhere in it, or of a
        function it calls (``cmd = sys.argv[1]`` made a constant clears the finding
        at a later ``os.system(cmd)``)."""
        self._count_calls()
        touched = self.touching(ranges)
        inside = [
            r
            for r in ranges
            if any(f.node.start_byte <= r[0] and r[1] <= f.node.end_byte for f in touched)
        ]
        wanted = self._with_callers(touched)
        names: set[str] = set()
        if len(inside) < len(ranges):  # module-level code changed
            names |= self.callees.get(None, set())
        callees = self.callees
        for fid in wanted:
            names |= callees.get(fid, set())
        todo = list(names)
        while todo:
            for fn in self.by_name.get(todo.pop(), ()):
                if fn.node.id not in wanted:
                    wanted.add(fn.node.id)
                    for name in self.callees.get(fn.node.id, set()) - names:
                        names.add(name)
                        todo.append(name)
        spans = [(f.node.start_byte, f.node.end_byte) for f in self._in_order(wanted)]
        self._sinks()  # (which finds the sinks outside functions)
        return [*spans, *self._outside]

    def _count_calls(self) -> None:
        if self._counted:
            return
        self._counted = True
        if not self.by_name:
            return
        found = self.call_captures
        if found is None:
            found = QueryCursor(self.calls_query()).captures(self.root)
        names = {n.encode(): n for n in self.by_name}
        for callee in found.get("callee", ()):
            name = names.get(callee.text or b"")
            if name is None:
                continue
            caller = self.enclosing(callee.start_byte)
            if caller is not None:
                self.callers.setdefault(name, []).append(caller)
            self.callees.setdefault(caller.node.id if caller else None, set()).add(name)
            for target in self.by_name[name]:
                target.calls += 1
        for ref in found.get("ref", ()):
            # passed as a callback: called from elsewhere, with unknown arguments
            name = names.get(ref.text or b"")
            for target in self.by_name.get(name or "", ()):
                target.calls += 1000

    def predicate(self, fn: Function) -> Predicate:
        """``fn``'s checks as a condition (see :meth:`InterpCore.held`)."""
        found = self._predicates.get(fn.node.id)
        key = ("predicate", fn.node.id)
        if found is None:
            self._predicates[fn.node.id] = {}  # recursion: no claim
            act = self.begin(key)
            try:
                found = self._predicates[fn.node.id] = self.Interp(self, fn, {}).run_predicate()
            finally:
                self.end(act, key)
        else:
            self.read(key)
        return found

    # -- what a cached value depends on -------------------------------------------------
    #
    # A summary (or a predicate, a field's value) read while another computation is under
    # way may depend on it: a recursive call sees the function busy and gets nothing.
    # Each computation notes the lowest position on the stack of computations whose
    # state it read; one that read none below itself is PURE: computed at any other
    # time it is the same, so a run only to report it again is saved when it reached
    # no sink with a value it would report (:meth:`summary`).

    def begin(self, key: Any = None) -> int:
        """A computation starts (of the derived value ``key``, if any): its number."""
        act = self._numbered
        self._numbered += 1
        self._place[act] = len(self._stack)
        self._stack.append([act, len(self._stack)])
        if key is not None:
            self._running[key] = act
        return act

    def end(self, act: int, key: Any = None) -> int:
        """Computation ``act`` ends: its anchor (PURE; HISTORY when it read what earlier
        work left, a module global while the module body ran among them; else the
        number of the outermost computation under way whose state it read). The
        computation around it depends on what it read below that one."""
        at = self._place.pop(act)
        _, low = self._stack.pop()
        if self._stack and low < self._stack[-1][1]:
            self._stack[-1][1] = low
        if low < 0:
            anchor = HISTORY
        elif low >= at:
            anchor = PURE
        else:
            anchor = self._stack[low][0]
        if key is not None:
            del self._running[key]
            self._anchors[key] = anchor
        return anchor

    def touch(self, anchor: int) -> None:
        """The computation under way reads a value with ``anchor`` (or the state of the
        computation numbered ``anchor``)."""
        if anchor == PURE or not self._stack:
            return
        top = self._stack[-1]
        at = self._place.get(anchor, HISTORY) if anchor >= 0 else HISTORY
        if at < top[1]:
            top[1] = at

    def read(self, key: Any) -> None:
        """The derived value ``key`` is read from its cache (or while it is computed)."""
        act = self._running.get(key)
        self.touch(act if act is not None else self._anchors.get(key, HISTORY))

    def summary(self, fn: Function, *, report: bool = False) -> Summary | None:
        """``fn``'s summary; with ``report`` also its findings (added to ``hits``).

        Both are remembered by what they depend on (:meth:`_summary_key`), offsets
        relative to the function, so an edit elsewhere in the file reuses them."""
        fid = fn.node.id
        known = self._summaries.get(fid)
        if known is not None and not report:
            self.touch(self._summary_anchors[fid])
            return known
        act = self._busy.get(fid)
        if act is not None:
            self.touch(act)
            return None  # recursion: the call is treated as unknown
        if (
            report
            and known is not None
            and self._summary_anchors[fid] == PURE
            and fid in self._quiet
        ):
            return known  # its run again would be the same, and report nothing
        key = self._summary_key(fn)
        start = fn.node.start_byte
        if key is not None:
            cached = self.model.summaries.get((key, report))
            if cached is not None:
                summary, hits = cached
                known = self._summaries[fid] = shift_summary(summary, start)
                self._summary_anchors[fid] = HISTORY
                self.touch(HISTORY)
                self.hits.extend(shift_hit(h, start) for h in hits)
                return known
        act = self._busy[fid] = self.begin()
        before = len(self.hits)
        try:
            interp = self.Interp(self, fn, {})
            summary = interp.run_function(report=report)
        finally:
            del self._busy[fid]
            self._summary_anchors[fid] = self.end(act)
        self._summaries[fid] = summary
        if interp.would:
            self._quiet.discard(fid)
        else:
            self._quiet.add(fid)
        found = self.hits[before:]
        end = fn.node.end_byte
        if (
            key is not None
            and within(summary, start, end)
            and all(
                start <= h.start and h.end <= end and trace_within(h.trace, start, end)
                for h in found
            )
        ):
            relative = [shift_hit(h, -start) for h in found]
            self.model.remember((key, report), (shift_summary(summary, -start), relative))
        return summary

    def _summary_key(self, fn: Function) -> tuple[Any, ...] | None:
        """What a function's summary depends on: its text, the helpers it calls (their
        text, transitively), the module's constants and imports, the active rules. An
        edit elsewhere in the file leaves it the same, so the summary is reused."""
        if fn.node.id in self._keys:  # the same for the whole analysis
            return self._keys[fn.node.id]
        if self._context is None:
            consts = sorted(
                (k, repr(v.const)) for k, v in self.globals.items() if v.const is not NC
            )
            self._context = hash(
                (tuple(consts), tuple(sorted(self.aliases.items())), self.active, self.context())
            )
        digests = []
        seen: set[int] = set()
        todo = [fn]
        while todo and len(seen) <= 64:
            cur = todo.pop()
            if cur.node.id in seen:
                continue
            seen.add(cur.node.id)
            found = self._texts.get(cur.node.id)
            if found is None:  # once per function: its text's digest, what it may read
                # from its first decorator: a route's decorator makes its parameters
                # sources and its return value a sink, in a function of the same text
                start = min((d.start_byte for d in cur.decorators), default=cur.node.start_byte)
                text = self.source[min(start, cur.node.start_byte) : cur.node.end_byte]
                helpers = [
                    g
                    for name in sorted(self.callees.get(cur.node.id, ()))
                    for g in self.by_name.get(name, ())
                ]
                # the methods whose stores it may read
                found = self._texts[cur.node.id] = (
                    hashlib.sha1(text).digest(),
                    [*helpers, *self.feeds(cur)],
                )
            digests.append(found[0])
            todo.extend(found[1])
        key = (
            None
            if len(seen) > 64
            else (
                hashlib.sha1(b"".join(digests)).digest(),
                self._context,
                fn.cls,
                self.depends(fn),
                fn.calls > 0,
            )
        )
        self._keys[fn.node.id] = key
        return key

    def hit(self, hit: Hit) -> None:
        """Record a finding; past MAX_HITS per rule more of the same tells nobody anything."""
        count = self.per_rule.get(hit.rule, 0)
        if count < MAX_HITS or (hit.trace.origin >= 0 and count < 2 * MAX_HITS):
            self.per_rule[hit.rule] = count + 1
            self.hits.append(hit)

    def tick(self) -> None:
        self.visits += 1
        if self.visits > MAX_VISITS:
            raise Exhausted(f"stopped at its limit of {MAX_VISITS} evaluated nodes")
        if not self.visits & 255 and time.monotonic() > self.deadline:
            raise Exhausted("stopped at its time budget", timed=True)


class Globals(dict):
    """The module's globals while its body still runs: a summary computed then that
    reads one of them depends on when it was computed (see
    :meth:`FileAnalysisCore.end`); the final globals are a plain dict."""

    __slots__ = ("fa",)

    def __init__(self, fa: FileAnalysisCore, values: Any = ()) -> None:
        super().__init__(values)
        self.fa = fa

    def __contains__(self, key: object) -> bool:
        self.fa.touch(HISTORY)
        return super().__contains__(key)

    def __getitem__(self, key: str) -> Val:
        self.fa.touch(HISTORY)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self.fa.touch(HISTORY)
        return super().get(key, default)


Env = dict[str, Val]


def join_envs(envs: list[Env | None]) -> Env | None:
    live = [e for e in envs if e is not None]
    if not live:
        return None
    if len(live) == 1:
        return dict(live[0])
    if len(live) == 2:  # most joins: two branches, a loop's round and what came before
        joined = dict(live[0])
        for k, v in live[1].items():
            was = joined.get(k)
            if was is None:
                joined[k] = v
            elif was is not v:
                joined[k] = join(was, v)
        return joined
    keys: set[str] = set()
    for e in live:
        keys.update(e)
    out: Env = {}
    for k in keys:
        vals = [e[k] for e in live if k in e]
        first = vals[0]
        # most names hold the same value on every path: join would return it
        out[k] = first if all(v is first for v in vals) else join(*vals)
    return out


class InterpCore:
    """Abstract interpretation of one function body (or the module body): the parts
    that do not look at syntax. A front end adds statements and expressions."""

    def __init__(self, fa: FileAnalysisCore, fn: Function | None, env: Env) -> None:
        self.fa = fa
        self.model = fa.model
        self.fn = fn
        self.env = env
        self.returns: list[Val] = []
        self.sinks: list[ParamSink] = []
        self._sunk: set[tuple[Any, ...]] = set()
        self.report = fn is None
        self.depth = 0
        self.loop_exits: list[list[Env]] = []
        self.route_returns: list[tuple[int, Sink]] = []
        self.checks: list[tuple[Node, Val, Env]] | None = None  # a predicate's returns
        self.would = False
        """A value reached a sink that a run with ``report`` reports."""

    def _clean_names(self, node: Node, env: Env, index: int) -> Env:
        raise NotImplementedError

    def held(self, params: Sequence[str]) -> Predicate:
        """What a same-file function returning a boolean checks, from the returns its
        run collected in ``checks``: parameter index -> the guards that hold for it
        whenever it returns something true (``return url.startswith("/")``)."""
        paths: list[Predicate] = []
        for node, val, env in self.checks or ():
            if val.const is not NC and not val.const:
                continue  # return false: no claim
            after = self.guarded(node, dict(env), True)
            found: Predicate = {}
            for i, name in enumerate(params):
                traces = [t for t in after.get(name, CLEAN).traces if t.origin == param_origin(i)]
                if traces:
                    found[i] = frozenset.intersection(*(t.clean for t in traces))
            paths.append(found)
        if not paths:
            return {}
        # Each true return may check in its own way (an allow-list on one path, a
        # startswith on another): a rule is covered when every path checked with one of
        # its sanitizers, and the predicate cleans with the sanitizers every one of whose
        # rules is covered.
        rules = self.model.rules
        held: Predicate = {}
        for i in set.intersection(*(set(p) for p in paths)):
            covered = set.intersection(
                *({r for r, e in enumerate(rules) if e.sanitizers & p[i]} for p in paths)
            )
            used = frozenset().union(*(p[i] for p in paths))
            clean = frozenset(
                s
                for s in used
                if all(r in covered for r, e in enumerate(rules) if s in e.sanitizers)
            )
            if clean:
                held[i] = clean
        return held

    def _predicates_at(self, targets: list[Function], args: list[Node], env: Env) -> Env:
        """A call of the file's own checks (``is_inside(p, ROOT)``) holds."""
        for target in targets:
            for i, indexes in self.fa.predicate(target).items():
                if i < len(args):
                    for index in indexes:
                        env = self._clean_names(args[i], env, index)
        return env

    def _expr(self, node: Node) -> Val:
        raise NotImplementedError

    def statement(self, node: Node, env: Env) -> Env | None:
        raise NotImplementedError

    def _route_sink(self, fn: Function, sink: Sink) -> bool:
        """Whether ``fn``'s returned values reach ``sink`` (a route's response)."""
        raise NotImplementedError

    def expr(self, node: Node | None) -> Val:
        if node is None:
            return CLEAN
        fa = self.fa
        visits = fa.visits = fa.visits + 1  # tick(), inline: it runs for every node
        if visits > MAX_VISITS or not visits & 255:
            fa.visits -= 1
            fa.tick()
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                return Val(
                    (Trace(UNKNOWN, node.start_byte, node.end_byte, "deeply nested expression"),)
                )
            return self._expr(node)
        finally:
            self.depth -= 1

    def _source_val(self, indexes: list[int], node: Node, label: str) -> Val:
        traces = []
        for index in indexes:
            src = self.model.sources[index]
            traces.append(Trace(index, node.start_byte, node.end_byte, label, src.weak))
        return Val(merge_traces(tuple(traces)))

    def identifier(self, node: Node) -> Val:
        """A name: its binding here, else what the front end's ``_free`` says it is,
        plus the sources the rules name that way (a parameter called like one)."""
        name = node_text(node)
        val = self.env.get(name)
        if val is None:
            val = self._free(name, node)
        for index in self.fa.named_sources(name):
            if index in self.fa.present:
                src = self.model.sources[index]
                trace = Trace(index, node.start_byte, node.end_byte, name, src.weak)
                val = Val(
                    merge_traces((trace,), val.traces), val.const, val.text, val.elems, val.keys
                )
        return val

    def _free(self, name: str, node: Node) -> Val:
        """A name not bound in the function (a source, global, import or builtin)."""
        raise NotImplementedError

    def _assign_sinks(self, name: str, node: Node, val: Val) -> None:
        """A value stored under a name an ``assign`` sink matches (``el.innerHTML =``,
        a weak random value into ``token =``)."""
        if not val.traces:
            return
        for rule, sink in self.fa.assign_sinks(name):
            self.sink(rule, node, val, sink)

    def sink(
        self,
        rule: int,
        node: Node,
        val: Val,
        sink: Sink,
        needs: tuple[int, tuple[str, ...]] | None = None,
    ) -> None:
        """Report what of ``val`` reaches the sink; ``needs``: a ``when_from``
        condition the caller's argument for that parameter must still meet."""
        if not val.traces:
            return
        shaped = shape_ok(val, sink)
        # a parameter passed on as it is: its shape is the caller's argument's
        deferred = not val.text and val.prefix is None and not isinstance(val.const, str)
        entry = self.model.rules[rule]
        for trace in val.traces:
            if trace.clean & entry.sanitizers or trace.origin in entry.conditions:
                continue
            if trace.origin <= -2:  # a parameter: the caller's argument decides
                if shaped or deferred:
                    check = sink if deferred and constrained(sink) else None
                    self._param_sink(
                        ParamSink(
                            origin_param(trace.origin),
                            rule,
                            node.start_byte,
                            node.end_byte,
                            trace,
                            check,
                            needs,
                        )
                    )
            elif not shaped:
                continue
            elif needs is not None:  # data read here, a condition the caller must meet
                if trace.origin in entry.sources or (
                    trace.origin == UNKNOWN and entry.unknown != "off"
                ):
                    self._param_sink(
                        ParamSink(
                            needs[0], rule, node.start_byte, node.end_byte, trace, None, needs, True
                        )
                    )
            elif trace.origin >= 0:
                if trace.origin in entry.sources:
                    self.would = True
                    if self.report:
                        self.fa.hit(Hit(rule, node.start_byte, node.end_byte, trace))
            elif entry.unknown != "off":  # unknown origin
                self.would = True
                if self.report:
                    self.fa.hit(Hit(rule, node.start_byte, node.end_byte, trace))

    def _param_sink(self, ps: ParamSink) -> None:
        """Add ``ps`` to the summary unless one the same in all but its path is there:
        a loop run again, or each path through branches, reaches the same sink with
        the same parameter again, and a caller would apply every copy (in a loop over
        a helper's summary, thousands of copies of a few dozen sinks). The copies only
        differ in the steps shown, and the first is the one a finding shows."""
        t = ps.trace
        key = (
            ps.param,
            ps.rule,
            ps.start,
            ps.end,
            t.origin,
            t.weak,
            t.clean,
            id(ps.check),
            ps.needs,
            ps.own,
        )
        if key not in self._sunk:
            self._sunk.add(key)
            self.sinks.append(ps)

    def block(self, node: Node, env: Env) -> Env | None:
        """Run the statements of ``node``; None when no path flows past its end."""
        cur: Env | None = env
        for stmt in node.named_children:
            if cur is None:
                return None
            cur = self.statement(stmt, cur)
        return cur

    def guarded(self, cond: Node | None, env: Env, truth: bool) -> Env:
        """``env`` on the branch where ``cond`` is ``truth`` (guards clean what they
        check); the front end knows its conditions."""
        return env

    def choose(self, cond: Node | None, a: Node | None, b: Node | None) -> Val:
        """``a if cond else b``: the branch a constant condition picks, else either,
        each seen under what its side of the condition guarantees."""
        known = truth(self.expr(cond))
        saved = self.env
        if known is True:
            self.env = self.guarded(cond, dict(saved), True)
            out = self.expr(a)
            self.env = saved
            return out
        if known is False:
            return self.expr(b)
        self.env = self.guarded(cond, dict(saved), True)
        va = self.expr(a)
        self.env = self.guarded(cond, dict(saved), False)
        vb = self.expr(b)
        self.env = saved
        return join(va, vb)

    def join_envs(self, envs: list[Env | None]) -> Env | None:
        """Where paths meet (see :func:`join_envs`); a front end whose environments
        hold more than variables may refine it."""
        return join_envs(envs)

    def branches(
        self, clauses: Sequence[tuple[Node | None, Node | None]], otherwise: Node | None, env: Env
    ) -> Env | None:
        """An if/else-if/else chain: each body runs on the branch where its condition
        holds (and the earlier ones did not); a condition that folds to a constant
        decides which bodies can run at all. The outcome is every live branch joined."""
        outs: list[Env | None] = []
        cur: Env | None = env
        for c, b in clauses:
            if cur is None:
                break
            self.env = cur
            val = self.expr(c) if c is not None else CLEAN
            known = truth(val)
            if known is not False and b is not None:
                inside = self.guarded(c, dict(cur), True)
                self._enter_branch(cur, inside)
                try:
                    outs.append(self.block(b, inside))
                finally:
                    self._leave_branch()
            if known is True:
                cur = None
                break
            cur = self.guarded(c, dict(cur), False) if c is not None else cur
        if cur is not None:
            outs.append(self.block(otherwise, cur) if otherwise is not None else cur)
        return self.join_envs(outs)

    def _unbound(self, name: str, node: Node, builtins: frozenset[str]) -> Val:
        """A name no statement here binds and no model calls a source: a module
        global's value in a function; clean when it is an import, a builtin or the
        file's own definition; else of unknown origin."""
        if self.fn is not None and name in self.fa.globals:
            return self.fa.globals[name]
        fa = self.fa
        if name in fa.aliases or name in builtins or name in fa.defined or name in fa.by_name:
            return CLEAN
        if self.fn is None and name in self.env:
            return self.env[name]
        return Val((Trace(UNKNOWN, node.start_byte, node.end_byte, name),))

    def _enter_branch(self, before: Env, inside: Env) -> None:
        """A branch's body is about to run under what its condition guarantees
        (``inside``; ``before`` is the state the condition was tested in): a hook for
        front ends that keep what a guard cleaned. A hook, not a wrapper around the
        body, so nesting costs no extra stack frame."""

    def _leave_branch(self) -> None:
        """The branch :meth:`_enter_branch` announced has run."""

    def repeat(
        self, env: Env, body: Node | None, bind: Callable[[], None] | None = None
    ) -> tuple[Env, list[Env]]:
        """A loop: its body runs LOOP_ROUNDS times from the join of what came before
        and what the previous round left (enough for these bounded values to settle).
        ``bind`` assigns the loop variable at the start of each round. Returns the
        state after the loop and the states of its ``break`` statements."""
        exits: list[Env] = []
        self.loop_exits.append(exits)
        cur = env
        try:
            for _ in range(LOOP_ROUNDS):
                self.env = dict(cur)
                if bind is not None:
                    bind()
                out = self.block(body, self.env) if body is not None else self.env
                joined = self.join_envs([cur, out, *exits])
                if joined is None:
                    break
                cur = joined
        finally:
            self.loop_exits.pop()
        return cur, exits

    def _call_sinks(
        self,
        names: tuple[str | None, ...],
        node: Node,
        positional: list[Val],
        pos_nodes: list[Node],
        receiver: Val,
        receiver_node: Node | None,
        keywords: dict[str, Val] | None = None,
        kw_nodes: dict[str, Node] | None = None,
        extra: list[Val] | None = None,
        args_node: Node | None = None,
    ) -> None:
        """The sinks a call is (its receiver, its arguments), one decision for every
        front end."""
        for rule, sink in self.model.sink_calls.lookup(*names):
            if sink.exclude and any(p.matches(n) for p in sink.exclude for n in names if n):
                continue
            if sink.receiver:
                if receiver_node is not None:
                    self.sink(rule, node, receiver, sink)
                if not sink.args and not sink.keywords:
                    continue
            self._call_sink(
                rule,
                sink,
                node,
                positional,
                pos_nodes,
                keywords or {},
                kw_nodes or {},
                extra or [],
                args_node,
                receiver,
            )

    def _call_sink(
        self,
        rule: int,
        sink: Sink,
        node: Node,
        positional: list[Val],
        pos_nodes: list[Node],
        keywords: dict[str, Val],
        kw_nodes: dict[str, Node],
        extra: list[Val],
        args_node: Node | None,
        receiver: Val | None = None,
    ) -> None:
        def given(key: Any) -> tuple[Val | None, Node | None]:
            if key == "receiver":
                return receiver, None
            if isinstance(key, int):
                if key < len(positional):
                    return positional[key], pos_nodes[key]
                return None, None
            return keywords.get(key), kw_nodes.get(key)

        equals = self.equals

        for key, options in sink.when.items():
            got, at = given(key)
            if got is None:
                return
            if got.const is NC and not equals(got, at, options):
                if not (True in options and got.tainted):
                    return  # a literal must be there; a flag computed from data may be on
            elif got.const is not NC and not equals(got, at, options):
                return
        for key, options in sink.unless.items():
            got, at = given(key)
            if got is not None and equals(got, at, options):
                return
        for key in sink.safe_with:
            if given(key)[0] is not None:
                return  # e.g. a parser the caller configured: judged where it is made
        for key, pattern in sink.when_match.items():
            got, _at = given(key)
            if (
                got is not None
                and isinstance(got.const, str)
                and not compile_regex(pattern).search(got.const.encode())
            ):
                return  # a cookie named "theme", not "session": not this sink
        needs: tuple[int, tuple[str, ...]] | None = None
        for key, labels in sink.when_from.items():
            got, _at = given(key)
            met = self.labelled(got, labels) if got is not None else False
            if met is False:
                return  # e.g. a parser that resolves no entities
            if met is not True:
                needs = (met, labels)  # a parameter: the caller's argument decides

        def emit(v: Val) -> None:
            self.sink(rule, node, v, sink, needs)

        if sink.argv0:  # ["sh", "-c", cmd]: the elements after the program count
            lists = [positional[i] for i in sink.args if i < len(positional)]
            lists += [keywords[k] for k in sink.keywords if k in keywords]
            for argv in lists:
                head = argv.elems[0].const if argv.elems else None
                if isinstance(head, str) and head.rsplit("/", 1)[-1] in sink.argv0:
                    for v in argv.elems[1:]:  # type: ignore[index]
                        emit(v)
            return
        if not sink.args and not sink.keywords:
            for v, _n in zip(positional, pos_nodes, strict=False):
                emit(v)
            for v in keywords.values():
                emit(v)
            for v in extra:
                emit(v)
            return
        for i in sink.args:
            if i < len(positional):
                emit(positional[i])
        for k in sink.keywords:
            if k in keywords:
                emit(keywords[k])
        if extra and sink.args and min(sink.args) >= len(positional):
            for v in extra:
                emit(v)

    def source_holds(
        self, index: int, given: Callable[[Any], tuple[Val | None, Node | None]]
    ) -> bool:
        """Whether a call source's literal conditions hold: every ``when`` argument is one
        of its literals and no ``unless`` argument is; ``given`` reads an argument by
        position or keyword, as the front end's calls hold them."""
        src = self.model.sources[index]
        for key, options in src.when:
            got, at = given(key)
            if got is None or not self.equals(got, at, options):
                return False
        for key, options in src.unless:
            got, at = given(key)
            if got is not None and self.equals(got, at, options):
                return False
        return True

    def equals(self, val: Val, at: Node | None, options: tuple[Any, ...]) -> bool:
        """Whether ``val`` is one of the literals ``options``, or a name among them given
        as the value (``Loader=yaml.SafeLoader``), as written or resolved."""
        if val.const is not NC:
            return any(same(val.const, o) for o in options)
        names = [n for n in self.fa.qualified(at) if n] if at is not None else []
        return any(isinstance(o, str) and o in names for o in options)

    def labelled(self, val: Val, labels: tuple[str, ...]) -> bool | int:
        """Whether ``val`` holds a value from a source with one of ``labels``: True,
        False, or the parameter whose argument decides (the first one it holds)."""
        param = None
        for t in val.traces:
            if t.origin >= 0 and self.model.sources[t.origin].label in labels:
                return True
            if t.origin <= -2 and param is None:
                param = origin_param(t.origin)
        return False if param is None else param

    def _mutate(
        self,
        name: str,
        method: str | None,
        positional: list[Val],
        keywords: dict[str, Val],
        every: list[Val],
    ) -> None:
        old = self.env[name]
        if method == "append" and old.elems is not None and len(positional) == 1:
            self.env[name] = sequence([*old.elems, positional[0]])
            return
        if method == "update" and old.keys is not None and not positional and keywords:
            items = [(k, v) for k, v in old.keys if k not in keywords] + list(keywords.items())
            self.env[name] = mapping(items, [])
            return
        added = [v.plain() for v in every]
        if method == "extend" and positional:
            added = [element(positional[0])]
        self.env[name] = Val(
            merge_traces(old.traces, *(v.traces for v in added)),
            NC,
            old.text or any(v.text for v in added),
        )

    def _container_read(
        self, name: str | None, old: Val, method: str, positional: list[Val]
    ) -> Val | None:
        key = positional[0] if positional else None
        if (
            method in ("get", "pop")
            and old.keys is not None
            and key is not None
            and key.const is not NC
        ):
            found = dict(old.keys).get(key.const)
            if method == "pop" and name is not None:
                rest = [(k, v) for k, v in old.keys if k != key.const]
                self.env[name] = mapping(rest, [])
            if found is not None:
                return found
            return positional[1] if len(positional) > 1 else Val((), None)
        if method == "pop" and old.elems is not None:
            index = key.const if key is not None else -1
            if (
                isinstance(index, int)
                and not isinstance(index, bool)
                and -len(old.elems) <= index < len(old.elems)
            ):
                elems = list(old.elems)
                picked = elems.pop(index)
                if name is not None:
                    self.env[name] = sequence(elems)
                return picked
        if method in ("pop", "popleft", "get", "copy", "items", "values", "keys"):
            return (
                old.plain()
                if method != "get" or not positional[1:]
                else join(old.plain(), positional[1])
            )
        return None

    def bind(
        self, target: Function, positional: list[Val], keywords: dict[str, Val], receiver: Val
    ) -> dict[int, Val]:
        """What a call passes for each of ``target``'s parameters (``*args`` and
        ``**kwargs`` take the rest; a method's object and, for an instance made in
        this file, its fields)."""
        args: dict[int, Val] = {}
        offset = target.offset
        star, double = target.splats
        for i, v in enumerate(positional):
            if star is not None and i + offset >= star:  # def run(*parts): the rest
                args[star] = sequence(positional[star - offset :])
                break
            args[i + offset] = v
        rest: list[tuple[Any, Val]] = []
        for k, v in keywords.items():
            if k in target.params and target.params.index(k) not in (star, double):
                args[target.params.index(k)] = v
            else:
                rest.append((k, v))
        if double is not None and rest:  # def build(**attrs): the other keywords
            args[double] = mapping(rest, [])
        if offset:
            args[0] = receiver
            for name, val in receiver.keys or ():  # an instance made here: its fields
                if isinstance(name, str):
                    args[field_slot(name)] = val
        return args

    def _apply(
        self,
        target: Function,
        node: Node,
        positional: list[Val],
        keywords: dict[str, Val],
        receiver: Val,
    ) -> Val:
        summary = self.fa.summary(target)
        if summary is None:
            return combine(*positional, *keywords.values())
        args = self.bind(target, positional, keywords, receiver)
        step = Step(node.start_byte, node.end_byte, f"{target.name}()")
        # parameter -> sink: the argument's traces reach the helper's sink
        for ps in summary.sinks:
            arg = args.get(ps.param)
            if arg is None or not arg.traces:
                continue
            carried = Val(
                tuple(
                    Trace(
                        t.origin,
                        t.start,
                        t.end,
                        t.label,
                        t.weak,
                        t.clean | ps.trace.clean,
                        (*t.steps, step, *ps.trace.steps)[:6],
                    )
                    for t in arg.traces
                ),
                NC,
                arg.text,
                prefix=leading(arg),
            )
            needs = None
            if ps.needs is not None:  # the helper's condition on another of its parameters
                cond = args.get(ps.needs[0])
                met = self.labelled(cond, ps.needs[1]) if cond is not None else False
                if met is False:
                    continue
                needs = None if met is True else (met, ps.needs[1])
            if ps.own:  # the helper read the data itself: report it once the condition holds
                own = replace(ps.trace, steps=(*ps.trace.steps, step)[:6])
                fake = At(ps.start, ps.end)
                self.sink(ps.rule, fake, Val((own,)), ANY_SINK, needs)  # type: ignore[arg-type]
                continue
            fake = At(ps.start, ps.end)
            self.sink(ps.rule, fake, carried, ps.check or ANY_SINK, needs)  # type: ignore[arg-type]

        return substitute(summary.returns, args, step)


def substitute(val: Val, args: dict[int, Val], step: Step) -> Val:
    """``val`` as computed in a helper, with each parameter's trace replaced by what
    the call passed for it (element by element for a returned dict or list)."""
    out: list[Trace] = []
    for t in val.traces:
        if t.origin <= -2:
            arg = args.get(origin_param(t.origin))
            if arg is None:
                continue
            out.extend(
                Trace(a.origin, a.start, a.end, a.label, a.weak, a.clean | t.clean, steps)
                for a in arg.traces
                for steps in ((*a.steps, step)[:6],)
            )
        else:
            out.append(t)
    elems = None if val.elems is None else tuple(substitute(e, args, step) for e in val.elems)
    keys = None if val.keys is None else tuple((k, substitute(v, args, step)) for k, v in val.keys)
    return Val(merge_traces(tuple(out)), val.const, val.text, elems, keys, val.prefix)


@dataclass(frozen=True, slots=True)
class At:
    """A stand-in node: a sink location inside a helper, reached through its summary."""

    start_byte: int
    end_byte: int


def shift_trace(t: Trace, delta: int) -> Trace:
    steps = tuple(Step(s.start + delta, s.end + delta, s.label) for s in t.steps)
    return Trace(t.origin, t.start + delta, t.end + delta, t.label, t.weak, t.clean, steps)


def shift_val(v: Val, delta: int) -> Val:
    elems = None if v.elems is None else tuple(shift_val(e, delta) for e in v.elems)
    keys = None if v.keys is None else tuple((k, shift_val(x, delta)) for k, x in v.keys)
    traces = tuple(shift_trace(t, delta) for t in v.traces)
    return Val(traces, v.const, v.text, elems, keys, v.prefix)


def shift_summary(summary: Summary, delta: int) -> Summary:
    """The summary with every offset moved by ``delta`` (relative <-> absolute)."""
    sinks = [
        replace(ps, start=ps.start + delta, end=ps.end + delta, trace=shift_trace(ps.trace, delta))
        for ps in summary.sinks
    ]
    fields = {k: shift_val(v, delta) for k, v in summary.fields.items()}
    return Summary(shift_val(summary.returns, delta), sinks, fields)


def shift_hit(hit: Hit, delta: int) -> Hit:
    return Hit(hit.rule, hit.start + delta, hit.end + delta, shift_trace(hit.trace, delta))


def trace_within(t: Trace, start: int, end: int) -> bool:
    spans = [(t.start, t.end), *((s.start, s.end) for s in t.steps)]
    return all(start <= a and b <= end for a, b in spans if (a, b) != (0, 0))


def within(summary: Summary, start: int, end: int) -> bool:
    """Whether every offset of ``summary`` lies in [start, end] (nothing from a helper)."""

    def ok_trace(t: Trace) -> bool:
        spans = [(t.start, t.end), *((s.start, s.end) for s in t.steps)]
        return all(start <= a and b <= end for a, b in spans if (a, b) != (0, 0))

    def ok_val(v: Val) -> bool:
        return (
            all(ok_trace(t) for t in v.traces)
            and all(ok_val(e) for e in v.elems or ())
            and all(ok_val(x) for _, x in v.keys or ())
        )

    return (
        ok_val(summary.returns)
        and all(ok_val(v) for v in summary.fields.values())
        and all(start <= ps.start and ps.end <= end and ok_trace(ps.trace) for ps in summary.sinks)
    )


ANY_SINK = Sink()


def constrained(sink: Sink) -> bool:
    return sink.shape is not None or sink.prefix is not None or sink.safe_prefix is not None


def shape_ok(val: Val, sink: Sink) -> bool:
    """Whether ``val`` has the shape the sink needs (a built string, a prefix)."""
    if sink.shape == "text" and not val.text:
        return False
    if sink.shape == "scalar" and (val.keys is not None or val.elems is not None):
        return False
    if sink.prefix is not None or sink.safe_prefix is not None:
        head = (leading(val) or "").encode()
        if sink.prefix is not None and not compile_regex(sink.prefix).search(head):
            return False
        if sink.safe_prefix is not None and compile_regex(sink.safe_prefix).search(head):
            return False
    return True


def same(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return a.lower() == b.lower()
    return type(a) is type(b) and a == b


def indexed(value: Val, key: Val) -> Val | None:
    """The element a constant key picks from a known mapping or sequence, in any
    front end (``d["k"]``, ``xs[0]``, ``xs[-1]``); None when it cannot be told."""
    if value.keys is not None and key.const is not NC:
        found = dict(value.keys).get(key.const)
        if found is not None:
            return found
    if (
        value.elems is not None
        and isinstance(key.const, int)
        and not isinstance(key.const, bool)
        and -len(value.elems) <= key.const < len(value.elems)
    ):
        return value.elems[key.const]
    return None


def element(val: Val) -> Val:
    if val.elems:
        return join(*val.elems)
    if isinstance(val.const, str) and val.const:
        return Val((), NC)
    return val.plain()


def truth(val: Val) -> bool | None:
    if val.const is NC or val.tainted:
        return None
    try:
        return bool(val.const)
    except Exception:
        return None


OPS: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "//": operator.floordiv,
    "%": operator.mod,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
    "&": operator.and_,
    "|": operator.or_,
    "^": operator.xor,
}


def fold(symbol: str, a: Any, b: Any) -> Any:
    """Fold a binary operation on constants; NC when unknown or too costly."""
    if a is NC or b is NC:
        return NC
    fn = OPS.get(symbol)
    if symbol == "**":
        if isinstance(a, int | float) and isinstance(b, int) and abs(b) <= 64 and abs(a) < 1 << 32:
            return a**b
        return NC
    if fn is None:
        return NC
    if symbol == "*" and (isinstance(a, str | bytes) or isinstance(b, str | bytes)):
        count = b if isinstance(a, str | bytes) else a
        if (
            not isinstance(count, int)
            or count * max(len(a) if isinstance(a, str | bytes) else len(b), 1) > MAX_CONST
        ):
            return NC
    if symbol == "%" and isinstance(a, str):
        return NC  # formatting: keep it a built string, not a constant
    try:
        out = fn(a, b)
    except Exception:
        return NC
    if isinstance(out, int) and not isinstance(out, bool) and out.bit_length() > 256:
        return NC
    if isinstance(out, str) and len(out) > MAX_CONST:
        return NC
    return out
