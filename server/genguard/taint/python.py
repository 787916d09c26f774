"""Python front end of the taint engine: data flow over tree-sitter-python trees.

Each function body is interpreted abstractly, statement by statement, with an
environment from names to :class:`~genguard.taint.values.Val`. Branches are
analysed separately and joined (may-flow); a branch whose condition folds to a
constant is skipped; loops run their body twice (enough for the bounded values
here to settle). Functions of the same file get summaries (parameter → return
value, parameter → sink) that calls apply, so a helper that wraps a sink or a
sanitizer is understood; a function no call in the file reaches is analysed with
its parameters of unknown origin. Calls to anything else propagate the taint of
their receiver and arguments.

What is Python here is the syntax and the language's semantics (containers,
string formatting, ``with``, ``abort``); what is a source, sink or sanitizer is
data in the rule packs (:mod:`genguard.taint.spec`). Work is bounded: nesting
depth, visits per file and the size of folded constants all have caps, so a
hostile file costs at most linear time.
"""

from __future__ import annotations

import builtins
import hashlib
import re
import weakref
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import replace
from functools import cache
from typing import Any, TypeVar

from tree_sitter import Node, Query, QueryCursor, Tree

from genguard.rules.loader import compile_regex
from genguard.taint.core import (
    HISTORY,
    MAX_CONST,
    Env,
    FileAnalysisCore,
    Globals,
    Hit,
    InterpCore,
    Predicate,
    Summary,
    substitute,
)
from genguard.taint.core import Function as _Function
from genguard.taint.core import element as _element
from genguard.taint.core import fold as _fold
from genguard.taint.core import indexed as _indexed
from genguard.taint.core import join_envs as _join_envs
from genguard.taint.core import node_text as _text
from genguard.taint.core import snippet as _snippet
from genguard.taint.core import truth as _truth
from genguard.taint.model import TaintModel
from genguard.taint.spec import Sink
from genguard.taint.values import (
    CLEAN,
    NC,
    Step,
    Trace,
    Val,
    combine,
    field_slot,
    join,
    leading,
    mapping,
    merge_traces,
    param_origin,
    sequence,
)

MAX_FIELDS = 16
"""Fields of ``self`` an instance made in the file keeps, by name (more are rare)."""

FUNCTION_TYPES = ("function_definition",)
NORETURN = frozenset({"abort", "flask.abort", "sys.exit", "exit", "quit", "os._exit", "os.abort"})
"""Calls that never return: a branch ending in one does not flow on."""
BUILTINS = frozenset(dir(builtins)) | {"__file__", "__path__", "__cached__", "__builtins__"}
"""Names every module has: builtins, and the module's own file and path (``__name__``
and ``__doc__`` are among the builtins' names already)."""
"""Names every module can use without binding them."""
ADDERS = frozenset(
    {
        "append",
        "extend",
        "insert",
        "add",
        "update",
        "appendleft",
        "extendleft",
        "setdefault",
        "write",
        "writelines",
    }
)
SKIPPED_PARAMS = frozenset({"self", "cls"})
SLASH_FIRST = 1 << 30
SLASH_NOT_DOUBLE = SLASH_FIRST + 1
"""Marks in a trace's ``clean`` (no sanitizer has these indexes): one half of a check
that a value is a path on this site was seen (see :func:`_slash_check`)."""
CONVERTED = -1
"""In a function's ``sources``: a route parameter the framework converts (to a number,
a UUID, a date) before the function runs, so it holds no injection."""
_UNNAMED = object()  # not yet named (dotted() may name a node None)
FRAMEWORK_ANNOTATIONS = frozenset(
    {
        "Request",
        "HttpRequest",
        "WebSocket",
        "Session",
        "AsyncSession",
        "BackgroundTasks",
        "Response",
    }
)
FRAMEWORK_DEFAULTS = frozenset({"Depends", "Security"})
# A route parameter annotated with one of these is converted by the framework
# (FastAPI, typer) before the function runs; a value that fails conversion is
# refused, so what arrives cannot carry an injection (as int() cannot).
SCALAR_ANNOTATIONS = frozenset(
    {
        "int",
        "float",
        "bool",
        "complex",
        "Decimal",
        "UUID",
        "UUID1",
        "UUID3",
        "UUID4",
        "UUID5",
        "date",
        "datetime",
        "time",
        "timedelta",
        "PositiveInt",
        "NegativeInt",
        "NonNegativeInt",
        "NonPositiveInt",
        "PositiveFloat",
        "NegativeFloat",
        "StrictInt",
        "StrictFloat",
        "StrictBool",
        "conint",
        "confloat",
        "Literal",
    }
)
_WRAPPERS = frozenset({"Optional", "Annotated", "Union", "list", "List", "set", "Set"})
NOT_URL_KWARGS = frozenset(
    {
        "response",
        "exception",
        "exc_type",
        "exc_value",
        "tb",
        "template_name",
        "context",
        "extra_context",
        "view_func",
        "view_args",
        "view_kwargs",
        "callback",
        "form",
        "form_class",
        "queryset",
        "args",
        "kwargs",
    }
)
"""Endpoint parameters that hold framework objects, not request data."""


_CONSTANT_TYPES = frozenset(
    {
        "string",
        "concatenated_string",
        "integer",
        "float",
        "true",
        "false",
        "none",
        "binary_operator",
        "unary_operator",
        "tuple",
        "list",
        "set",
        "dictionary",
        "parenthesized_expression",
    }
)
"""Right-hand sides worth folding when a module's body is not analysed in full."""

_STRUCTURE = """
(function_definition) @def
(class_definition) @class
(import_statement) @import
(import_from_statement) @import
"""


_CALLS = """
(call function: [(identifier) @callee (attribute attribute: (identifier) @callee)])
(argument_list (identifier) @ref)
(keyword_argument value: (identifier) @ref)
"""


@cache
def _calls_query() -> Query:
    from genguard.syntax.languages import get_language

    return Query(get_language("python"), _CALLS)


@cache
def _structure_query() -> Query:
    """The file's structure and its calls in one query: one walk of the tree in C
    finds both (the calls are counted only in a file with a candidate, but a second
    walk for them costs more than capturing them every time)."""
    from genguard.syntax.languages import get_language

    return Query(get_language("python"), _STRUCTURE + _CALLS)


def definition(node: Node) -> tuple[str, str | None, list[Node], bool]:
    """A function definition's name, class (None outside one), decorators, and whether
    it stands at module level."""
    name_node = node.child_by_field_name("name")
    name = _text(name_node) if name_node is not None else ""
    parent = node.parent
    decorators: list[Node] = []
    if parent is not None and parent.type == "decorated_definition":
        decorators = [d for d in parent.named_children if d.type == "decorator"]
    container = _container(node)
    cls = None
    if (
        container.type == "block"
        and container.parent is not None
        and container.parent.type == "class_definition"
    ):
        cls_name = container.parent.child_by_field_name("name")
        cls = _text(cls_name) if cls_name is not None else "?"
    return name, cls, decorators, container.type == "module"


def import_aliases(node: Node) -> list[tuple[str, str]]:
    """The names an import statement binds, each with what it stands for."""
    out: list[tuple[str, str]] = []
    if node.type == "import_statement":
        for child in node.named_children:
            if child.type == "dotted_name":
                full = _text(child)
                out.append((full.split(".")[0], full.split(".")[0]))
            elif child.type == "aliased_import":
                name, alias = (
                    child.child_by_field_name("name"),
                    child.child_by_field_name("alias"),
                )
                if name is not None and alias is not None:
                    out.append((_text(alias), _text(name)))
        return out
    module = node.child_by_field_name("module_name")
    base = _text(module) if module is not None else ""
    for child in node.children_by_field_name("name"):
        if child.type == "dotted_name":
            out.append((_text(child), f"{base}.{_text(child)}".lstrip(".")))
        elif child.type == "aliased_import":
            name, alias = child.child_by_field_name("name"), child.child_by_field_name("alias")
            if name is not None and alias is not None:
                out.append((_text(alias), f"{base}.{_text(name)}".lstrip(".")))
    return out


def _container(node: Node) -> Node:
    """The block or module a definition stands in (past its decorators)."""
    parent = node.parent
    if parent is not None and parent.type == "decorated_definition":
        parent = parent.parent
    return parent if parent is not None else node


_SELF_NAME = re.compile(rb"\bself\s*\.\s*(?=(\w+))")
"""The ASCII names a method reads or stores on ``self``."""
_STORES_SELF = re.compile(
    rb"\bself\s*\.\s*\w+\s*(?:\[[^\]\n]*\]\s*)?(?:[-+*/%|&^@]|//|\*\*|>>|<<)?=(?!=)"
    rb"|\bself\s*\.\s*\w+\s*\.\s*(?:append|extend|insert|add|update|setdefault|write)\s*\("
)
"""Text of a method that stores into an attribute of ``self`` (over-approximate)."""


@cache
def _classes_query() -> Query:
    from genguard.syntax.languages import get_language

    return Query(get_language("python"), "(class_definition) @class")


def _unwrap(node: Node) -> Node:
    while node.type == "parenthesized_expression" and node.named_child_count == 1:
        node = node.named_children[0]
    return node


class _Latest:
    """The analysis a view's functions answer to (their ``fa``): the document's latest,
    set once an analysis rather than once a function. It is held weakly: the functions
    outlive the analysis, and must not keep it (and its tree) alive past its check,
    into the older generations the cyclic collector seldom walks."""

    __slots__ = ("fa",)

    def __init__(self) -> None:
        self.fa: Any = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.fa, name)


