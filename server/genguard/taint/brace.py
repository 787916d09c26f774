"""What the brace languages' front ends (JavaScript/TypeScript, Go, Java) share: the
statement shapes they have in common (blocks, ``return``, ``break``, if/else chains,
loops, ``switch``, ``try``), guards (negation, ``&&``/``||``, allow-lists, same-file
predicates, constants), and the order in which a call's meaning is decided (sinks,
sources, sanitizers, same-file summaries).

Each decision is made here once; a front end says what its syntax calls things
(the class tables: node types, field names, literals) and adds what only its language
has through the hooks (``_compare``, ``_guard``, ``_ends``, ``_clean_read``...). What
decides data flow itself (joins, loops, folding, summaries, sinks) stays in
:mod:`genguard.taint.core`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any, ClassVar

from tree_sitter import Language, Node, Query, Tree

from genguard.taint.core import (
    Env,
    FileAnalysisCore,
    Function,
    InterpCore,
    Predicate,
    Summary,
    truth,
)
from genguard.taint.core import cached_query as _query
from genguard.taint.core import node_text as _text
from genguard.taint.core import snippet as _snippet
from genguard.taint.model import TaintModel
from genguard.taint.spec import Sink
from genguard.taint.values import (
    CLEAN,
    NC,
    Trace,
    Val,
    combine,
    join,
    mapping,
    merge_traces,
    param_origin,
)

_UNNAMED = object()  # not yet named (dotted() may name a node None)


class BraceFile(FileAnalysisCore):
    """One file of a brace language: its functions, declared types and predicates."""

    sinks_named = False  # a sink may be known by a variable's type alone
    CALLS: ClassVar[str] = ""
    """The query naming the file's calls of its own functions (``@callee``, ``@ref``)."""
    LEAVES: ClassVar[frozenset[str]] = frozenset()
    """Names a dotted chain starts with (``identifier``, ``this``)."""
    MEMBERS: ClassVar[dict[str, tuple[str, str]]] = {}
    """Chain links: node type -> (the field naming the member, the field of its object)."""
    THROUGH: ClassVar[dict[str, str]] = {}
    """Nodes a chain is read through: node type -> the field it goes on with (a call's
    function: ``a.b().c`` reads as ``a.b.c``)."""
    WRAPPERS: ClassVar[frozenset[str]] = frozenset()

    @staticmethod
    def unwrap(node: Node | None) -> Node | None:
        return node

    def __init__(self, model: TaintModel, source: bytes, tree: Tree) -> None:
        self.language: Language = tree.language
        self.scoped: dict[tuple[int | None, str], str] = {}  # (function, name) -> type
        self.types: set[str] = set()  # every name some declaration gives a type
        # names per node, remembered once the file's declarations are all collected
        self._names: dict[int, str | None] | None = None
        self._resolved: dict[int, tuple[str | None, str | None]] | None = None
        super().__init__(model, source, tree)
        self._names, self._resolved = {}, {}

    def calls_query(self) -> Query:
        return _query(self.language, self.CALLS)

    def _define(self, defs: Iterable[tuple[Node, str, str | None]]) -> None:
        """Record the file's named functions (node, name, class), in source order."""
        for node, name, cls in defs:
            fn = Function(node, name, cls, [], self)
            self.functions.append(fn)
            self.by_name.setdefault(name, []).append(fn)
            self.by_node[node.id] = fn
        self.spans = [(f.node.start_byte, f.node.end_byte, f) for f in self.functions]
        self.starts = [a for a, _, _ in self.spans]

    def dotted(self, node: Node | None) -> str | None:
        """``a.b.c`` for a chain of names and members (through calls and wrappers),
        ``a.?`` where it starts with something else, None when it is no chain
        (remembered per node: a loop's body and a function reported after its
        summary name them again)."""
        names = self._names
        if names is None or node is None:
            return self._dotted(node)
        key = node.id
        found = names.get(key, _UNNAMED)
        if found is _UNNAMED:
            found = names[key] = self._dotted(node)
        return found

    def _dotted(self, node: Node | None) -> str | None:
        parts: list[str] = []
        while node is not None:
            kind = node.type
            if kind in self.LEAVES:
                parts.append(_text(node))
                return ".".join(reversed(parts))
            member = self.MEMBERS.get(kind)
            if member is not None:
                parts.append(_text(node.child_by_field_name(member[0])))
                node = node.child_by_field_name(member[1])
                if node is None:  # a method of this object: the chain so far
                    return ".".join(reversed(parts))
                continue
            through = self.THROUGH.get(kind)
            if through is not None:
                node = node.child_by_field_name(through)
                continue
            if kind in self.WRAPPERS:
                node = self.unwrap(node)
                continue
            other = self._link(node, parts)
            if isinstance(other, str):
                return other or None
            if other is not None:
                node = other
                continue
            if parts:
                parts.append("?")
                return ".".join(reversed(parts))
            return None
        return None

    def _link(self, node: Node, parts: list[str]) -> Node | str | None:
        """A chain link only this language has: the node to go on with (after adding
        to ``parts``), the whole name ("" when there is none), or None when ``node``
        is no link."""
        return None

    def qualified(self, node: Node | None) -> tuple[str | None, str | None]:
        """As written, and resolved: the head through the file's imports or declared
        types (see ``_resolve_head``; both are complete once the file is collected,
        and the answer is remembered per node from then on)."""
        resolved = self._resolved
        if resolved is None or node is None:
            return self._qualified(node)
        key = node.id
        found = resolved.get(key)
        if found is None:
            found = resolved[key] = self._qualified(node)
        return found

    def _qualified(self, node: Node | None) -> tuple[str | None, str | None]:
        written = self.dotted(node)
        if written is None:
            return (None, None)
        full, rest = self._resolve_head(written, node)
        resolved = (f"{full}.{rest}" if rest else full) if full else None
        return (written, resolved)

    def _resolve_head(self, written: str, node: Node | None) -> tuple[str | None, str]:
        """What the first name of ``written`` stands for, and the rest of it."""
        head, _, rest = written.partition(".")
        return self.aliases.get(head), rest

    def type_of(self, name: str, node: Node | None) -> str | None:
        """The type ``name`` was declared with where ``node`` is (its function's
        declarations first, then the file's)."""
        if node is not None:
            scope = self.enclosing(node.start_byte)
            if scope is not None:
                found = self.scoped.get((scope.node.id, name))
                if found is not None:
                    return found
        return self.scoped.get((None, name))

    def _with_sourced(
        self,
        also: Callable[[Function], bool] = lambda f: False,
        only: Sequence[tuple[int, int]] | None = None,
    ) -> tuple[list[Function], list[Function]]:
        """As the core's candidates, plus every function that reads a source: a sink may
        be named through a variable's type (``c.File`` is ``gin.Context.File``), which
        the core's search of the text for sink names cannot see."""
        found = super()._candidates(only)
        if found is None:  # no sink named as the core finds names: calls not yet counted
            self._count_calls()
            found = ([], [])
        selected, with_callers = found
        ids = {f.node.id for f in selected}
        selected += [
            f for f in self.functions if f.node.id not in ids and (also(f) or self.sourced(f))
        ]
        return selected, with_callers

    def _declared_key(self, fn: Function, *extra: Any) -> tuple[Any, ...] | None:
        """As the core's summary key, plus what the file declares outside every function
        (the types of its file-level names): the same function text means something else
        under other declarations."""
        key = super()._summary_key(fn)
        if key is None:
            return None
        outer = tuple(sorted((k[1], v) for k, v in self.scoped.items() if k[0] is None))
        return (*key, *extra, hash(outer))


