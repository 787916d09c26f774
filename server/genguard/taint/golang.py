"""Go front end of the taint engine: data flow over tree-sitter go trees.

What is Go here is the syntax and a little of the language's meaning:

- imports bind package names to their path (``"os/exec"`` -> ``os.exec``, ``gohttp
  "net/http"`` -> ``net.http``; a third-party module to its last segment:
  ``github.com/gin-gonic/gin`` -> ``gin``, ``.../echo/v4`` -> ``echo``), so rules name
  ``os.exec.Command`` or ``net.http.Redirect`` whatever the file calls them;
- a variable's declared type names what it reads: ``r *http.Request`` makes
  ``r.FormValue`` resolve to ``net.http.Request.FormValue`` and ``c *gin.Context``
  makes ``c.Query`` ``gin.Context.Query``, so sources do not depend on the names a
  handler gives its parameters (the file's declarations, parameters and ``var``s);
- ``&x`` passed to a call the file does not define is written by it
  (``json.NewDecoder(r.Body).Decode(&req)``, ``c.ShouldBindJSON(&in)``): ``x`` takes
  what went into the call;
- ``fmt.Fprintf(w, format, args...)`` (and ``Fprint``, ``Fprintln``,
  ``io.WriteString``) writes one built string to ``w``: its sinks see ``(w, text)``;
- several results (``n, err := strconv.Atoi(s)``) each take the call's value;
- function literals (handlers passed to ``http.HandleFunc``, goroutines, deferred
  calls) run in place with the variables they close over;
- allow-lists are map lookups (``if allowed[x]``, ``if _, ok := allowed[x]; !ok``),
  ``slices.Contains`` and ``switch x { case "a", "b": }``.

Everything that decides data flow (joins, loops, folding, summaries, sinks) is
:mod:`genguard.taint.core`; what is a source, sink or sanitizer is data in
``rules/security/go-taint.yaml``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any, ClassVar

from tree_sitter import Node, QueryCursor, Tree

from genguard.taint.brace import BraceFile, BraceInterp
from genguard.taint.core import (
    MAX_CONST,
    Env,
    Function,
    element,
    fold,
    indexed,
)
from genguard.taint.core import cached_query as _query
from genguard.taint.core import node_text as _text
from genguard.taint.core import snippet as _snippet
from genguard.taint.model import TaintModel
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

STDLIB_DEFAULTS = {
    "http": "net.http",
    "url": "net.url",
    "exec": "os.exec",
    "sql": "database.sql",
    "filepath": "path.filepath",
    "template": "html.template",
    "ioutil": "io.ioutil",
    "rand": "math.rand",
    "fmt": "fmt",
    "os": "os",
    "io": "io",
    "strings": "strings",
    "strconv": "strconv",
    "html": "html",
    "path": "path",
    "json": "encoding.json",
    "regexp": "regexp",
    "slices": "slices",
}
"""Package names a file uses without importing them (snippets): their usual paths."""
BUILTINS = frozenset(
    {
        "nil", "true", "false", "iota", "len", "cap", "make", "new", "append", "copy",
        "delete", "panic", "recover", "print", "println", "min", "max", "clear", "close",
        "string", "int", "int64", "int32", "uint", "byte", "rune", "float64", "bool",
        "error", "any",
    }
)  # fmt: skip
"""Names every package can use without binding them."""
FORMATTERS = frozenset({"fmt.Sprintf", "fmt.Sprint", "fmt.Sprintln", "fmt.Errorf"})
"""printf-style calls: their result is text built from their arguments."""
WRITERS = frozenset({"fmt.Fprintf", "fmt.Fprint", "fmt.Fprintln", "io.WriteString"})
"""Calls that write one built string to their first argument (see the module doc)."""
NORETURN = frozenset(
    {"os.Exit", "log.Fatal", "log.Fatalf", "log.Fatalln", "log.Panic", "log.Panicf", "panic"}
)
"""Calls that never return: a branch ending in one does not flow on."""
PATH_DERIVE = frozenset(
    {
        "path.filepath.Abs", "path.filepath.Join", "path.filepath.Clean", "path.Join",
        "path.filepath.EvalSymlinks", "path.filepath.Rel", "path.Clean",
    }
)  # fmt: skip
"""Path computations whose result a containment check speaks for (see ``derived``)."""
ROOTED_CLEAN = frozenset({"path.filepath.Clean", "path.Clean"})
"""``filepath.Clean("/" + p)``: a rooted path, cleaned, has no ``..`` left to climb
with; joined under a root it stays there, as a base name does."""
CONTENT_TYPES = ("content-type",)
CONTAINS = frozenset({"slices.Contains", "strings.EqualFold"})
"""``slices.Contains(list, x)``: membership of ``x`` in ``list``."""
NEGATIVE: dict[str, tuple[str, ...]] = {
    "strings.Contains": ("..", "../", "/", "\\"),
    "strings.ContainsAny": ("..", "/", "\\", "/\\", "\\/", "./\\", "/\\."),
    "strings.HasPrefix": ("..", "../", "//"),
}
"""``strings.Contains(p, "..")`` does not hold: ``p`` cannot climb out of its root, as
a ``strings.HasPrefix`` containment check would say."""
FUNCTION_TYPES = frozenset({"function_declaration", "method_declaration", "func_literal"})
WRAPPERS = frozenset({"parenthesized_expression", "type_assertion_expression"})
"""Expressions whose value is their operand's."""
CASES = frozenset({"expression_case", "default_case", "type_case", "communication_case"})

_STRUCTURE = """
(function_declaration name: (identifier) @name) @def
(method_declaration name: (field_identifier) @name) @def
(import_spec) @import
(parameter_declaration) @typed
(var_spec) @typed
(short_var_declaration) @made
"""