class _View:
    """The functions of a document and who calls whom, kept across the analyses of
    its edits: each analysis tells it the units the tables dropped and collected since
    the last one, so an edit touches the functions of the statements it changed and
    the names they call, not all of a large file's. What an analysis reads of the
    whole file (its imports, the names it defines, the classes' ``__init__``, the
    callers of its functions) is kept up to date the same way, not gathered again."""

    __slots__ = (
        "aliases",
        "by_name",
        "by_node",
        "callees",
        "callers",
        "classes",
        "counts",
        "defined",
        "functions",
        "imports",
        "init_of",
        "inits",
        "inits_version",
        "known",
        "latest",
        "making",
        "memo",
        "module",
        "named",
    )

    def __init__(self) -> None:
        self.functions: list[_Function] = []  # in the order written
        self.by_name: dict[str, list[_Function]] = {}  # each in the order written
        self.by_node: dict[int, _Function] = {}
        self.classes: dict[str, list[_Function]] = {}  # methods by class, in order
        self.callers: dict[str, list[_Function]] = {}  # of any name: one per call
        self.known: dict[str, list[_Function]] = {}  # those of the file's functions' names
        self.callees: dict[int | None, set[str]] = {}  # the file's functions called
        self.counts: dict[bytes, int] = {}  # calls of a name, 1000 per time passed on
        self.module: dict[str, int] = {}  # calls of a name outside every function
        self.imports: dict[str, list[tuple[Any, int, str]]] = {}  # alias: (unit, at, full)
        self.aliases: dict[str, str] = {}  # each alias's last import in the order written
        self.named: dict[str, int] = {}  # units defining a name at module level
        self.defined: set[str] = set()
        self.inits: dict[str | None, list[_Function]] = {}  # __init__ by class, in order
        self.init_of: dict[bytes, _Function] = {}  # of each class with one __init__
        self.inits_version = 0  # changed with init_of: what a _Making was made for
        self.making: _Making | None = None  # made() and makers(), once an analysis asked
        self.latest = _Latest()
        self.memo = _Memo()

    def follow(self, dropped: list[Any], added: list[Any]) -> None:
        """Drop the functions and calls of ``dropped`` units, add those of ``added``."""
        if not dropped and not added:
            return
        seen = _Seen()
        gone: list[_Function] = []
        for unit in dropped:
            self._drop(unit, seen, gone)
        if self.making is not None:
            self.making.follow(gone, added)
        calls: list[tuple[int | None, str]] = []
        fresh: list[_Function] = []
        for unit in added:
            self._add(unit, seen, calls, fresh)
        by_name, callees, counts = self.by_name, self.callees, self.counts
        for key, name in calls:  # once every function added is known by its name
            if name in by_name:
                callees.setdefault(key, set()).add(name)
        called = seen.called
        for name, had in seen.functions.items():  # now (or no longer) a function's name
            if (name in by_name) != had:
                self._called(name, not had)
                called.add(name)
        for name in called:  # whose callers, or whether it is a function's, changed
            found = self.callers.get(name) if name in by_name else None
            if found:
                self.known[name] = found
            else:
                self.known.pop(name, None)
        for fn in fresh:
            fn.calls = counts.get(fn.name.encode(), 0)
        for raw, count in seen.counts.items():  # the same functions, calls counted anew
            if counts.get(raw, 0) != count:
                name = raw.decode("utf-8", "replace")
                count = counts.get(name.encode(), 0)
                for fn in by_name.get(name, ()):
                    fn.calls = count
        self._settle(seen)

    def _settle(self, seen: _Seen) -> None:
        """Bring the imports, the names defined and the ``__init__`` of each class up
        to the units dropped and added."""
        imports, aliases = self.imports, self.aliases
        for alias in seen.aliases:  # a later import of a name wins, as when the module runs
            found = imports.get(alias)
            if found:
                aliases[alias] = max(found, key=_imported_at)[2]
            else:
                imports.pop(alias, None)
                aliases.pop(alias, None)
        named, defined = self.named, self.defined
        for name in seen.named:
            if named.get(name, 0) > 0:
                defined.add(name)
            else:
                named.pop(name, None)
                defined.discard(name)
        for cls in seen.classes:
            found = self.inits.get(cls, ())
            init = found[0] if len(found) == 1 else None
            key = cls.encode()
            if self.init_of.get(key) is not init:
                if init is None:
                    del self.init_of[key]
                else:
                    self.init_of[key] = init
                self.inits_version += 1

    def _drop(self, unit: Any, seen: _Seen, gone: list[_Function]) -> None:
        callers, callees, counts = self.callers, self.callees, self.counts
        mine: dict[int, _Function] = {}  # its functions, by their definition
        for rec in unit.functions:
            fn = mine[id(rec)] = self.by_node.pop(rec.node.id)
            self.memo.forget(rec.node.id)
            gone.append(fn)
            self.functions.remove(fn)
            seen.functions.setdefault(rec.name, True)
            _take(self.by_name, rec.name, fn)
            if rec.cls is not None:
                _take(self.classes, rec.cls, fn)
                if rec.name == "__init__":
                    _take(self.inits, rec.cls, fn)
                    seen.classes.add(rec.cls)
            callees.pop(rec.node.id, None)
        for called, rec in unit.calls:
            seen.counts.setdefault(called, counts[called])
            counts[called] -= 1
            name = called.decode("utf-8", "replace")
            if rec is not None:
                found = callers[name]
                found.remove(mine[id(rec)])  # one call: one entry (all alike)
                if not found:
                    del callers[name]
                seen.called.add(name)
            else:
                self.module[name] -= 1
                if not self.module[name]:
                    del self.module[name]
                    module = callees.get(None)
                    if module is not None:
                        module.discard(name)
                        if not module:
                            del callees[None]
        for passed in unit.refs:
            seen.counts.setdefault(passed, counts[passed])
            counts[passed] -= 1000
        for alias, _ in unit.imports:
            found = self.imports[alias]
            found[:] = [entry for entry in found if entry[0] is not unit]
            seen.aliases.add(alias)
        for name in unit.defined:
            self.named[name] -= 1
            seen.named.add(name)

    def _add(
        self,
        unit: Any,
        seen: _Seen,
        calls: list[tuple[int | None, str]],
        fresh: list[_Function],
    ) -> None:
        by_node, by_name, counts = self.by_node, self.by_name, self.counts
        latest = self.latest
        for rec in unit.functions:
            fn = _Function(rec.node, rec.name, rec.cls, rec.decorators, latest)
            by_node[rec.node.id] = fn
            fresh.append(fn)
            _put(self.functions, fn)
            seen.functions.setdefault(rec.name, rec.name in by_name)
            _put(by_name.setdefault(rec.name, []), fn)
            if rec.cls is not None:
                _put(self.classes.setdefault(rec.cls, []), fn)
                if rec.name == "__init__":
                    _put(self.inits.setdefault(rec.cls, []), fn)
                    seen.classes.add(rec.cls)
        for called, rec in unit.calls:
            seen.counts.setdefault(called, counts.get(called, 0))
            counts[called] = counts.get(called, 0) + 1
            name = called.decode("utf-8", "replace")
            if rec is not None:
                self.callers.setdefault(name, []).append(by_node[rec.node.id])
                calls.append((rec.node.id, name))
                seen.called.add(name)
            else:
                self.module[name] = self.module.get(name, 0) + 1
                calls.append((None, name))
        for passed in unit.refs:
            seen.counts.setdefault(passed, counts.get(passed, 0))
            counts[passed] = counts.get(passed, 0) + 1000
        for at, (alias, full) in enumerate(unit.imports):
            self.imports.setdefault(alias, []).append((unit, at, full))
            seen.aliases.add(alias)
        for name in unit.defined:
            self.named[name] = self.named.get(name, 0) + 1
            seen.named.add(name)

    def _called(self, name: str, defined: bool) -> None:
        """``name`` became the name of a function of the file (or no longer is): among
        the callees of those who call it (or no longer)."""
        keys: list[int | None] = [c.node.id for c in self.callers.get(name, ())]
        if name in self.module:
            keys.append(None)
        callees = self.callees
        for key in keys:
            if defined:
                callees.setdefault(key, set()).add(name)
            else:
                found = callees.get(key)
                if found is not None:
                    found.discard(name)
                    if not found:
                        del callees[key]


class _Seen:
    """What one :meth:`_View.follow` touched: what depends on it is brought up to
    date, and nothing else."""

    __slots__ = ("aliases", "called", "classes", "counts", "functions", "named")

    def __init__(self) -> None:
        self.functions: dict[str, bool] = {}  # names of functions dropped or added: known before?
        self.called: set[str] = set()  # names whose callers changed
        self.counts: dict[bytes, int] = {}  # calls of a name before
        self.aliases: set[str] = set()  # imported
        self.named: set[str] = set()  # defined at module level
        self.classes: set[str] = set()  # whose __init__ were dropped or added


def _imported_at(entry: tuple[Any, int, str]) -> tuple[int, int]:
    return entry[0].start, entry[1]


class _Memo:
    """What analyses worked out about each kept function from its own text, kept with
    it across edits: an edit leaves a kept function's text (and its tree) as it was,
    so the analysis of an edit of a large file does not search every function again
    (which sources each mentions, its parameters, whether it stores into ``self``,
    the names it reads on ``self``, the class it is a method of, whether it returns
    into a sink). Its parameters and what it returns into also depend on the imports
    (a route's decorator is resolved through them): they are forgotten when the
    imports change."""

    __slots__ = ("aliases", "classes", "mentioned", "params", "returns", "self_names", "stores")

    def __init__(self) -> None:
        self.mentioned: dict[int, dict[int, bool]] = {}  # see FileAnalysisCore.reads
        self.params: dict[int, tuple[list[str], dict[int, int]]] = {}
        self.self_names: dict[int, set[bytes]] = {}
        self.stores: dict[int, bool] = {}
        self.classes: dict[int, Any] = {}  # of methods of a module-level class
        self.returns: dict[int, dict[int, bool]] = {}  # see FileAnalysisCore._returns_into
        self.aliases: dict[str, str] = {}

    def forget(self, fid: int) -> None:
        for memo in (
            self.mentioned,
            self.params,
            self.self_names,
            self.stores,
            self.classes,
            self.returns,
        ):
            memo.pop(fid, None)

    def lend(self, fa: FileAnalysis) -> None:
        """Give ``fa`` the memos (after its imports are known)."""
        if self.aliases != fa.aliases:  # a decorator may name something else now
            self.aliases = dict(fa.aliases)
            self.params, self.returns = {}, {}
        fa._mentioned, fa._params, fa._self_names = self.mentioned, self.params, self.self_names
        fa._returns = self.returns
        fa._stores, fa._kept_classes = self.stores, self.classes


class _Making:
    """:meth:`FileAnalysis.made` and its reverse, kept in a :class:`_View` across the
    analyses of an edited document while the classes' ``__init__`` stay the same:
    the functions of the statements collected again since are searched, and those of
    the statements dropped taken out, instead of a search of the whole file."""

    __slots__ = ("_added", "_gone", "finder", "inits", "made", "makers", "version")

    def __init__(self, inits: dict[bytes, _Function], version: int = 0) -> None:
        self.inits = inits
        self.version = version  # of the view's __init__ it was made for
        self.finder = re.compile(rb"\b(?:" + b"|".join(map(re.escape, sorted(inits))) + rb")\b")
        self.made: dict[int, list[_Function]] = {}
        self.makers: dict[int, list[_Function]] = {}
        self._gone: list[_Function] = []  # functions dropped since the last search
        self._added: list[Any] = []  # units collected since the last search

    def follow(self, gone: list[_Function], added: list[Any]) -> None:
        self._gone += gone
        self._added += added

    def search(self, fa: FileAnalysis, start: int, end: int) -> None:
        """Add what the functions around the class names in [start, end) make."""
        made, makers, inits = self.made, self.makers, self.inits
        for m in self.finder.finditer(fa.source, start, end):
            around = fa.enclosing(m.start())
            init = inits[m.group()]
            if around is not None:
                found = made.setdefault(around.node.id, [])
                if init not in found:
                    found.append(init)
                    makers.setdefault(init.node.id, []).append(around)

    def settle(self, fa: FileAnalysis, by_node: dict[int, _Function]) -> None:
        """Bring it up to the units dropped and collected since the last search. (A
        maker's place among an ``__init__``'s makers is not the order written: they
        are only ever taken as a set.)"""
        gone, added, self._gone, self._added = self._gone, self._added, [], []
        made, makers = self.made, self.makers
        for fn in gone:
            for init in made.pop(fn.node.id, ()):
                found = makers[init.node.id]
                found.remove(fn)
                if not found:
                    del makers[init.node.id]
        for unit in added:  # (its functions gone since: collected and dropped again)
            if unit.functions and unit.functions[0].node.id in by_node:
                self.search(fa, unit.start, unit.end)


def _start(fn: _Function) -> int:
    return fn.node.start_byte


def _put(functions: list[_Function], fn: _Function) -> None:
    """Insert ``fn`` into ``functions`` (in the order written) where it belongs."""
    functions.insert(bisect_right(functions, fn.node.start_byte, key=_start), fn)


_T = TypeVar("_T")


def _start_of(fn: _Function) -> int:
    ref = fn.node
    return ref.unit.start + ref.offset


def _span_of(fn: _Function) -> tuple[int, int, _Function]:
    a = _start_of(fn)
    return (a, a + fn.node.size, fn)


class _Read(Sequence[_T]):
    """What ``read`` gives for each kept function (in the order written), worked out
    from its :class:`~genguard.taint.python_tables.NodeRef` when asked, not listed
    for every function at each check: a bisection reads a dozen. ``_Read(functions,
    _start_of)`` is what :attr:`FileAnalysisCore.starts` lists for a fresh collection,
    ``_Read(functions, _span_of)`` its ``spans``."""

    __slots__ = ("_functions", "_read")

    def __init__(self, functions: list[_Function], read: Callable[[_Function], _T]) -> None:
        self._functions = functions
        self._read = read

    def __len__(self) -> int:
        return len(self._functions)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self._read(fn) for fn in self._functions[i]]
        return self._read(self._functions[i])

    def __iter__(self) -> Iterator[_T]:
        return map(self._read, self._functions)