class BraceInterp(InterpCore):
    """Abstract interpretation of one function body of a brace language."""

    fa: BraceFile

    # -- what the front end's syntax calls things ------------------------------------
    EXPR: ClassVar[dict[str, Callable[[Any, Node], Val]]] = {}
    """Expression node type -> handler."""
    WRAPPERS: ClassVar[frozenset[str]] = frozenset()
    """Expressions whose value is their operand's (parentheses, casts)."""
    FUNCTION_TYPES: ClassVar[frozenset[str]] = frozenset()
    """Nodes that start a function: a guard's names are not looked for inside them."""
    FUNCTION_VALUES: ClassVar[frozenset[str]] = frozenset()
    """Function expressions that run where they are written (callbacks, lambdas)."""
    BODY_BLOCKS: ClassVar[frozenset[str]] = frozenset()
    """A function body that is a block, not an expression (``x => expr``)."""
    NAME_TYPES: ClassVar[frozenset[str]] = frozenset()
    """Names that may hold a constant (``ROOT``, ``Config.ORIGIN``)."""
    CLEANED_TYPES: ClassVar[frozenset[str]] = frozenset()
    """Names a guard cleans in the environment."""
    TEXT_TYPES: ClassVar[frozenset[str]] = frozenset()
    """String literals: no names inside."""
    NOT_COLLECTIONS: ClassVar[frozenset[str]] = frozenset()
    """Literals whose ``includes``/``contains`` is a substring test, not membership."""
    LITERALS: ClassVar[frozenset[str]] = frozenset({"true", "false"})
    """Literal constants: strings, numbers, booleans."""
    NOT_OPERAND: ClassVar[str] = "operand"
    """The field of ``!x`` that holds ``x``."""
    NORETURN: ClassVar[frozenset[str]] = frozenset()
    """Calls after which no path goes on (``process.exit``, ``log.Fatal``)."""
    REASSIGNED: ClassVar[dict[str, str]] = {}
    """Nodes that set a variable: node type -> the field naming it (``x = ...``,
    ``x += 1``)."""
    INLINE_STATE: ClassVar[tuple[str, ...]] = ()
    """Attributes (dicts) a function run in place starts afresh and gives back."""

    @staticmethod
    def unwrap(node: Node | None) -> Node | None:
        return node

    def is_literal(self, node: Node | None) -> bool:
        """A literal constant (in parentheses too)."""
        node = self.unwrap(node)
        return node is not None and node.type in self.LITERALS

    @staticmethod
    def string_value(node: Node | None) -> str | None:
        return None

    # -- entry points ----------------------------------------------------------------

    def _located(self, val: Val, at: Node) -> Val:
        """A parameter's value located at its declaration (for paths)."""
        if val.traces and val.traces[0].end == 0:
            return Val(tuple(replace(t, start=at.start_byte, end=at.end_byte) for t in val.traces))
        return val

    def _clean_params(self, fn: Function) -> set[int]:
        """Parameters whose type no text an attacker wrote survives (numbers, dates)."""
        return set()

    def _entry_values(self, fn: Function) -> list[Val]:
        """What each parameter holds on entry: a source (a route's parameter), nothing
        from outside (a number), else the caller's argument."""
        values = []
        clean = self._clean_params(fn) if fn.sources or fn.params else set()
        for i, name in enumerate(fn.params):
            if i in clean:
                values.append(CLEAN)
            elif i in fn.sources:
                src = self.model.sources[fn.sources[i]]
                label = f"{src.label or 'parameter'} {name}"
                values.append(Val((Trace(fn.sources[i], 0, 0, label, src.weak),)))
            else:
                values.append(Val((Trace(param_origin(i), 0, 0, name),)))
        return values

    def _bind_params(self, node: Node, values: list[Val]) -> None:
        raise NotImplementedError

    def _bind_entry(self, fn: Function, values: list[Val]) -> None:
        self._bind_params(fn.node, values)

    def run_function(self, *, report: bool) -> Summary:
        fn = self.fn
        assert fn is not None
        self.report = report
        self.env = {}
        self._bind_entry(fn, self._entry_values(fn))
        self.route_returns = [
            (r, sink) for r, sink in self.model.return_sinks if self._route_sink(fn, sink)
        ]
        self._body(fn.node)
        return Summary(join(*self.returns) if self.returns else CLEAN, self.sinks)

    def run_predicate(self) -> Predicate:
        """What a same-file function returning a boolean checks: parameter index ->
        the guards that hold for it whenever it returns something true
        (``function isInside(child, base) { ...; return !rel.startsWith("..") }``)."""
        fn = self.fn
        assert fn is not None
        self.checks = []
        self.report = False
        self.env = {}
        params = fn.params[fn.offset :]
        self._bind_params(
            fn.node, [Val((Trace(param_origin(i), 0, 0, n),)) for i, n in enumerate(params)]
        )
        self._body(fn.node)
        return self.held(params)

    def _route_sink(self, fn: Function, sink: Sink) -> bool:
        from genguard.rules.loader import compile_regex

        if sink.returns_function:
            return bool(compile_regex(sink.returns_function).search(fn.name.encode()))
        return self._routes(fn, sink)

    def _routes(self, fn: Function, sink: Sink) -> bool:
        """Whether ``fn``'s returns reach ``sink`` other than by its name."""
        return False

    def _body(self, fn: Node) -> None:
        body = fn.child_by_field_name("body")
        if body is None:
            return
        if body.type in self.BODY_BLOCKS:
            self.block(body, self.env)
        else:  # x => expression
            self._returned(body, self.expr(body))

    def inline(self, fn: Node, args: list[Val], *, again: bool = False) -> Val:
        """Run a function expression where it is written (a callback), with the
        variables it closes over; returns what it returns. What it assigns to those
        variables flows on (it may run). A callback that may run ``again`` (a timer,
        an event handler, a ``forEach``) sees no constant in a variable it sets
        itself: ``seconds -= 1; if (seconds <= 0)`` holds on some later run."""
        saved = (self.env, self.returns, self.loop_exits, self.route_returns)
        kept = [getattr(self, a) for a in self.INLINE_STATE]
        outer = self.env
        self.env = dict(outer)
        for name in self._reassigned(fn) if again else ():
            old = self.env.get(name)
            if old is not None and old.const is not NC:
                self.env[name] = Val(old.traces, NC, old.text)
        self.returns, self.loop_exits, self.route_returns = [], [], []
        for a in self.INLINE_STATE:
            setattr(self, a, {})
        try:
            self._bind_params(fn, args)
            self._body(fn)
            returned = join(*self.returns) if self.returns else CLEAN
            inner = self.env
        finally:
            self.env, self.returns, self.loop_exits, self.route_returns = saved
            for a, v in zip(self.INLINE_STATE, kept, strict=True):
                setattr(self, a, v)
        for name, val in inner.items():
            if name in outer and val is not outer[name]:
                outer[name] = join(outer[name], val)
        return returned

    def _reassigned(self, fn: Node) -> set[str]:
        """The names a function's body sets (its own declarations aside)."""
        out: set[str] = set()
        stack = [fn.child_by_field_name("body")]
        n = 0
        while stack and n < 5000:
            cur = stack.pop()
            n += 1
            if cur is None:
                continue
            field = self.REASSIGNED.get(cur.type)
            target = cur.child_by_field_name(field) if field is not None else None
            for t in (
                target.named_children
                if target is not None and target.type == "expression_list"
                else [target]
            ):
                if t is not None and t.type == "identifier":
                    out.add(_text(t))
            stack.extend(cur.named_children)
        return out

    # -- statements --------------------------------------------------------------------

    def _returned(self, node: Node, val: Val, checked: Val | None = None) -> None:
        """A value the function returns at ``node``: a summary's, a predicate's check
        (``checked``: the first of several), a route's response."""
        self.returns.append(val)
        if self.checks is not None:
            self.checks.append((node, checked if checked is not None else val, dict(self.env)))
        for rule, sink in self.route_returns:
            self.sink(rule, node, val, sink)

    def _jump(self, env: Env) -> None:
        """``break``/``continue``: the state leaves the innermost loop or switch."""
        if self.loop_exits:
            self.loop_exits[-1].append(dict(env))
        return None

    def _expression_statement(self, node: Node) -> Env | None:
        ends = False
        for child in node.named_children:
            val = self.expr(child)
            ends = self._ends(child, val) or ends
        return None if ends else self.env

    def _ends(self, child: Node, val: Val) -> bool:
        """Whether no path goes past the expression statement ``child``."""
        if child.type != "call_expression":
            return False
        names = self.fa.qualified(child.child_by_field_name("function"))
        return any(n in self.NORETURN for n in names if n)

    def _alternative(self, node: Node) -> Node | None:
        """An if statement's else part: the statement it runs."""
        return node.child_by_field_name("alternative")

    def _chains(self, alt: Node) -> bool:
        """Whether an ``else if`` continues the chain (its condition is the next one)."""
        return True

    def if_chain(self, node: Node) -> tuple[list[tuple[Node | None, Node | None]], Node | None]:
        """An if/else-if/else chain as the core's ``branches`` takes it: (condition,
        body) pairs and the final else (returned, not run, to keep the stack shallow
        for deeply nested code)."""
        clauses: list[tuple[Node | None, Node | None]] = []
        otherwise: Node | None = None
        cur: Node | None = node
        while cur is not None:
            clauses.append(
                (cur.child_by_field_name("condition"), cur.child_by_field_name("consequence"))
            )
            alt = self._alternative(cur)
            if alt is not None and alt.type == "if_statement" and self._chains(alt):
                cur = alt
            else:
                otherwise, cur = alt, None
        return clauses, otherwise

    def _never(self, cond: Node | None, env: Env) -> bool:
        """Whether a loop's condition is false from the start (its body never runs)."""
        if cond is None:
            return False
        self.env = env
        return truth(self.expr(cond)) is False

    def _repeat(self, env: Env, body: Node | None, bind: Callable[[], None] | None) -> Env | None:
        cur, exits = self.repeat(env, body, bind)
        return self.join_envs([cur, *exits]) if exits else cur

    def _cases(
        self,
        env: Env,
        cases: Iterable[Node],
        is_default: Callable[[Node], bool],
        run: Callable[[Node, Env], Env | None],
    ) -> Env | None:
        """A switch: each case runs from the state before it (``break`` leaves it);
        without a default, the state before may also go on."""
        exits: list[Env] = []
        self.loop_exits.append(exits)
        outs: list[Env | None] = []
        default = False
        try:
            for case in cases:
                default = default or is_default(case)
                outs.append(run(case, dict(env)))
        finally:
            self.loop_exits.pop()
        if not default:
            outs.append(env)
        return self.join_envs([*outs, *exits])

    def _try(
        self,
        env: Env,
        body: Node | None,
        handlers: list[tuple[Node | None, Node | None]],
        final: Node | None,
    ) -> Env | None:
        """try/catch/finally: a handler (``(parameter, body)``) may start from before the
        body or after it; the ``finally`` block runs on every path."""
        before = dict(env)
        out = self.block(body, env) if body is not None else env
        outs: list[Env | None] = [out]
        for param, hbody in handlers:
            henv = self.join_envs([before, out]) or before
            if param is not None:
                henv[_text(param)] = CLEAN
            outs.append(self.block(hbody, henv) if hbody is not None else henv)
        result = self.join_envs(outs)
        if final is not None:
            fout = self.block(final, result if result is not None else dict(before))
            return None if result is None else fout
        return result

    # -- guards ------------------------------------------------------------------------

    def guarded(self, cond: Node | None, env: Env, truth: bool) -> Env:
        """``env`` on the branch where ``cond`` is ``truth``: guard calls, allow-list
        lookups and comparisons with a constant clean what they check."""
        cond = self.unwrap(cond)
        if cond is None:
            return env
        kind = cond.type
        if kind == "unary_expression" and _text(cond.child_by_field_name("operator")) == "!":
            return self.guarded(cond.child_by_field_name(self.NOT_OPERAND), env, not truth)
        if kind == "binary_expression":
            op = _text(cond.child_by_field_name("operator"))
            left, right = cond.child_by_field_name("left"), cond.child_by_field_name("right")
            if op in ("&&", "||"):
                if (op == "&&") == truth:
                    return self.guarded(right, self.guarded(left, env, truth), truth)
                # a || b held (or a && b failed): one of them did; a name both pin is pinned
                first = self.guarded(left, dict(env), truth)
                second = self.guarded(right, self.guarded(left, dict(env), not truth), truth)
                return self.join_envs([first, second]) or env
            return self._compare(op, left, right, env, truth)
        return self._guard(cond, env, truth)

    def _compare(
        self, op: str, left: Node | None, right: Node | None, env: Env, truth: bool
    ) -> Env:
        """A binary condition other than ``&&``/``||``."""
        return env

    def _guard(self, cond: Node, env: Env, truth: bool) -> Env:
        """Any other condition (a call, a name)."""
        return env

    def _pin(self, node: Node | None, env: Env) -> Env:
        """``node`` equals a constant (or one of an allow-list): what it reads is clean
        for every rule that takes membership as a guard."""
        if node is None:
            return env
        for index in self.model.membership:
            env = self._clean_names(node, env, index)
        return env

    def _equal(self, a: Node, b: Node, env: Env) -> Env:
        """``a == b`` holds where both are names: they hold one value, so the one whose
        origins are among the other's stands for both (``candidate === root``: what
        ``root`` holds, not what was joined to it)."""
        na, nb = self.fa.dotted(a), self.fa.dotted(b)
        if not na or not nb or na == nb:
            return env
        saved, self.env = self.env, env
        va, vb = self.expr(a), self.expr(b)
        self.env = saved
        oa, ob = {t.origin for t in va.traces}, {t.origin for t in vb.traces}
        if ob < oa and na in env:
            env = dict(env)
            env[na] = vb
        elif oa < ob and nb in env:
            env = dict(env)
            env[nb] = va
        return env

    def _guard_as(self, name: str, node: Node | None, env: Env) -> Env:
        """``node`` checked as the guard the rules call ``name`` would check it."""
        if node is None:
            return env
        for index in self.model.guard_names.lookup(name):
            env = self._clean_names(node, env, index)
        return env

    def _clean_all(self, indexes: Iterable[int], nodes: list[Node | None], env: Env) -> Env:
        for index in indexes:
            for node in nodes:
                if node is not None:
                    env = self._clean_names(node, env, index)
        return env

    def _constant(self, node: Node, env: Env) -> bool:
        """Whether ``node`` is a literal or a name holding a known constant (a module's
        ``const ORIGIN = "https://..."``)."""
        if self.is_literal(node):
            return True
        if node.type not in self.NAME_TYPES:
            return False
        saved, self.env = self.env, env
        val = self.expr(node)
        self.env = saved
        return val.const is not NC and not val.tainted

    def _allowed(self, value: Node | None, collection: Node | None, env: Env) -> Env:
        """``value`` is one of ``collection``'s: clean when the collection is not data
        from outside (nor a string, whose ``includes`` is a substring test)."""
        if value is None or collection is None or not self.model.membership:
            return env
        saved, self.env = self.env, env
        cval = self.expr(collection)
        self.env = saved
        if any(t.origin >= 0 for t in cval.traces) or isinstance(cval.const, str):
            return env
        if (self.unwrap(collection) or collection).type in self.NOT_COLLECTIONS:
            return env
        return self._pin(value, env)

    def _clean_names(self, node: Node, env: Env, index: int) -> Env:
        """Every name ``node`` reads, cleaned of guard ``index``."""
        stack = [node]
        n = 0
        while stack and n < 200:
            cur = stack.pop()
            n += 1
            if cur.type in self.CLEANED_TYPES:
                name = self.fa.dotted(cur)
                if name and name in env:
                    env = dict(env)
                    env[name] = env[name].cleaned(index)
                elif name:
                    env = self._clean_read(cur, node, name, env, index)
                if cur.type == "identifier":
                    stack.extend(self._derived_from(cur))
                    continue
            if cur.type in self.FUNCTION_TYPES or cur.type in self.TEXT_TYPES:
                continue
            stack.extend(cur.named_children)
        return env

    def _clean_read(self, cur: Node, root: Node, name: str, env: Env, index: int) -> Env:
        """A checked name not in the environment (a source read where it is checked)."""
        return env

    def _derived_from(self, ident: Node) -> Iterable[Node]:
        """What a name was computed from, that a check of it checks too."""
        return ()

    # -- expressions -------------------------------------------------------------------

    def _expr(self, node: Node) -> Val:
        handler = self.EXPR.get(node.type)
        if handler is not None:
            return handler(self, node)
        if node.type in self.WRAPPERS:
            inner = self.unwrap(node)
            return self.expr(inner) if inner is not None and inner is not node else CLEAN
        if node.type in self.FUNCTION_VALUES:
            if node.id not in self.fa.by_node:  # a function expression: it may run here
                self.inline(node, [])
            return CLEAN
        return (
            combine(*(self.expr(c) for c in node.named_children)) if node.named_children else CLEAN
        )

    def string(self, node: Node) -> Val:
        return Val((), self.string_value(node) or "")

    def ternary(self, node: Node) -> Val:
        return self.choose(
            node.child_by_field_name("condition"),
            node.child_by_field_name("consequence"),
            node.child_by_field_name("alternative"),
        )

    def _named_read(self, node: Node) -> Val | None:
        """A dotted read (``req.query.id``): what the function bound or a guard cleaned
        under that name, else the source the rules name it, else None."""
        written, resolved = self.fa.qualified(node)
        if written is None:
            return None
        if written in self.env:
            return self.env[written]
        indexes = self.model.source_names.lookup(written, resolved)
        if indexes:
            return self._source_val(indexes, node, written)
        return None

    def _logical(self, node: Node, op: str) -> tuple[Val, Val | None, bool | None]:
        """``a && b``, ``a || b``: the left value, the right one (None when the left
        decides: it is the value), and the left's truth if known. The right side is
        read under what the left guarantees there."""
        left_node = node.child_by_field_name("left")
        left = self.expr(left_node)
        is_and = op == "&&"
        known = truth(left)
        if known is not None and known != is_and:
            return left, None, known
        saved = self.env
        self.env = self.guarded(left_node, dict(self.env), is_and)
        right = self.expr(node.child_by_field_name("right"))
        self.env = saved
        return left, right, known

    @staticmethod
    def _unary_fold(op: str, val: Val) -> Val | None:
        """``!x`` and ``-x`` of a known value."""
        if op == "!":
            known = truth(val)
            return Val((), not known) if known is not None else CLEAN
        if op == "-" and isinstance(val.const, int | float) and not isinstance(val.const, bool):
            return Val((), -val.const)
        return None

    def _key(self, key_node: Node | None, rest: list[Val]) -> Any:
        """A computed key's constant (NC when data decides it: that data goes to
        ``rest``)."""
        k = self.expr(key_node)
        if k.tainted:
            rest.append(k)
            return NC
        return k.const

    def _item(
        self, items: list[tuple[Any, Val]] | None, rest: list[Val], key: Any, val: Val, at: Node
    ) -> None:
        """One entry of a literal mapping (an object, a struct): kept under its key when
        the key is known; stored under a name an assign sink matches, a sink."""
        if key is NC:
            rest.append(val)
        elif items is not None:
            items.append((key, val))
        if isinstance(key, str) and self.model.assign_sinks:
            self._assign_sinks(key, at, val)

    def _stored(
        self, target: Node, container: Node | None, index: Node | None, val: Val
    ) -> tuple[str, Val, Val] | None:
        """``m[k] = val``: the sinks it is (a name an assign sink matches, a store
        sink's container), the entry updated when the container's keys are known.
        Returns (container name, its old value, the key) for the front end to update
        otherwise; None when done."""
        key = self.expr(index) if index is not None else CLEAN
        if isinstance(key.const, str) and self.model.assign_sinks:
            self._assign_sinks(key.const, target, val)
        for rule, sink in self.model.store_sinks.lookup(*self.fa.qualified(container)):
            self.sink(rule, target, val, sink)
        cname = self.fa.dotted(container)
        if cname is None:
            self.expr(container)
            return None
        old = self.env.get(cname, CLEAN)
        if old.keys is not None and key.const is not NC:
            items = [(k, v) for k, v in old.keys if k != key.const] + [(key.const, val)]
            self.env[cname] = mapping(items, [])
            return None
        return cname, old, key

    # -- calls -------------------------------------------------------------------------

    def _plain_targets(self, name: str) -> list[Function]:
        """The file's functions (not methods) a call of ``name`` reaches; none when
        ``name`` is a variable holding something else here."""
        if name in self.env and self.env[name] is not CLEAN:
            return []
        return [f for f in self.fa.by_name.get(name, ()) if f.cls is None]

    def _call_source(
        self,
        names: tuple[str | None, ...],
        node: Node,
        receiver: Val,
        every: list[Val],
        pos_nodes: list[Node] | None = None,
    ) -> Val | None:
        """A call the rules name a source: its value, with what went in (which still
        flows for the rules it is no source of). A source with ``when``/``unless``
        literals is one only when its arguments have them (``new NewCookie(..., secure,
        ...)`` with ``secure`` true makes no insecure cookie)."""
        indexes = self.model.source_names.lookup(*names)
        if indexes and self.model.conditional_sources:
            indexes = [i for i in indexes if self._source_holds(i, every, pos_nodes or [])]
        if not indexes:
            return None
        found = self._source_val(indexes, node, names[0] or _snippet(node))
        return Val(merge_traces(found.traces, combine(receiver, *every).traces))

    @staticmethod
    def switched_off(args: list[Node]) -> bool:
        """A sanitizer given a literal ``false`` (``cookie.setSecure(false)``,
        ``.secure(false)``) turns the protection off: it cleans nothing."""
        return any(_text(a) == "false" for a in args)

    def _source_holds(self, index: int, positional: list[Val], pos_nodes: list[Node]) -> bool:
        """Whether a call source's literal arguments (by position) are as it needs."""

        def given(key: Any) -> tuple[Val | None, Node | None]:
            if isinstance(key, int) and key < len(positional) and key < len(pos_nodes):
                return positional[key], pos_nodes[key]
            return None, None

        return self.source_holds(index, given)

    def _sanitized(
        self,
        names: tuple[str | None, ...],
        method: str | None,
        receiver: Val,
        every: list[Val],
        args: list[Node],
    ) -> Val | None:
        """A call the rules name a sanitizer (by name, or by its method ``*.m``): what
        went in, cleaned of it; None when it is none (or is switched off)."""
        if self.switched_off(args):
            return None
        san = self.model.sanitizer_names.lookup(*names)
        if not san and method is not None:
            san = self.model.sanitizer_names.lookup(f"*.{method}")
        if not san:
            return None
        val = combine(receiver, *every)
        for index in san:
            val = val.cleaned(index)
        return Val(val.traces)

    def _summaries(
        self,
        targets: list[Function],
        node: Node,
        positional: list[Val],
        receiver: Val,
        every: list[Val],
    ) -> Val | None:
        """A call of the file's own functions: their summaries applied (clean when no
        data goes in and none of them reads a source); None when there are none."""
        if targets and not (receiver.tainted or any(v.tainted for v in every)):
            targets = [t for t in targets if self.fa.sourced(t)]
            if not targets:
                return CLEAN
        if targets:
            return join(*(self._apply(t, node, positional, {}, receiver) for t in targets))
        return None