_CALLS = """
(call_expression function: [(identifier) @callee
                            (selector_expression field: (field_identifier) @callee)])
(argument_list (identifier) @ref)
"""

ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "'": "'", "0": "\0"}


def _unwrap(node: Node | None) -> Node | None:
    while node is not None and node.type in WRAPPERS and node.named_children:
        node = node.child_by_field_name("operand") or node.named_children[0]
    return node


def _named(node: Node | None) -> list[Node]:
    return [c for c in node.named_children if c.type != "comment"] if node is not None else []


def package_path(spec: str) -> str:
    """An import path as a dotted name: the standard library's in full (``net/http`` ->
    ``net.http``), a module's by its last segment (version suffixes dropped)."""
    parts = [p for p in spec.split("/") if p]
    if not parts:
        return "_"
    if "." not in parts[0]:
        return ".".join(parts)
    while len(parts) > 1 and parts[-1][:1] == "v" and parts[-1][1:].isdigit():
        parts.pop()
    return "".join(c if c.isalnum() or c == "_" else "_" for c in parts[-1])


def _string_value(node: Node | None) -> str | None:
    """The constant text of a string literal (simple escapes decoded)."""
    if node is None:
        return None
    if node.type == "raw_string_literal":
        return _text(node)[1:-1][:MAX_CONST]
    if node.type != "interpreted_string_literal":
        return None
    out = []
    for c in node.named_children:
        t = _text(c)
        if c.type == "escape_sequence":
            out.append(ESCAPES.get(t[1:2], t))
        else:
            out.append(t)
    return "".join(out)[:MAX_CONST]


def _type_name(node: Node | None) -> str | None:
    """``*http.Request`` -> ``http.Request``; ``Server`` -> ``Server``."""
    while node is not None and node.type in ("pointer_type", "parenthesized_type"):
        node = node.named_children[0] if node.named_children else None
    if node is None:
        return None
    if node.type == "qualified_type":
        return _text(node).replace(" ", "")
    if node.type == "type_identifier":
        return _text(node)
    if node.type == "generic_type":
        return _type_name(node.child_by_field_name("type"))
    return None


class FileAnalysis(BraceFile):
    """One Go file: its imports, declared types and functions."""

    CALLS = _CALLS
    LEAVES = frozenset({"identifier", "package_identifier", "type_identifier"})
    MEMBERS: ClassVar[dict[str, tuple[str, str]]] = {
        "selector_expression": ("field", "operand"),
        "qualified_type": ("name", "package"),
    }
    THROUGH: ClassVar[dict[str, str]] = {  # a.B().c, &x
        "call_expression": "function",
        "unary_expression": "operand",
    }
    WRAPPERS = WRAPPERS
    unwrap = staticmethod(_unwrap)

    def __init__(self, model: TaintModel, source: bytes, tree: Tree) -> None:
        self.receiver_params: set[str] = set()  # type: ignore[assignment]
        super().__init__(model, source, tree)

    def _collect(self) -> None:
        found = QueryCursor(_query(self.language, _STRUCTURE)).matches(self.root)
        defs: list[tuple[Node, str]] = []
        typed: list[Node] = []
        for _, captures in found:
            if "import" in captures:
                spec = captures["import"][0]
                path = _string_value(spec.child_by_field_name("path")) or ""
                name = spec.child_by_field_name("name")
                full = package_path(path)
                local = _text(name) if name is not None else full.rsplit(".", 1)[-1]
                if local not in ("_", "."):
                    self.aliases[local] = full
            elif "typed" in captures:
                typed.append(captures["typed"][0])
            elif "made" in captures:
                typed.append(captures["made"][0])
            elif "def" in captures:
                name = captures.get("name")
                defs.append((captures["def"][0], _text(name[0]) if name else ""))
        named: list[tuple[Node, str, str | None]] = []
        for node, name in sorted(defs, key=lambda d: d[0].start_byte):
            cls = None
            if node.type == "method_declaration":
                receiver = node.child_by_field_name("receiver")
                decl = _named(receiver)[0] if _named(receiver) else None
                cls = _type_name(decl.child_by_field_name("type")) if decl is not None else None
                cls = cls or "?"
                rname = decl.child_by_field_name("name") if decl is not None else None
                self.receiver_params.add(_text(rname) if rname is not None else "_")
            else:
                self.defined.add(name)
            named.append((node, name, cls))
        self._define(named)
        for node in typed:  # parameter and var declarations: what a name reads
            idents = node.children_by_field_name("name")
            written = _type_name(node.child_by_field_name("type"))
            if written is None:
                if node.type == "short_var_declaration":
                    idents = _named(node.child_by_field_name("left"))
                values = _named(node.child_by_field_name("value" if idents else "right"))
                if node.type == "short_var_declaration":
                    values = _named(node.child_by_field_name("right"))
                if not idents or len(values) != 1 or idents[0].type != "identifier":
                    continue
                written = self._made(values[0])
                idents = idents[:1]
                if written is None:
                    continue
            head, _, rest = written.partition(".")
            if rest:
                written = f"{self.aliases.get(head) or STDLIB_DEFAULTS.get(head, head)}.{rest}"
            scope = self.enclosing(node.start_byte)
            for ident in idents:
                key = (scope.node.id if scope is not None else None, _text(ident))
                if key not in self.scoped or node.type != "short_var_declaration":
                    self.scoped[key] = written
                self.types.add(_text(ident))

    def _made(self, value: Node) -> str | None:
        """What a variable made by ``value`` reads as: a composite literal's type
        (``&http.Client{}`` -> ``http.Client``), a package function's result
        ``<package>.value`` (``template.New("x")`` -> ``template.value``)."""
        value = _unwrap(value)
        while value is not None and value.type == "unary_expression":
            value = value.child_by_field_name("operand")
        if value is None:
            return None
        if value.type == "composite_literal":
            return _type_name(value.child_by_field_name("type"))
        if value.type != "call_expression":
            return None
        head = (self.dotted(value) or "").split(".", 1)[0]
        if head in self.aliases or head in STDLIB_DEFAULTS:
            return f"{head}.value"
        return None

    def _candidates(
        self, only: Sequence[tuple[int, int]] | None = None
    ) -> tuple[list[Function], list[Function]] | None:
        """As the core's, plus every function that reads a source: a sink may be named
        through a variable's type (``c.File`` is ``gin.Context.File``), which the
        core's search of the text for sink names cannot see."""
        return self._with_sourced(only=only)

    def _summary_key(self, fn: Function) -> tuple[Any, ...] | None:
        """As the core's, plus what the file declares outside every function (the
        types of its package-level names):
        the same function text means something else under other declarations."""
        return self._declared_key(fn)

    def _parameters(self, node: Node, decorators: list[Node]) -> tuple[list[str], dict[int, int]]:
        names: list[str] = []
        if node.type == "method_declaration":
            receiver = _named(node.child_by_field_name("receiver"))
            rname = receiver[0].child_by_field_name("name") if receiver else None
            names.append(_text(rname) if rname is not None else "_")
        names += _param_names(node.child_by_field_name("parameters"))
        return names, {}

    # -- names --------------------------------------------------------------------------

    def _resolve_head(self, written: str, node: Node | None) -> tuple[str | None, str]:
        """Through the file's imports, or through the name's declared type (``w`` ->
        ``net.http.ResponseWriter``)."""
        head, _, rest = written.partition(".")
        full = self.aliases.get(head) or self.type_of(head, node)
        if full is None and head in STDLIB_DEFAULTS and head not in self.types:
            full = STDLIB_DEFAULTS[head]
        return full, rest


