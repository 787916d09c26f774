"""Java front end of the taint engine: data flow over tree-sitter java trees.

What is Java here is the syntax and a little of the language's meaning:

- a variable, field or parameter is named by its declared type, resolved through the
  file's imports (``HttpServletRequest request`` makes ``request.getParameter`` read
  ``javax.servlet.http.HttpServletRequest.getParameter``; ``java.lang`` types need no
  import; a type the file does not import is ``_.Type``), so rules name
  ``*.HttpServletRequest.getParameter`` whatever a method calls its parameter;
- a ``var`` is named by what made it: ``new T(...)``'s ``T``, or the call
  (``var s = request.getSession()`` reads as ``...HttpServletRequest.getSession``);
- ``new T(...)`` calls the name ``T`` (``new ProcessBuilder(...)`` is
  ``java.lang.ProcessBuilder``); a single-argument constructor keeps its argument's
  text (``new URL("https://api.example.com/" + id)``);
- parameter annotations (``@RequestParam``, ``@PathVariable``, ``@QueryParam``)
  make parameters sources; so does a handler annotation (``@GetMapping``) for its
  ``String`` parameters Spring binds from the request;
- a handler's returned text is a sink where the rule says so (``"redirect:" + url``,
  HTML from a ``@ResponseBody`` method);
- a call whose result is not used and that a rule lists as a sanitizer cleans its
  receiver (``cookie.setSecure(true)``);
- lambdas passed to a call run in place with the variables they close over.

Everything that decides data flow (joins, loops, folding, summaries, sinks) is
:mod:`genguard.taint.core`; what is a source, sink or sanitizer is data in
``rules/security/java-taint.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import cache
from typing import Any, ClassVar

from tree_sitter import Node, QueryCursor, Tree

from genguard.taint.brace import BraceFile, BraceInterp
from genguard.taint.core import (
    MAX_CONST,
    Env,
    Function,
    element,
    fold,
)
from genguard.taint.core import cached_query as _query
from genguard.taint.core import node_text as _text
from genguard.taint.core import snippet as _snippet
from genguard.taint.model import TaintModel, _word
from genguard.taint.spec import NamePattern, Sink
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
    merge_traces,
    sequence,
)

JAVA_LANG = frozenset(
    {
        "String", "Runtime", "ProcessBuilder", "Integer", "Long", "Double", "Boolean",
        "Math", "System", "Object", "StringBuilder", "StringBuffer", "Thread", "Class",
        "Character", "Float", "Short", "Byte", "Process",
    }
)  # fmt: skip
"""``java.lang`` types: named without an import."""
FRAMEWORK_TYPES = frozenset(
    {
        "HttpServletRequest", "HttpServletResponse", "HttpSession", "Model", "ModelMap",
        "BindingResult", "RedirectAttributes", "Principal", "Locale", "Authentication",
        "UriInfo", "HttpHeaders", "SecurityContext", "Request", "Response", "AsyncResponse",
        "ServletContext", "WebRequest", "Errors", "SessionStatus", "UriComponentsBuilder",
    }
)  # fmt: skip
"""Parameter types a handler receives from the framework, not from the request body."""
BOXED = frozenset(
    {"Integer", "Long", "Short", "Byte", "Double", "Float", "Boolean", "BigDecimal",
     "BigInteger", "UUID", "LocalDate", "LocalDateTime", "Instant"}
)  # fmt: skip
"""Parameter types whose values cannot carry text an attacker chose."""
NUMERIC = frozenset({"int", "long", "short", "byte", "double", "float", "boolean", "char"})
FUNCTION_TYPES = frozenset({"method_declaration", "constructor_declaration", "lambda_expression"})
WRAPPERS = frozenset({"parenthesized_expression", "cast_expression"})
APPENDERS = frozenset({"append", "add", "put", "addAll", "putAll", "push", "offer", "insert"})
"""Methods that put their arguments into the receiver (a StringBuilder, a list)."""
READERS = frozenset({"get", "toString", "getOrDefault", "stream", "iterator", "values"})
IDENTITY = frozenset(
    {"java.lang.String.valueOf", "java.util.Objects.requireNonNull", "java.util.Optional.of",
     "java.util.Optional.ofNullable", "java.util.Objects.toString"}
)  # fmt: skip
"""Calls whose result is their first argument (however a sanitizer list names them)."""
LISTS = frozenset(
    {"java.util.List.of", "java.util.Arrays.asList", "java.util.Set.of", "_.List.of",
     "_.Arrays.asList", "_.Set.of", "java.util.Collections.singletonList"}
)  # fmt: skip
"""Calls that make a list of their arguments (``List.of("sh", "-c", cmd)``)."""
CONTENT_TYPE = re.compile(r"html", re.IGNORECASE)
SECURE_XML = re.compile(
    rb"disallow-doctype-decl|FEATURE_SECURE_PROCESSING|SUPPORT_DTD|ACCESS_EXTERNAL_DTD"
    rb"|IS_SUPPORTING_EXTERNAL_ENTITIES|external-general-entities|setExpandEntityReferences"
)
"""A file that configures its XML parsers against external entities: the parse
sinks see the keyword ``secured`` (``unless: {secured: [true]}``)."""

_STRUCTURE = """
(method_declaration name: (identifier) @name) @def
(constructor_declaration name: (identifier) @name) @def
(import_declaration) @import
(formal_parameter) @typed
(local_variable_declaration) @typed
(field_declaration) @typed
(catch_formal_parameter) @typed
(enhanced_for_statement) @typed
(resource) @typed
"""

_CALLS = """
(method_invocation !object name: (identifier) @callee)
(method_invocation object: (this) name: (identifier) @callee)
(method_reference (identifier) @ref)
"""
"""Calls of this class's methods (another object's ``decode`` is not this one's)."""

ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "'": "'", "0": "\0"}