def _take(table: dict[str, list[_Function]], key: str, fn: _Function) -> None:
    found = table[key]
    found.remove(fn)
    if not found:
        del table[key]


class FileAnalysis(FileAnalysisCore):
    """One Python file's analysis: imports, functions (with their class and
    decorators), and what the core needs to name expressions and find calls."""

    receiver_params = SKIPPED_PARAMS
    prose = frozenset({"comment", "string_content", "string_start", "string_end"})

    def __init__(self, model: TaintModel, source: bytes, tree: Tree, tables: Any = None) -> None:
        self._tables = tables  # kept across an editor's edits: see python_tables
        self._view: _View | None = None  # the functions kept with them
        self._fields: dict[tuple[Any, str], Val] = {}
        self._classes: dict[str, list[_Function]] = {}  # methods by class name
        self._members: dict[Any, list[_Function]] = {}
        self._constructed: dict[int, frozenset[str]] = {}
        self._writer_cache: dict[Any, list[_Function]] = {}
        self._self_names: dict[int, set[bytes]] = {}
        self._stores: dict[int, bool] = {}  # whether a method stores into self
        self._class_of: dict[int, Any] = {}
        self._kept_classes: dict[int, Any] = {}  # _class_of for module-level classes
        self._instances: dict[str, str] | None = None
        self._class_names: AbstractSet[str] | None = None
        self._made: dict[int, list[_Function]] | None = None
        self._makers: dict[int, list[_Function]] = {}
        self._inits: dict[str | None, list[_Function]] | None = None
        self._class_nodes: dict[str, list[Node]] | None = None
        self._bases: dict[int, tuple[str, ...]] = {}
        self._names: dict[int, str | None] = {}  # see dotted()
        self._resolved: dict[int, tuple[str | None, str | None]] = {}  # see qualified()
        super().__init__(model, source, tree, None if tables is None else tables.presence)

    # -- collection -----------------------------------------------------------------

    def _collect(self) -> None:
        """Imports, functions (with their class and decorators) and calls, found by one
        query run in C rather than a walk of the whole tree in Python."""
        if self._tables is not None:
            self._adopt(self._tables)
            return
        found = QueryCursor(_structure_query()).captures(self.root)
        self.call_captures = found
        # in the order written (captures in broken code come out of order): a later
        # import of a name wins, as when the module runs
        for node in sorted(found.get("import", ()), key=lambda n: n.start_byte):
            self._import(node)
        for node in found.get("class", ()):
            if _container(node).type == "module":
                name = node.child_by_field_name("name")
                if name is not None:
                    self.defined.add(_text(name))
        for node in sorted(found.get("def", ()), key=lambda n: n.start_byte):
            self._define(node)
        self.spans = [(f.node.start_byte, f.node.end_byte, f) for f in self.functions]
        self.starts = [a for a, _, _ in self.spans]

    def _define(self, node: Node) -> None:
        name, cls, decorators, module_level = definition(node)
        if module_level:
            self.defined.add(name)
        fn = _Function(node, name, cls, decorators, self)
        self.functions.append(fn)
        self.by_name.setdefault(name, []).append(fn)
        self.by_node[node.id] = fn
        if cls is not None:
            self._classes.setdefault(cls, []).append(fn)

    def _import(self, node: Node) -> None:
        self.aliases.update(import_aliases(node))
        self._resolved.clear()  # names may resolve otherwise now

    def _adopt(self, tables: Any) -> None:
        """The function and call tables an editor keeps across edits (see
        :mod:`genguard.taint.python_tables`), updated for this text and tree: what
        :meth:`_collect` and :meth:`_count_calls` find, without a walk of the tree, and
        with the functions (and who calls whom) of the last analysis of the document,
        only those of the statements collected again since then made anew."""
        renewed, dropped, added = tables.changes()
        view = tables.view
        if renewed or view is None:
            view = tables.view = _View()
            dropped, added = [], tables.units
        view.follow(dropped, added)
        view.latest.fa = weakref.proxy(self)  # what every kept function answers to
        self._view = view
        self.aliases = dict(view.aliases)  # an import run in a function adds to them
        view.memo.lend(self)
        self.defined = view.defined
        self._inits = view.inits
        functions = self.functions = view.functions
        self.by_name, self.by_node, self._classes = view.by_name, view.by_node, view.classes
        # read where a check asks (a bisection reads a dozen), not listed for every
        # function: the offsets of every function after an edit have moved
        self.starts, self.spans = _Read(functions, _start_of), _Read(functions, _span_of)
        self._counted = True
        self.callers, self.callees = view.known, view.callees

    def _mentions(self, finder: Any) -> list[tuple[int, int, bytes]]:
        """As the core's; an editor's document keeps the scan across its edits (see
        :class:`~genguard.taint.python_tables.KeptScan`): an edit is scanned again, not
        the whole text."""
        if self._tables is None:
            return super()._mentions(finder)
        return self._tables.scan(finder).matches(self.source)

    def _parameters(self, node: Node, decorators: list[Node]) -> tuple[list[str], dict[int, int]]:
        params_node = node.child_by_field_name("parameters")
        names: list[str] = []
        skip: set[int] = set()
        converted: set[int] = set()  # of a route: what the framework converts is clean
        defaulted: set[int] = set()
        for child in params_node.named_children if params_node is not None else ():
            name = child
            if child.type in ("typed_default_parameter", "default_parameter"):
                defaulted.add(len(names))
            if child.type in ("typed_parameter", "typed_default_parameter", "default_parameter"):
                name = child.child_by_field_name("name") or (
                    child.named_children[0] if child.named_children else child
                )
                annotation = child.child_by_field_name("type")
                default = child.child_by_field_name("value")
                if (
                    annotation is not None
                    and _text(annotation).split(".")[-1].split("[")[0] in FRAMEWORK_ANNOTATIONS
                ):
                    skip.add(len(names))
                elif annotation is not None and _scalar(annotation):
                    converted.add(len(names))
                if default is not None and default.type == "call":
                    fn = default.child_by_field_name("function")
                    if fn is not None and _text(fn).split(".")[-1] in FRAMEWORK_DEFAULTS:
                        skip.add(len(names))
            elif child.type in ("list_splat_pattern", "dictionary_splat_pattern"):
                name = child.named_children[0] if child.named_children else child
            elif child.type != "identifier":
                continue
            names.append(_text(name))
        sources: dict[int, int] = {}
        model = self.model
        if model.decorated_sources and decorators:
            for decorator in decorators:
                expr = decorator.named_children[0] if decorator.named_children else None
                if expr is not None and expr.type == "call":
                    converted.update(_converted(expr, names))
                    expr = expr.child_by_field_name("function")
                qnames = self.qualified(expr) if expr is not None else ()
                for pattern, index in model.decorated_sources:
                    if any(pattern.matches(q) for q in qnames if q):
                        for i, n in enumerate(names):
                            if n not in SKIPPED_PARAMS and n != "request" and i not in skip:
                                sources.setdefault(i, CONVERTED if i in converted else index)
        first = next((n for n in names if n not in SKIPPED_PARAMS), None)
        if first is not None and first in model.first_param_sources:
            index = model.first_param_sources[first]
            start = names.index(first)
            for i in range(start + 1, len(names)):
                # URL kwargs: not a parameter with a default or one that names a
                # framework object (a middleware's response, an error view's exception)
                if i not in defaulted and i not in skip and names[i] not in NOT_URL_KWARGS:
                    sources.setdefault(i, index)
        return names, sources

    def splats(self, node: Node) -> tuple[int | None, int | None]:
        """Positions of ``*args`` and ``**kwargs`` among the parameters, if any (counted
        as :meth:`_parameters` counts them)."""
        star = double = None
        params_node = node.child_by_field_name("parameters")
        index = 0
        for child in params_node.named_children if params_node is not None else ():
            if child.type == "list_splat_pattern":
                star = index
            elif child.type == "dictionary_splat_pattern":
                double = index
            elif child.type not in (
                "identifier",
                "typed_parameter",
                "typed_default_parameter",
                "default_parameter",
            ):
                continue
            index += 1
        return (star, double)

    # -- classes and what they derive from -------------------------------------------

    def owner(self, fn: _Function) -> Node | None:
        """The class definition ``fn`` is a method of, if any."""
        if fn.cls is None:
            return None
        parent = _container(fn.node).parent
        return parent if parent is not None and parent.type == "class_definition" else None

    def bases(self, cls: Node) -> tuple[str, ...]:
        """Names ``cls`` derives from, as written and resolved, through the file's own
        classes (a handler deriving from a base handler of the same file)."""
        found = self._bases.get(cls.start_byte)
        if found is not None:
            return found
        if self._class_nodes is None:
            self._class_nodes = {}
            for node in QueryCursor(_classes_query()).captures(self.root).get("class", ()):
                name = node.child_by_field_name("name")
                if name is not None:
                    self._class_nodes.setdefault(_text(name), []).append(node)
        self._bases[cls.start_byte] = ()  # a cycle ends here
        out: list[str] = []
        supers = cls.child_by_field_name("superclasses")
        for arg in supers.named_children if supers is not None else ():
            names = [n for n in self.qualified(arg) if n]
            out.extend(names)
            for own in self._class_nodes.get(names[0], ()) if names else ():
                out.extend(self.bases(own))
        found = self._bases[cls.start_byte] = tuple(dict.fromkeys(out))
        return found

    def class_bases(self, fn: _Function | None) -> tuple[str, ...]:
        """What ``fn``'s class derives from, when a source that holds only in some
        classes may be in the file (else nothing needs to know)."""
        if fn is None or fn.cls is None or not self._based_present():
            return ()
        cls = self.owner(fn)
        return self.bases(cls) if cls is not None else ()

    def _based_present(self) -> bool:
        model = self.model
        return model.based_sources and any(model.sources[i].bases for i in self.present)

    def depends(self, fn: _Function) -> tuple[Any, ...]:
        """A method's sources may depend on what its class derives from; a function that
        makes an instance of one of the file's classes, on that class's ``__init__``."""
        inits = [
            init
            for name in sorted(self.callees.get(fn.node.id, ()))
            if name in self.class_names and (init := self.initializer_of(name)) is not None
        ]
        if not inits:
            return self.class_bases(fn)
        texts = tuple(self.source[i.node.start_byte : i.node.end_byte] for i in inits)
        return (*self.class_bases(fn), hashlib.sha1(b"\0".join(texts)).digest())

    def made(self, fn: _Function) -> list[_Function]:
        """The ``__init__`` of each of the file's classes whose name ``fn``'s code
        holds: a call of the class runs it (:meth:`_Interp._construct`)."""
        return self._making()[0].get(fn.node.id, [])

    def makers(self, fn: _Function) -> list[_Function]:
        return self._making()[1].get(fn.node.id, []) if fn.name == "__init__" else []

    def _making(self) -> tuple[dict[int, list[_Function]], dict[int, list[_Function]]]:
        """:meth:`made` and its reverse, from one search of the file for every class's
        name; kept in the view while its classes' ``__init__`` stay the same."""
        if self._made is None:
            view = self._view
            making = view.making if view is not None else None
            if view is not None and making is not None and making.version == view.inits_version:
                making.settle(self, self.by_node)
            else:
                inits = (
                    dict(view.init_of)
                    if view is not None
                    else {
                        name.encode(): init
                        for name in self.class_names
                        if (init := self.initializer_of(name)) is not None
                    }
                )
                making = None
                if inits:
                    making = _Making(inits, view.inits_version if view is not None else 0)
                    making.search(self, 0, len(self.source))
            if view is not None:
                view.making = making
            self._made, self._makers = (making.made, making.makers) if making else ({}, {})
        return self._made, self._makers

    # -- instances of the file's classes --------------------------------------------

    @property
    def class_names(self) -> AbstractSet[str]:
        """The names of the file's classes that have methods."""
        if self._class_names is None:
            view = self._view  # whose classes are those of its functions
            self._class_names = (
                view.classes.keys()
                if view is not None
                else {f.cls for f in self.functions if f.cls is not None}
            )
        return self._class_names

    def instances(self) -> dict[str, str]:
        """Module-level names bound to an instance of a class of this file
        (``archiver = Archiver("/srv")``), by the class's name."""
        if self._instances is None:
            self._instances = {}
            classes = self.class_names
            for stmt in self.root.named_children if classes else ():
                child = stmt.named_children[0] if stmt.type == "expression_statement" else None
                if child is None or child.type != "assignment":
                    continue
                left, right = child.child_by_field_name("left"), child.child_by_field_name("right")
                fn = right.child_by_field_name("function") if right is not None else None
                if (
                    left is not None
                    and left.type == "identifier"
                    and right is not None
                    and right.type == "call"
                    and fn is not None
                    and fn.type == "identifier"
                    and _text(fn) in classes
                ):
                    self._instances[_text(left)] = _text(fn)
        return self._instances

    def context(self) -> tuple[Any, ...]:
        """A call on a module-level instance reaches its class's methods."""
        return tuple(sorted(self.instances().items()))

    # -- fields of self ---------------------------------------------------------------

    def _class_key(self, fn: _Function) -> Any:
        """Which class ``fn`` is a method of: its name and the span of the function it is
        defined in (None at module level), so that classes of one name in two functions
        stay apart. Read from the node's ancestors: only methods of the class names an
        edit reaches are keyed, not every function of the file."""
        fid = fn.node.id
        key = self._kept_classes.get(fid) or self._class_of.get(fid)
        if key is None:
            outer = fn.node.parent
            while outer is not None and outer.type != "function_definition":
                outer = outer.parent
            if outer is None:  # a module-level class's: the same while the method is kept
                key = self._kept_classes[fid] = (fn.cls, None)
            else:  # the span moves with edits: worked out again by each analysis
                key = self._class_of[fid] = (fn.cls, (outer.start_byte, outer.end_byte))
        return key

    def initializer_of(self, cls: str) -> _Function | None:
        """The ``__init__`` of the file's class ``cls`` (None when it has none, or when
        two classes of that name each have one)."""
        if self._inits is None:  # one pass over the file's __init__s, not one a class
            self._inits = {}
            for f in self.by_name.get("__init__", ()):
                self._inits.setdefault(f.cls, []).append(f)
        inits = self._inits.get(cls, ())
        return inits[0] if len(inits) == 1 else None

    def constructed(self, fn: _Function) -> frozenset[str]:
        """The fields of ``self`` that the ``__init__`` of ``fn``'s class stores from its
        parameters (``self.path = path``): a method's read of one is the value given to
        the constructor, which the caller that made the instance knows."""
        if fn.cls is None or fn.name == "__init__":
            return frozenset()
        init = next((g for g in self._methods(fn) if g.name == "__init__"), None)
        if init is None:
            return frozenset()
        act = self.running(init)
        if act is not None:
            self.touch(act)
            return frozenset()
        key = ("constructed", init.node.id)
        found = self._constructed.get(init.node.id)
        if found is None:
            act = self.begin(key)
            try:
                summary = self.summary(init)
            finally:
                self.end(act, key)
            found = frozenset(
                name
                for name, val in (summary.fields.items() if summary is not None else ())
                if any(t.origin <= -2 for t in val.traces)
            )
            self._constructed[init.node.id] = found
        else:
            self.read(key)
        return found

    def _methods(self, fn: _Function) -> list[_Function]:
        """The methods of ``fn``'s class (``fn`` among them)."""
        if fn.cls is None:
            return []
        key = self._class_key(fn)
        found = self._members.get(key)
        if found is None:
            named = self._classes.get(fn.cls, [])
            found = self._members[key] = [g for g in named if self._class_key(g) == key]
        return found

    def _writers(self, fn: _Function) -> list[_Function]:
        """The methods of ``fn``'s class that store into an attribute of ``self``."""
        if fn.cls is None:
            return []
        key = self._class_key(fn)
        found = self._writer_cache.get(key)
        if found is None:
            found = [g for g in self._methods(fn) if self._stores_self(g)]
            self._writer_cache[key] = found
        return found

    def _stores_self(self, fn: _Function) -> bool:
        found = self._stores.get(fn.node.id)
        if found is None:
            start, end = fn.node.start_byte, fn.node.end_byte
            found = self._stores[fn.node.id] = bool(_STORES_SELF.search(self.source, start, end))
        return found

    def mates(self, fn: _Function) -> list[_Function]:
        """For a method that stores into ``self``, the other methods of its class (they
        read what it stores); for an ``__init__``, also the functions that make an
        instance of its class (what it stores is theirs, and so are its sinks)."""
        if fn.cls is None:
            return []
        makers = list(self.callers.get(fn.cls, ())) if fn.name == "__init__" else []
        if fn not in self._writers(fn):
            return makers
        return [*makers, *(g for g in self._methods(fn) if g is not fn)]

    def feeds(self, fn: _Function) -> list[_Function]:
        return [g for g in self._writers(fn) if g is not fn]

    def _names_on_self(self, fn: _Function, name: str) -> bool:
        """Whether ``fn``'s text names ``self.<name>`` (the names are gathered once per
        method: a class's fields are looked up many times)."""
        if not name.isascii():
            pattern = re.compile(rb"\bself\s*\.\s*" + re.escape(name.encode()) + rb"\b")
            return pattern.search(self.source, fn.node.start_byte, fn.node.end_byte) is not None
        names = self._self_names.get(fn.node.id)
        if names is None:
            text = self.source[fn.node.start_byte : fn.node.end_byte]
            names = self._self_names[fn.node.id] = set(_SELF_NAME.findall(text))
        return name.encode() in names

    def field(self, reader: _Function, name: str) -> Val:
        """What the other methods of ``reader``'s class store in ``self.<name>``: the
        values from sources only (a value passed to the constructor is the caller's,
        which a method cannot see). Field-sensitive: ``self.cmd`` and ``self.base`` are
        apart."""
        if reader.cls is None:
            return CLEAN
        key = (self._class_key(reader), name)
        found = self._fields.get(key)
        if found is not None:
            self.read(key)
            return found
        self._fields[key] = CLEAN  # a method whose store reads the field itself
        vals, partial = [], False
        act = self.begin(key)
        try:
            for fn in self._writers(reader):
                if not self._names_on_self(fn, name):
                    continue
                busy = self.running(fn)
                if busy is not None:  # being analysed (the reader itself, or a store reading it)
                    self.touch(busy)
                    partial = True
                    continue
                summary = self.summary(fn)
                stored = summary.fields.get(name) if summary is not None else None
                if stored is not None:
                    vals.append(stored)
        finally:
            self.end(act, key)
        joined = join(*vals)
        traces = tuple(t for t in joined.traces if t.origin >= 0)
        found = Val(traces, NC, joined.text, prefix=joined.prefix) if traces else CLEAN
        if partial:
            del self._fields[key]  # another reader sees the busy method's stores
        else:
            self._fields[key] = found
        return found

    # -- names ----------------------------------------------------------------------

    def dotted(self, node: Node | None) -> str | None:
        """``a.b.c`` for an identifier/attribute chain, else None (remembered per node:
        a loop's body and a function reported after its summary name them again)."""
        if node is None:
            return None
        key = node.id
        found = self._names.get(key, _UNNAMED)
        if found is _UNNAMED:
            found = self._names[key] = self._dotted(node)
        return found

    def _dotted(self, node: Node | None) -> str | None:
        parts: list[str] = []
        while node is not None:
            if node.type == "identifier":
                parts.append(_text(node))
                return ".".join(reversed(parts))
            if node.type == "attribute":
                attr = node.child_by_field_name("attribute")
                if attr is None:
                    return None
                parts.append(_text(attr))
                node = node.child_by_field_name("object")
                continue
            if node.type == "call":  # request.get_json().get -> keep the chain readable
                node = node.child_by_field_name("function")
                continue
            if parts:  # (a / b).read_text: an expression receiver, named "?"
                parts.append("?")
                return ".".join(reversed(parts))
            return None
        return None

    def qualified(self, node: Node | None) -> tuple[str | None, str | None]:
        """The name as written and as resolved through the file's imports (remembered
        per node until an import runs)."""
        if node is None:
            return (None, None)
        key = node.id
        found = self._resolved.get(key)
        if found is None:
            found = self._resolved[key] = self._qualified(node)
        return found

    def _qualified(self, node: Node) -> tuple[str | None, str | None]:
        written = self.dotted(node)
        if written is None:
            return (None, None)
        head, _, rest = written.partition(".")
        full = self.aliases.get(head)
        resolved = (f"{full}.{rest}" if rest else full) if full else None
        return (written, resolved)

    def calls_query(self) -> Query:
        return _calls_query()