def _param_names(params: Node | None) -> list[str]:
    out: list[str] = []
    for decl in _named(params):
        idents = decl.children_by_field_name("name")
        if not idents:
            out.append(f"?{decl.start_byte}")  # unnamed: func(string, int)
        out += [_text(i) for i in idents]
    return out


class Interp(BraceInterp):
    """Abstract interpretation of one Go function body."""

    fa: FileAnalysis

    WRAPPERS = WRAPPERS
    FUNCTION_TYPES = FUNCTION_TYPES
    FUNCTION_VALUES = frozenset({"func_literal"})
    BODY_BLOCKS = frozenset({"block"})
    NAME_TYPES = frozenset({"identifier", "selector_expression"})
    CLEANED_TYPES = frozenset({"identifier", "selector_expression", "index_expression"})
    TEXT_TYPES = frozenset({"interpreted_string_literal"})
    NORETURN = NORETURN
    INLINE_STATE = ("oks",)
    REASSIGNED: ClassVar[dict[str, str]] = {"assignment_statement": "left"}

    LITERALS = frozenset(
        {
            "interpreted_string_literal",
            "raw_string_literal",
            "int_literal",
            "float_literal",
            "rune_literal",
            "true",
            "false",
        }
    )
    unwrap = staticmethod(_unwrap)
    string_value = staticmethod(_string_value)

    def __init__(self, fa: FileAnalysis, fn: Function | None, env: Env) -> None:
        super().__init__(fa, fn, env)
        self.oks: dict[str, tuple[Node, Node]] = {}  # ok -> (map, key) of `_, ok := m[k]`
        self.holding: list[dict[str, frozenset[int]]] = []  # what the guards around clean
        self.flags: dict[str, dict[str, frozenset[int]]] = {}  # found = true under a guard
        self.derived: dict[str, list[Node]] = {}  # abs -> what filepath.Abs(...) took
        self.html_out: set[str] = set()  # writers whose Content-Type was set to HTML

    # -- entry points ----------------------------------------------------------------

    def run_module(self, root: Node) -> Env:
        return self.run_constants(root)

    def run_constants(self, root: Node) -> Env:
        """Package-level ``const`` and ``var`` of literal values."""
        env: Env = {}
        self.env = env
        for decl in root.named_children:
            if decl.type in ("const_declaration", "var_declaration"):
                for spec in decl.named_children:
                    if spec.type in ("const_spec", "var_spec"):
                        value = spec.child_by_field_name("value")
                        if value is not None and value.end_byte - value.start_byte < 2000:
                            self.spec(spec)
        return env

    def _bind_entry(self, fn: Function, values: list[Val]) -> None:
        """A method's receiver is its first parameter, declared apart."""
        node = fn.node
        if node.type == "method_declaration":
            receiver = _named(node.child_by_field_name("receiver"))
            rname = receiver[0].child_by_field_name("name") if receiver else None
            if rname is not None:
                self.env[_text(rname)] = self._located(values[0], rname)
            values = values[1:]
        self._bind_params(node, values)

    def _bind_params(self, node: Node, values: list[Val]) -> None:
        i = 0
        for decl in _named(node.child_by_field_name("parameters")):
            idents = decl.children_by_field_name("name") or [None]
            for ident in idents:
                val = values[i] if i < len(values) else CLEAN
                i += 1
                if ident is not None:
                    self.env[_text(ident)] = self._located(val, ident)

    # -- statements --------------------------------------------------------------------

    def block(self, node: Node, env: Env) -> Env | None:
        if node.type in ("block", "statement_list", "source_file"):
            cur: Env | None = env
            for stmt in node.named_children:
                if cur is None:
                    return None
                if stmt.type == "statement_list":
                    cur = self.block(stmt, cur)
                else:
                    cur = self.statement(stmt, cur)
            return cur
        return self.statement(node, env)

    def statement(self, node: Node, env: Env) -> Env | None:
        self.fa.tick()
        self.env = env
        kind = node.type
        if kind == "expression_statement":
            return self._expression_statement(node)
        if kind in ("short_var_declaration", "assignment_statement"):
            self.assignment(node)
            return self.env
        if kind in ("var_declaration", "const_declaration"):
            for spec in node.named_children:
                if spec.type in ("var_spec", "const_spec"):
                    self.spec(spec)
                elif spec.type == "var_spec_list":
                    for inner in spec.named_children:
                        if inner.type == "var_spec":
                            self.spec(inner)
            return self.env
        if kind == "inc_statement" or kind == "dec_statement":
            target = node.named_children[0] if node.named_children else None
            if target is not None and target.type == "identifier":
                old = self.env.get(_text(target))
                if old is not None and isinstance(old.const, int):
                    self.env[_text(target)] = Val((), old.const + (1 if kind[0] == "i" else -1))
                elif old is not None:
                    self.env[_text(target)] = old.plain()
            return self.env
        if kind == "return_statement":
            values = node.named_children[0] if node.named_children else None
            if values is not None:
                items = _named(values) if values.type == "expression_list" else [values]
                vals = [self.expr(v) for v in items]
                returned = vals[0] if len(vals) == 1 else sequence(vals)
                if items:
                    self._returned(items[0], returned, vals[0])
                else:
                    self.returns.append(returned)
            return None
        if kind == "if_statement":
            return self.if_statement(node, env)
        if kind == "for_statement":
            return self.loop(node, env)
        if kind in ("expression_switch_statement", "type_switch_statement", "select_statement"):
            return self.switch(node, env)
        if kind in ("break_statement", "continue_statement"):
            return self._jump(env)
        if kind in ("block", "statement_list"):
            return self.block(node, env)
        if kind in ("go_statement", "defer_statement"):
            for child in node.named_children:
                self.expr(child)
            return self.env
        if kind == "labeled_statement":
            body = [c for c in node.named_children if c.type != "label_name"]
            return self.statement(body[0], env) if body else env
        if kind == "send_statement":
            for child in node.named_children:
                self.expr(child)
            return self.env
        return env

    def spec(self, spec: Node) -> None:
        names = spec.children_by_field_name("name")
        value = spec.child_by_field_name("value")
        items = _named(value)
        if not items:
            for name in names:
                self.env[_text(name)] = Val((), None)
            return
        self._assign_list(names, items, spec)

    def assignment(self, node: Node) -> None:
        left = _named(node.child_by_field_name("left"))
        right = _named(node.child_by_field_name("right"))
        op = _text(node.child_by_field_name("operator"))
        if op and op not in ("=", ":="):  # x += y
            if left and right:
                old = self.expr(left[0])
                val = self.expr(right[0])
                symbol = op[:-1]
                folded = fold(symbol, old.const, val.const)
                if folded is not NC:
                    new = Val((), folded)
                elif symbol == "+" and (
                    isinstance(old.const, str) or isinstance(val.const, str) or old.text
                ):
                    new = combine(old, val, text=True, prefix=leading(old))
                else:
                    new = combine(old, val)
                self.assign(left[0], new, node)
            return
        if (
            len(left) == 2
            and len(right) == 1
            and _unwrap(right[0]) is not None
            and _unwrap(right[0]).type == "index_expression"
            and left[1].type == "identifier"
        ):
            index = _unwrap(right[0])
            operand, key = index.child_by_field_name("operand"), index.child_by_field_name("index")
            if operand is not None and key is not None:
                self._assign_list(left, right, node)
                self.oks[_text(left[1])] = (operand, key)  # _, ok := allowed[x]
                return
        self._assign_list(left, right, node)

    def _assign_list(self, left: list[Node], right: list[Node], at: Node) -> None:
        derived = self._derivation(right[0]) if len(right) == 1 and left else None
        if len(left) == len(right):
            vals = [self.expr(r) for r in right]
            for target, val in zip(left, vals, strict=True):
                self.assign(target, val, at)
            return
        val = join(*(self.expr(r) for r in right))
        for i, target in enumerate(left):
            if val.elems is not None and len(val.elems) == len(left):
                self.assign(target, val.elems[i], at)
            else:
                self.assign(target, val if i == 0 else val.plain(), at)
        if derived and left[0].type == "identifier":
            self.derived[_text(left[0])] = derived

    def _derivation(self, value: Node) -> list[Node] | None:
        """The paths a path computation took (``filepath.Abs(filepath.Join(root, p))``,
        ``filepath.Rel(base, p)``): a containment check of its result checks them."""
        value = _unwrap(value)
        if value is None or value.type != "call_expression":
            return None
        names = self.fa.qualified(value.child_by_field_name("function"))
        args = _named(value.child_by_field_name("arguments"))
        for name in names:
            if name in PATH_DERIVE:
                return args[1:] if name.endswith(".Rel") else args
        return None

    def assign(self, target: Node, val: Val, at: Node) -> None:
        target = _unwrap(target) or target
        kind = target.type
        step = Step(at.start_byte, at.end_byte, _snippet(at))
        if kind == "identifier":
            name = _text(target)
            if name == "_":
                return
            self.oks.pop(name, None)
            self.derived.pop(name, None)
            if self.holding and val.const is not NC and not val.traces:
                # found = true where a guard held: a later check of found is that guard
                held: dict[str, frozenset[int]] = {}
                for ctx in self.holding:
                    for k, v in ctx.items():
                        held[k] = held.get(k, frozenset()) | v
                self.flags[name] = held
            elif not self.holding:
                self.flags.pop(name, None)
            self.env[name] = val.with_step(step)
            self._assign_sinks(name, target, val)
        elif kind == "selector_expression":
            dotted = self.fa.dotted(target)
            if dotted is not None:
                self.env[dotted] = val.with_step(step)
                obj = dotted.split(".")[0]
                if obj in self.env and val.tainted:
                    self.env[obj] = join(self.env[obj], val.plain())
            self._assign_sinks(_text(target.child_by_field_name("field")), target, val)
        elif kind == "index_expression":
            stored = self._stored(
                target,
                target.child_by_field_name("operand"),
                target.child_by_field_name("index"),
                val,
            )
            if stored is not None:
                cname, old, key = stored
                self.env[cname] = Val(merge_traces(old.traces, val.traces, key.traces))
        elif kind == "unary_expression":  # *p = x
            operand = target.child_by_field_name("operand")
            if operand is not None:
                self.assign(operand, val, at)

    # -- control flow ------------------------------------------------------------------

    def if_statement(self, node: Node, env: Env) -> Env | None:
        init = node.child_by_field_name("initializer")
        if init is not None:
            env = self.statement(init, env) or env
        return self.branches(*self.if_chain(node), env)

    def _chains(self, alt: Node) -> bool:
        return alt.child_by_field_name("initializer") is None  # else it runs in the else branch

    def _enter_branch(self, before: Env, inside: Env) -> None:
        """Remember what the branch's guard cleaned (see ``flags``)."""
        self.holding.append(_cleaned(before, inside))

    def _leave_branch(self) -> None:
        self.holding.pop()

    def loop(self, node: Node, env: Env) -> Env | None:
        body = node.child_by_field_name("body")
        self.env = env
        bind = None
        clause = next(
            (c for c in node.named_children if c.type in ("for_clause", "range_clause")), None
        )
        if clause is not None and clause.type == "range_clause":
            right = clause.child_by_field_name("right")
            over = self.expr(right) if right is not None else CLEAN
            targets = _named(clause.child_by_field_name("left"))

            def bind() -> None:
                # for k, v := range m: a slice's index is a number, a map's key is data
                key = CLEAN if over.elems is not None or isinstance(over.const, str) else over
                for i, t in enumerate(targets):
                    self.assign(t, key.plain() if i == 0 else element(over), clause)

        elif clause is not None:
            init = clause.child_by_field_name("initializer")
            if init is not None:
                env = self.statement(init, env) or env
            if self._never(clause.child_by_field_name("condition"), env):
                return env
        elif self._never(next((c for c in node.named_children if c is not body), None), env):
            return env
        return self._repeat(env, body, bind)

    def switch(self, node: Node, env: Env) -> Env | None:
        init = node.child_by_field_name("initializer")
        if init is not None:
            env = self.statement(init, env) or env
        self.env = env
        value = node.child_by_field_name("value")
        if value is not None:
            self.expr(value)

        def run(case: Node, cur: Env | None) -> Env | None:
            values = case.child_by_field_name("value")
            if (
                case.type == "expression_case"
                and value is not None
                and values is not None
                and all(self.is_literal(v) or self._constant(v, env) for v in _named(values))
            ):
                cur = self._pin(value, cur)  # case "a", "b": pinned
            elif case.type == "expression_case" and value is None and values is not None:
                for v in _named(values):  # switch { case cond: }
                    self.env = cur
                    self.expr(v)
                    cur = self.guarded(v, cur, True)
            for stmt in case.named_children:
                if stmt is values or stmt.type in ("comment",):
                    continue
                if cur is None:
                    break
                if case.type == "communication_case" and stmt == case.named_children[0]:
                    self.statement(stmt, cur)
                    continue
                if stmt.type == "statement_list":
                    cur = self.block(stmt, cur)
                elif stmt.type not in ("type_identifier", "qualified_type", "pointer_type"):
                    cur = self.statement(stmt, cur)
            return cur

        cases = [c for c in node.named_children if c.type in CASES]
        return self._cases(env, cases, lambda c: c.type == "default_case", run)

    # -- guards ------------------------------------------------------------------------

    def _guard(self, cond: Node, env: Env, truth: bool) -> Env:
        kind = cond.type
        if kind == "identifier" and truth and _text(cond) in self.flags:
            for name, indexes in self.flags[_text(cond)].items():
                if name in env:
                    env = dict(env)
                    for index in indexes:
                        env[name] = env[name].cleaned(index)
            return env
        if kind == "identifier" and truth and _text(cond) in self.oks:
            mp, key = self.oks[_text(cond)]
            return self._allowed(key, mp, env)
        if kind == "index_expression" and truth:  # if allowed[x]
            return self._allowed(
                cond.child_by_field_name("index"), cond.child_by_field_name("operand"), env
            )
        if kind != "call_expression":
            return env
        fn = cond.child_by_field_name("function")
        args = _named(cond.child_by_field_name("arguments"))
        names = [n for n in self.fa.qualified(fn) if n]
        if not truth:
            for name in names:
                bad = NEGATIVE.get(name, ())
                if len(args) == 2 and _string_value(args[1]) in bad:
                    env = self._guard_as("strings.HasPrefix", args[0], env)
            return env
        if any(n in CONTAINS for n in names) and len(args) == 2 and self.model.membership:
            env = self._allowed(args[1], args[0], env)
        env = self._predicates_at(self._targets(_unwrap(fn)), args, env)  # isSafe(p)
        if self.model.guard_names:
            last = (
                f"*.{_text(fn.child_by_field_name('field'))}"
                if fn is not None and fn.type == "selector_expression"
                else None
            )
            if (
                any(n == "strings.HasPrefix" for n in names)
                and len(args) == 2
                and _string_value(args[1]) in ("/", "\\", "")
            ):
                return env  # starts with "/": "//evil.example" does too
            operand = (
                fn.child_by_field_name("operand")
                if fn is not None and fn.type == "selector_expression"
                else None
            )
            if operand is not None and self.fa.dotted(operand) not in env:
                operand = None
            env = self._clean_all(
                self.model.guard_names.lookup(*names, last), [*args, operand], env
            )
        return env

    def _compare(
        self, op: str, left: Node | None, right: Node | None, env: Env, truth: bool
    ) -> Env:
        if op not in ("==", "!="):
            return env
        holds = truth == (op == "==")
        for a, b in ((left, right), (right, left)):
            a, b = _unwrap(a), _unwrap(b)
            if a is None or b is None:
                continue
            if holds and a.type in ("identifier", "selector_expression", "call_expression"):
                if a.type == "call_expression" and _text(b) in ("true", "false"):
                    env = self.guarded(a, env, _text(b) == "true")
                elif _text(b) != "nil" and (self._constant(b, env) or self._clean(b, env)):
                    env = self._pin(a, env)
            elif not holds and a.type == "call_expression" and _text(b) == "false":
                env = self.guarded(a, env, True)
        return env

    def _clean(self, node: Node, env: Env) -> bool:
        """Whether ``node`` holds a value no data from outside or of unknown origin
        reaches (an element of a constant list): a name equal to it is pinned too."""
        if node.type not in ("identifier", "selector_expression", "index_expression"):
            return False
        saved, self.env = self.env, env
        val = self.expr(node)
        self.env = saved
        return not val.traces

    def _derived_from(self, ident: Node) -> list[Node]:
        return self.derived.get(_text(ident), [])

    # -- expressions -------------------------------------------------------------------

    def _free(self, name: str, node: Node) -> Val:
        """A name not bound in the function: a source, package-level name or builtin."""
        if name == "nil":
            return Val((), None)
        if name in ("true", "false"):
            return Val((), name == "true")
        if name in self.fa.globals:
            return self.fa.globals[name]
        if (
            name in self.fa.aliases
            or name in BUILTINS
            or name in self.fa.defined
            or name in self.fa.by_name
            or name in STDLIB_DEFAULTS
            or name in self.fa.types
        ):
            return CLEAN
        return Val((Trace(UNKNOWN, node.start_byte, node.end_byte, name),))

    def selector(self, node: Node) -> Val:
        read = self._named_read(node)
        if read is not None:
            return read
        obj = self.expr(node.child_by_field_name("operand"))
        field = _text(node.child_by_field_name("field"))
        if obj.keys is not None:
            found = dict(obj.keys).get(field)
            if found is not None:
                return found
        return obj.plain() if obj.tainted else CLEAN

    def index(self, node: Node) -> Val:
        value = self.expr(node.child_by_field_name("operand"))
        key = self.expr(node.child_by_field_name("index"))
        found = indexed(value, key)
        return found if found is not None else Val(value.traces, NC, value.text)

    def slice_expr(self, node: Node) -> Val:
        value = self.expr(node.child_by_field_name("operand"))
        return Val(value.traces, NC, value.text)

    def number(self, node: Node) -> Val:
        text = _text(node).replace("_", "")
        try:
            if node.type == "int_literal":
                try:
                    return Val((), int(text, 0))
                except ValueError:
                    return Val((), int(text, 8))
            return Val((), float(text))
        except ValueError:
            return CLEAN

    def binary(self, node: Node) -> Val:
        op = _text(node.child_by_field_name("operator"))
        if op in ("&&", "||"):
            return self.logical(node, op)
        left = self.expr(node.child_by_field_name("left"))
        right = self.expr(node.child_by_field_name("right"))
        if op == "+" and isinstance(left.const, str) and isinstance(right.const, str):
            return Val((), (left.const + right.const)[:MAX_CONST])
        symbol = "//" if op == "/" and isinstance(left.const, int) else op
        folded = (
            fold(symbol, left.const, right.const)
            if symbol != "%" or not isinstance(left.const, str)
            else NC
        )
        if folded is not NC and symbol not in ("&", "|", "^") and not isinstance(folded, str):
            return Val((), folded)
        if op in ("==", "!=", "<", ">", "<=", ">="):
            return CLEAN
        stringy = (
            isinstance(left.const, str) or isinstance(right.const, str) or left.text or right.text
        )
        if op == "+" and stringy:
            return combine(left, right, text=True, prefix=leading(left))
        return combine(left, right)

    def logical(self, node: Node, op: str) -> Val:
        left, right, known = self._logical(node, op)
        if right is None:
            return left
        if known is not None:
            return right
        return CLEAN if not (left.tainted or right.tainted) else combine(left, right).plain()

    def unary(self, node: Node) -> Val:
        op = _text(node.child_by_field_name("operator"))
        val = self.expr(node.child_by_field_name("operand"))
        folded = self._unary_fold(op, val)
        if folded is not None:
            return folded
        if op == "<-":
            return val.plain()
        return val

    def composite(self, node: Node) -> Val:
        body = node.child_by_field_name("body")
        items: list[tuple[Any, Val]] | None = []
        rest: list[Val] = []
        elems: list[Val] = []
        keyed = False
        for child in _named(body):
            if child.type == "keyed_element":
                keyed = True
                parts = _named(child)
                if len(parts) != 2:
                    continue
                key_node = _named(parts[0])[0] if _named(parts[0]) else parts[0]
                v = self._element(parts[1])
                if key_node.type in ("identifier", "field_identifier"):
                    key: Any = _text(key_node)
                else:
                    key = self._key(key_node, rest)
                self._item(items, rest, key, v, child)
            else:
                elems.append(self._element(child))
        if keyed:
            return mapping(items, rest)
        return sequence(elems)

    def _element(self, node: Node) -> Val:
        inner = _named(node)
        target = inner[0] if node.type == "literal_element" and inner else node
        if target.type == "literal_value":
            return combine(*(self._element(c) for c in _named(target)))
        return self.expr(target)

    def conversion(self, node: Node) -> Val:
        operand = self.expr(node.child_by_field_name("operand"))
        names = self.fa.qualified(node.child_by_field_name("type"))
        self._call_sinks(names, node, [operand], [node], CLEAN, None)
        return operand

    # -- calls -------------------------------------------------------------------------

    def call(self, node: Node) -> Val:
        fn_node = node.child_by_field_name("function")
        args_node = node.child_by_field_name("arguments")
        callee = _unwrap(fn_node)
        if callee is not None and callee.type == "func_literal":
            args = [self.expr(a) for a in _named(args_node)]
            return self.inline(callee, args)
        names: tuple[str | None, ...] = self.fa.qualified(fn_node)
        receiver_node = (
            callee.child_by_field_name("operand")
            if callee is not None and callee.type == "selector_expression"
            else None
        )
        method = _text(callee.child_by_field_name("field")) if receiver_node is not None else None
        is_package = (
            receiver_node is not None
            and receiver_node.type == "identifier"
            and _text(receiver_node) in self.fa.aliases
            and _text(receiver_node) not in self.env
        ) or (
            receiver_node is not None
            and receiver_node.type == "identifier"
            and _text(receiver_node) in STDLIB_DEFAULTS
            and _text(receiver_node) not in self.env
            and _text(receiver_node) not in self.fa.types
        )
        model = self.model
        receiver = (
            self.expr(receiver_node) if receiver_node is not None and not is_package else CLEAN
        )

        positional: list[Val] = []
        pos_nodes: list[Node] = []
        callbacks: list[Val] = []
        outs: list[Node] = []
        for arg in _named(args_node):
            if arg.type == "func_literal":
                values = [Val((Trace(UNKNOWN, 0, 0, "callback parameter"),)) for _ in range(8)]
                if method in (
                    "HandleFunc",
                    "Handle",
                    "GET",
                    "POST",
                    "PUT",
                    "DELETE",
                    "Get",
                    "Post",
                ):
                    values = [CLEAN] * 8  # a handler: its sources are its request's reads
                callbacks.append(self.inline(arg, values, again=True))
                positional.append(CLEAN)
                pos_nodes.append(arg)
                continue
            if arg.type == "variadic_argument":
                inner = _named(arg)
                val = self.expr(inner[0]) if inner else CLEAN
                positional.append(element(val))
                pos_nodes.append(arg)
                continue
            un = arg
            if un.type == "unary_expression" and _text(un.child_by_field_name("operator")) == "&":
                outs.append(un.child_by_field_name("operand"))
            positional.append(self.expr(arg))
            pos_nodes.append(arg)
        every = list(positional)

        resolved_names = [n for n in names if n]
        written_fmt = any(n in WRITERS for n in resolved_names)
        if written_fmt and positional:
            rest = positional[1:]
            built = combine(*rest, text=True, prefix="".join(leading(v) or "" for v in rest))
            if self.fa.dotted(pos_nodes[0]) in self.html_out:
                built = replace(built, prefix="<html>" + (built.prefix or ""))
            self._call_sinks(
                names, node, [positional[0], built], pos_nodes[:2], receiver, receiver_node
            )
        elif (
            receiver_node is not None
            and self.fa.dotted(receiver_node) in self.html_out
            and positional
        ):
            first = replace(positional[0], prefix="<html>" + (leading(positional[0]) or ""))
            self._call_sinks(
                names, node, [first, *positional[1:]], pos_nodes, receiver, receiver_node
            )
        else:
            self._call_sinks(names, node, positional, pos_nodes, receiver, receiver_node)

        val = self._call_source(names, node, receiver, every, pos_nodes)
        if val is not None:
            for out in outs:
                self.assign(out, val, node)
            return val

        if (
            any(n in ROOTED_CLEAN for n in resolved_names)
            and positional
            and (leading(positional[0]) or "").startswith(("/", "\\"))
        ):
            val = positional[0]
            for index in model.sanitizer_names.lookup("path.filepath.Base"):
                val = val.cleaned(index)
            return Val(val.traces)
        if (
            method in ("Set", "Add", "Header")
            and len(positional) == 2
            and isinstance(positional[0].const, str)
            and positional[0].const.lower() in CONTENT_TYPES
            and isinstance(positional[1].const, str)
            and "html" in positional[1].const.lower()
            and receiver_node is not None
        ):  # w.Header().Set("Content-Type", "text/html"): what w is sent is HTML
            target = _unwrap(receiver_node)
            if method != "Header" and target is not None and target.type == "call_expression":
                target = target.child_by_field_name("function")
                target = target.child_by_field_name("operand") if target is not None else None
            tname = (
                self.fa.dotted(target) if method != "Header" else f"{self.fa.dotted(target)}.Writer"
            )
            if tname:
                self.html_out.add(tname)
        done = self._sanitized(names, method, receiver, every, pos_nodes)
        if done is None:
            done = self._summaries(self._targets(callee), node, positional, receiver, every)
        if done is not None:
            return done

        if any(n in FORMATTERS for n in resolved_names) and positional:
            return self._format(positional, pos_nodes)
        if any(n in ("strings.Join",) for n in resolved_names) and positional:
            return combine(*every, text=True)
        if written_fmt and pos_nodes:  # fmt.Fprintf(&sb, ...): the buffer grows
            target = _unwrap(pos_nodes[0])
            if target is not None and target.type == "unary_expression":
                target = target.child_by_field_name("operand")
            tname = self.fa.dotted(target)
            if tname is not None and tname in self.env and len(positional) > 1:
                built = (
                    positional[1]
                    if resolved_names[-1].endswith("WriteString")
                    else (self._format(positional[1:], pos_nodes[1:]))
                )
                self.env[tname] = _concat(self.env[tname], built)
        if receiver_node is not None and method is not None and not is_package:
            rname = self.fa.dotted(receiver_node)
            prop = model.propagators.lookup(*names)
            if rname is not None and rname in self.env and prop and positional:
                # a buffer's writes append: sb.WriteString("<li>" + v)
                self.env[rname] = _concat(
                    self.env[rname],
                    combine(*positional, text=True) if len(positional) > 1 else positional[0],
                )
        if method == "Get" and receiver.keys is not None and positional:
            found = dict(receiver.keys).get(positional[0].const)
            if found is not None:
                return found
        out = combine(receiver, *every, *callbacks)
        text = (
            out.text
            or (names[0] or "").startswith("strings.")
            or any((n or "").startswith("strings.") for n in names)
        )
        val = Val(out.traces, NC, text, prefix=leading(receiver) if text else None)
        if out.traces:
            for target in outs:  # json.NewDecoder(r.Body).Decode(&in)
                self.assign(target, join(self.expr(target), val.plain()), node)
        if names[0] == "append":
            return out.plain()
        return val

    def _apply(
        self,
        target: Function,
        node: Node,
        positional: list[Val],
        keywords: dict[str, Val],
        receiver: Val,
    ) -> Val:
        """As the core's; a helper returning several results (``return p, nil``,
        ``return "", fmt.Errorf("bad %s", name)``) gives each its own origins."""
        whole = super()._apply(target, node, positional, keywords, receiver)
        summary = self.fa.summary(target)
        if summary is None or summary.returns.elems is None:
            return whole
        args: dict[int, Val] = {i + target.offset: v for i, v in enumerate(positional)}
        if target.offset:
            args[0] = receiver
        step = Step(node.start_byte, node.end_byte, f"{target.name}()")
        elems = []
        for elem in summary.returns.elems:
            out: list[Trace] = []
            for t in elem.traces:
                if t.origin <= -2:
                    arg = args.get(-2 - t.origin)
                    if arg is not None:
                        out.extend(
                            replace(a, clean=a.clean | t.clean, steps=(*a.steps, step)[:6])
                            for a in arg.traces
                        )
                else:
                    out.append(t)
            elems.append(Val(merge_traces(tuple(out)), elem.const, elem.text))
        return sequence(elems)

    def _format(self, positional: list[Val], pos_nodes: list[Node]) -> Val:
        head = positional[0].const if isinstance(positional[0].const, str) else None
        prefix = head.split("%")[0] if head is not None else leading(positional[0])
        return combine(*positional, text=True, prefix=prefix)

    def _targets(self, callee: Node | None) -> list[Function]:
        if callee is None:
            return []
        if callee.type == "identifier":
            return self._plain_targets(_text(callee))
        if callee.type == "selector_expression":
            operand = callee.child_by_field_name("operand")
            attr = _text(callee.child_by_field_name("field"))
            if operand is not None and _text(operand) in self.fa.aliases:
                return []
            return [f for f in self.fa.by_name.get(attr, ()) if f.cls is not None]
        return []