def _unwrap(node: Node | None) -> Node | None:
    while node is not None and node.type in WRAPPERS and node.named_children:
        node = node.child_by_field_name("value") or node.named_children[-1]
    return node


def _named(node: Node | None) -> list[Node]:
    if node is None:
        return []
    return [c for c in node.named_children if c.type not in ("line_comment", "block_comment")]


def _string_value(node: Node | None) -> str | None:
    if node is None or node.type not in ("string_literal", "text_block"):
        return None
    out = []
    for c in node.named_children:
        t = _text(c)
        out.append(ESCAPES.get(t[1:2], t) if c.type == "escape_sequence" else t)
    if not node.named_children and node.type == "text_block":
        return _text(node)[3:-3][:MAX_CONST]
    return "".join(out)[:MAX_CONST]


def _type_text(node: Node | None) -> str | None:
    """``List<String>`` -> ``List<String>``; ``final HttpServletRequest`` -> its name."""
    if node is None:
        return None
    return re.sub(r"\s+", "", _text(node))


def _base_type(text: str) -> str:
    return (
        text.split("<", 1)[0].rstrip("[]").rsplit(".", 1)[-1]
        if "." not in text
        else text.split("<", 1)[0]
    )


@cache
def _annotation_finder(patterns: tuple[NamePattern, ...]) -> re.Pattern[bytes] | None:
    """A regex every text naming one of ``patterns`` matches (their longest literal
    segment as a word); None when one of them has none (any text may)."""
    words = {_word(p) for p in patterns}
    if "" in words or not words:
        return None if words else re.compile(rb"(?!)")
    return re.compile(rb"\b(?:" + b"|".join(re.escape(w.encode()) for w in sorted(words)) + rb")\b")


def _annotations(node: Node | None) -> list[str]:
    out = []
    for mods in (
        c for c in (node.named_children if node is not None else []) if c.type == "modifiers"
    ):
        for ann in mods.named_children:
            if ann.type in ("annotation", "marker_annotation"):
                out.append(_text(ann.child_by_field_name("name")))
    return out


