"""JavaScript/TypeScript front end of the taint engine: data flow over tree-sitter
javascript, typescript and tsx trees.

What is JavaScript here is the syntax and a little of the language's meaning:
``require``/``import`` bind module names (``const { exec } = require("child_process")``
makes ``exec`` resolve to ``child_process.exec``), destructuring picks fields,
template literals and ``+`` build strings, an options object passed last or before
a final callback (``spawn(cmd, args, { shell: true })``, ``res.sendFile(name, { root },
cb)``) is read as keyword arguments, and arrow
functions or function expressions passed inline (Express handlers, ``forEach``
callbacks, promise continuations) run in place with the variables they close over.
Named functions (declarations, ``const f = () => ...``, methods) get summaries like
Python's. Everything that decides data flow (joins, loops, folding, summaries,
sinks) is :mod:`genguard.taint.core`; what is a source, sink or sanitizer is data in
the rule packs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from tree_sitter import Node, QueryCursor, Tree

from genguard.taint.brace import BraceFile, BraceInterp
from genguard.taint.core import (
    MAX_CONST,
    Env,
    Function,
    Globals,
    element,
    fold,
    indexed,
    join_envs,
)
from genguard.taint.core import cached_query as _query
from genguard.taint.core import node_text as _text
from genguard.taint.core import snippet as _snippet
from genguard.taint.model import TaintModel
from genguard.taint.spec import Sink
from genguard.taint.values import (
    CLEAN,
    NC,
    UNKNOWN,
    Step,
    Trace,
    Val,
    combine,
    join,
    leading,
    mapping,
    merge_traces,
    sequence,
)

BUILTINS = frozenset(
    {
        "undefined", "NaN", "Infinity", "globalThis", "window", "document", "console",
        "JSON", "Math", "Object", "Array", "String", "Number", "Boolean", "Symbol",
        "BigInt", "Date", "RegExp", "Error", "TypeError", "RangeError", "Promise", "Map",
        "Set", "WeakMap", "WeakSet", "Reflect", "Proxy", "Buffer", "URL",
        "URLSearchParams", "process", "require", "module", "exports", "__dirname",
        "__filename", "parseInt", "parseFloat", "isNaN", "isFinite", "encodeURIComponent",
        "encodeURI", "decodeURIComponent", "decodeURI", "escape", "unescape", "setTimeout",
        "setInterval", "setImmediate", "clearTimeout", "clearInterval", "fetch", "eval",
        "Function", "structuredClone", "queueMicrotask", "atob", "btoa", "TextEncoder",
        "TextDecoder", "crypto", "performance", "navigator", "location", "history",
        "localStorage", "sessionStorage", "alert", "confirm", "prompt",
    }
)  # fmt: skip
"""Names every module can use without binding them."""
FORMATTERS = frozenset(
    {"util.format", "format", "sprintf", "vsprintf", "sprintf_js.sprintf", "sprintf_js.vsprintf"}
)
"""printf-style calls: their result is text built from their arguments."""
RELATIVE = frozenset({"path.relative", "path.posix.relative", "path.win32.relative"})
"""``path.relative(base, p)``: checking that it does not start with ".." checks that
``p`` stays inside ``base`` (Node's documented containment idiom)."""
NORETURN = frozenset({"process.exit", "process.abort"})
"""Calls that never return: a branch ending in one does not flow on."""
ITERATORS = frozenset(
    {
        "forEach", "map", "filter", "find", "findLast", "some", "every", "flatMap",
        "reduce", "reduceRight", "then", "sort", "findIndex",
    }
)  # fmt: skip
"""Methods whose callback receives the receiver's elements (or a promise's value)."""
ADDERS = {"push": "append", "unshift": "add", "add": "add", "set": "add", "append": "add"}
"""Methods that put their arguments into the receiver, as the core's container ops."""
READERS = {"get": "get", "pop": "pop", "at": "get", "values": "values", "keys": "keys"}
"""Methods that read an element of the receiver (a Map's ``get``, an array's ``pop``)."""
STRING_FOLDS: dict[str, Callable[[str], str]] = {
    "toLowerCase": str.lower,
    "toUpperCase": str.upper,
    "trim": str.strip,
    "trimStart": str.lstrip,
    "trimEnd": str.rstrip,
}
FUNCTION_TYPES = frozenset(
    {
        "function_declaration",
        "generator_function_declaration",
        "function_expression",
        "function",
        "generator_function",
        "arrow_function",
        "method_definition",
    }
)
BLOCK_TYPES = frozenset({"statement_block", "program", "class_body", "switch_body"})
WRAPPERS = frozenset(
    {
        "parenthesized_expression",
        "as_expression",
        "satisfies_expression",
        "non_null_expression",
        "await_expression",
        "type_assertion",
    }
)
"""Expressions whose value is their operand's (a type annotation, ``await``)."""

_STRUCTURE = """
(function_declaration name: (identifier) @name) @def
(generator_function_declaration name: (identifier) @name) @def
(method_definition name: (_) @name) @def
(variable_declarator name: (identifier) @name
  value: [(arrow_function) (function_expression)] @def)
(assignment_expression left: [(identifier) @name (member_expression property: (_) @name)]
  right: [(arrow_function) (function_expression)] @def)
(import_statement) @import
(variable_declarator value: (_)) @declarator
"""

_CALLS = """
(call_expression function: [(identifier) @callee
                            (member_expression property: (property_identifier) @callee)])
(arguments (identifier) @ref)
"""


def _unwrap(node: Node | None) -> Node | None:
    while node is not None and node.type in WRAPPERS and node.named_children:
        node = node.named_children[-1] if node.type == "type_assertion" else node.named_children[0]
    return node


def module_name(spec: str) -> str:
    """A module specifier as a dotted name: ``node:fs/promises`` -> ``fs.promises``,
    ``escape-html`` -> ``escape_html``; what rules name imported modules by."""
    spec = spec.removeprefix("node:").strip("@/")
    out = "".join(c if c.isalnum() or c in "_$" else ("." if c == "/" else "_") for c in spec)
    return ".".join(p for p in out.split(".") if p) or "_"


def _string_value(node: Node) -> str | None:
    """The constant text of a string literal (escapes kept as written)."""
    if node.type != "string":
        return None
    return "".join(_text(c) for c in node.named_children)[:MAX_CONST]


class FileAnalysis(BraceFile):
    """One JavaScript/TypeScript file: its module bindings and named functions."""

    CALLS = _CALLS

    def __init__(self, model: TaintModel, source: bytes, tree: Tree) -> None:
        self.instances: dict[str, str] = {}  # name -> the file's class it was made as
        super().__init__(model, source, tree)
    LEAVES = frozenset({"identifier", "this", "shorthand_property_identifier"})
    MEMBERS: ClassVar[dict[str, tuple[str, str]]] = {"member_expression": ("property", "object")}
    WRAPPERS = WRAPPERS
    unwrap = staticmethod(_unwrap)

    def _collect(self) -> None:
        found = QueryCursor(_query(self.language, _STRUCTURE)).matches(self.root)
        defs: list[tuple[Node, str]] = []
        for _, captures in found:
            if "import" in captures:
                self._import(captures["import"][0])
            elif "declarator" in captures:
                self._require(captures["declarator"][0])
            elif "def" in captures:
                name = captures.get("name")
                defs.append((captures["def"][0], _text(name[0]) if name else ""))
        seen: set[int] = set()
        named: list[tuple[Node, str, str | None]] = []
        for node, name in sorted(defs, key=lambda d: d[0].start_byte):
            if node.id in seen:
                continue
            seen.add(node.id)
            cls = None
            parent = node.parent
            if node.type == "method_definition" and parent is not None:
                owner = parent.parent
                cls = _text(owner.child_by_field_name("name")) if owner is not None else "?"
                cls = cls or "?"
            elif _top_level(node):
                self.defined.add(name)
            named.append((node, name, cls))
        self._define(named)

    def _candidates(
        self, only: Sequence[tuple[int, int]] | None = None
    ) -> tuple[list[Function], list[Function]] | None:
        """As the core's, plus every function that reads a source or calls a helper
        that does: the DOM sinks are assignments (``el.innerHTML = html``) whose names
        the core's search of the text for sink names cannot see."""
        if not self.model.assign_sinks:
            return super()._candidates(only)
        return self._with_sourced(
            lambda f: any(
                self.sourced(g)
                for n in self.callees.get(f.node.id, ())
                for g in self.by_name.get(n, ())
            ),
            only,
        )

    def scope(self, ranges: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
        """As the core's, plus module-level code: handlers are usually functions passed
        inline at the top level (``app.get(path, (req, res) => ...)``) and analysed with
        the module, whose flow runs forward, so an edit outside every named function
        can change findings from its top-level statement to the end of the file."""
        spans = super().scope(ranges)
        starts = [r[0] for r in ranges if self.enclosing(r[0]) is None]
        module_calls = self.callees.get(None, set())
        if any(f.name in module_calls for f in self.functions if self._touches(f, spans)):
            starts.append(0)  # a helper the top level calls: its flows cross the module
        if starts:
            first = min(starts)
            top = next((c.start_byte for c in self.root.children if c.end_byte > first), first)
            spans.append((min(top, first), len(self.source)))
        return spans

    # -- module bindings ----------------------------------------------------------------

    def _import(self, node: Node) -> None:
        source = node.child_by_field_name("source")
        if source is None:
            return
        base = module_name(_string_value(source) or "")
        for clause in node.named_children:
            if clause.type != "import_clause":
                continue
            for part in clause.named_children:
                if part.type == "identifier":  # import fs from "fs"
                    self.aliases[_text(part)] = base
                elif part.type == "namespace_import":  # import * as fs from "fs"
                    for ident in part.named_children:
                        self.aliases[_text(ident)] = base
                elif part.type == "named_imports":
                    for spec in part.named_children:
                        name = spec.child_by_field_name("name")
                        alias = spec.child_by_field_name("alias") or name
                        if name is not None and alias is not None:
                            self.aliases[_text(alias)] = f"{base}.{_text(name)}"

    def _require(self, node: Node) -> None:
        """``const x = require("m")``, ``const { a, b: c } = require("m")``,
        ``const x = require("m").y``: names bound to a module or its members."""
        value = _unwrap(node.child_by_field_name("value"))
        target = node.child_by_field_name("name")
        if value is None or target is None:
            return
        ctor = value.child_by_field_name("constructor") if value.type == "new_expression" else None
        if ctor is not None and ctor.type == "identifier" and target.type == "identifier":
            self.instances[_text(target)] = _text(ctor)  # const repo = new Repo(pool)
            return
        suffix: list[str] = []
        while value is not None and value.type == "member_expression":
            suffix.append(_text(value.child_by_field_name("property")))
            value = value.child_by_field_name("object")
        if value is None or value.type != "call_expression":
            return
        fn = value.child_by_field_name("function")
        args = value.child_by_field_name("arguments")
        if args is None or not args.named_children:
            return
        if _text(fn).rsplit(".", 1)[-1] == "promisify" and target.type == "identifier":
            # const run = util.promisify(exec): the same function, returning a promise
            written, resolved = self.qualified(args.named_children[0])
            if resolved or written:
                self.aliases[_text(target)] = resolved or written or ""
            return
        if _text(fn) != "require":
            return
        spec = _string_value(args.named_children[0])
        if spec is None:
            return
        base = ".".join([module_name(spec), *reversed(suffix)])
        if target.type == "identifier":
            self.aliases[_text(target)] = base
        elif target.type == "object_pattern":
            for part in target.named_children:
                if part.type == "shorthand_property_identifier_pattern":
                    self.aliases[_text(part)] = f"{base}.{_text(part)}"
                elif part.type == "pair_pattern":
                    key = part.child_by_field_name("key")
                    val = part.child_by_field_name("value")
                    if key is not None and val is not None and val.type == "identifier":
                        self.aliases[_text(val)] = f"{base}.{_text(key)}"

    def _parameters(self, node: Node, decorators: list[Node]) -> tuple[list[str], dict[int, int]]:
        params = node.child_by_field_name("parameters")
        if params is None:  # x => ...
            single = node.child_by_field_name("parameter")
            return ([_text(single)] if single is not None else []), {}
        nodes = [p for p in params.named_children if p.type != "comment"]
        sources: dict[int, int] = {}
        if self.model.decorated_sources:  # TypeScript: findOne(@Param("id") id: string)
            for i, param in enumerate(nodes):
                for decorator in (c for c in param.named_children if c.type == "decorator"):
                    expr = decorator.named_children[0] if decorator.named_children else None
                    if expr is not None and expr.type == "call_expression":
                        expr = expr.child_by_field_name("function")
                    names = [n for n in self.qualified(expr) if n]
                    for pattern, index in self.model.decorated_sources:
                        if any(pattern.matches(n) for n in names):
                            sources.setdefault(i, index)
        return [_param_name(p) for p in nodes], sources

    # -- names --------------------------------------------------------------------------

    def _link(self, node: Node, parts: list[str]) -> Node | str | None:
        if node.type == "subscript_expression":  # a["b"]
            key = node.child_by_field_name("index")
            text = _string_value(key) if key is not None else None
            if not text or not text.replace("_", "a").replace("$", "a").isalnum():
                return ""
            parts.append(text)
            return node.child_by_field_name("object")
        if node.type == "call_expression":  # req.get("x").trim -> keep the chain readable
            fn = node.child_by_field_name("function")
            args = node.child_by_field_name("arguments")
            if _text(fn) == "require" and args is not None and args.named_children:
                spec = _string_value(args.named_children[0])  # require("fs").readFile
                if spec is not None:
                    parts.append(module_name(spec))
                    return ".".join(reversed(parts))
            return fn
        return None


def _top_level(node: Node) -> bool:
    parent = node.parent
    while parent is not None and parent.type in (
        "variable_declarator",
        "lexical_declaration",
        "variable_declaration",
        "export_statement",
        "assignment_expression",
        "expression_statement",
    ):
        parent = parent.parent
    return parent is not None and parent.type == "program"


def _param_name(node: Node) -> str:
    if node.type in ("required_parameter", "optional_parameter"):
        pattern = node.child_by_field_name("pattern")
        return _param_name(pattern) if pattern is not None else _text(node)
    if node.type == "assignment_pattern":
        left = node.child_by_field_name("left")
        return _param_name(left) if left is not None else "?"
    if node.type == "rest_pattern":
        return _param_name(node.named_children[0]) if node.named_children else "?"
    if node.type == "identifier":
        return _text(node)
    return f"?{node.start_byte}"  # a destructured parameter: bound by its pattern


class Interp(BraceInterp):
    """Abstract interpretation of one JavaScript function body (or the module)."""

    fa: FileAnalysis

    WRAPPERS = WRAPPERS
    FUNCTION_TYPES = FUNCTION_TYPES
    FUNCTION_VALUES = FUNCTION_TYPES
    BODY_BLOCKS = frozenset({"statement_block"})
    NAME_TYPES = frozenset({"identifier", "member_expression"})
    CLEANED_TYPES = frozenset({"identifier", "member_expression", "subscript_expression"})
    TEXT_TYPES = frozenset({"string"})
    NOT_COLLECTIONS = frozenset({"string", "template_string"})
    NOT_OPERAND = "argument"
    REASSIGNED: ClassVar[dict[str, str]] = {
        "assignment_expression": "left",
        "augmented_assignment_expression": "left",
    }
    NORETURN = NORETURN

    unwrap = staticmethod(_unwrap)

    def is_literal(self, node: Node | None) -> bool:
        return node is not None and _is_literal(node)

    @staticmethod
    def string_value(node: Node | None) -> str | None:
        return _string_value(node) if node is not None else None

    def __init__(self, fa: FileAnalysis, fn: Function | None, env: Env) -> None:
        super().__init__(fa, fn, env)
        self.relative: dict[str, Node] = {}  # rel -> the path path.relative(base, path) took
        self.checked_reads: set[str] = set()  # source reads a check cleaned where read

    def join_envs(self, envs: list[Env | None]) -> Env | None:
        """As the core joins, but a source read checked in place (``req.query.x``) on
        one path only is dropped: on the other path it is read fresh, and a check
        there does not clean it here."""
        joined = join_envs(envs)
        live = [e for e in envs if e is not None]
        if joined is None or len(live) < 2:
            return joined
        for key in [k for k in joined if k in self.checked_reads]:
            if not all(key in e for e in live):
                del joined[key]
        return joined

    # -- entry points ----------------------------------------------------------------

    def run_module(self, root: Node) -> Env:
        # the functions the module body calls are summarised while it runs: they fold
        # their conditions with its constants (``if (LEGACY_FORMAT)``), known up front
        self.fa.globals = Globals(self.fa, Interp(self.fa, None, {}).run_constants(root))
        env: Env = {}
        out = self.block(root, env)
        return out if out is not None else env

    def run_constants(self, root: Node) -> Env:
        """Only top-level ``const``/``let``/``var`` of literal values: what functions
        fold their conditions with."""
        env: Env = {}
        self.env = env
        for stmt in root.named_children:
            if stmt.type == "export_statement":
                stmt = stmt.child_by_field_name("declaration") or stmt
            if stmt.type not in ("lexical_declaration", "variable_declaration"):
                continue
            for decl in stmt.named_children:
                value = decl.child_by_field_name("value")
                if (
                    decl.type == "variable_declarator"
                    and value is not None
                    and value.type in _CONSTANT_TYPES
                    and value.end_byte - value.start_byte < 2000
                ):
                    self.declarator(decl)
        return env

    def _bind_params(self, node: Node, values: list[Val]) -> None:
        params = node.child_by_field_name("parameters")
        nodes = (
            [p for p in params.named_children if p.type != "comment"]
            if params is not None
            else [p for p in (node.child_by_field_name("parameter"),) if p is not None]
        )
        for i, param in enumerate(nodes):
            self.assign(param, self._located(values[i] if i < len(values) else CLEAN, param), param)

    def _routes(self, fn: Function, sink: Sink) -> bool:
        if sink.returns_first_parameter:
            return bool(fn.params) and fn.params[0] == sink.returns_first_parameter
        return False

    # -- statements --------------------------------------------------------------------

    def block(self, node: Node, env: Env) -> Env | None:
        if node.type in BLOCK_TYPES:
            return super().block(node, env)
        return self.statement(node, env)

    def statement(self, node: Node, env: Env) -> Env | None:
        self.fa.tick()
        self.env = env
        kind = node.type
        if kind == "expression_statement":
            return self._expression_statement(node)
        if kind in ("lexical_declaration", "variable_declaration"):
            for decl in node.named_children:
                if decl.type == "variable_declarator":
                    self.declarator(decl)
            return self.env
        if kind == "return_statement":
            value = node.named_children[0] if node.named_children else None
            if value is not None:
                self._returned(value, self.expr(value))
            return None
        if kind == "throw_statement":
            for child in node.named_children:
                self.expr(child)
            return None
        if kind == "if_statement":
            return self.branches(*self.if_chain(node), env)
        if kind in ("for_statement", "while_statement", "do_statement", "for_in_statement"):
            return self.loop(node, env)
        if kind == "try_statement":
            return self.try_statement(node, env)
        if kind == "switch_statement":
            return self.switch(node, env)
        if kind in ("break_statement", "continue_statement"):
            return self._jump(env)
        if kind in BLOCK_TYPES:
            return super().block(node, env)
        if kind == "export_statement":
            decl = node.child_by_field_name("declaration")
            if decl is not None:
                return self.statement(decl, env)
            value = node.child_by_field_name("value")
            if value is not None:
                self.expr(value)
            return self.env
        if kind == "labeled_statement":
            body = node.child_by_field_name("body")
            return self.statement(body, env) if body is not None else env
        if kind in ("function_declaration", "generator_function_declaration", "class_declaration"):
            name = node.child_by_field_name("name")
            if name is not None:
                env[_text(name)] = CLEAN
            return env
        return env

    def _alternative(self, node: Node) -> Node | None:
        alt = node.child_by_field_name("alternative")  # an else_clause: its statement
        return alt.named_children[0] if alt is not None and alt.named_children else None

    def declarator(self, decl: Node) -> None:
        target = decl.child_by_field_name("name")
        value = decl.child_by_field_name("value")
        self._remember_relative(target, value)
        val = self.expr(value) if value is not None else Val((), None)
        if target is not None:
            self.assign(target, val, decl)

    def _remember_relative(self, target: Node | None, value: Node | None) -> None:
        """``rel = path.relative(base, p)``: a check of ``rel`` is a check of ``p``."""
        value = _unwrap(value)
        if target is None or target.type != "identifier":
            return
        self.relative.pop(_text(target), None)
        if value is None or value.type != "call_expression":
            return
        names = self.fa.qualified(value.child_by_field_name("function"))
        args = value.child_by_field_name("arguments")
        if any(n in RELATIVE for n in names if n) and args is not None:
            parts = [a for a in args.named_children if a.type != "comment"]
            if len(parts) == 2:
                self.relative[_text(target)] = parts[1]

    def loop(self, node: Node, env: Env) -> Env | None:
        body = node.child_by_field_name("body")
        self.env = env
        bind = None
        if node.type == "for_in_statement":
            right = node.child_by_field_name("right")
            item = element(self.expr(right)) if right is not None else CLEAN
            left = node.child_by_field_name("left")
            if left is not None:
                bind = lambda: self.assign(left, item, node)  # noqa: E731
        else:
            init = node.child_by_field_name("initializer")
            if init is not None:
                env = self.statement(init, env) or env
            if node.type != "do_statement" and self._never(
                node.child_by_field_name("condition"), env
            ):
                return env
        return self._repeat(env, body, bind)

    def switch(self, node: Node, env: Env) -> Env | None:
        value = node.child_by_field_name("value")
        if value is not None:
            self.expr(value)
        body = node.child_by_field_name("body")

        def run(case: Node, cur: Env | None) -> Env | None:
            for stmt in case.children_by_field_name("body"):
                if cur is None:
                    break
                cur = self.statement(stmt, cur)
            return cur

        return self._cases(
            env,
            body.named_children if body is not None else (),
            lambda c: c.type == "switch_default",
            run,
        )

    def try_statement(self, node: Node, env: Env) -> Env | None:
        handler = node.child_by_field_name("handler")
        final = node.child_by_field_name("finalizer")
        return self._try(
            env,
            node.child_by_field_name("body"),
            []
            if handler is None
            else [(handler.child_by_field_name("parameter"), handler.child_by_field_name("body"))],
            final.child_by_field_name("body") if final is not None else None,
        )

    # -- guards ------------------------------------------------------------------------

    def _compare(
        self, op: str, left: Node | None, right: Node | None, env: Env, truth: bool
    ) -> Env:
        """Comparisons with a constant (``typeof x === "string"``, ``x === ORIGIN``),
        ``indexOf`` tests and ``x in ALLOWED``."""
        if op in ("===", "==", "!==", "!="):
            holds = truth == (op in ("===", "=="))
            for a, b in ((left, right), (right, left)):
                a, b = _unwrap(a), _unwrap(b)
                if a is None or b is None:
                    continue
                if (
                    a.type == "unary_expression"
                    and _text(a.child_by_field_name("operator")) == "typeof"
                ):  # typeof x === "string": a guard named typeof
                    if holds:
                        env = self._guard_as("typeof", a.child_by_field_name("argument"), env)
                    continue
                if _is_index_of(a) and _text(b) in ("-1",) and not holds:
                    env = self._membership(a, env)
                elif _is_index_of(a) and _text(b) == "0" and holds:
                    env = self._prefix_check(a, env)  # x.indexOf(ROOT) === 0
                elif holds and _pins(a) and self._constant(b, env):
                    env = self._pin(a, env)
                elif holds and a.type in self.NAME_TYPES and b.type in self.NAME_TYPES:
                    env = self._equal(a, b, env)
                elif holds and a.type == "call_expression":
                    env = self.guarded(a, env, True)
            return env
        if op in (">=", ">") and truth and _is_index_of(left):
            return self._membership(left, env)
        if op == "in" and truth and self.model.membership:
            return self._allowed(left, right, env)
        return env

    def _guard(self, cond: Node, env: Env, truth: bool) -> Env:
        if cond.type != "call_expression":
            return env
        if not truth:
            return self._relative_check(cond, env)
        fn = cond.child_by_field_name("function")
        args = cond.child_by_field_name("arguments")
        arg_nodes = [a for a in args.named_children if a.type != "comment"] if args else []
        env = self._predicates_at(self._targets(_unwrap(fn)), arg_nodes, env)
        if fn is not None and fn.type == "member_expression":
            method = _text(fn.child_by_field_name("property"))
            if method in ("includes", "has") and self.model.membership:
                first = args.named_children[0] if args is not None and args.named_children else None
                env = self._allowed(first, fn.child_by_field_name("object"), env)
        if self.model.guard_names:
            written, resolved = self.fa.qualified(fn)
            member = fn is not None and fn.type == "member_expression"
            last = f"*.{_text(fn.child_by_field_name('property'))}" if member else None
            targets = [args, fn.child_by_field_name("object") if member else None]
            env = self._clean_all(
                self.model.guard_names.lookup(written, resolved, last), targets, env
            )
        return env

    def _relative_check(self, call: Node, env: Env) -> Env:
        """``rel.startsWith("..")`` does not hold, where ``rel = path.relative(base, p)``:
        ``p`` lies inside ``base``, as ``p.startsWith(base)`` would say."""
        fn = call.child_by_field_name("function")
        args = call.child_by_field_name("arguments")
        if fn is None or fn.type != "member_expression" or args is None:
            return env
        first = args.named_children[0] if args.named_children else None
        prefix = _string_value(first) if first is not None else None
        if _text(fn.child_by_field_name("property")) != "startsWith" or prefix not in ("..", "../"):
            return env
        return self._guard_as(
            "*.startsWith", self.relative.get(_text(fn.child_by_field_name("object"))), env
        )

    def _prefix_check(self, index_of: Node, env: Env) -> Env:
        """``x.indexOf(p) === 0`` says what ``x.startsWith(p)`` does: the guard named
        ``*.startsWith`` cleans ``x``."""
        fn = index_of.child_by_field_name("function")
        target = fn.child_by_field_name("object") if fn is not None else None
        return self._guard_as("*.startsWith", target, env)

    def _membership(self, index_of: Node, env: Env) -> Env:
        fn = index_of.child_by_field_name("function")
        args = index_of.child_by_field_name("arguments")
        first = args.named_children[0] if args is not None and args.named_children else None
        collection = fn.child_by_field_name("object") if fn is not None else None
        return self._allowed(first, collection, env) if self.model.membership else env

    def _clean_read(self, cur: Node, root: Node, name: str, env: Env, index: int) -> Env:
        """``req.query.x`` checked where it is read: remember it checked."""
        if cur.type == "identifier" or not (
            cur is root or (root.type == "arguments" and cur.parent == root)
        ):
            return env
        saved, self.env = self.env, env
        val = self.expr(cur)
        self.env = saved
        if val.tainted:
            env = dict(env)
            env[name] = val.cleaned(index)
            self.checked_reads.add(name)
        return env

    # -- assignment --------------------------------------------------------------------

    def assign(self, target: Node, val: Val, at: Node) -> None:
        target = _unwrap(target) or target
        kind = target.type
        step = Step(at.start_byte, at.end_byte, _snippet(at))
        if kind in ("identifier", "shorthand_property_identifier_pattern"):
            name = _text(target)
            self.env[name] = val.with_step(step)
            self._assign_sinks(name, target, val)
        elif kind == "member_expression":
            dotted = self.fa.dotted(target)
            if dotted is not None:
                self.env[dotted] = val.with_step(step)
                obj = dotted.split(".")[0]
                if obj in self.env and val.tainted and obj != "this":
                    self.env[obj] = join(self.env[obj], val.plain())
            else:
                self.expr(target.child_by_field_name("object"))
            self._assign_sinks(_text(target.child_by_field_name("property")), target, val)
        elif kind == "subscript_expression":
            stored = self._stored(
                target,
                target.child_by_field_name("object"),
                target.child_by_field_name("index"),
                val,
            )
            if stored is None:
                return
            cname, old, key = stored
            if (
                old.elems is not None
                and isinstance(key.const, int)
                and -len(old.elems) <= key.const < len(old.elems)
            ):
                elems = list(old.elems)
                elems[key.const] = val
                self.env[cname] = sequence(elems)
            else:
                self.env[cname] = Val(merge_traces(old.traces, val.traces))
        elif kind in ("required_parameter", "optional_parameter"):
            pattern = target.child_by_field_name("pattern")
            default = target.child_by_field_name("value")
            if default is not None:
                val = join(val, self.expr(default))
            if pattern is not None:
                self.assign(pattern, val, at)
        elif kind in ("assignment_pattern", "object_assignment_pattern"):
            left = target.child_by_field_name("left")
            right = target.child_by_field_name("right")
            if right is not None:
                val = join(val, self.expr(right))
            if left is not None:
                self.assign(left, val, at)
        elif kind == "object_pattern":
            fields = dict(val.keys) if val.keys is not None else None
            for part in target.named_children:
                if part.type == "shorthand_property_identifier_pattern":
                    self.assign(part, _field(val, fields, _text(part)), at)
                elif part.type == "object_assignment_pattern":
                    left = part.child_by_field_name("left")
                    self.assign(part, _field(val, fields, _text(left)), at)
                elif part.type == "pair_pattern":
                    key = part.child_by_field_name("key")
                    value = part.child_by_field_name("value")
                    name = (
                        _string_value(key)
                        if key is not None and key.type == "string"
                        else _text(key)
                    )
                    if value is not None:
                        self.assign(value, _field(val, fields, name), at)
                elif part.type == "rest_pattern":
                    for t in part.named_children:
                        self.assign(t, val.plain(), at)
        elif kind == "array_pattern":
            parts = [p for p in target.named_children if p.type != "comment"]
            for i, part in enumerate(parts):
                if part.type == "rest_pattern":
                    for t in part.named_children:
                        self.assign(t, val.plain(), at)
                elif val.elems is not None and i < len(val.elems):
                    self.assign(part, val.elems[i], at)
                else:
                    self.assign(part, element(val), at)
        elif kind == "rest_pattern":
            for t in target.named_children:
                self.assign(t, val.plain(), at)

    # -- expressions -------------------------------------------------------------------

    def _free(self, name: str, node: Node) -> Val:
        """A name not bound in the function: a source, global, import or builtin."""
        indexes = self.model.source_names.lookup(name, self.fa.aliases.get(name))
        if indexes:
            return self._source_val(indexes, node, name)
        if name == "undefined":
            return Val((), None)
        return self._unbound(name, node, BUILTINS)

    def member(self, node: Node) -> Val:
        read = self._named_read(node)  # assigned, cleaned by a guard, or a source
        if read is not None:
            return read
        obj = self.expr(node.child_by_field_name("object"))
        prop = _text(node.child_by_field_name("property"))
        if obj.keys is not None:
            found = dict(obj.keys).get(prop)
            if found is not None:
                return found
        if prop == "length":
            return Val((), len(obj.const)) if isinstance(obj.const, str) else CLEAN
        val = obj.plain() if obj.tainted else CLEAN
        if self.model.identifier_sources:
            for index in self.fa.named_sources(prop):
                if index in self.fa.present:
                    src = self.model.sources[index]
                    trace = Trace(index, node.start_byte, node.end_byte, _snippet(node), src.weak)
                    val = Val(merge_traces((trace,), val.traces))
        return val

    def subscript(self, node: Node) -> Val:
        read = self._named_read(node)
        if read is not None:
            return read
        value = self.expr(node.child_by_field_name("object"))
        key = self.expr(node.child_by_field_name("index"))
        found = indexed(value, key)
        if found is not None:
            return found
        if isinstance(value.const, str) and isinstance(key.const, int):
            try:
                return Val((), value.const[key.const])
            except IndexError:
                return Val((), None)
        return Val(value.traces, NC, value.text)

    def template(self, node: Node) -> Val:
        parts: list[Val] = []
        head: list[str] = []
        text: list[str] = []
        for child in node.named_children:
            if child.type == "template_substitution":
                inner = child.named_children[0] if child.named_children else None
                parts.append(self.expr(inner))
            elif child.type in ("string_fragment", "escape_sequence"):
                text.append(_text(child))
                if not parts:
                    head.append(_text(child))
        if all(p.const is not NC and not p.tainted for p in parts):
            consts = iter(_js_str(p.const) for p in parts)
            out = []
            for child in node.named_children:
                if child.type == "template_substitution":
                    out.append(next(consts))
                elif child.type in ("string_fragment", "escape_sequence"):
                    out.append(_text(child))
            return Val((), "".join(out)[:MAX_CONST])
        return combine(*parts, text=True, prefix="".join(head))

    def number(self, node: Node) -> Val:
        text = _text(node).replace("_", "")
        try:
            if text.lower().startswith(("0x", "0o", "0b")):
                return Val((), int(text, 0))
            value = float(text)
            return Val((), int(value) if value.is_integer() and "." not in text else value)
        except ValueError:
            return CLEAN

    def binary(self, node: Node) -> Val:
        op = _text(node.child_by_field_name("operator"))
        if op in ("&&", "||", "??"):
            return self.logical(node, op)
        left = self.expr(node.child_by_field_name("left"))
        right = self.expr(node.child_by_field_name("right"))
        symbol = {"===": "==", "!==": "!="}.get(op, op)
        if op in ("===", "!==") and left.const is not NC and right.const is not NC:
            same = type(left.const) is type(right.const) and left.const == right.const
            return Val((), same if op == "===" else not same)
        if (
            symbol == "+"
            and (isinstance(left.const, str) or isinstance(right.const, str))
            and left.const is not NC
            and right.const is not NC
        ):
            return Val((), (_js_str(left.const) + _js_str(right.const))[:MAX_CONST])
        folded = fold(symbol, left.const, right.const) if symbol != "%" else NC
        if folded is not NC and symbol not in ("&", "|", "^") and not isinstance(folded, str):
            return Val((), folded)
        if op in ("==", "!=", "===", "!==", "<", ">", "<=", ">=", "instanceof", "in"):
            return CLEAN
        stringy = (
            isinstance(left.const, str) or isinstance(right.const, str) or left.text or right.text
        )
        if symbol == "+" and stringy:
            return combine(left, right, text=True, prefix=leading(left))
        return combine(left, right)

    def logical(self, node: Node, op: str) -> Val:
        if op == "??":
            left = self.expr(node.child_by_field_name("left"))
            if left.const is not NC and left.const is not None:
                return left
            right = self.expr(node.child_by_field_name("right"))
            return right if left.const is None else join(left.plain(), right.plain())
        left, right, known = self._logical(node, op)
        if right is None:
            return left
        if known is not None:
            return right
        return join(left.plain(), right.plain())

    def unary(self, node: Node) -> Val:
        op = _text(node.child_by_field_name("operator"))
        val = self.expr(node.child_by_field_name("argument"))
        folded = self._unary_fold(op, val)
        if folded is not None:
            return folded
        if op == "void":
            return Val((), None)
        if op == "+" and isinstance(val.const, int | float) and not isinstance(val.const, bool):
            return Val((), val.const)
        return CLEAN

    def array(self, node: Node) -> Val:
        elems = [self.expr(c) for c in node.named_children if c.type != "comment"]
        if any(c.type == "spread_element" for c in node.named_children):
            return combine(*elems)
        return sequence(elems)

    def object(self, node: Node) -> Val:
        items: list[tuple[Any, Val]] | None = []
        rest: list[Val] = []
        for child in node.named_children:
            if child.type == "pair":
                key_node = child.child_by_field_name("key")
                key: Any = NC
                if key_node is not None and key_node.type in ("property_identifier", "number"):
                    key = _text(key_node)
                elif key_node is not None and key_node.type == "string":
                    key = _string_value(key_node)
                elif key_node is not None and key_node.type == "computed_property_name":
                    inner = key_node.named_children[0] if key_node.named_children else None
                    key = self._key(inner, rest)
                self._item(items, rest, key, self.expr(child.child_by_field_name("value")), child)
            elif child.type == "shorthand_property_identifier":
                v = self.identifier(child)
                if items is not None:
                    items.append((_text(child), v))
            elif child.type == "spread_element":
                inner = self.expr(child.named_children[0] if child.named_children else None)
                if inner.keys is not None and items is not None:
                    names = {k for k, _ in inner.keys}
                    items = [(k, v) for k, v in items if k not in names] + list(inner.keys)
                else:
                    rest.append(inner.plain())
                    items = None
            elif child.type == "method_definition" and child.id not in self.fa.by_node:
                self.inline(child, [])
        return mapping(items, rest)

    def assignment(self, node: Node) -> Val:
        right = node.child_by_field_name("right")
        left = node.child_by_field_name("left")
        self._remember_relative(left, right)
        val = self.expr(right)
        if left is not None:
            self.assign(left, val, node)
        return val

    def augmented(self, node: Node) -> Val:
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        op = _text(node.child_by_field_name("operator"))[:-1]
        old = self.expr(left)
        val = self.expr(right)
        if op in ("??", "||", "&&"):
            new = join(old, val)
        elif op == "+" and (isinstance(old.const, str) or isinstance(val.const, str)):
            if old.const is not NC and val.const is not NC:
                new = Val((), (_js_str(old.const) + _js_str(val.const))[:MAX_CONST])
            else:
                new = combine(old, val, text=True, prefix=leading(old))
        else:
            folded = fold(op, old.const, val.const)
            new = (
                Val((), folded)
                if folded is not NC
                else combine(old, val, text=old.text or val.text)
            )
        if left is not None:
            self.assign(left, new, node)
        return new

    def sequence_expr(self, node: Node) -> Val:
        val = CLEAN
        for child in node.named_children:
            val = self.expr(child)
        return val

    def jsx_attribute(self, node: Node) -> Val:
        parts = node.named_children
        if len(parts) == 2 and parts[0].type == "property_identifier":
            val = self.expr(parts[1])
            if self.model.assign_sinks:
                self._assign_sinks(_text(parts[0]), node, val)
            return val
        return combine(*(self.expr(c) for c in parts))

    # -- calls -------------------------------------------------------------------------

    def call(self, node: Node) -> Val:
        fn_node = node.child_by_field_name("function") or node.child_by_field_name("constructor")
        args_node = node.child_by_field_name("arguments")
        names: tuple[str | None, ...] = self.fa.qualified(fn_node)
        if node.type == "new_expression":
            names = (*names, *(f"new.{n}" for n in names if n))
        callee = _unwrap(fn_node)
        receiver_node = (
            callee.child_by_field_name("object")
            if callee is not None and callee.type == "member_expression"
            else None
        )
        method = (
            _text(callee.child_by_field_name("property")) if receiver_node is not None else None
        )
        model = self.model
        receiver = self.expr(receiver_node) if receiver_node is not None else CLEAN
        if callee is not None and callee.type not in ("identifier", "member_expression"):
            receiver = self.expr(callee)  # (expr)(...), f()(...)

        positional: list[Val] = []
        pos_nodes: list[Node] = []
        keywords: dict[str, Val] = {}
        kw_nodes: dict[str, Node] = {}
        extra: list[Val] = []
        callbacks: list[Val] = []
        arg_nodes = (
            [a for a in args_node.named_children if a.type != "comment"]
            if args_node is not None
            else []
        )
        if args_node is not None and args_node.type == "template_string":  # tagged template
            arg_nodes = [args_node]
        for arg in arg_nodes:
            if (
                arg.type in ("arrow_function", "function_expression")
                and arg.id not in self.fa.by_node
            ):
                item = element(receiver) if method in ITERATORS else None
                values = [item] if item is not None else []
                if item is None:
                    values = [Val((Trace(UNKNOWN, 0, 0, "callback parameter"),)) for _ in range(8)]
                callbacks.append(self.inline(arg, values, again=True))
                positional.append(CLEAN)
                pos_nodes.append(arg)
            elif arg.type == "spread_element":
                extra.append(
                    self.expr(arg.named_children[0] if arg.named_children else None).plain()
                )
            else:
                val = self.expr(arg)
                positional.append(val)
                pos_nodes.append(arg)
        last = len(pos_nodes) - 1  # the options object comes last, before any callback
        while last >= 0 and pos_nodes[last].type in ("arrow_function", "function_expression"):
            last -= 1
        options = _unwrap(pos_nodes[last]) if last >= 0 else None
        if options is not None and options.type == "object" and positional[last].keys is not None:
            for key, val in positional[last].keys:  # an options object: keyword arguments
                if isinstance(key, str):
                    keywords[key] = val
                    kw_nodes[key] = options

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

        every = [*positional, *extra]
        done = self._call_source(names, node, receiver, every, pos_nodes)
        if done is None:
            done = self._sanitized(names, method, receiver, every, pos_nodes)
        if done is not None:
            return done

        if receiver_node is not None and method is not None:
            rname = self.fa.dotted(receiver_node)
            prop = model.propagators.lookup(*names)
            if rname is not None and rname in self.env and (prop or method in ADDERS):
                self._mutate(rname, ADDERS.get(method, "add"), positional, {}, every)
            if names[0] == "Object.assign" and positional and pos_nodes:
                target = self.fa.dotted(pos_nodes[0])
                if target is not None and target in self.env:
                    self._mutate(target, "add", positional[1:], {}, [*positional[1:], *extra])
            if method in READERS and (
                (rname is not None and rname in self.env)
                or receiver.keys is not None
                or receiver.elems is not None
            ):
                picked = self._container_read(
                    rname if rname in self.env else None, receiver, READERS[method], positional
                )
                if picked is not None:
                    return picked
            if method == "shift" and receiver.elems:
                return receiver.elems[0]

        done = self._summaries(self._targets(callee), node, positional, receiver, every)
        if done is not None:
            return done

        if method is not None and isinstance(receiver.const, str) and not every:
            folder = STRING_FOLDS.get(method)
            if folder is not None:
                return Val((), folder(receiver.const))
        if method == "join" and receiver.elems is not None:
            sep = positional[0].const if positional else ","
            if all(isinstance(e.const, str | int | float) for e in receiver.elems) and isinstance(
                sep, str
            ):
                return Val((), sep.join(_js_str(e.const) for e in receiver.elems)[:MAX_CONST])
            return combine(receiver, *every, text=True)
        if any(n in FORMATTERS for n in names if n) and positional:
            head = positional[0].const if isinstance(positional[0].const, str) else None
            head = head.split("%")[0] if head is not None else leading(positional[0])
            return combine(*every, text=True, prefix=head)
        if names[0] in ("String", "JSON.stringify") and positional:
            first = positional[0]
            return Val(
                first.traces, first.const if isinstance(first.const, str) else NC, first.text
            )
        if method in ("concat", "replace", "replaceAll", "padStart", "padEnd") and (
            isinstance(receiver.const, str) or receiver.text
        ):
            return combine(receiver, *every, *callbacks, text=True, prefix=leading(receiver))
        return combine(receiver, *every, *callbacks).plain()

    def _targets(self, callee: Node | None) -> list[Function]:
        if callee is None:
            return []
        if callee.type == "identifier":
            return self._plain_targets(_text(callee))
        if callee.type == "member_expression":
            obj = callee.child_by_field_name("object")
            attr = _text(callee.child_by_field_name("property"))
            if obj is not None and obj.type == "this" and self.fn is not None and self.fn.cls:
                return [f for f in self.fa.by_name.get(attr, ()) if f.cls == self.fn.cls]
            if obj is not None and obj.type == "identifier" and _text(obj) in ("module", "exports"):
                return [f for f in self.fa.by_name.get(attr, ()) if f.cls is None]
            cls = self.fa.instances.get(_text(obj)) if obj is not None else None
            if cls is not None and obj.type == "identifier":  # repo.list(): Repo's list
                return [f for f in self.fa.by_name.get(attr, ()) if f.cls == cls]
        return []


_CONSTANT_TYPES = frozenset(
    {
        "string",
        "template_string",
        "number",
        "true",
        "false",
        "null",
        "binary_expression",
        "unary_expression",
        "array",
        "object",
        "parenthesized_expression",
    }
)
"""Right-hand sides worth folding when a module's body is not analysed in full."""


def _field(val: Val, fields: dict[Any, Val] | None, name: str | None) -> Val:
    """Field ``name`` of a destructured value: known, or the value's origins."""
    if fields is not None and name in fields:
        return fields[name]
    return val.plain()


def _js_str(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _is_literal(node: Node) -> bool:
    node = _unwrap(node) or node
    if node.type == "string":
        return True
    if node.type == "template_string":
        return not any(c.type == "template_substitution" for c in node.named_children)
    return node.type in ("number", "true", "false", "null")


def _is_index_of(node: Node | None) -> bool:
    node = _unwrap(node)
    if node is None or node.type != "call_expression":
        return False
    fn = node.child_by_field_name("function")
    return (
        fn is not None
        and fn.type == "member_expression"
        and _text(fn.child_by_field_name("property")) == "indexOf"
    )


_MEASURES = frozenset({"length", "indexOf", "lastIndexOf", "search", "size", "localeCompare"})


def _pins(node: Node) -> bool:
    """Whether ``node === "literal"`` pins what ``node`` reads to a constant: a name,
    a field of one, a conversion; not a measure such as ``x.length``."""
    node = _unwrap(node) or node
    if node.type in ("identifier", "subscript_expression"):
        return True
    if node.type == "member_expression":
        return _text(node.child_by_field_name("property")) not in _MEASURES
    if node.type == "call_expression":
        fn = node.child_by_field_name("function")
        last = _text(fn).rsplit(".", 1)[-1]
        return last not in _MEASURES
    return False


Interp.EXPR = {
    "identifier": Interp.identifier,
    "shorthand_property_identifier": Interp.identifier,
    "member_expression": Interp.member,
    "subscript_expression": Interp.subscript,
    "call_expression": Interp.call,
    "new_expression": Interp.call,
    "string": Interp.string,
    "template_string": Interp.template,
    "number": Interp.number,
    "binary_expression": Interp.binary,
    "unary_expression": Interp.unary,
    "ternary_expression": Interp.ternary,
    "array": Interp.array,
    "object": Interp.object,
    "assignment_expression": Interp.assignment,
    "augmented_assignment_expression": Interp.augmented,
    "sequence_expression": Interp.sequence_expr,
    "jsx_attribute": Interp.jsx_attribute,
    "true": lambda self, node: Val((), True),
    "false": lambda self, node: Val((), False),
    "null": lambda self, node: Val((), None),
    "undefined": lambda self, node: Val((), None),
    "this": lambda self, node: self.env.get("this", CLEAN),
    "regex": lambda self, node: CLEAN,
    "comment": lambda self, node: CLEAN,
    "update_expression": lambda self, node: CLEAN,
    "class": lambda self, node: CLEAN,
    "spread_element": lambda self, node: (
        self.expr(node.named_children[0]).plain() if node.named_children else CLEAN
    ),
}

FileAnalysis.Interp = Interp