def _cleaned(before: Env, after: Env) -> dict[str, frozenset[int]]:
    """The sanitizers a guard added to each name it cleaned."""
    out: dict[str, frozenset[int]] = {}
    for name, val in after.items():
        old = before.get(name)
        if old is None or old is val or not val.traces:
            continue
        had = frozenset.intersection(*(t.clean for t in old.traces)) if old.traces else frozenset()
        added = frozenset.intersection(*(t.clean for t in val.traces)) - had
        if added:
            out[name] = added
    return out


def _concat(old: Val, new: Val) -> Val:
    """What a buffer holds after ``new`` is appended to ``old`` (constants fold; the
    constant text it starts with is kept)."""
    if old.const is None or old.const == "":
        old = Val((), "")
    if isinstance(old.const, str) and isinstance(new.const, str):
        return Val((), (old.const + new.const)[:MAX_CONST])
    head = leading(old)
    if head == "":
        head = leading(new)
    return combine(old, new, text=True, prefix=head)


Interp.EXPR = {
    "identifier": Interp.identifier,
    "selector_expression": Interp.selector,
    "index_expression": Interp.index,
    "slice_expression": Interp.slice_expr,
    "call_expression": Interp.call,
    "type_conversion_expression": Interp.conversion,
    "interpreted_string_literal": Interp.string,
    "raw_string_literal": Interp.string,
    "int_literal": Interp.number,
    "float_literal": Interp.number,
    "binary_expression": Interp.binary,
    "unary_expression": Interp.unary,
    "composite_literal": Interp.composite,
    "true": lambda self, node: Val((), True),
    "false": lambda self, node: Val((), False),
    "nil": lambda self, node: Val((), None),
    "rune_literal": lambda self, node: CLEAN,
    "comment": lambda self, node: CLEAN,
    "func_literal": lambda self, node: (self.inline(node, []), CLEAN)[1],
}

FileAnalysis.Interp = Interp