class FileAnalysis(BraceFile):
    """One Java file: its imports, declared types and methods."""

    CALLS = _CALLS
    LEAVES = frozenset({"identifier", "type_identifier", "this"})
    MEMBERS: ClassVar[dict[str, tuple[str, str]]] = {
        "field_access": ("field", "object"),
        "method_invocation": ("name", "object"),
    }
    WRAPPERS = WRAPPERS
    unwrap = staticmethod(_unwrap)

    def __init__(self, model: TaintModel, source: bytes, tree: Tree) -> None:
        self.secured = bool(SECURE_XML.search(source))
        self.clean_params: dict[int, set[int]] = {}  # function -> numeric parameters
        super().__init__(model, source, tree)

    def _collect(self) -> None:
        found = QueryCursor(_query(self.language, _STRUCTURE)).matches(self.root)
        defs: list[tuple[Node, str]] = []
        typed: list[Node] = []
        for _, captures in found:
            if "import" in captures:
                node = captures["import"][0]
                parts = [
                    c for c in node.named_children if c.type in ("scoped_identifier", "identifier")
                ]
                wildcard = any(c.type == "asterisk" for c in node.named_children)
                if parts and not wildcard:  # import a.b.C; import static a.b.C.m;
                    full = _text(parts[0]).replace(" ", "")
                    self.aliases[full.rsplit(".", 1)[-1]] = full
            elif "typed" in captures:
                typed.append(captures["typed"][0])
            elif "def" in captures:
                name = captures.get("name")
                defs.append((captures["def"][0], _text(name[0]) if name else ""))
        self._define(
            (node, name, _owner(node)) for node, name in sorted(defs, key=lambda d: d[0].start_byte)
        )
        for node in typed:
            kind = _type_text(node.child_by_field_name("type"))
            if kind is None:
                continue
            full = self.resolve_type(kind)
            if node.type in (
                "formal_parameter",
                "catch_formal_parameter",
                "enhanced_for_statement",
                "resource",
            ):
                idents = [node.child_by_field_name("name")]
            else:
                idents = [
                    d.child_by_field_name("name") for d in node.children_by_field_name("declarator")
                ]
            scope = None if node.type == "field_declaration" else self.enclosing(node.start_byte)
            for ident in idents:
                if ident is None:
                    continue
                named = (self._made(ident.parent) if kind == "var" else None) or full
                self.scoped[(scope.node.id if scope is not None else None, _text(ident))] = named
                self.types.add(_text(ident))

    def _made(self, declarator: Node | None) -> str | None:
        """What a ``var`` is named by: the type it is made as (``var b = new
        StringBuilder()``), else the call that made it (``var s =
        request.getSession()`` reads as ``...HttpServletRequest.getSession``)."""
        value = _unwrap(declarator.child_by_field_name("value")) if declarator else None
        if value is None:
            return None
        if value.type == "object_creation_expression":
            return self.resolve_type(_type_text(value.child_by_field_name("type")) or "?")
        if value.type == "method_invocation":
            written, resolved = self.qualified(value)
            return resolved or written
        return None

    def resolve_type(self, kind: str) -> str:
        base = kind.split("<", 1)[0].rstrip("[]")
        if "." in base:
            return base
        if base in self.aliases:
            return self.aliases[base]
        if base in JAVA_LANG:
            return f"java.lang.{base}"
        return f"_.{base}"

    def _candidates(
        self, only: Sequence[tuple[int, int]] | None = None
    ) -> tuple[list[Function], list[Function]] | None:
        """As the core's, plus every method that reads a source (a sink may be named
        through a variable's type, which the core's text search cannot see)."""
        selected, with_callers = self._with_sourced(
            lambda f: self._bound(f) and bool(f.sources), only
        )
        # a sink of a rule that reports values of unknown origin, named through a
        # chain or a type (Runtime.getRuntime().exec(cmd)): its method and callers
        lasts = {
            pattern.segments[-1]
            for r in self.active
            if self.model.rules[r].unknown != "off" and self.model.rules[r].rule.taint
            for sink in self.model.rules[r].rule.taint.sinks
            for pattern in sink.names
            if pattern.segments[-1] != "*"
        }
        if lasts:
            finder = re.compile(
                rb"\b(?:" + b"|".join(re.escape(w.encode()) for w in sorted(lasts)) + rb")\s*\("
            )
            ids = {f.node.id for f in selected}
            for fn in self.functions:
                if fn.node.id not in ids and finder.search(
                    self.source[fn.node.start_byte : fn.node.end_byte]
                ):
                    selected.append(fn)
                    with_callers.append(fn)
        return selected, with_callers

    def _bound(self, fn: Function) -> bool:
        """Whether a parameter of ``fn`` may be bound from the request: its text names
        what an annotation that makes a parameter a source is named (else its
        parameters need not be read to know none is a source)."""
        finder = _annotation_finder(tuple(p for p, _ in self.model.decorated_sources))
        node = fn.node
        return finder is None or bool(finder.search(self.source, node.start_byte, node.end_byte))

    def _summary_key(self, fn: Function) -> tuple[Any, ...] | None:
        """As the core's, plus what the file declares outside every function (the
        types of its package-level names, whether it configures its XML parsers):
        the same function text means something else under other declarations."""
        return self._declared_key(fn, self.secured)

    def _parameters(self, node: Node, decorators: list[Node]) -> tuple[list[str], dict[int, int]]:
        names: list[str] = []
        sources: dict[int, int] = {}
        params = node.child_by_field_name("parameters")
        method_anns = _annotations(node)
        for i, param in enumerate(
            p for p in _named(params) if p.type in ("formal_parameter", "spread_parameter")
        ):
            name = param.child_by_field_name("name")
            if name is None:
                name = next(
                    (c for c in param.named_children if c.type == "variable_declarator"), None
                )
                name = name.child_by_field_name("name") if name is not None else None
            names.append(_text(name) if name is not None else f"?{param.start_byte}")
            anns = _annotations(param)
            kind = _type_text(param.child_by_field_name("type")) or ""
            base = kind.split("<", 1)[0].rstrip("[]").rsplit(".", 1)[-1]
            if kind in NUMERIC or base in BOXED or base in NUMERIC:
                self.clean_params.setdefault(node.id, set()).add(i)
                continue  # a number or a date: nothing an attacker writes survives it
            for pattern, index in self.model.decorated_sources:
                if any(pattern.matches(a) for a in anns):
                    sources.setdefault(i, index)
                elif (
                    not [a for a in anns if a not in ("Valid", "Validated", "NotNull", "NotBlank")]
                    and base not in FRAMEWORK_TYPES
                    and any(pattern.matches(a) for a in method_anns)
                ):
                    # bound from the request by the handler's own annotation: a plain
                    # String by Spring, the entity body by JAX-RS
                    sources.setdefault(i, index)
        return names, sources

    # -- names --------------------------------------------------------------------------

    def _link(self, node: Node, parts: list[str]) -> Node | str | None:
        if node.type == "object_creation_expression":
            kind_text = _type_text(node.child_by_field_name("type")) or "?"
            parts.append(kind_text.split("<", 1)[0])
            return ".".join(reversed(parts))
        if node.type in ("scoped_type_identifier", "scoped_identifier"):
            return ".".join([_text(node).replace(" ", ""), *reversed(parts)])
        return None

    def _resolve_head(self, written: str, node: Node | None) -> tuple[str | None, str]:
        """Through the name's declared type (a field's for ``this.x``), else the
        file's imports, ``java.lang``, or a class the file does not import (``_.T``)."""
        head, _, rest = written.partition(".")
        if head == "this" and rest:
            head, _, rest = rest.partition(".")
            full = self.scoped.get((None, head))
        else:
            full = self.type_of(head, node)
        if full is None:
            if head in self.aliases:
                full = self.aliases[head]
            elif head in JAVA_LANG:
                full = f"java.lang.{head}"
            elif head[:1].isupper():
                full = f"_.{head}"
        return full, rest