class _Interp(InterpCore):
    """Abstract interpretation of one function body (or the module body)."""

    fa: FileAnalysis

    def __init__(self, fa: FileAnalysis, fn: _Function | None, env: Env) -> None:
        super().__init__(fa, fn, env)
        self.types: dict[str, str] = {}  # variable -> the call that made it (flow-insensitive)
        self.defs: dict[str, tuple[Node, Val, tuple[tuple[str, Val], ...]]] = {}
        """Variable -> the call or attribute it was last set from, its value then, and the
        values of the variables that expression read (see :meth:`_remember_def`)."""
        self.fields: dict[str, Val] = {}  # what this method stores in self.<name>
        self.this: str | None = None  # a method's own first parameter (self)

    # -- entry points ----------------------------------------------------------------

    def run_module(self, root: Node) -> Env:
        # the functions the module body calls are summarised while it runs: they read
        # its constants (a look-up table ``ACTIONS = {...}``), known up front
        self.fa.globals = Globals(self.fa, _Interp(self.fa, None, {}).run_constants(root))
        env: Env = {}
        out = self.block(root, env)
        return out if out is not None else env

    def run_constants(self, root: Node) -> Env:
        """Only the module's top-level assignments of constant expressions: what the
        functions fold their conditions with, at a fraction of the whole body's cost;
        and those of calls the models make values with (``PARSER =
        etree.XMLParser(resolve_entities=True)``), which the functions then use."""
        env: Env = {}
        self.env = env
        for stmt in root.named_children:
            if stmt.type != "expression_statement" or stmt.named_child_count != 1:
                continue
            child = stmt.named_children[0]
            if child.type != "assignment":
                continue
            right = child.child_by_field_name("right")
            if right is None or right.end_byte - right.start_byte >= 2000:
                continue
            if (
                right.type in _CONSTANT_TYPES
                or (right.type == "identifier" and _text(right) in env)
            ) or (
                right.type == "call"
                and self.model.conditional_sources
                and self.model.source_names.lookup(
                    *self.fa.qualified(right.child_by_field_name("function"))
                )
            ):
                self.statement(stmt, env)
        return env

    def run_function(self, *, report: bool) -> Summary:
        fn = self.fn
        assert fn is not None
        self.report = report
        env: Env = {}
        node = fn.node
        for i, name in enumerate(fn.params):
            if fn.sources.get(i) == CONVERTED:
                env[name] = CLEAN
            elif i in fn.sources:
                index = fn.sources[i]
                src = self.model.sources[index]
                env[name] = Val(
                    (
                        Trace(
                            index,
                            node.start_byte,
                            node.start_byte,
                            f"{src.label or 'parameter'} {name}",
                            src.weak,
                        ),
                    )
                )
            elif name in SKIPPED_PARAMS and i == 0:
                env[name] = (
                    CLEAN if fn.cls is not None else Val((Trace(param_origin(i), 0, 0, name),))
                )
            else:
                env[name] = Val((Trace(param_origin(i), 0, 0, name),))
        # locate the parameter nodes for paths
        params_node = node.child_by_field_name("parameters")
        if params_node is not None:
            for child in params_node.named_children:
                ident = child if child.type == "identifier" else child.child_by_field_name("name")
                if ident is None and child.named_children:
                    ident = child.named_children[0]
                if ident is None:
                    continue
                name = _text(ident)
                if name in env and env[name].traces:
                    t = env[name].traces[0]
                    env[name] = Val((replace(t, start=ident.start_byte, end=ident.end_byte),))
        if fn.cls is not None and fn.params and fn.params[0] in SKIPPED_PARAMS:
            self.this = fn.params[0]
        self.route_returns = [
            (r, sink) for r, sink in self.model.return_sinks if self._route_sink(fn, sink)
        ]
        body = node.child_by_field_name("body")
        if body is not None:
            self.block(body, env)
        return Summary(join(*self.returns) if self.returns else CLEAN, self.sinks, self.fields)

    def run_predicate(self) -> Predicate:
        """What a same-file function returning a boolean checks (``def is_local(url):
        return url.startswith("/") and not url.startswith("//")``): see
        :meth:`InterpCore.held`."""
        fn = self.fn
        assert fn is not None
        self.checks = []
        self.report = False
        env: Env = {n: Val((Trace(param_origin(i), 0, 0, n),)) for i, n in enumerate(fn.params)}
        body = fn.node.child_by_field_name("body")
        if body is not None:
            self.block(body, env)
        return self.held(fn.params)

    def _route_sink(self, fn: _Function, sink: Sink) -> bool:
        if sink.returns_function and compile_regex(sink.returns_function).search(fn.name.encode()):
            return True
        if sink.returns_first_parameter:
            first = next((n for n in fn.params if n not in SKIPPED_PARAMS), None)
            if first == sink.returns_first_parameter:
                return True
        for decorator in fn.decorators:
            expr = decorator.named_children[0] if decorator.named_children else None
            if expr is not None and expr.type == "call":
                expr = expr.child_by_field_name("function")
            qnames = self.fa.qualified(expr) if expr is not None else ()
            if any(p.matches(q) for p in sink.returns for q in qnames if q):
                return True
        return False

    # -- hits --------------------------------------------------------------------------

    # -- statements --------------------------------------------------------------------

    def statement(self, node: Node, env: Env) -> Env | None:
        self.fa.tick()
        self.env = env
        kind = node.type
        if kind == "expression_statement":
            ends = False
            for child in node.named_children:
                self.expr(child)
                if child.type == "call" and self._noreturn(child):
                    ends = True
            return None if ends else self.env
        if kind == "return_statement":
            value = node.named_children[0] if node.named_children else None
            if value is not None:
                val = self.expr(value)
                self.returns.append(val)
                if self.checks is not None:
                    self.checks.append((value, val, dict(self.env)))
                for rule, sink in self.route_returns:
                    self.sink(rule, value, val, sink)
            return None
        if kind == "raise_statement":
            for child in node.named_children:
                self.expr(child)
            return None
        if kind == "if_statement":
            return self.if_statement(node, env)
        if kind in ("for_statement", "while_statement"):
            return self.loop(node, env)
        if kind == "try_statement":
            return self.try_statement(node, env)
        if kind == "with_statement":
            for clause in node.named_children:
                if clause.type == "with_clause":
                    for item in clause.named_children:
                        value = item.child_by_field_name("value")
                        if value is None:
                            continue
                        if value.type == "as_pattern":
                            inner = value.named_children[0]
                            alias = value.child_by_field_name("alias")
                            val = self.expr(inner)
                            if alias is not None and alias.named_children:
                                self.assign(alias.named_children[0], val, value)
                                self._remember_type(alias.named_children[0], inner)
                        else:
                            self.expr(value)
            body = node.child_by_field_name("body")
            return self.block(body, self.env) if body is not None else self.env
        if kind in ("function_definition", "class_definition", "decorated_definition"):
            name = node.child_by_field_name("name")
            if kind == "decorated_definition":
                d = node.child_by_field_name("definition")
                name = d.child_by_field_name("name") if d is not None else None
            if name is not None:
                env[_text(name)] = CLEAN
            return env
        if kind in ("break_statement", "continue_statement"):
            if self.loop_exits:
                self.loop_exits[-1].append(dict(env))
            return None
        if kind == "assert_statement":
            cond = node.named_children[0] if node.named_children else None
            if cond is not None:
                self.expr(cond)
                return self.guarded(cond, env, True)
            return env
        if kind == "match_statement":
            subject = node.child_by_field_name("subject")
            if subject is not None:
                self.expr(subject)
            outs: list[Env | None] = [dict(env)]
            body = node.child_by_field_name("body")
            for case in body.named_children if body is not None else ():
                cbody = case.child_by_field_name("consequence")
                if cbody is not None:
                    outs.append(self.block(cbody, dict(env)))
            return _join_envs(outs)
        if kind in ("block", "module"):
            return self.block(node, env)
        if kind in ("import_statement", "import_from_statement"):
            self.fa._import(node)
            self.fa.touch(HISTORY)  # the file's names change for what runs after
            return env
        return env

    def _noreturn(self, call: Node) -> bool:
        fn = call.child_by_field_name("function")
        names = self.fa.qualified(fn)
        return any(n in NORETURN for n in names if n)

    def if_statement(self, node: Node, env: Env) -> Env | None:
        cond = node.child_by_field_name("condition")
        body = node.child_by_field_name("consequence")
        clauses: list[tuple[Node | None, Node | None]] = [(cond, body)]
        else_body: Node | None = None
        for alt in node.children_by_field_name("alternative"):
            if alt.type == "elif_clause":
                clauses.append(
                    (alt.child_by_field_name("condition"), alt.child_by_field_name("consequence"))
                )
            elif alt.type == "else_clause":
                else_body = alt.child_by_field_name("body")
        return self.branches(clauses, else_body, env)

    def loop(self, node: Node, env: Env) -> Env | None:
        body = node.child_by_field_name("body")
        alternative = node.child_by_field_name("alternative")
        is_for = node.type == "for_statement"
        self.env = env
        if is_for:
            right = node.child_by_field_name("right")
            iterable = self.expr(right) if right is not None else CLEAN
            element = _element(iterable)
        else:
            cond = node.child_by_field_name("condition")
            truth = _truth(self.expr(cond)) if cond is not None else None
            if truth is False:
                if alternative is not None:
                    return self.block(alternative, env)
                return env
        left = node.child_by_field_name("left") if is_for else None
        bind = (lambda: self.assign(left, element, node)) if left is not None else None
        cur, exits = self.repeat(env, body, bind)
        after: Env | None = cur
        if alternative is not None:
            after = self.block(alternative, dict(cur))
        return _join_envs([after, *exits]) if exits else after

    def try_statement(self, node: Node, env: Env) -> Env | None:
        body = node.child_by_field_name("body")
        before = dict(env)
        out = self.block(body, env) if body is not None else env
        outs: list[Env | None] = []
        handler_env = _join_envs([before, out]) or before
        else_clause = None
        finally_clause = None
        for child in node.named_children:
            if child.type == "except_clause":
                henv = dict(handler_env)
                for part in child.named_children:
                    if part.type == "as_pattern":
                        alias = part.child_by_field_name("alias")
                        if alias is not None and alias.named_children:
                            henv[_text(alias.named_children[0])] = CLEAN
                blocks = [c for c in child.named_children if c.type == "block"]
                outs.append(self.block(blocks[-1], henv) if blocks else henv)
            elif child.type == "else_clause":
                else_clause = child
            elif child.type == "finally_clause":
                finally_clause = child
        if else_clause is not None and out is not None:
            b = else_clause.child_by_field_name("body")
            out = self.block(b, out) if b is not None else out
        outs.append(out)
        result = _join_envs(outs)
        if finally_clause is not None:
            blocks = [c for c in finally_clause.named_children if c.type == "block"]
            if blocks:
                fenv = result if result is not None else dict(handler_env)
                fout = self.block(blocks[-1], fenv)
                return None if result is None else fout
        return result

    # -- guards ------------------------------------------------------------------------

    def guarded(self, cond: Node | None, env: Env, truth: bool) -> Env:
        """``env`` on the branch where ``cond`` is ``truth``: sanitizer guards and
        allow-list membership tests clean the variables they check."""
        if cond is None:
            return env
        cond = _unwrap(cond)
        if cond.type == "not_operator":
            arg = cond.child_by_field_name("argument")
            return self.guarded(arg, env, not truth)
        if cond.type == "boolean_operator":
            op = cond.child_by_field_name("operator")
            left, right = cond.child_by_field_name("left"), cond.child_by_field_name("right")
            is_and = op is not None and op.type == "and"
            if is_and == truth:  # both hold: a and b true, or a or b false
                return self.guarded(right, self.guarded(left, env, truth), truth)
            return env
        if cond.type == "comparison_operator":
            ops = [c.type for c in cond.children if not c.is_named]
            operands = cond.named_children
            if (
                len(operands) == 2
                and self.model.membership
                and ops in (["in"], ["not", "in"], ["not in"])
            ):
                negated = ops != ["in"]
                if truth != negated:
                    collection = operands[1]
                    saved = self.env
                    self.env = env
                    cval = self.expr(collection)
                    self.env = saved
                    from_source = any(t.origin >= 0 for t in cval.traces)
                    if not from_source and collection.type != "string":
                        for index in self.model.membership:
                            env = self._clean_names(operands[0], env, index)
            elif len(operands) == 2 and ops in (["is", "not"], ["is not"], ["is"]):
                # RE.fullmatch(x) is not None: the check holds where the match does
                if truth == (ops != ["is"]):
                    for a, b in ((operands[0], operands[1]), (operands[1], operands[0])):
                        if b.type == "none" and _unwrap(a).type == "call":
                            env = self.guarded(a, env, True)
            elif len(operands) == 2 and ops in (["=="], ["!="]) and truth == (ops == ["=="]):
                for side in operands:
                    if _unwrap(side).type == "call":
                        env = self.guarded(side, env, True)
            if len(operands) == 2 and truth == (ops == ["=="]) and ops in (["=="], ["!="]):
                # x == "literal" (or urlsplit(x).hostname == "host"): what x can be is
                # decided by a constant on this branch
                for a, b in ((operands[0], operands[1]), (operands[1], operands[0])):
                    if (
                        _pins(a)
                        and b.type in ("string", "integer")
                        and not any(c.type == "interpolation" for c in b.named_children)
                    ):
                        for index in self.model.membership:
                            env = self._clean_names(a, env, index)
            return env
        if cond.type == "call" and truth:
            fn = cond.child_by_field_name("function")
            if fn is not None and fn.type == "identifier":  # is_local(target): the file's check
                args = cond.child_by_field_name("arguments")
                given = [a for a in args.named_children if a.type != "comment"] if args else []
                env = self._predicates_at(self._targets(fn, (None, None)), given, env)
        if cond.type == "call" and self.model.guard_names:
            fn = cond.child_by_field_name("function")
            indexes = self.model.guard_names.lookup(*self.fa.qualified(fn))
            if not indexes and fn is not None and fn.type == "attribute":
                attr = fn.child_by_field_name("attribute")
                indexes = self.model.guard_names.lookup(
                    f"*.{_text(attr)}" if attr is not None else None
                )
            if not indexes and _anchored_match(cond, self.fa.qualified(fn)):
                indexes = self.model.guard_names.lookup("re.fullmatch")
            if indexes:
                indexes = [i for i in indexes if self._prefix_fits(i, cond)]
            half = _slash_check(cond) if indexes else None
            if half is not None and fn is not None:
                # startswith("/") lets "//evil.example" through, and not
                # startswith("//") lets "https://evil.example" through: each is half a
                # check that the value is a path on this site, both together a whole one
                if half == truth:
                    subject = fn.child_by_field_name("object")
                    other = SLASH_NOT_DOUBLE if half else SLASH_FIRST
                    env = self._clean_names(subject, env, SLASH_FIRST if half else SLASH_NOT_DOUBLE)
                    name = self.fa.dotted(subject)
                    val = env.get(name) if name is not None else None
                    if val is not None and val.traces and all(other in t.clean for t in val.traces):
                        for index in indexes:
                            env = self._clean_names(subject, env, index)
            elif indexes and truth:
                targets = [cond.child_by_field_name("arguments")]
                if fn is not None and fn.type == "attribute":
                    targets.append(fn.child_by_field_name("object"))
                for index in indexes:
                    for t in targets:
                        if t is not None:
                            env = self._clean_names(t, env, index)
        return env

    def _prefix_fits(self, index: int, call: Node) -> bool:
        """Whether guard ``index`` holds for ``call``: a guard with a ``prefix`` cleans
        through ``x.startswith(...)`` only when every prefix written there matches it
        (``startswith(("http://", "https://"))`` fixes the scheme, not the host);
        prefixes not written in the call are trusted as any other guard is."""
        pattern = self.model.sanitizers[index].prefix
        if pattern is None:
            return True
        written = _startswith_prefixes(call)
        if written is None:
            return True
        regex = compile_regex(pattern)
        return all(regex.search(p.encode()) for p in written)

    def _clean_names(self, node: Node, env: Env, index: int) -> Env:
        stack = [node]
        n = 0
        expanded: set[str] = set()
        while stack and n < 200:
            cur = stack.pop()
            n += 1
            if cur.type == "identifier":
                name = _text(cur)
                if name in env:
                    definition = self._definition(name, env) if name not in expanded else None
                    if definition is not None:  # checking parsed checks urlparse(url)
                        expanded.add(name)
                        stack.append(definition)
                    env = dict(env)
                    env[name] = env[name].cleaned(index)
                dotted = (
                    self.fa.dotted(cur.parent)
                    if cur.parent is not None and cur.parent.type == "attribute"
                    else None
                )
                if dotted and dotted in env:
                    env[dotted] = env[dotted].cleaned(index)
            elif cur.type in ("lambda", "string"):
                continue
            else:
                stack.extend(cur.named_children)
        return env

    def _definition(self, name: str, env: Env) -> Node | None:
        """The expression ``name`` still holds the value of, if none of the variables it
        read has changed since: a check of ``name`` is a check of that expression."""
        found = self.defs.get(name)
        if found is None:
            return None
        node, val, reads = found
        if not _same_origins(env.get(name), val):
            return None
        if all(_same_origins(env.get(n), v) for n, v in reads):
            return node
        return None

    def _remember_def(self, target: Node, value: Node, val: Val) -> None:
        """``parsed = urlparse(url)``: a later check of ``parsed.hostname`` checks ``url``
        as the same check written inline would (``urlparse(url).hostname in ALLOWED``),
        so one more variable does not change a verdict. Only tainted values from a call
        or an attribute are remembered, with the variables their expression read."""
        if target.type != "identifier":
            return
        name = _text(target)
        value = _unwrap(value)
        if not val.traces or value.type not in ("call", "attribute"):
            self.defs.pop(name, None)
            return
        reads: list[tuple[str, Val]] = []
        stack = [value]
        n = 0
        while stack:
            n += 1
            if n > 64:
                self.defs.pop(name, None)
                return
            cur = stack.pop()
            if cur.type == "identifier":
                ident = _text(cur)
                if ident in self.env and ident != name:
                    reads.append((ident, self.env[ident]))
            elif cur.type not in ("lambda", "string"):
                stack.extend(cur.named_children)
        self.defs[name] = (value, self.env.get(name, CLEAN), tuple(reads))

    # -- assignment --------------------------------------------------------------------

    def assign(self, target: Node, val: Val, at: Node) -> None:
        target = _unwrap(target)
        kind = target.type
        step = Step(at.start_byte, at.end_byte, _snippet(at))
        if kind == "identifier":
            name = _text(target)
            self.env[name] = val.with_step(step)
            self._assign_sinks(name, target, val)
        elif kind == "attribute":
            dotted = self.fa.dotted(target)
            if dotted is not None:
                self.env[dotted] = val.with_step(step)
                self._field_write(dotted)
                obj = dotted.split(".")[0]
                if obj in self.env and val.tainted and obj not in SKIPPED_PARAMS:
                    self.env[obj] = join(self.env[obj], val.plain())
            else:
                self.expr(target.child_by_field_name("object"))
            attr = target.child_by_field_name("attribute")
            if attr is not None:
                self._assign_sinks(_text(attr), target, val)
        elif kind == "subscript":
            container = target.child_by_field_name("value")
            key_node = target.child_by_field_name("subscript")
            key = self.expr(key_node) if key_node is not None else CLEAN
            if isinstance(key.const, str) and self.model.assign_sinks:  # d["token"] = ...
                self._assign_sinks(key.const, target, val)
            if container is not None:
                names = self.fa.qualified(container)
                for rule, sink in self.model.store_sinks.lookup(*names):
                    self.sink(rule, target, val, sink)
                cname = self.fa.dotted(container)
                if cname is not None:
                    old = self.env.get(cname, CLEAN)
                    if old.keys is not None and key.const is not NC:
                        items = [(k, v) for k, v in old.keys if k != key.const] + [(key.const, val)]
                        self.env[cname] = mapping(items, [])
                    elif (
                        old.elems is not None
                        and isinstance(key.const, int)
                        and -len(old.elems) <= key.const < len(old.elems)
                    ):
                        elems = list(old.elems)
                        elems[key.const] = val
                        self.env[cname] = sequence(elems)
                    else:
                        self.env[cname] = Val(merge_traces(old.traces, val.traces))
                    self._field_write(cname)
                else:
                    self.expr(container)
        elif kind in (
            "pattern_list",
            "tuple_pattern",
            "list_pattern",
            "tuple",
            "list",
            "expression_list",
        ):
            targets = target.named_children
            if val.elems is not None and len(val.elems) == len(targets):
                for t, v in zip(targets, val.elems, strict=True):
                    self.assign(t, v, at)
            else:
                for t in targets:
                    self.assign(t, val.plain(), at)
        elif kind in ("list_splat_pattern", "list_splat"):
            for t in target.named_children:
                self.assign(t, val.plain(), at)

    def _field_name(self, dotted: str) -> str | None:
        """``cmd`` for ``self.cmd`` in a method (one attribute deep), else None."""
        if self.this is None:
            return None
        head, _, rest = dotted.partition(".")
        return rest if head == self.this and rest and "." not in rest else None

    def _field_write(self, dotted: str) -> None:
        """Remember what a method stores in ``self.<name>``: other methods read it."""
        name = self._field_name(dotted)
        if name is not None:
            old = self.fields.get(name)
            self.fields[name] = self.env[dotted] if old is None else join(old, self.env[dotted])

    # -- expressions -------------------------------------------------------------------

    def _expr(self, node: Node) -> Val:
        kind = node.type
        handler = _EXPR.get(kind)
        if handler is not None:
            return handler(self, node)
        # anything else: the union of its parts
        return (
            combine(*(self.expr(c) for c in node.named_children)) if node.named_children else CLEAN
        )

    def _sources_here(self, indexes: list[int]) -> list[int]:
        """``indexes`` without the sources that hold only in classes with other bases."""
        if not indexes or not self.model.based_sources:
            return indexes
        based = [i for i in indexes if self.model.sources[i].bases]
        if not based:
            return indexes
        bases = self.fa.class_bases(self.fn)
        return [
            i
            for i in indexes
            if not self.model.sources[i].bases
            or any(p.matches(b) for p in self.model.sources[i].bases for b in bases)
        ]

    def _free(self, name: str, node: Node) -> Val:
        """A name not bound in the function: a source, global, import or builtin."""
        written, resolved = name, self.fa.aliases.get(name)
        indexes = self._sources_here(self.model.source_names.lookup(written, resolved))
        if indexes:
            return self._source_val(indexes, node, name)
        return self._unbound(name, node, BUILTINS)

    def attribute(self, node: Node) -> Val:
        written, resolved = self.fa.qualified(node)
        if written is not None:
            indexes = self._sources_here(self.model.source_names.lookup(written, resolved))
            if indexes:
                return self._source_val(indexes, node, written)
            if written in self.env:
                return self.env[written]
            name = self._field_name(written)
            if name is not None and self.fn is not None:  # set in another method
                stored = self.fa.field(self.fn, name)
                if name in self.fa.constructed(self.fn):  # and by the constructor
                    slot = Trace(
                        param_origin(field_slot(name)), node.start_byte, node.end_byte, written
                    )
                    stored = Val(merge_traces(stored.traces, (slot,)), NC, stored.text)
                if stored.traces:
                    return stored
        obj = self.expr(node.child_by_field_name("object"))
        val = obj.plain() if obj.tainted else CLEAN
        if self.model.identifier_sources:
            attr = node.child_by_field_name("attribute")
            name = _text(attr) if attr is not None else ""
            for index in self.fa.named_sources(name):
                if index in self.fa.present:
                    src = self.model.sources[index]
                    trace = Trace(
                        index,
                        node.start_byte,
                        node.end_byte,
                        _snippet(node),
                        src.weak,
                    )
                    val = Val(merge_traces((trace,), val.traces))
        return val

    def subscript(self, node: Node) -> Val:
        value = self.expr(node.child_by_field_name("value"))
        keys = [self.expr(k) for k in node.children_by_field_name("subscript")]
        key = keys[0] if len(keys) == 1 else CLEAN
        sliced = any(k.type == "slice" for k in node.children_by_field_name("subscript"))
        if not sliced:
            found = _indexed(value, key)
            if found is not None:
                return found
        if (
            isinstance(value.const, str | tuple)
            and all(k.const is not NC for k in keys)
            and not sliced
        ):
            try:
                return Val((), value.const[keys[0].const])
            except Exception:
                pass
        return Val(value.traces, NC, value.text)

    def string(self, node: Node) -> Val:
        parts = [
            self.expr(c.child_by_field_name("expression"))
            for c in node.named_children
            if c.type == "interpolation"
        ]
        if not parts:
            raw = _string_value(node)
            return Val((), raw if raw is not None else NC)
        head = []
        for c in node.named_children:
            if c.type == "interpolation":
                break
            if c.type == "string_content":
                head.append(_text(c))
        return combine(*parts, text=True, prefix="".join(head))

    def concatenated(self, node: Node) -> Val:
        parts = [self.expr(c) for c in node.named_children]
        if all(p.const is not NC and isinstance(p.const, str) for p in parts):
            return Val((), "".join(p.const for p in parts)[:MAX_CONST])
        return combine(*parts, text=True, prefix=leading(parts[0]) if parts else None)

    def binary(self, node: Node) -> Val:
        left = self.expr(node.child_by_field_name("left"))
        right = self.expr(node.child_by_field_name("right"))
        op = node.child_by_field_name("operator")
        symbol = op.type if op is not None else ""
        folded = _fold(symbol, left.const, right.const)
        if folded is not NC:
            return Val((), folded)
        stringy = (
            isinstance(left.const, str) or isinstance(right.const, str) or left.text or right.text
        )
        if symbol in ("+", "%") and stringy:
            head = leading(left)
            if symbol == "%" and head is not None and left.const is not NC:
                head = head.split("%")[0]
            return combine(left, right, text=True, prefix=head)
        if symbol == "+" and left.elems is not None and right.elems is not None:
            return sequence([*left.elems, *right.elems])
        if symbol == "/":  # pathlib joins keep taint
            return combine(left, right)
        return combine(left, right)

    def boolean(self, node: Node) -> Val:
        left = self.expr(node.child_by_field_name("left"))
        op = node.child_by_field_name("operator")
        is_and = op is not None and op.type == "and"
        truth = _truth(left)
        if truth is not None:
            if truth != is_and:  # a or b with a true, a and b with a false: a
                return left
            saved = self.env
            self.env = self.guarded(node.child_by_field_name("left"), dict(self.env), is_and)
            right = self.expr(node.child_by_field_name("right"))
            self.env = saved
            return right
        saved = self.env
        self.env = self.guarded(node.child_by_field_name("left"), dict(self.env), is_and)
        right = self.expr(node.child_by_field_name("right"))
        self.env = saved
        return join(left.plain(), right.plain())

    def comparison(self, node: Node) -> Val:
        operands = [self.expr(c) for c in node.named_children]
        ops = [c.type for c in node.children if not c.is_named]
        if len(operands) == 2 and len(ops) == 1:
            folded = _fold(ops[0], operands[0].const, operands[1].const)
            if folded is not NC:
                return Val((), folded)
        return CLEAN

    def not_op(self, node: Node) -> Val:
        val = self.expr(node.child_by_field_name("argument"))
        truth = _truth(val)
        return Val((), not truth) if truth is not None else CLEAN

    def unary(self, node: Node) -> Val:
        val = self.expr(node.child_by_field_name("argument"))
        op = node.child_by_field_name("operator")
        if (
            isinstance(val.const, int | float)
            and not isinstance(val.const, bool)
            and op is not None
        ):
            if op.type == "-":
                return Val((), -val.const)
            if op.type == "+":
                return Val((), val.const)
        return CLEAN

    def conditional(self, node: Node) -> Val:
        children = node.named_children
        if len(children) != 3:
            return combine(*(self.expr(c) for c in children))
        a, cond, b = children
        return self.choose(cond, a, b)

    def collection(self, node: Node) -> Val:
        elems = [self.expr(c) for c in node.named_children]
        if any(c.type in ("list_splat", "parenthesized_list_splat") for c in node.named_children):
            return combine(*elems)
        return sequence(elems)

    def dictionary(self, node: Node) -> Val:
        items: list[tuple[Any, Val]] | None = []
        rest: list[Val] = []
        for child in node.named_children:
            if child.type == "pair":
                k = self.expr(child.child_by_field_name("key"))
                v = self.expr(child.child_by_field_name("value"))
                if k.const is NC or k.tainted:
                    rest.append(combine(k, v))
                elif items is not None:
                    items.append((k.const, v))
                if isinstance(k.const, str) and self.model.assign_sinks:  # {"token": ...}
                    self._assign_sinks(k.const, child, v)
            else:
                rest.append(self.expr(child))
                items = None
        return mapping(items, rest)

    def comprehension(self, node: Node) -> Val:
        saved = self.env
        self.env = dict(saved)
        try:
            for child in node.named_children:
                if child.type == "for_in_clause":
                    right = child.child_by_field_name("right")
                    left = child.child_by_field_name("left")
                    element = _element(self.expr(right))
                    if left is not None:
                        self.assign(left, element, child)
                elif child.type == "if_clause":
                    cond = child.named_children[0] if child.named_children else None
                    if cond is not None:
                        self.expr(cond)
                        self.env = self.guarded(cond, self.env, True)
            body = node.child_by_field_name("body")
            if body is not None and body.type == "pair":
                return combine(
                    self.expr(body.child_by_field_name("key")),
                    self.expr(body.child_by_field_name("value")),
                )
            return self.expr(body).plain()
        finally:
            self.env = saved

    def named(self, node: Node) -> Val:
        val = self.expr(node.child_by_field_name("value"))
        name = node.child_by_field_name("name")
        if name is not None:
            self.assign(name, val, node)
        return val

    def assignment(self, node: Node) -> Val:
        right = node.child_by_field_name("right")
        left = node.child_by_field_name("left")
        if right is None:
            return CLEAN
        val = self.expr(right)
        if left is not None:
            self.assign(left, val, node)
            self._remember_type(left, right)
            self._remember_def(_unwrap(left), right, val)
        return val

    def _remember_type(self, target: Node, value: Node) -> None:
        """``name = module.Class(...)``: calls on ``name`` are that class's methods."""
        value = _unwrap(value)
        if value.type == "await" and value.named_children:
            value = value.named_children[0]
        if target.type != "identifier":
            return
        if value.type != "call":
            self.types.pop(_text(target), None)
            return
        written, resolved = self.fa.qualified(value.child_by_field_name("function"))
        made_by = resolved or written
        if made_by and ("." in made_by or made_by in self.fa.class_names):
            self.types[_text(target)] = made_by  # a module's class, or one of this file
        else:
            self.types.pop(_text(target), None)

    def augmented(self, node: Node) -> Val:
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        op = node.child_by_field_name("operator")
        old = self.expr(left)
        val = self.expr(right)
        symbol = op.type[:-1] if op is not None else "+"
        folded = _fold(symbol, old.const, val.const)
        if folded is not NC:
            new = Val((), folded)
        else:
            stringy = (
                isinstance(old.const, str) or isinstance(val.const, str) or old.text or val.text
            )
            new = combine(old, val, text=bool(stringy and symbol in ("+", "%")))
        if left is not None:
            self.assign(left, new, node)
        return new

    def await_(self, node: Node) -> Val:
        return self.expr(node.named_children[0]) if node.named_children else CLEAN

    def lambda_(self, node: Node) -> Val:
        return CLEAN

    def literal(self, node: Node) -> Val:
        kind = node.type
        text = _text(node)
        try:
            if kind == "integer":
                return Val((), int(text.replace("_", ""), 0))
            if kind == "float":
                return Val((), float(text.replace("_", "")))
        except ValueError:
            return CLEAN
        if kind == "true":
            return Val((), True)
        if kind == "false":
            return Val((), False)
        if kind == "none":
            return Val((), None)
        return CLEAN

    # -- calls -------------------------------------------------------------------------

    def call(self, node: Node) -> Val:
        fn_node = node.child_by_field_name("function")
        args_node = node.child_by_field_name("arguments")
        names: tuple[str | None, ...] = self.fa.qualified(fn_node)
        receiver_node = (
            fn_node.child_by_field_name("object")
            if fn_node is not None and fn_node.type == "attribute"
            else None
        )
        if receiver_node is not None and receiver_node.type == "identifier":
            made_by = self.types.get(_text(receiver_node))
            attr = fn_node.child_by_field_name("attribute") if fn_node is not None else None
            if made_by and attr is not None:  # client = httpx.Client(); client.get(...)
                names = (*names, f"{made_by}.{_text(attr)}")
        elif fn_node is not None and fn_node.type == "identifier":
            made_by = self.types.get(_text(fn_node))
            if made_by:  # find = etree.XPathEvaluator(doc); find(expr)
                names = (*names, f"{made_by}.__call__")
        method = (
            _text(fn_node.child_by_field_name("attribute")) if receiver_node is not None else None
        )
        model = self.model

        # sources: input(), request.get_json(), ...
        source_idx = self._sources_here(model.source_names.lookup(*names))

        # arguments
        positional: list[Val] = []
        keywords: dict[str, Val] = {}
        kw_nodes: dict[str, Node] = {}
        pos_nodes: list[Node] = []
        extra: list[Val] = []
        if args_node is not None:
            if args_node.type == "generator_expression":
                positional.append(self.expr(args_node))
                pos_nodes.append(args_node)
            else:
                for arg in args_node.named_children:
                    if arg.type == "keyword_argument":
                        name = arg.child_by_field_name("name")
                        value = arg.child_by_field_name("value")
                        if name is not None and value is not None:
                            keywords[_text(name)] = self.expr(value)
                            kw_nodes[_text(name)] = value
                            if model.assign_sinks:  # User(reset_token=...)
                                self._assign_sinks(_text(name), arg, keywords[_text(name)])
                    elif arg.type in ("list_splat", "dictionary_splat"):
                        extra.append(self.expr(arg))
                    elif arg.type != "comment":
                        positional.append(self.expr(arg))
                        pos_nodes.append(arg)
        receiver = self.expr(receiver_node) if receiver_node is not None else CLEAN

        self._call_sinks(
            names,
            node,
            positional,
            pos_nodes,
            receiver,
            receiver_node,
            keywords,
            kw_nodes,
            extra,
            args_node,
        )

        if source_idx and model.conditional_sources:
            source_idx = self._source_call(
                source_idx, node, receiver_node, positional, pos_nodes, keywords, kw_nodes
            )
        if source_idx:
            return self._source_val(source_idx, node, names[0] or _text(fn_node)[:40])

        every = [*positional, *keywords.values(), *extra]

        # sanitizers: the result is clean for the rules that list them
        san = model.sanitizer_names.lookup(*names)
        # a read of request data by its key (aiohttp's request.query.get("q")) is no
        # database look-up, however its name ends (Model.query.get(pk))
        if (
            san
            and receiver_node is not None
            and receiver_node.type in ("attribute", "identifier")
            and receiver.tainted
            and self._sources_here(model.source_names.lookup(*self.fa.qualified(receiver_node)))
        ):
            san = []
        if san:
            val = combine(receiver, *every)
            for index in san:
                val = val.cleaned(index)
            return Val(val.traces)

        # propagators that taint their receiver
        if receiver_node is not None:
            prop = model.propagators.lookup(*names)
            rname = self.fa.dotted(receiver_node)
            if rname is not None and (prop or method in ADDERS):
                if rname not in self.env and self._field_name(rname):
                    self.env[rname] = receiver  # self.items.append(x): the field so far
                if rname in self.env:
                    self._mutate(rname, method, positional, keywords, every)
                    self._field_write(rname)
            if (
                method is not None
                and (
                    (rname is not None and rname in self.env)
                    or receiver.keys is not None
                    or receiver.elems is not None
                )
                and self.types.get(rname or "") not in self.fa.class_names
            ):
                # (store = ConfigStore(path); store.get(k): the class's own method)
                # a lookup: the value comes from the container, not from the key
                picked = self._container_read(
                    rname if rname in self.env else None, receiver, method, positional
                )
                if picked is not None:
                    return picked

        # an instance of one of the file's classes: its constructor's fields
        if (
            fn_node is not None
            and fn_node.type == "identifier"
            and _text(fn_node) in self.fa.class_names
            and _text(fn_node) not in self.env
        ):
            made = self._construct(_text(fn_node), node, positional, keywords, every)
            if made is not None:
                return made

        # same-file functions
        targets = self._targets(fn_node, names)
        if targets and receiver_node is not None and _text(receiver_node) == self.this:
            receiver = self._own_fields(receiver)  # self.run(): this method's fields go on
        if targets and not (receiver.tainted or any(v.tainted for v in every)):
            # nothing flows in: only a helper that reads a source itself matters
            targets = [t for t in targets if self.fa.sourced(t)]
            if not targets:
                return CLEAN
        if targets:
            results = [self._apply(t, node, positional, keywords, receiver) for t in targets]
            return join(*results)

        # string formatting and methods of constants
        if method == "format":
            head = receiver.const.split("{")[0] if isinstance(receiver.const, str) else None
            return combine(receiver, *every, text=True, prefix=head)
        if method is not None and isinstance(receiver.const, str) and not every:
            folded = _str_method(receiver.const, method)
            if folded is not NC:
                return Val((), folded)
        if method == "join" and receiver.const is not NC and positional:
            arg = positional[0]
            if (
                arg.elems is not None
                and all(isinstance(e.const, str) for e in arg.elems)
                and isinstance(receiver.const, str)
            ):
                return Val((), receiver.const.join(e.const for e in arg.elems)[:MAX_CONST])
            return combine(receiver, *every, text=True)
        if names[0] in ("str", "repr") and positional:
            return Val(
                positional[0].traces,
                positional[0].const if isinstance(positional[0].const, str) else NC,
                positional[0].text,
            )
        if names[0] in ("list", "tuple") and len(positional) == 1:
            return positional[0]
        if names[0] == "dict" and not positional:
            return mapping(list(keywords.items()), [])
        # anything else propagates what went in
        return combine(receiver, *every).plain()

    def _source_call(
        self,
        indexes: list[int],
        node: Node,
        receiver_node: Node | None,
        positional: list[Val],
        pos_nodes: list[Node],
        keywords: dict[str, Val],
        kw_nodes: dict[str, Node],
    ) -> list[int]:
        """The call sources ``indexes`` whose literal arguments hold
        (``XMLParser(resolve_entities=True)``); those that mark the object the call is
        made on (``parser.setFeature(feature_external_ges, True)``) mark it here."""

        def given(key: Any) -> tuple[Val | None, Node | None]:
            if isinstance(key, int):
                return (positional[key], pos_nodes[key]) if key < len(positional) else (None, None)
            return keywords.get(key), kw_nodes.get(key)

        kept = [i for i in indexes if self.source_holds(i, given)]
        marks = [i for i in kept if self.model.sources[i].receiver]
        if not marks:
            return kept
        rname = self.fa.dotted(receiver_node) if receiver_node is not None else None
        if rname is not None:
            old = self.env.get(rname, CLEAN)
            mark = self._source_val(marks, node, _snippet(node))
            self.env[rname] = Val(merge_traces(old.traces, mark.traces), old.const, old.text)
        return [i for i in kept if not self.model.sources[i].receiver]

    def _construct(
        self,
        cls: str,
        node: Node,
        positional: list[Val],
        keywords: dict[str, Val],
        every: list[Val],
    ) -> Val | None:
        """``Cls(...)`` of a class of this file: its ``__init__`` run with the arguments
        (its sinks see them), and the instance keeps what it stores in each field of
        ``self``, so its methods' reads of them are the caller's arguments."""
        init = self.fa.initializer_of(cls)
        if init is None:
            return None
        summary = self.fa.summary(init)
        if summary is None:
            return None
        self._apply(init, node, positional, keywords, CLEAN)
        args = self.bind(init, positional, keywords, CLEAN)
        step = Step(node.start_byte, node.end_byte, f"{cls}()")
        fields = [
            (name, substitute(val, args, step))
            for name, val in sorted(summary.fields.items())[:MAX_FIELDS]
        ]
        made = combine(*every)
        return Val(made.traces, NC, False, None, tuple(fields))

    def _own_fields(self, receiver: Val) -> Val:
        """``self`` in a method, passed on to another method of the class: the fields
        the constructor fills stand for this method's own (the caller fills them)."""
        if self.fn is None:
            return receiver
        names = sorted(self.fa.constructed(self.fn))[:MAX_FIELDS]
        if not names:
            return receiver
        fields = tuple(
            (name, Val((Trace(param_origin(field_slot(name)), 0, 0, f"{self.this}.{name}"),)))
            for name in names
        )
        traces = merge_traces(*(v.traces for _, v in fields))
        return Val(merge_traces(receiver.traces, traces), NC, False, None, fields)

    def _targets(
        self, fn_node: Node | None, names: tuple[str | None, str | None]
    ) -> list[_Function]:
        if fn_node is None:
            return []
        if fn_node.type == "identifier":
            name = _text(fn_node)
            if name in self.env and self.env[name] is not CLEAN:
                return []
            return [f for f in self.fa.by_name.get(name, ()) if f.cls is None]
        if fn_node.type == "attribute":
            obj = fn_node.child_by_field_name("object")
            attr = fn_node.child_by_field_name("attribute")
            if (
                obj is not None
                and attr is not None
                and obj.type == "identifier"
                and _text(obj) in SKIPPED_PARAMS
            ):
                cls = self.fn.cls if self.fn is not None else None
                return [
                    f
                    for f in self.fa.by_name.get(_text(attr), ())
                    if f.cls == cls and cls is not None
                ]
            if obj is not None and attr is not None and obj.type == "call":
                # Repository(conn).search(...): a class of this file made on the spot
                made = obj.child_by_field_name("function")
                if (
                    made is not None
                    and made.type == "identifier"
                    and _text(made) in self.fa.class_names
                    and _text(made) not in self.env
                ):
                    return [f for f in self.fa.by_name.get(_text(attr), ()) if f.cls == _text(made)]
            if obj is not None and attr is not None and obj.type == "identifier":
                # repo = Repository(conn); repo.search(...): a class of this file
                made_by = self.types.get(_text(obj))
                if made_by is None and _text(obj) not in self.env:
                    made_by = self.fa.instances().get(_text(obj))
                if made_by in self.fa.class_names:
                    return [f for f in self.fa.by_name.get(_text(attr), ()) if f.cls == made_by]
        return []


