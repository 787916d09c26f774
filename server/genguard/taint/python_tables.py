"""The Python front end's function and call tables, kept across an editor's edits.

A check of one edit needs the whole file's tables (which functions there are, who
calls whom, what is imported), but collecting them walks the whole tree: most of a
check's cost in a large file. So an open document keeps them, one *unit* per
top-level statement (a class per statement of its body, its header apart), and an
edit re-collects only the units it or the reparse changed; the others keep their
facts (and so do those the reparse reports changed whose text and tree are the
same), moved past the edit in runs of units (:class:`_Run`), so an edit costs what
it changed, not what follows it. A definition's node is looked up in the current tree
by its span when the analysis first needs it (:class:`NodeRef`), so untouched
functions cost nothing until one is analysed.

:class:`~genguard.taint.python.FileAnalysis` takes the tables instead of
collecting (``tables=``); its results are those of a fresh analysis of the text.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from tree_sitter import Node, Query, QueryCursor, Tree

from genguard.taint.model import Presence
from genguard.taint.python import definition, import_aliases
from genguard.text.buffer import envelop, merge_ranges

_UNIT_QUERY = """
(function_definition) @def
(import_statement) @import
(import_from_statement) @import
(call function: [(identifier) @callee (attribute attribute: (identifier) @callee)])
(argument_list (identifier) @ref)
(keyword_argument value: (identifier) @ref)
"""
"""What a unit's facts are read from (as the front end's own collection reads them)."""

_CLASSES = ("class_definition",)
_ids = itertools.count(1)


@cache
def _query() -> Query:
    from genguard.syntax.languages import get_language

    return Query(get_language("python"), _UNIT_QUERY)


class NodeRef:
    """A definition's node, by its span and type, resolved in the tables' current tree
    on first use. ``id``, ``start_byte``, ``end_byte`` and ``type`` are its own (``id``
    stays the same across edits); anything else is read from the node.

    Its span is kept as an ``offset`` from the start of the ``unit`` that holds it, and
    its ``size``: an edit before the unit moves the unit (its run, :class:`_Run`), not
    every definition in it."""

    __slots__ = ("_node", "_seen", "_tables", "id", "offset", "size", "type", "unit")

    def __init__(self, node: Node, tables: Tables, unit: Unit) -> None:
        self.id = next(_ids)
        self.unit = unit
        self.offset = node.start_byte - unit.start
        self.size = node.end_byte - node.start_byte
        self.type = node.type
        self._tables = tables
        self._node: Node | None = None  # held only until the next update (see resolve)
        self._seen = -1

    @property
    def start_byte(self) -> int:
        return self.unit.start + self.offset

    @property
    def end_byte(self) -> int:
        return self.unit.start + self.offset + self.size

    def resolve(self) -> Node:
        tables = self._tables
        if self._seen != tables.generation or self._node is None:
            start = self.unit.start + self.offset
            end = start + self.size
            node = tables.root.descendant_for_byte_range(start, end)
            while node is not None and not (
                node.type == self.type and node.start_byte == start and node.end_byte == end
            ):
                node = node.parent
            if node is None:
                raise LookupError(f"no {self.type} at {start}-{end}")
            self._node, self._seen = node, tables.generation
            tables.resolved.append(self)
        return self._node

    def __getattr__(self, name: str) -> Any:
        return getattr(self.resolve(), name)


@dataclass(slots=True)
class Definition:
    """A function definition as the analysis needs it, without its node."""

    node: NodeRef
    name: str
    cls: str | None
    decorators: list[NodeRef]


class _Run:
    """Consecutive units that move together: their spans are kept from ``by``, so an
    edit moves the runs after it, not each unit (most of a large file's)."""

    __slots__ = ("by", "size")

    def __init__(self, by: int) -> None:
        self.by = by
        self.size = 0  # units in it


class Unit:
    """One top-level statement (or one statement of a top-level class's body, or such
    a class's header) and what it holds. Its span is kept from its run's ``by``; the
    class header it is in (``head``) is that header's unit, so it moves only as far
    as the edits before the header: a method after an edit of its class keeps it."""

    __slots__ = (
        "_end",
        "_start",
        "calls",
        "defined",
        "functions",
        "head",
        "imports",
        "refs",
        "run",
        "shape",
    )

    def __init__(
        self, start: int, end: int, head: Unit | None, shape: tuple[str, int] | None
    ) -> None:
        self.run = _DETACHED
        self._start, self._end = start, end
        self.head = head  # the header of the class whose body it is in
        self.shape = shape  # its node's type and size (see _shape)
        self.functions: list[Definition] = []
        self.calls: list[tuple[bytes, Definition | None]] = []
        self.refs: list[bytes] = []
        self.imports: list[tuple[str, str]] = []
        self.defined: list[str] = []

    @property
    def start(self) -> int:
        return self._start + self.run.by

    @property
    def end(self) -> int:
        return self._end + self.run.by

    @property
    def owner(self) -> tuple[int, int] | None:
        """The span of the header of the class whose body it is in."""
        head = self.head
        return None if head is None else (head.start, head.end)

    def join(self, run: _Run) -> None:
        """Keep its span from ``run``'s."""
        start, end = self.start, self.end
        self.run = run
        self._start, self._end = start - run.by, end - run.by
        run.size += 1


_DETACHED = _Run(0)
"""The run of a unit not (or no longer) in the tables."""


class Tables:
    """One document's units, in order; :meth:`edited` after every edit of its text,
    :meth:`update` with the reparsed tree before an analysis."""

    def __init__(self) -> None:
        self.units: list[Unit] = []
        self._runs: list[_Run] = []  # of the units, in their order
        self.root: Node | None = None
        self.generation = 0
        self.resolved: list[NodeRef] = []  # refs holding a node of the current tree
        self._built = False
        self._root_type = ""
        #: Units gone and units collected since :meth:`changes` was last asked, or
        #: ``renewed`` when every unit was collected afresh: what an analysis's view of
        #: the functions kept across edits must follow (see the Python front end).
        self.view: Any = None
        #: What the sources' search found in the text of the last analysis.
        self.presence = Presence()
        self.renewed = True
        self._dropped: list[Unit] = []
        self._added: list[Unit] = []
        # edits since the last update, as envelopes (lo, hi, delta): [lo, hi) in
        # current offsets holds every byte they changed, and the text after moved by
        # delta; sorted, apart
        self._edits: list[tuple[int, int, int]] = []
        self._scans: dict[Any, KeptScan] = {}

    def edited(self, start: int, old_end: int, new_end: int) -> None:
        """Note an edit replacing [start, old_end) by text ending at ``new_end``."""
        self._edits = envelop(self._edits, start, old_end, new_end)
        self.presence.edited(start, old_end, new_end)
        for scan in self._scans.values():
            scan.edited(start, old_end, new_end)

    def scan(self, finder: Any) -> KeptScan:
        """The kept scan of the text with ``finder`` (see :class:`KeptScan`)."""
        found = self._scans.get(finder)
        if found is None:
            if len(self._scans) >= MAX_SCANS:  # the active rules changed again and again
                self._scans.clear()
            found = self._scans[finder] = KeptScan(finder)
        return found

    def reset(self) -> None:
        """Forget everything (a new text or tree): the next update collects afresh."""
        self.units, self._runs = [], []
        self._built = False
        self._edits = []
        self._scans = {}
        self.renewed = True

    def changes(self) -> tuple[bool, list[Unit], list[Unit]]:
        """Whether every unit was collected afresh, else the units gone and those
        collected (each at most once: a unit collected and gone since is in neither),
        since the last call."""
        renewed, dropped, added = self.renewed, self._dropped, self._added
        self.renewed, self._dropped, self._added = False, [], []
        if renewed:
            return True, [], []
        if dropped and added:
            gone, new = {id(u) for u in dropped}, {id(u) for u in added}
            dropped = [u for u in dropped if id(u) not in new]
            added = [u for u in added if id(u) not in gone]
        return False, dropped, added

    def update(self, source: bytes, tree: Tree, changed: Sequence[tuple[int, int]]) -> None:
        """Bring the units up to ``tree`` (parsed from ``source``); ``changed`` are the
        ranges the reparse reports as changed in structure."""
        root = tree.root_node
        self.root = root
        self.generation += 1
        for ref in self.resolved:  # a node keeps its whole tree alive: let old ones go
            ref._node = None
        self.resolved = []
        if root.type != self._root_type:  # a module, or an error around it all
            self._root_type = root.type
            self._built = False
        if not self._built:
            self._built = True
            self._edits = []
            self.units = self._collected(_units(root, 0, len(source)))
            self._rebase()
            self.renewed, self._dropped, self._added = True, [], []
            return
        dirty = [(a, b) for a, b in changed if b > a]
        units = self.units
        edited: list[tuple[int, int]] = []  # where the text changed (dirty: the tree)
        lost: list[tuple[int, int]] = []  # where the units the edits changed were
        if self._edits:
            edits, self._edits = self._edits, []
            old = _old(edits)
            lost = self._move(old)
            edited = [(lo, max(hi, lo + 1)) for lo, hi, _ in edits]
            dirty += edited
        regions = merge_ranges(dirty, empty=True)
        if not regions:
            return
        # Each top-level statement that changed (its span, its kind, or text in it) is
        # taken apart again; of its units, those the edit left alone are kept. The
        # others are kept whole, without a look at them: a tree outside the edits is
        # the same tree. Units it overlaps that it does not hold are dropped.
        nodes, dropped = _changed(root, units, merge_ranges([*regions, *lost], empty=True))
        changed_nodes = [nodes[s] for s in sorted(nodes)]
        drops = merge_ranges(
            [*((n.start_byte, max(n.end_byte, n.start_byte + 1)) for n in changed_nodes), *dropped],
            empty=True,
        )
        out: list[Unit] = []
        placed: list[int] = []  # where the units collected are in out
        pos, k = 0, 0
        for s, e in drops:
            i = max(pos, bisect_right(units, s, key=_unit_end))  # first ending after s
            j = max(i, bisect_left(units, e, key=_unit_start))  # first starting at e or later
            out += units[pos:i]
            by_span = {(u.start, u.end): u for u in units[i:j]}
            pos = j
            kept = len(out)
            while k < len(changed_nodes) and changed_nodes[k].start_byte < e:
                out += self._rebuilt(root, changed_nodes[k], by_span, regions, edited)
                k += 1
            reused = {id(u) for u in out[kept:]}
            for unit in units[i:j]:
                if id(unit) not in reused:
                    unit.run.size -= 1
                    self._dropped.append(unit)
            placed += (x for x in range(kept, len(out)) if out[x].run is _DETACHED)
        out += units[pos:]
        self.units = out
        self._place(placed)

    def _collected(self, spans: list[Span]) -> list[Unit]:
        """The units of ``spans`` (as :func:`_units` gives them), collected."""
        out: list[Unit] = []
        head: Unit | None = None
        for start, end, owner, at in spans:
            unit = self._collect(start, end, head if owner is not None else None, at)
            if at is None:  # a class header: the head of the units after it
                head = unit
            out.append(unit)
        return out

    def _move(self, old: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
        """Move the units past the edits (``old`` as :func:`_old` gives them), and drop
        those the edits changed: where they were, with the edit, is returned. Those
        after an edit move with their runs: from the last edit to the first, the runs
        after each (the units it splits a run between apart), not each unit."""
        units = self.units
        gone: list[list[Unit]] = []
        lost: list[tuple[int, int]] = []  # before the edits
        for lo, hi, delta in reversed(old):
            i = bisect_right(units, lo, key=_unit_end)  # the first ending after lo
            j = max(i, bisect_left(units, hi, key=_unit_start))  # ... starting at hi or later
            if delta and j < len(units):
                self._shift(j, delta)
            if i < j:
                for unit in units[i:j]:
                    unit.run.size -= 1
                lost.append((min(units[i].start, lo), max(units[j - 1].end, hi)))
                gone.append(units[i:j])
                del units[i:j]
        for found in reversed(gone):
            self._dropped += found
        return [(_after(old, a, False), _after(old, b, True)) for a, b in lost]

    def _shift(self, j: int, delta: int) -> None:
        """Move the units from the ``j``-th on by ``delta``."""
        units, runs = self.units, self._runs
        run = units[j].run
        r = _index(runs, run)
        if j and units[j - 1].run is run:  # the run is split: the units from j on apart
            new = _Run(run.by)
            k = j
            while k < len(units) and units[k].run is run:
                units[k].run = new  # moved by as much: their spans stay
                k += 1
            new.size, run.size = k - j, run.size - (k - j)
            r += 1
            runs.insert(r, new)
        for k in range(r, len(runs)):
            runs[k].by += delta

    def _place(self, fresh: list[int]) -> None:
        """Put the units just collected (the ``fresh``-th, in order) into the runs of
        the units before them (or after, at the start); runs grown long, or grown
        many, are made again."""
        units, runs = self.units, self._runs
        longest = 0
        for k in fresh:
            unit = units[k]
            if k:
                run = units[k - 1].run
            elif len(units) > 1 and units[1].run is not _DETACHED:
                run = units[1].run
            else:
                run = _Run(0)
                runs.insert(0, run)
            unit.join(run)
            longest = max(longest, run.size)
        if longest > 4 * RUN or len(runs) > 2 * len(units) // RUN + 16:
            self._rebase()

    def _rebase(self) -> None:
        """Runs of :data:`RUN` units each, made afresh."""
        units = self.units
        self._runs = []
        for k in range(0, len(units), RUN):
            run = _Run(0)
            self._runs.append(run)
            for unit in units[k : k + RUN]:
                unit.join(run)

    def _rebuilt(
        self,
        root: Node,
        node: Node,
        by_span: dict[tuple[int, int], Unit],
        regions: list[tuple[int, int]],
        edited: list[tuple[int, int]],
    ) -> list[Unit]:
        """The units of a changed top-level statement: those of ``by_span`` (its old
        units) that the edit left alone, the others collected again.

        A unit of the same span and owner whose text no edit touched is the same unit
        when its node has the same type and size, and neither holds a syntax error,
        though the reparse reports it changed: it reports the first token after an
        edit as changed (the edit is told to it up to there,
        :mod:`genguard.syntax.edits`), which took the statement after every edit
        apart."""
        s, e = node.start_byte, node.end_byte
        cls = _class_of(node)
        body = cls.child_by_field_name("body") if cls is not None else None
        # a class header of another span, or a changed one that now names the class
        # otherwise: its name is in every method. (The reparse reports the first token
        # after an insertion as changed, so a header after one often is, unchanged.)
        header = by_span.get((s, body.start_byte)) if body is not None else None
        whole = body is not None and (
            header is None
            or (
                _overlaps(regions, s, body.start_byte)
                and _class_name(cls) not in header.defined
            )
        )
        out: list[Unit] = []
        head: Unit | None = None  # the class header of the units after it
        edited = [(a, b) for a, b in edited if a < e and b > s] if edited else edited
        for start, end, owner, at in _units(root, s, max(e, s + 1), node):
            unit = by_span.get((start, end))
            if (
                unit is None
                or unit.owner != owner
                or whole
                or (
                    _overlaps(regions, start, end)
                    and (
                        unit.shape is None
                        or unit.shape != _shape(at)
                        or (edited and _overlaps(edited, start, end))
                    )
                )
            ):
                unit = self._collect(start, end, head if owner is not None else None, at)
                self._added.append(unit)
            elif owner is not None:  # its header may be one collected again
                unit.head = head
            if at is None:
                head = unit
            out.append(unit)
        return out

    def _collect(self, start: int, end: int, head: Unit | None, at: Node | None) -> Unit:
        assert self.root is not None
        unit = Unit(start, end, head, _shape(at))
        cursor = QueryCursor(_query())
        cursor.set_byte_range(start, end)
        found = cursor.captures(self.root)
        spans: list[tuple[int, int, Definition]] = []

        def inside(node: Node) -> bool:
            return start <= node.start_byte and node.end_byte <= end

        for node in sorted(found.get("import", ()), key=lambda n: n.start_byte):
            if inside(node):
                unit.imports += import_aliases(node)
        for node in sorted(found.get("def", ()), key=lambda n: n.start_byte):
            if not inside(node):
                continue
            name, cls, decorators, module_level = definition(node)
            d = Definition(
                NodeRef(node, self, unit), name, cls, [NodeRef(x, self, unit) for x in decorators]
            )
            unit.functions.append(d)
            spans.append((node.start_byte, node.end_byte, d))
            if module_level:
                unit.defined.append(name)
        for node in found.get("callee", ()):
            if inside(node):
                unit.calls.append((node.text or b"", _innermost(spans, node.start_byte)))
        for node in found.get("ref", ()):
            if inside(node):
                unit.refs.append(node.text or b"")
        unit.defined += _class_names(self.root, start, end)
        return unit


MAX_SCANS = 4
"""Kept scans of one document (one per set of active rules, or of imported aliases)."""

_BARRIERS = frozenset(b")]}=,:;'\"+-*%&|^~>{@")
"""Characters no mention can hold past its first (see :func:`_mention` in
:mod:`genguard.taint.model`): names, dots, space, comments, line continuations and a
call's opening bracket are what one is made of."""
_BARRIER_WINDOW = 4096
"""How far before an edit the restart of a kept scan is looked for."""


class KeptScan:
    """The matches of one finder (:class:`~genguard.taint.model.WordFinder`, or an
    alias regex) in a document's text, kept across its edits: an edit is scanned again
    from a point before it where the full scan's state is the same, until the new
    matches meet a kept one after it; so the result is exactly a full scan's.

    The scan runs left to right, each search from where the last match ended. Before
    an edit, a search cannot reach it past two *barriers* (characters no match holds
    past its first, outside a comment): the matches starting before the first are the
    same, and the scan is taken up again from the end of the last of them. After the
    edit, once a new match is a kept one (same span), the rest is the same text
    scanned from the same place."""

    __slots__ = ("_barriers", "_edits", "finder", "found")

    def __init__(self, finder: Any) -> None:
        self.finder = finder
        self.found: list[tuple[int, int, bytes]] | None = None  # None: not scanned yet
        self._edits: list[tuple[int, int, int]] = []  # since the last scan (envelopes)
        words = getattr(finder, "words", None)
        used = set("".join(words).encode()) if words is not None else set(finder.pattern)
        self._barriers = bytes(sorted(_BARRIERS - used))

    def edited(self, start: int, old_end: int, new_end: int) -> None:
        if self.found is not None:
            self._edits = envelop(self._edits, start, old_end, new_end)

    def matches(self, source: bytes) -> list[tuple[int, int, bytes]]:
        """Every match in ``source`` (the document's text now), in order."""
        found, edits = self.found, self._edits
        self._edits = []
        if found is None:
            found = self.found = []
            self._scan(source, 0, found, [], 0, 0)
            return found
        if not edits:
            return found
        # the kept matches in today's offsets, without those the edits touched
        kept: list[tuple[int, int, bytes]] = []
        old = _old(edits)
        k, shift, n = 0, 0, len(old)
        for match in found:
            a, b, _ = match
            while k < n and old[k][1] < a:
                shift += old[k][2]
                k += 1
            if k < n and old[k][0] <= b:
                continue  # an edit touches it
            kept.append((a + shift, b + shift, match[2]) if shift else match)
        out: list[tuple[int, int, bytes]] = []
        at = 0  # the kept matches before it are in ``out`` or scanned past
        for lo, hi, _ in edits:  # each place edited, in order
            first = self._restart(source, lo)
            i = max(at, bisect_right(kept, first, key=_match_start))
            out += kept[at:i]  # those starting up to the restart stand
            at = self._scan(source, out[-1][1] if out else 0, out, kept, i, hi)
        out += kept[at:]
        self.found = out
        return out

    def _scan(
        self,
        source: bytes,
        pos: int,
        out: list[tuple[int, int, bytes]],
        kept: list[tuple[int, int, bytes]],
        at: int,
        past: int,
    ) -> int:
        """Scan from ``pos`` onto ``out`` until a match starting at ``past`` or later
        is one of ``kept`` (from index ``at`` on): the index of that one (len(kept)
        when none is met)."""
        for m in self.finder.finditer(source, pos):
            a, b = m.start(), m.end()
            while at < len(kept) and kept[at][0] < a:
                at += 1
            if a >= past and at < len(kept) and kept[at][0] == a and kept[at][1] == b:
                return at
            out.append((a, b, m.group()))
        return len(kept)

    def _restart(self, source: bytes, lo: int) -> int:
        """A place before ``lo`` no search from before it reaches ``lo`` past: the
        earlier of the last two barriers before it outside a comment, and before any
        ``/*`` that may open a comment reaching past them (-1: none, scan it all)."""
        block = source.find(b"/*", 0, lo)
        if block >= 0 and source.find(b"*/", block + 2) >= 0:
            lo = block
        start = max(0, lo - _BARRIER_WINDOW)
        window = source[start:lo]
        seen = 0
        barriers = self._barriers
        for at in range(len(window) - 1, -1, -1):
            if window[at] not in barriers:
                continue
            pos = start + at
            line = source.rfind(b"\n", 0, pos) + 1
            if b"#" in source[line:pos] or b"//" in source[line:pos]:
                continue  # maybe in a comment, which a mention may run through
            seen += 1
            if seen == 2:
                return pos
        return -1


def _match_start(match: tuple[int, int, bytes]) -> int:
    return match[0]


RUN = 64
"""Units in a run when runs are made afresh: an edit moves the runs after it (a few
dozen in a large file) and splits one (of a few dozen units), not every unit."""


def _old(edits: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """The envelopes in the offsets before the edits: (start, end, delta)."""
    out, before = [], 0
    for lo, hi, d in edits:
        out.append((lo - before, hi - before - d, d))
        before += d
    return out


def _after(old: list[tuple[int, int, int]], at: int, end: bool) -> int:
    """Where the offset ``at`` before the edits (``old`` as :func:`_old` gives them)
    is after them; inside an edit, where the edit starts (or, for an ``end``, ends)."""
    k = bisect_right(old, at, key=_envelope_end)  # the edits ending at or before it
    moved = sum(d for _, _, d in old[:k])
    if k < len(old) and old[k][0] < at:
        lo, hi, delta = old[k]
        return hi + moved + delta if end else lo + moved
    return at + moved


def _envelope_end(envelope: tuple[int, int, int]) -> int:
    return envelope[1]


def _changed(
    root: Node, units: list[Unit], regions: list[tuple[int, int]]
) -> tuple[dict[int, Node], list[tuple[int, int]]]:
    """The top-level statements to take apart again (by start), and the text where
    units are dropped: the statements and units in ``regions`` (where the edits and
    the reparse changed the text or the tree, and the units the edits changed were),
    then those sharing text with one of these, until no other does. Every unit
    dropped is where statements are collected again, and every statement collected
    again drops the units there. (The reparse's ranges hold every change of the tree;
    a statement it only shortened, or moved the start of, is found through the unit
    it was, which the statement next to it overlaps.)"""
    nodes: dict[int, Node] = {}
    taken: set[tuple[int, int]] = set()
    seen: set[int] = set()  # units found
    drops: list[tuple[int, int]] = []
    reach, covered = regions, regions
    while reach:
        found: list[tuple[int, int]] = []
        for lo, hi in reach:
            node = _first_child_after(root, lo - 1)  # the first ending at lo or after
            while node is not None and node.start_byte < hi:
                s, e = node.start_byte, max(node.end_byte, node.start_byte + 1)
                if e > lo and (s, e) not in taken:
                    taken.add((s, e))
                    nodes[s] = node
                    found.append((s, e))
                node = node.next_sibling
            i = bisect_right(units, lo, key=_unit_end)  # the first ending after lo
            while i < len(units) and units[i].start < hi:
                unit = units[i]
                if id(unit) not in seen:
                    seen.add(id(unit))
                    a = unit.start
                    found.append((a, max(unit.end, a + 1)))
                    drops.append(found[-1])
                i += 1
        found = merge_ranges(found, empty=True)
        reach = _outside(found, covered)
        covered = merge_ranges([*covered, *found], empty=True)
    return nodes, drops


def _outside(
    ranges: list[tuple[int, int]], covered: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """The parts of ``ranges`` outside ``covered`` (both sorted, apart)."""
    out: list[tuple[int, int]] = []
    for a, b in ranges:
        i = bisect_right(covered, (a, float("inf"))) - 1
        i = max(i, 0)
        while a < b and i < len(covered):
            c, d = covered[i]
            if d <= a:
                i += 1
                continue
            if c >= b:
                break
            if c > a:
                out.append((a, c))
            a = max(a, d)
            i += 1
        if a < b:
            out.append((a, b))
    return out


def _index(runs: list[_Run], run: _Run) -> int:
    """Where ``run`` is among ``runs`` (by identity: a run has no value)."""
    for k, other in enumerate(runs):
        if other is run:
            return k
    raise ValueError("a unit's run is not among the tables' runs")


def _unit_start(unit: Unit) -> int:
    return unit.start


def _unit_end(unit: Unit) -> int:
    return unit.end


def _innermost(spans: list[tuple[int, int, Definition]], pos: int) -> Definition | None:
    best = None
    for a, b, d in spans:  # sorted by start: the last one containing pos is innermost
        if a <= pos < b:
            best = d
        elif a > pos:
            break
    return best


def _class_names(root: Node, start: int, end: int) -> list[str]:
    """Names of the module-level classes whose definition starts in [start, end)."""
    out: list[str] = []
    if root.type != "module":
        return out
    node = _first_child_after(root, start)
    while node is not None and node.start_byte < end:
        cls = _class_of(node)
        name = _class_name(cls) if node.start_byte >= start else None
        if name is not None:
            out.append(name)
        node = node.next_sibling
    return out


def _class_name(cls: Node | None) -> str | None:
    """The name a class definition gives, as a unit's ``defined`` holds it."""
    name = cls.child_by_field_name("name") if cls is not None else None
    text = name.text if name is not None else None
    return text.decode("utf-8", "replace") if text is not None else None


def _first_child_after(root: Node, byte: int) -> Node | None:
    """The first child of ``root`` ending after ``byte``, found by bisection. (Not
    ``first_child_for_byte``: without such a child, in a module of blank lines, its
    null node crashes the process.)"""
    lo, hi = 0, root.child_count
    while lo < hi:
        mid = (lo + hi) // 2
        child = root.child(mid)
        if child is not None and child.end_byte <= byte:
            lo = mid + 1
        else:
            hi = mid
    return root.child(lo) if lo < root.child_count else None


def _class_of(node: Node) -> Node | None:
    """The class a top-level statement defines (past its decorators), if any."""
    if node.type == "decorated_definition":
        node = node.child_by_field_name("definition") or node
    return node if node.type in _CLASSES else None


Span = tuple[int, int, "tuple[int, int] | None", "Node | None"]
"""A unit's start, end, class header (if in a class's body) and node (none: a header)."""


def _shape(node: Node | None) -> tuple[str, int] | None:
    """What a unit's node is, to tell it is the same as another of the same text: none
    for a header, or a node holding a syntax error (error recovery may parse the same
    text differently)."""
    if node is None or node.has_error:
        return None
    return node.type, node.descendant_count


def _units(root: Node, start: int, end: int, only: Node | None = None) -> list[Span]:
    """The units of the tree that overlap [start, end) (of the top-level statement
    ``only``, if given), each with the class header it belongs to: top-level
    statements, except that a class is its header (up to its body) and each
    statement of its body."""
    out: list[Span] = []
    node = only if only is not None else _first_child_after(root, start)
    while node is not None and node.start_byte < end:
        cls = _class_of(node)
        body = cls.child_by_field_name("body") if cls is not None else None
        if body is None:
            out.append((node.start_byte, node.end_byte, None, node))
        else:
            header = (node.start_byte, body.start_byte)
            if start >= body.start_byte:  # inside the body: only its statements there
                out += _body_units(body, header, start, end)
            else:  # the header changed: the whole class (its name is in every method)
                out.append((*header, None, None))
                out += _body_units(body, header, body.start_byte, body.end_byte)
        node = node.next_sibling if only is None else None
    return out


def _overlaps(regions: list[tuple[int, int]], start: int, end: int) -> bool:
    i = bisect_right(regions, (start, float("inf"))) - 1
    if i >= 0 and regions[i][1] > start:
        return True
    return i + 1 < len(regions) and regions[i + 1][0] < max(end, start + 1)


def _body_units(body: Node, header: tuple[int, int], start: int, end: int) -> list[Span]:
    return [
        (child.start_byte, child.end_byte, header, child)
        for child in body.children
        if child.end_byte > start and child.start_byte < end
    ]