class Interp(BraceInterp):
    """Abstract interpretation of one Java method body."""

    fa: FileAnalysis

    WRAPPERS = WRAPPERS
    FUNCTION_TYPES = FUNCTION_TYPES
    FUNCTION_VALUES = frozenset({"lambda_expression"})
    BODY_BLOCKS = frozenset({"block", "constructor_body"})
    NAME_TYPES = frozenset({"identifier", "field_access"})
    CLEANED_TYPES = frozenset({"identifier", "field_access"})
    TEXT_TYPES = frozenset({"string_literal"})

    def __init__(self, fa: FileAnalysis, fn: Function | None, env: Env) -> None:
        super().__init__(fa, fn, env)
        self.html_out: set[str] = set()

    LITERALS = frozenset(
        {
            "string_literal",
            "decimal_integer_literal",
            "hex_integer_literal",
            "decimal_floating_point_literal",
            "character_literal",
            "true",
            "false",
        }
    )
    unwrap = staticmethod(_unwrap)
    string_value = staticmethod(_string_value)

    def run_module(self, root: Node) -> Env:
        return self.run_constants(root)

    def run_constants(self, root: Node) -> Env:
        """Class constants (``static final String ROOT = "/srv"``) and literal fields."""
        env: Env = {}
        self.env = env
        cursor = QueryCursor(_query(self.fa.language, "(field_declaration) @f"))
        for node in cursor.captures(root).get("f", ()):
            for decl in node.children_by_field_name("declarator"):
                value = decl.child_by_field_name("value")
                name = decl.child_by_field_name("name")
                if (
                    value is not None
                    and name is not None
                    and value.end_byte - value.start_byte < 2000
                ):
                    env[_text(name)] = self.expr(value)
        return env

    def _clean_params(self, fn: Function) -> set[int]:
        return self.fa.clean_params.get(fn.node.id, set())

    def _bind_params(self, node: Node, values: list[Val]) -> None:
        params = node.child_by_field_name("parameters")
        nodes: list[Node] = []
        if params is not None and params.type == "identifier":
            nodes = [params]
        else:
            for p in _named(params):
                name = p.child_by_field_name("name") if p.type != "identifier" else p
                if name is None:
                    decl = next(
                        (c for c in p.named_children if c.type == "variable_declarator"), None
                    )
                    name = decl.child_by_field_name("name") if decl is not None else None
                if name is not None:
                    nodes.append(name)
        for i, ident in enumerate(nodes):
            self.env[_text(ident)] = self._located(values[i] if i < len(values) else CLEAN, ident)

    def _routes(self, fn: Function, sink: Sink) -> bool:
        anns = _annotations(fn.node)
        if fn.node.parent is not None and fn.node.parent.parent is not None:
            anns += [f"class.{a}" for a in _annotations(fn.node.parent.parent)]
        return any(p.matches(a) for p in sink.returns for a in anns)

    # -- statements --------------------------------------------------------------------

    def block(self, node: Node, env: Env) -> Env | None:
        if node.type in ("block", "program", "switch_block_statement_group", "constructor_body"):
            cur: Env | None = env
            for stmt in _named(node):
                if cur is None:
                    return None
                if stmt.type == "switch_label":
                    continue
                cur = self.statement(stmt, cur)
            return cur
        return self.statement(node, env)

    def statement(self, node: Node, env: Env) -> Env | None:
        self.fa.tick()
        self.env = env
        kind = node.type
        if kind == "expression_statement":
            return self._expression_statement(node)
        if kind == "local_variable_declaration":
            for decl in node.children_by_field_name("declarator"):
                name = decl.child_by_field_name("name")
                value = decl.child_by_field_name("value")
                val = self.expr(value) if value is not None else Val((), None)
                if name is not None:
                    self.assign(name, val, decl)
                    if value is not None and self.fa.dotted(value) in self.html_out:
                        self.html_out.add(_text(name))
            return self.env
        if kind == "return_statement":
            values = _named(node)
            if values:
                self._returned(values[0], self.expr(values[0]))
            return None
        if kind == "throw_statement":
            for child in _named(node):
                self.expr(child)
            return None
        if kind == "if_statement":
            return self.branches(*self.if_chain(node), env)
        if kind in ("for_statement", "enhanced_for_statement", "while_statement", "do_statement"):
            return self.loop(node, env)
        if kind in ("switch_expression", "switch_statement"):
            return self.switch(node, env)
        if kind in ("try_statement", "try_with_resources_statement"):
            return self.try_statement(node, env)
        if kind in ("break_statement", "continue_statement"):
            return self._jump(env)
        if kind == "block":
            return self.block(node, env)
        if kind in ("synchronized_statement", "labeled_statement"):
            body = node.child_by_field_name("body") or (_named(node)[-1] if _named(node) else None)
            return self.block(body, env) if body is not None else env
        return env

    def _ends(self, child: Node, val: Val) -> bool:
        if child.type != "method_invocation":
            return False
        self._statement_call(child, val)
        return _text(child).startswith("System.exit")

    def _statement_call(self, call: Node, val: Val) -> None:
        """A sanitizer called for its effect cleans its receiver (``c.setSecure(true)``)."""
        obj = call.child_by_field_name("object")
        name = self.fa.dotted(obj) if obj is not None else None
        if name is None or name not in self.env:
            return
        if self.switched_off(_named(call.child_by_field_name("arguments"))):
            return
        method = _text(call.child_by_field_name("name"))
        written, resolved = self.fa.qualified(call)
        for index in self.model.sanitizer_names.lookup(written, resolved, f"*.{method}"):
            self.env[name] = self.env[name].cleaned(index)

    def loop(self, node: Node, env: Env) -> Env | None:
        body = node.child_by_field_name("body")
        self.env = env
        bind = None
        if node.type == "enhanced_for_statement":
            value = node.child_by_field_name("value")
            item = element(self.expr(value)) if value is not None else CLEAN
            name = node.child_by_field_name("name")
            if name is not None:
                bind = lambda: self.assign(name, item, node)  # noqa: E731
        else:
            for init in node.children_by_field_name("init"):
                if init.type == "local_variable_declaration":
                    env = self.statement(init, env) or env
                else:
                    self.expr(init)
            if node.type != "do_statement" and self._never(
                node.child_by_field_name("condition"), env
            ):
                return env
        return self._repeat(env, body, bind)

    def switch(self, node: Node, env: Env) -> Env | None:
        cond = node.child_by_field_name("condition")
        value = _unwrap(cond)
        if cond is not None:
            self.expr(cond)

        def labels(group: Node) -> list[Node]:
            return [c for c in group.named_children if c.type == "switch_label"]

        def is_default(group: Node) -> bool:
            return any(not _named(lab) for lab in labels(group))

        def run(group: Node, cur: Env | None) -> Env | None:
            consts = [v for lab in labels(group) for v in _named(lab)]
            if consts and not is_default(group) and all(self.is_literal(v) for v in consts):
                cur = self._pin(value, cur)
            if group.type != "switch_rule":
                return self.block(group, cur)
            for p in (c for c in group.named_children if c.type != "switch_label"):
                if cur is None:
                    break
                cur = self.block(p, cur) if p.type == "block" else (self.expr(p), cur)[1]
            return cur

        return self._cases(env, _named(node.child_by_field_name("body")), is_default, run)

    def try_statement(self, node: Node, env: Env) -> Env | None:
        for res in _named(node.child_by_field_name("resources")):
            name = res.child_by_field_name("name")
            value = res.child_by_field_name("value")
            if name is not None and value is not None:
                self.assign(name, self.expr(value), res)
        final = next((c for c in node.named_children if c.type == "finally_clause"), None)
        return self._try(
            self.env,
            node.child_by_field_name("body"),
            [
                (None, c.child_by_field_name("body"))
                for c in node.named_children
                if c.type == "catch_clause"
            ],
            _named(final)[0] if final is not None and _named(final) else None,
        )

    # -- guards ------------------------------------------------------------------------

    def _compare(
        self, op: str, left: Node | None, right: Node | None, env: Env, truth: bool
    ) -> Env:
        if op in ("==", "!=") and (_text(right) == "null" or _text(left) == "null"):
            other = _unwrap(left if _text(right) == "null" else right)
            if (
                (op == "==") == truth
                and other is not None
                and other.type == "method_invocation"
                and _text(other.child_by_field_name("name"))
                in ("getHost", "getScheme", "getAuthority")
            ):  # no host: a relative URL, it stays on this site
                env = self._guard_as("*.startsWith", other, env)
            return env
        if op in ("==", "!=") and (op == "==") == truth:
            for a, b in ((left, right), (right, left)):
                if a is not None and b is not None and self._constant(b, env):
                    env = self._pin(a, env)
        return env

    def _guard(self, cond: Node, env: Env, truth: bool) -> Env:
        if cond.type != "method_invocation":
            return env
        method = _text(cond.child_by_field_name("name"))
        obj = cond.child_by_field_name("object")
        args = _named(cond.child_by_field_name("arguments"))
        written, resolved = self.fa.qualified(cond)
        if not truth:
            negative = (
                method in ("contains", "startsWith")
                and len(args) == 1
                and _string_value(args[0]) in ("..", "../", "/", "\\", "//", "\\\\")
            ) or method in ("isAbsolute", "isOpaque")
            if negative and obj is not None:
                # not "..", not "//", not absolute: stays inside, stays on this site
                env = self._guard_as("*.startsWith", obj, env)
            return env
        if method in ("equals", "equalsIgnoreCase") and obj is not None and args:
            for a, b in ((obj, args[0]), (args[0], obj)):
                if self._constant(b, env):
                    env = self._pin(a, env)
            return env
        if method in ("contains", "containsKey") and obj is not None and args:
            env = self._allowed(args[0], obj, env)
        env = self._predicates_at(self._targets(cond), args, env)
        if method == "startsWith" and args and _string_value(args[0]) in ("/", "\\"):
            return env  # starts with "/": "//evil.example" does too
        if self.model.guard_names:
            indexes = self.model.guard_names.lookup(written, resolved, f"*.{method}")
            env = self._clean_all(indexes, [*args, obj], env)
        return env

    # -- assignment --------------------------------------------------------------------

    def assign(self, target: Node, val: Val, at: Node) -> None:
        target = _unwrap(target) or target
        step = Step(at.start_byte, at.end_byte, _snippet(at))
        if target.type == "identifier":
            name = _text(target)
            self.env[name] = val.with_step(step)
            self._assign_sinks(name, target, val)
        elif target.type == "field_access":
            dotted = self.fa.dotted(target)
            if dotted is not None:
                self.env[dotted] = val.with_step(step)
                if dotted.startswith("this."):
                    self.env[dotted[5:]] = val.with_step(step)
            self._assign_sinks(_text(target.child_by_field_name("field")), target, val)
        elif target.type == "array_access":
            name = self.fa.dotted(target.child_by_field_name("array"))
            if name is not None:
                old = self.env.get(name, CLEAN)
                self.env[name] = Val(merge_traces(old.traces, val.traces))

    # -- expressions -------------------------------------------------------------------

    def _free(self, name: str, node: Node) -> Val:
        """A field, a class (a capitalised name) or an import; else of unknown origin."""
        if name in self.fa.globals:
            return self.fa.globals[name]
        if name in self.fa.types or name in self.fa.aliases or name[:1].isupper():
            return CLEAN
        return Val((Trace(UNKNOWN, node.start_byte, node.end_byte, name),))

    def field(self, node: Node) -> Val:
        written, resolved = self.fa.qualified(node)
        if written is not None:
            if written in self.env:
                return self.env[written]
            if written.startswith("this.") and written[5:] in self.env:
                return self.env[written[5:]]
            indexes = self.model.source_names.lookup(written, resolved)
            if indexes:
                return self._source_val(indexes, node, written)
            if written.startswith("this.") and written[5:] in self.fa.globals:
                return self.fa.globals[written[5:]]
        obj = self.expr(node.child_by_field_name("object"))
        return obj.plain() if obj.tainted else CLEAN

    def number(self, node: Node) -> Val:
        text = _text(node).replace("_", "").rstrip("lLfFdD")
        try:
            return Val((), int(text, 0))
        except ValueError:
            try:
                return Val((), float(text))
            except ValueError:
                return CLEAN

    def binary(self, node: Node) -> Val:
        op = _text(node.child_by_field_name("operator"))
        if op in ("&&", "||"):
            left, right, known = self._logical(node, op)
            if right is None:
                return left
            return right if known is not None else CLEAN
        left = self.expr(node.child_by_field_name("left"))
        right = self.expr(node.child_by_field_name("right"))
        if op == "+" and (isinstance(left.const, str) or isinstance(right.const, str)):
            if left.const is not NC and right.const is not NC:
                return Val((), (_java_str(left.const) + _java_str(right.const))[:MAX_CONST])
            return combine(left, right, text=True, prefix=leading(left))
        if op == "+" and (left.text or right.text):
            return combine(left, right, text=True, prefix=leading(left))
        symbol = "//" if op == "/" and isinstance(left.const, int) else op
        folded = fold(symbol, left.const, right.const)
        if folded is not NC and not isinstance(folded, str):
            return Val((), folded)
        if op in ("==", "!=", "<", ">", "<=", ">=", "instanceof"):
            return CLEAN
        return combine(left, right)

    def unary(self, node: Node) -> Val:
        op = _text(node.child_by_field_name("operator"))
        val = self.expr(node.child_by_field_name("operand"))
        folded = self._unary_fold(op, val)
        if folded is not None:
            return folded
        return val.plain() if val.tainted else CLEAN

    def array(self, node: Node) -> Val:
        init = (
            node.child_by_field_name("value") if node.type == "array_creation_expression" else node
        )
        if init is None:
            return CLEAN
        return sequence([self.expr(c) for c in _named(init)])

    def array_access(self, node: Node) -> Val:
        value = self.expr(node.child_by_field_name("array"))
        key = self.expr(node.child_by_field_name("index"))
        if (
            value.elems is not None
            and isinstance(key.const, int)
            and -len(value.elems) <= key.const < len(value.elems)
        ):
            return value.elems[key.const]
        return Val(value.traces, NC, value.text)

    def assignment(self, node: Node) -> Val:
        left = node.child_by_field_name("left")
        op = _text(node.child_by_field_name("operator"))
        val = self.expr(node.child_by_field_name("right"))
        if op == "+=" and left is not None:
            old = self.expr(left)
            if isinstance(old.const, str) and isinstance(val.const, str):
                val = Val((), (old.const + val.const)[:MAX_CONST])
            else:
                val = combine(old, val, text=True, prefix=leading(old))
        elif op not in ("=",) and left is not None:
            val = combine(self.expr(left), val)
        if left is not None:
            self.assign(left, val, node)
        return val

    def switch_value(self, node: Node) -> Val:
        """``switch (x) { case "a" -> "A"; default -> "B"; }`` used as a value: what its
        arms yield (the statements still run, as a ``switch`` statement's do)."""
        before = dict(self.env)
        after = self.switch(node, before)
        self.env = after if after is not None else before
        body = node.child_by_field_name("body")
        arms: list[Val] = []
        for group in _named(body):
            if group.type == "switch_rule":
                parts = [c for c in group.named_children if c.type != "switch_label"]
                for p in parts:
                    if p.type == "expression_statement":
                        p = _named(p)[0] if _named(p) else p
                    if p.type not in ("block", "throw_statement"):
                        arms.append(self.expr(p))
            for y in _walk_type(group, "yield_statement"):
                inner = _named(y)
                if inner:
                    arms.append(self.expr(inner[0]))
        return join(*arms) if arms else CLEAN

    # -- calls -------------------------------------------------------------------------

    def call(self, node: Node) -> Val:
        is_new = node.type == "object_creation_expression"
        obj = None if is_new else node.child_by_field_name("object")
        method = None if is_new else _text(node.child_by_field_name("name"))
        if is_new:
            kind = _type_text(node.child_by_field_name("type")) or ""
            full = self.fa.resolve_type(kind)
            names: tuple[str | None, ...] = (kind.split("<", 1)[0], full)
        else:
            names = self.fa.qualified(node)
        is_static = (
            obj is not None
            and obj.type == "identifier"
            and _text(obj) not in self.env
            and _text(obj)[:1].isupper()
            and not _text(obj).isupper()  # a CONSTANT, not a class
            and _text(obj) not in self.fa.types
            and _text(obj) not in self.fa.globals
        )
        receiver = self.expr(obj) if obj is not None and not is_static else CLEAN
        positional: list[Val] = []
        pos_nodes: list[Node] = []
        callbacks: list[Val] = []
        for arg in _named(node.child_by_field_name("arguments")):
            if arg.type == "lambda_expression":
                item = element(receiver) if receiver.tainted else CLEAN
                callbacks.append(self.inline(arg, [item, item]))
                positional.append(CLEAN)
            else:
                positional.append(self.expr(arg))
            pos_nodes.append(arg)
        body = node.child_by_field_name("body") if is_new else None
        if body is not None:  # an anonymous class: its methods may run
            for member in _named(body):
                inner = member.child_by_field_name("body")
                if member.type == "method_declaration" and inner is not None:
                    self.block(inner, dict(self.env))
        every = list(positional)
        written_to = self.fa.dotted(obj) if obj is not None else None
        sink_args = positional
        if obj is not None and written_to in self.html_out and positional:
            sink_args = [
                replace(positional[0], prefix="<html>" + (leading(positional[0]) or "")),
                *positional[1:],
            ]
        keywords = {"secured": Val((), True)} if self.fa.secured else {}
        self._call_sinks(names, node, sink_args, pos_nodes, receiver, obj, keywords)

        if method in ("setContentType", "setHeader", "addHeader") and positional and written_to:
            ctype = positional[-1].const
            first = positional[0].const
            if (
                isinstance(ctype, str)
                and CONTENT_TYPE.search(ctype)
                and (
                    method == "setContentType"
                    or (isinstance(first, str) and first.lower() == "content-type")
                )
            ):
                self.html_out.add(written_to)
                self.html_out.add(f"{written_to}.getWriter")

        found = self._call_source(names, node, receiver, every, pos_nodes)
        if found is not None:
            return found
        if any(n in IDENTITY for n in names if n) and positional:
            return positional[0]
        if any(n in LISTS for n in names if n):
            return sequence(positional)
        if (
            method in ("get", "getOrDefault", "remove")
            and obj is not None
            and not is_static
            and (receiver.elems is not None or receiver.keys is not None or not receiver.tainted)
        ):
            # a map or list lookup returns what the container holds, not the key
            index = positional[0].const if positional else None
            if (
                isinstance(index, int)
                and receiver.elems
                and -len(receiver.elems) <= index < len(receiver.elems)
            ):
                return receiver.elems[index]
            out = receiver.plain()
            if method == "getOrDefault" and len(positional) > 1:
                out = join(out, positional[1])
            return element(out) if receiver.elems else out

        done = self._sanitized(names, method, receiver, every, pos_nodes)
        if done is None:
            targets = self._targets(node) if not is_new else []
            done = self._summaries(targets, node, positional, receiver, every)
        if done is not None:
            return done

        if (
            obj is not None
            and method in APPENDERS
            and written_to is not None
            and written_to in self.env
            and positional
        ):
            old = self.env[written_to]
            added = positional[-1]
            if isinstance(old.const, str) and isinstance(added.const, str):
                new = Val((), (old.const + added.const)[:MAX_CONST])
            else:
                head = leading(old) if leading(old) else leading(added)
                new = combine(old, *positional, text=True, prefix=head)
            self.env[written_to] = new
            return new
        if is_new and len(positional) == 1:
            arg = positional[0]
            if isinstance(arg.const, str):
                return (
                    Val((), arg.const)
                    if kind.split("<")[0] in ("StringBuilder", "StringBuffer", "String")
                    else Val((), NC, True, prefix=arg.const)
                )
            return combine(arg, text=arg.text, prefix=leading(arg))
        if method == "format" and names[0] in ("String.format",) and positional:
            head = positional[0].const if isinstance(positional[0].const, str) else None
            return combine(*every, text=True, prefix=head.split("%")[0] if head else None)
        if method in (
            "toString",
            "trim",
            "strip",
            "toLowerCase",
            "toUpperCase",
            "concat",
            "replace",
            "substring",
            "formatted",
        ):
            if (
                isinstance(receiver.const, str)
                and not any(v.tainted for v in every)
                and method in ("trim", "toLowerCase", "toUpperCase", "strip", "toString")
            ):
                return Val(
                    (),
                    {
                        "trim": str.strip,
                        "strip": str.strip,
                        "toLowerCase": str.lower,
                        "toUpperCase": str.upper,
                        "toString": str,
                    }[method](receiver.const),
                )
            return combine(receiver, *every, text=True, prefix=leading(receiver))
        if names[0] in ("String.join", "String.valueOf") and positional:
            return combine(*every, text=True)
        out = combine(receiver, *every, *callbacks)
        # a builder or a wrapper keeps the text it starts with
        # (UriComponentsBuilder.fromHttpUrl("https://api...").queryParam("q", q))
        head = leading(receiver) if obj is not None and not is_static else None
        if head is None and (is_static or obj is None) and positional:
            head = leading(positional[0])
        return Val(out.traces, NC, out.text, prefix=head)

    def _targets(self, node: Node) -> list[Function]:
        obj = node.child_by_field_name("object")
        name = _text(node.child_by_field_name("name"))
        if obj is None or obj.type == "this":
            cls = self.fn.cls if self.fn is not None else None
            return [f for f in self.fa.by_name.get(name, ()) if cls is None or f.cls == cls]
        if obj.type == "identifier" and _text(obj)[:1].isupper() and _text(obj) not in self.env:
            return [f for f in self.fa.by_name.get(name, ()) if f.cls == _text(obj)]
        return []