_MEASURES = frozenset(
    {"len", "int", "float", "bool", "abs", "hash", "ord", "round", "count", "find", "index", "sum"}
)


_CONVERTED = re.compile(r"<(?:int|float|uuid):([A-Za-z_][A-Za-z0-9_]*)>")


def _converted(call: Node, names: list[str]) -> set[int]:
    """Positions of the parameters a route's URL rule converts to a number or a UUID
    (Flask/werkzeug ``@app.route("/u/<int:uid>")``): a value that does not convert
    never reaches the function."""
    args = call.child_by_field_name("arguments")
    first = args.named_children[0] if args is not None and args.named_children else None
    if first is None or first.type != "string":
        return set()
    found = {m.group(1) for m in _CONVERTED.finditer(_text(first))}
    return {i for i, n in enumerate(names) if n in found}


def _scalar(annotation: Node) -> bool:
    """Whether a parameter annotated so holds only a converted scalar (``int``,
    ``Optional[UUID]``, ``Annotated[int, Path()]``, ``int | None``, ``Literal["a"]``)."""
    node = (
        annotation.named_children[0]
        if annotation.type == "type" and annotation.named_children
        else annotation
    )
    if node.type == "binary_operator":  # int | None
        parts = [node.child_by_field_name("left"), node.child_by_field_name("right")]
        return all(p is not None and (_text(p) == "None" or _scalar(p)) for p in parts) and any(
            p is not None and _text(p) != "None" for p in parts
        )
    if node.type in ("generic_type", "subscript"):
        head = (
            node.named_children[0]
            if node.type == "generic_type"
            else node.child_by_field_name("value")
        )
        name = _text(head).split(".")[-1] if head is not None else ""
        if name == "Literal":
            return True
        if name not in _WRAPPERS:
            return False
        if node.type == "generic_type":
            params = next((c for c in node.named_children if c.type == "type_parameter"), None)
            args = [c for c in params.named_children] if params is not None else []
        else:
            args = node.children_by_field_name("subscript")
        if name == "Annotated":
            args = args[:1]
        real = [a for a in args if _text(a) != "None"]
        return bool(real) and all(_scalar(a) for a in real)
    if node.type in ("identifier", "attribute"):
        return _text(node).split(".")[-1] in SCALAR_ANNOTATIONS
    return False