def _walk_type(node: Node, kind: str) -> list[Node]:
    out, stack = [], [node]
    while stack:
        cur = stack.pop()
        if cur.type == kind:
            out.append(cur)
        elif cur.type not in ("switch_expression", "lambda_expression", "class_body"):
            stack.extend(cur.named_children)
    return out


def _java_str(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def _owner(node: Node) -> str:
    """The class a method is declared in."""
    owner = node.parent.parent if node.parent is not None else None
    cls = _text(owner.child_by_field_name("name")) if owner is not None else "?"
    return cls or "?"


Interp.EXPR = {
    "identifier": Interp.identifier,
    "field_access": Interp.field,
    "method_invocation": Interp.call,
    "object_creation_expression": Interp.call,
    "string_literal": Interp.string,
    "text_block": Interp.string,
    "decimal_integer_literal": Interp.number,
    "hex_integer_literal": Interp.number,
    "decimal_floating_point_literal": Interp.number,
    "binary_expression": Interp.binary,
    "unary_expression": Interp.unary,
    "ternary_expression": Interp.ternary,
    "array_creation_expression": Interp.array,
    "array_initializer": Interp.array,
    "array_access": Interp.array_access,
    "assignment_expression": Interp.assignment,
    "switch_expression": Interp.switch_value,
    "true": lambda self, node: Val((), True),
    "false": lambda self, node: Val((), False),
    "null_literal": lambda self, node: Val((), None),
    "this": lambda self, node: CLEAN,
    "character_literal": lambda self, node: CLEAN,
    "class_literal": lambda self, node: CLEAN,
    "line_comment": lambda self, node: CLEAN,
    "block_comment": lambda self, node: CLEAN,
    "update_expression": lambda self, node: CLEAN,
    "instanceof_expression": lambda self, node: CLEAN,
    "method_reference": lambda self, node: CLEAN,
}

FileAnalysis.Interp = Interp