def _pins(node: Node) -> bool:
    """Whether ``node == "literal"`` pins the value(s) ``node`` reads to a constant: a
    name, an attribute or element of one, a conversion; not a measure such as len(x)."""
    node = _unwrap(node)
    if node.type in ("identifier", "attribute", "subscript"):
        return True
    if node.type == "call":
        fn = node.child_by_field_name("function")
        last = _text(fn).rsplit(".", 1)[-1] if fn is not None else ""
        return last not in _MEASURES
    return False


_STR_METHODS = frozenset({"lower", "upper", "strip", "lstrip", "rstrip", "title", "casefold"})


def _str_method(value: str, method: str) -> Any:
    if method in _STR_METHODS:
        return getattr(value, method)()
    return NC


def _anchored_match(call: Node, names: tuple[str | None, str | None]) -> bool:
    """``re.match(r"[a-z]+\\Z", x)`` or ``re.search(r"^[a-z]+$", x)``: a pattern written
    in the call and anchored at both ends checks the whole value, as ``fullmatch``
    does (``$`` also lets one trailing newline through)."""
    kind = next((n for n in names if n in ("re.match", "re.search")), None)
    args = call.child_by_field_name("arguments")
    first = args.named_children[0] if kind and args is not None and args.named_children else None
    if first is None or first.type != "string":
        return False
    pattern = _string_value(first) or ""
    if kind == "re.search" and not pattern.startswith(("^", "\\A")):
        return False
    ends = pattern.endswith("\\Z") or (pattern.endswith("$") and not pattern.endswith("\\$"))
    return ends and "|" not in pattern  # "^a|b$" anchors each side only


def _slash_check(call: Node) -> bool | None:
    """``x.startswith("/")`` (True: half of a local-path check when it holds) or
    ``x.startswith("//")`` (False: the other half when it fails); None for any other
    call (``x.startswith("/static/")`` fixes more than the first character)."""
    texts = _startswith_prefixes(call)
    if texts == ["/"]:
        return True
    if texts is not None and "//" in texts:
        return False
    return None


def _startswith_prefixes(call: Node) -> list[str] | None:
    """The prefixes written in ``x.startswith("a")`` or ``x.startswith(("a", "b"))``;
    None for another call or a prefix that is not a string literal; ``[""]`` (the
    empty prefix, which fixes nothing) when a start index is given."""
    fn = call.child_by_field_name("function")
    attr = (
        fn.child_by_field_name("attribute") if fn is not None and fn.type == "attribute" else None
    )
    if attr is None or _text(attr) != "startswith":
        return None
    args = call.child_by_field_name("arguments")
    given = [a for a in args.named_children if a.type != "comment"] if args is not None else []
    if len(given) != 1:  # a start index: the call fixes nothing of how the value begins
        return [""] if given else None
    items = given[0].named_children if given[0].type == "tuple" else [given[0]]
    texts = [_string_value(i) if i.type == "string" else None for i in items]
    if not texts or any(t is None for t in texts):
        return None
    return [t for t in texts if t is not None]


def _string_value(node: Node) -> str | None:
    parts = [c for c in node.named_children if c.type == "string_content"]
    text = "".join(_text(p) for p in parts)
    return text[:MAX_CONST]


_EXPR: dict[str, Callable[[_Interp, Node], Val]] = {
    "identifier": _Interp.identifier,
    "attribute": _Interp.attribute,
    "subscript": _Interp.subscript,
    "call": _Interp.call,
    "string": _Interp.string,
    "concatenated_string": _Interp.concatenated,
    "binary_operator": _Interp.binary,
    "boolean_operator": _Interp.boolean,
    "comparison_operator": _Interp.comparison,
    "not_operator": _Interp.not_op,
    "unary_operator": _Interp.unary,
    "conditional_expression": _Interp.conditional,
    "list": _Interp.collection,
    "tuple": _Interp.collection,
    "set": _Interp.collection,
    "expression_list": _Interp.collection,
    "dictionary": _Interp.dictionary,
    "list_comprehension": _Interp.comprehension,
    "set_comprehension": _Interp.comprehension,
    "generator_expression": _Interp.comprehension,
    "dictionary_comprehension": _Interp.comprehension,
    "named_expression": _Interp.named,
    "assignment": _Interp.assignment,
    "augmented_assignment": _Interp.augmented,
    "await": _Interp.await_,
    "lambda": _Interp.lambda_,
    "integer": _Interp.literal,
    "float": _Interp.literal,
    "true": _Interp.literal,
    "false": _Interp.literal,
    "none": _Interp.literal,
    "parenthesized_expression": lambda self, node: (
        self.expr(node.named_children[0]) if node.named_children else CLEAN
    ),
    "comment": lambda self, node: CLEAN,
    "keyword_argument": lambda self, node: self.expr(node.child_by_field_name("value")),
    "list_splat": lambda self, node: (
        self.expr(node.named_children[0]).plain() if node.named_children else CLEAN
    ),
    "dictionary_splat": lambda self, node: (
        self.expr(node.named_children[0]).plain() if node.named_children else CLEAN
    ),
    "slice": lambda self, node: combine(*(self.expr(c) for c in node.named_children)),
}


FileAnalysis.Interp = _Interp


def iter_hits(fa: FileAnalysis) -> Iterator[Hit]:
    yield from fa.hits


def _same_origins(a: Val | None, b: Val) -> bool:
    """Whether ``a`` is ``b`` up to sanitizers applied since (same traces' origins)."""
    if a is b:
        return True
    if a is None or len(a.traces) != len(b.traces):
        return False
    return all(
        (x.origin, x.start, x.end) == (y.origin, y.start, y.end)
        for x, y in zip(a.traces, b.traces, strict=True)
    )
