"""Metamorphic variants of the JavaScript/TypeScript, Go and Java corpora, edited on tree-sitter.

The same idea as ``metamorphic.py`` (which works on Python's ``ast``): each transformation edits
the source text at positions taken from the syntax tree, so comments and layout survive, and maps
the manifest's sink line through the edits. A detector that follows data must give the same
answer on each variant as on the original.

Transformations (``TRANSFORMS``):

- ``rename``: every locally declared variable (``const``/``let``/``var``, ``:=``/``var``, Java
  local variables) gets a neutral new name throughout the file; framework-bound names
  (parameters, ``app``/``router``, ``require``d modules) and members are kept.
- ``intermediate``: the sink's first non-constant argument (or assigned/returned value) is first
  assigned to a new variable on the line before the sink's statement.
- ``restyle``: string building changes style: template literal <-> ``+`` (JavaScript),
  ``fmt.Sprintf`` with ``%s`` <-> ``+`` (Go), ``String.format`` with ``%s``/``%d`` <-> ``+`` (Java).
- ``wrap-str`` / ``wrap-strip``: every read of request input is wrapped in a conversion that
  leaves a string as it is (``String(x)``, ``string(x)``, ``Objects.toString(x, null)``), or is
  trimmed (``String(x).trim()``, ``strings.TrimSpace(x)``, ``Optional...map(String::strip)``).
  Files whose input is an object (NoSQL queries, prototype pollution) are left unchanged.
- ``comments``: comments claiming an allow-list check are added at the top and at the end of the
  sink line (above it where the line ends inside a string or JSX, in JSX as ``{/* */}``).

A ``helper`` transformation (the sink moved into a new function) is not offered here: in Go and
Java it needs the types of the values it carries, which the syntax tree does not give.

Usage: ``python tests/taint/metamorphic_ts.py OUT_DIR [--lang L] [--transform NAME ...]``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import tree_sitter
import tree_sitter_go
import tree_sitter_java
import tree_sitter_javascript
import tree_sitter_typescript

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from metamorphic import Edit, NotApplicable, Variant, apply_edits, line_of  # noqa: E402

CORPORA = {"javascript": HERE / "corpus-js", "go": HERE / "corpus-go", "java": HERE / "corpus-java"}

GRAMMARS: dict[str, Callable[[], object]] = {
    ".js": tree_sitter_javascript.language,
    ".jsx": tree_sitter_javascript.language,
    ".ts": tree_sitter_typescript.language_typescript,
    ".tsx": tree_sitter_typescript.language_tsx,
    ".go": tree_sitter_go.language,
    ".java": tree_sitter_java.language,
}
# Families whose request input is an object: wrapping it in a string conversion would change
# what the program does, so the wrap transformations leave those files alone.
OBJECT_INPUT_CWES = {943, 1321}


def parse(text: str, suffix: str) -> tree_sitter.Tree:
    parser = tree_sitter.Parser(tree_sitter.Language(GRAMMARS[suffix]()))
    return parser.parse(text.encode("ascii"))


def walk(node: tree_sitter.Node) -> Iterator[tree_sitter.Node]:
    yield node
    for child in node.children:
        yield from walk(child)


def has_error(tree: tree_sitter.Tree) -> bool:
    return any(n.type == "ERROR" or n.is_missing for n in walk(tree.root_node))


@dataclass(frozen=True)
class Syntax:
    """The node types a transformation needs, per language."""

    lang: str
    calls: frozenset[str]
    containers: frozenset[str]  # nodes whose children are statements
    functions: frozenset[str]  # a hoisted value must not leave one of these
    deferred: frozenset[str]  # evaluated conditionally or lazily
    literals: frozenset[str]
    assignments: frozenset[str]
    strings: frozenset[str]


JS = Syntax(
    "javascript",
    frozenset({"call_expression", "new_expression"}),
    frozenset({"statement_block", "program", "switch_case", "switch_default"}),
    frozenset(
        {"arrow_function", "function_expression", "function_declaration", "method_definition"}
    ),
    frozenset({"ternary_expression", "optional_chain"}),
    frozenset({"string", "number", "true", "false", "null", "undefined", "regex"}),
    frozenset({"assignment_expression"}),
    frozenset({"string"}),
)
GO = Syntax(
    "go",
    frozenset({"call_expression"}),
    frozenset({"statement_list", "source_file", "expression_case", "default_case", "block"}),
    frozenset({"func_literal", "function_declaration", "method_declaration"}),
    frozenset(),
    frozenset(
        {
            "interpreted_string_literal",
            "raw_string_literal",
            "int_literal",
            "float_literal",
            "true",
            "false",
            "nil",
            "rune_literal",
        }
    ),
    frozenset({"assignment_statement"}),
    frozenset({"interpreted_string_literal"}),
)
JAVA = Syntax(
    "java",
    frozenset({"method_invocation", "object_creation_expression"}),
    frozenset({"block", "switch_block_statement_group", "constructor_body", "static_initializer"}),
    frozenset({"lambda_expression", "method_declaration", "constructor_declaration", "class_body"}),
    frozenset({"ternary_expression"}),
    frozenset(
        {
            "string_literal",
            "decimal_integer_literal",
            "true",
            "false",
            "null_literal",
            "character_literal",
            "class_literal",
            "decimal_floating_point_literal",
            "lambda_expression",
            "method_reference",
        }
    ),
    frozenset({"assignment_expression"}),
    frozenset({"string_literal"}),
)
SYNTAX = {".js": JS, ".jsx": JS, ".ts": JS, ".tsx": JS, ".go": GO, ".java": JAVA}


class Source:
    """A corpus file, its tree and its language's node types (the files are ASCII)."""

    def __init__(self, text: str, suffix: str) -> None:
        if not text.isascii():
            raise NotApplicable("non-ASCII source")
        self.text = text
        self.suffix = suffix
        self.syntax = SYNTAX[suffix]
        self.tree = parse(text, suffix)
        self.lines = text.splitlines(keepends=True)
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line))

    def seg(self, node: tree_sitter.Node) -> str:
        return self.text[node.start_byte : node.end_byte]

    def line_start(self, lineno: int) -> int:
        return self.starts[lineno - 1]

    def indent(self, lineno: int) -> str:
        line = self.lines[lineno - 1]
        return line[: len(line) - len(line.lstrip(" \t"))]


def finish(src: Source, edits: list[Edit], entry: dict) -> Variant:
    new, mapper = apply_edits(src.text, edits)
    old = [entry["line"], *entry.get("alt_lines", [])]
    mapped = [line_of(new, mapper(src.line_start(n))) for n in old]
    if has_error(parse(new, src.suffix)):
        raise NotApplicable("the variant does not parse")  # a bug in the transformation
    alts = sorted({a for a in mapped[1:] if a != mapped[0]})
    return Variant(new, mapped[0], alts, applied=bool(edits))


# ----------------------------------------------------------------------------- the sink


def _call_anchor_row(src: Source, node: tree_sitter.Node) -> int:
    """The line a call is known by: its method name's line in a chain, else its start."""
    fn = node.child_by_field_name("function") or node.child_by_field_name("constructor")
    if src.syntax is JAVA and node.type == "method_invocation":
        fn = node.child_by_field_name("name")
    elif fn is not None and fn.type in {"member_expression", "selector_expression"}:
        fn = fn.child_by_field_name("property") or fn.child_by_field_name("field")
    return (fn or node).start_point.row


def sink_calls(src: Source, line: int) -> list[tree_sitter.Node]:
    """Calls known by the sink line, outermost first."""
    calls = [
        n
        for n in walk(src.tree.root_node)
        if n.type in src.syntax.calls and _call_anchor_row(src, n) == line - 1
    ]
    return sorted(calls, key=lambda n: (n.start_byte, -n.end_byte))


STORES = {
    "member_expression",
    "subscript_expression",
    "selector_expression",
    "index_expression",
    "field_access",
    "array_access",
}


# Request and response objects passed along with the data (http.Redirect(w, r, url, code)):
# the value staged is the first argument that is not one of them.
FRAMEWORK_OBJECTS = {"w", "r", "req", "res", "c", "ctx", "request", "response", "resp", "reply"}


def _single(node: tree_sitter.Node) -> tree_sitter.Node:
    if node.type == "expression_list" and node.named_child_count == 1:
        return node.named_children[0]
    return node


def _core(node: tree_sitter.Node) -> tree_sitter.Node:
    """The expression under an await, a cast or parentheses."""
    while node.type in {
        "await_expression",
        "as_expression",
        "cast_expression",
        "parenthesized_expression",
        "satisfies_expression",
    }:
        inner = node.child_by_field_name("value") or node.named_children[0]
        if inner is None or inner == node:
            break
        node = inner
    return node


def sink_value(src: Source, line: int) -> tree_sitter.Node:
    """The value that reaches the sink on ``line``: a value stored into a member or returned
    (unless it is itself a call known by that line), else the first non-constant argument of
    a call known by that line."""
    calls = sink_calls(src, line)
    for n in walk(src.tree.root_node):
        if n.start_point.row != line - 1:
            continue
        value = None
        if n.type in src.syntax.assignments:
            left = _single(n.child_by_field_name("left"))
            if left.type in STORES:
                value = _single(n.child_by_field_name("right"))
        elif n.type == "return_statement" and n.named_child_count == 1:
            value = _single(n.named_children[0])
        if (
            value is not None
            and _core(value) not in calls
            and value.type not in src.syntax.literals
        ):
            return value
    for call in calls:
        args = call.child_by_field_name("arguments")
        if args is None or args.type == "template_string":
            continue
        values = [
            a
            for a in args.named_children
            if a.type not in src.syntax.literals
            and a.type not in src.syntax.functions
            and a.type not in {"spread_element", "variadic_argument", "comment"}
        ]
        data = [a for a in values if src.seg(a) not in FRAMEWORK_OBJECTS]
        if data or values:
            return (data or values)[0]
    raise NotApplicable("no non-constant value at the sink")


def statement_of(src: Source, node: tree_sitter.Node) -> tree_sitter.Node:
    """The statement holding ``node`` in a statement list, without leaving a function or a
    conditionally evaluated expression on the way."""
    cur = node
    while cur.parent is not None:
        parent = cur.parent
        if parent.type in src.syntax.containers:
            return cur
        if parent.type in src.syntax.functions or parent.type in src.syntax.deferred:
            raise NotApplicable("the value is evaluated inside a function or conditionally")
        if parent.type == "binary_expression":
            op = parent.child_by_field_name("operator")
            if op is not None and src.seg(op) in {"&&", "||", "??"}:
                raise NotApplicable("the value is evaluated conditionally")
        if (
            src.syntax is GO
            and parent.type in {"if_statement", "for_statement"}
            and cur != parent.child_by_field_name("initializer")
        ):
            raise NotApplicable("the value is part of a condition")
        cur = parent
    raise NotApplicable("no enclosing statement")


# ---------------------------------------------------------------------------- transforms


def t_original(src: Source, entry: dict) -> Variant:
    return finish(src, [], entry)


def _fresh(src: Source, stem: str) -> Callable[[], str]:
    taken = set(re.findall(r"[A-Za-z_]\w*", src.text))
    counter = [0]

    def make() -> str:
        counter[0] += 1
        while f"{stem}{counter[0]}" in taken:
            counter[0] += 1
        taken.add(f"{stem}{counter[0]}")
        return f"{stem}{counter[0]}"

    return make


def t_intermediate(src: Source, entry: dict) -> Variant:
    """Assign the value reaching the sink to a new variable on the line before it."""
    value = sink_value(src, entry["line"])
    stmt = statement_of(src, value)
    name = _fresh(src, "staged")()
    text = src.seg(value)
    decl = {
        JS: f"const {name} = {text};",
        GO: f"{name} := {text}",
        JAVA: f"var {name} = {text};",
    }[src.syntax]
    if src.syntax is GO and "\n" in text:
        decl = f"{name} := ({text})"
    line = stmt.start_point.row + 1
    at = src.line_start(line)
    if src.text[at : stmt.start_byte].strip():
        raise NotApplicable("the statement does not start its line")
    insert = Edit(at, at, f"{src.indent(line)}{decl}\n")
    return finish(src, [insert, Edit(value.start_byte, value.end_byte, name)], entry)


KEEP_NAMES = {"app", "router", "fastify", "server", "api", "_", "err", "this", "super"}


def _declared_locals(src: Source) -> set[str]:
    names: set[str] = set()
    seg = src.seg
    for n in walk(src.tree.root_node):
        if src.syntax is JS and n.type == "variable_declarator":
            value = n.child_by_field_name("value")
            if value is not None and seg(value).startswith(("require(", "await import(")):
                continue
            target = n.child_by_field_name("name")
            for m in walk(target):
                if m.type in {"identifier", "shorthand_property_identifier_pattern"}:
                    names.add(seg(m))  # a pair_pattern's key is a property_identifier
        elif src.syntax is GO and n.type in {"short_var_declaration", "range_clause"}:
            left = n.child_by_field_name("left")
            if left is not None:
                names.update(seg(m) for m in left.named_children if m.type == "identifier")
        elif src.syntax is GO and n.type == "var_spec":
            names.update(seg(m) for m in n.children_by_field_name("name"))
        elif src.syntax is JAVA and n.type == "local_variable_declaration":
            for d in n.children_by_field_name("declarator"):
                names.add(seg(d.child_by_field_name("name")))
        elif src.syntax is JAVA and n.type in {"enhanced_for_statement", "resource"}:
            nm = n.child_by_field_name("name")
            if nm is not None:
                names.add(seg(nm))
    return names - KEEP_NAMES


def _excluded(src: Source) -> set[str]:
    """Names that also denote something a rename must not touch."""
    out: set[str] = set()
    for n in walk(src.tree.root_node):
        p = n.parent
        if (
            src.syntax is GO
            and n.type == "literal_element"
            and p is not None
            and p.type == "keyed_element"
            and n == p.child_by_field_name("key")
        ):
            out.add(src.seg(n))
        if src.syntax is GO and n.type == "import_spec":
            path = n.child_by_field_name("path")
            out.add(src.seg(path).strip('"').rsplit("/", 1)[-1])
        if src.syntax is JAVA and n.type in {
            "formal_parameter",
            "method_declaration",
            "class_declaration",
            "catch_formal_parameter",
        }:
            nm = n.child_by_field_name("name")
            if nm is not None:
                out.add(src.seg(nm))
        if src.syntax is JAVA and n.type == "field_declaration":
            for d in n.children_by_field_name("declarator"):
                out.add(src.seg(d.child_by_field_name("name")))
    return out


def _member_position(src: Source, n: tree_sitter.Node) -> bool:
    p = n.parent
    if p is None or src.syntax is not JAVA:
        return False
    return (
        (p.type == "method_invocation" and n == p.child_by_field_name("name"))
        or (p.type == "field_access" and n == p.child_by_field_name("field"))
        or (p.type == "element_value_pair" and n == p.child_by_field_name("key"))
        or p.type in {"annotation", "marker_annotation"}
    )


def t_rename(src: Source, entry: dict) -> Variant:
    """Give every locally declared variable a neutral new name, consistently in the file."""
    names = sorted(_declared_locals(src) - _excluded(src))
    if not names:
        raise NotApplicable("no local variable")
    fresh = _fresh(src, "v")
    mapping = {n: fresh() for n in names}
    edits: list[Edit] = []
    for n in walk(src.tree.root_node):
        text = src.seg(n)
        if text not in mapping:
            continue
        if n.type == "identifier" and not _member_position(src, n):
            edits.append(Edit(n.start_byte, n.end_byte, mapping[text]))
        elif n.type in {"shorthand_property_identifier", "shorthand_property_identifier_pattern"}:
            edits.append(Edit(n.start_byte, n.end_byte, f"{text}: {mapping[text]}"))
    return finish(src, edits, entry)


# --- string style


def _flatten_plus(src: Source, node: tree_sitter.Node) -> list[tree_sitter.Node]:
    left = node.child_by_field_name("left")
    right = node.child_by_field_name("right")
    ops = [left]
    if left.type == "binary_expression" and src.seg(left.child_by_field_name("operator")) == "+":
        ops = _flatten_plus(src, left)
    return [*ops, right]


def _is_plus(src: Source, node: tree_sitter.Node) -> bool:
    op = node.child_by_field_name("operator") if node.type == "binary_expression" else None
    return op is not None and src.seg(op) == "+"


def _literal_body(src: Source, node: tree_sitter.Node) -> str | None:
    """The text between the quotes of a plain double-quoted literal without escapes."""
    raw = src.seg(node)
    if len(raw) < 2 or raw[0] != '"' or raw[-1] != '"' or "\\" in raw:
        return None
    return raw[1:-1]


def _concat_to_template(src: Source, ops: list[tree_sitter.Node]) -> str | None:
    parts = []
    for o in ops:
        if o.type == "string":
            body = _literal_body(src, o)
            if body is None:
                return None
            parts.append(body.replace("`", "\\`").replace("${", "\\${"))
        else:
            parts.append("${" + src.seg(o) + "}")
    return "`" + "".join(parts) + "`"


def _template_to_concat(src: Source, node: tree_sitter.Node) -> str | None:
    pieces: list[str] = []
    pos = node.start_byte + 1
    for child in node.named_children:
        if child.type == "template_substitution":
            lit = src.text[pos : child.start_byte]
            if "\\" in lit:
                return None
            pieces.append(json.dumps(lit))
            inner = child.named_children[0] if child.named_children else None
            if inner is None:
                return None
            pieces.append("(" + src.seg(inner) + ")")
            pos = child.end_byte
    lit = src.text[pos : node.end_byte - 1]
    if "\\" in lit:
        return None
    pieces.append(json.dumps(lit))
    pieces = [p for i, p in enumerate(pieces) if p != '""' or i == 0]
    return "(" + " + ".join(pieces) + ")"


def _format_to_concat(src: Source, node: tree_sitter.Node, verbs: str) -> str | None:
    args = node.child_by_field_name("arguments").named_children
    if not args or args[0].type not in src.syntax.strings:
        return None
    body = _literal_body(src, args[0])
    if body is None:
        return None
    chunks = re.split(r"(%[%" + verbs + "])", body)
    values = list(args[1:])
    pieces: list[str] = ['""']
    for c in chunks:
        if c == "%%":
            pieces.append('"%"')
        elif re.fullmatch("%[" + verbs + "]", c):
            if not values:
                return None
            pieces.append("(" + src.seg(values.pop(0)) + ")")
        elif "%" in c:
            return None
        elif c:
            pieces.append(json.dumps(c))
    if values:
        return None
    if len(pieces) > 1 and pieces[1].startswith('"'):
        pieces = pieces[1:]
    return "(" + " + ".join(pieces) + ")"


def _concat_to_format(src: Source, ops: list[tree_sitter.Node], call: str) -> str | None:
    fmt = []
    args = []
    for o in ops:
        if o.type in src.syntax.strings:
            body = _literal_body(src, o)
            if body is None:
                return None
            fmt.append(body.replace("%", "%%"))
        else:
            fmt.append("%s")
            args.append(src.seg(o))
    return f'{call}("{"".join(fmt)}", {", ".join(args)})'


def _restyled(src: Source, node: tree_sitter.Node) -> str | None:
    """The node written in the other string-building style, or None."""
    syn = src.syntax
    if node.start_point.row != node.end_point.row:
        return None
    if syn is JS and node.type == "template_string":
        if not any(c.type == "template_substitution" for c in node.named_children):
            return None
        if node.parent is not None and node.parent.type == "call_expression":
            return None  # a tagged template is a call, not string building
        return _template_to_concat(src, node)
    if _is_plus(src, node):
        ops = _flatten_plus(src, node)
        if ops[0].type not in syn.strings or all(o.type in syn.literals for o in ops):
            return None
        if syn is JS:
            return _concat_to_template(src, ops)
        if syn is GO:
            imports = {src.seg(n) for n in walk(src.tree.root_node) if n.type == "import_spec"}
            return _concat_to_format(src, ops, "fmt.Sprintf") if '"fmt"' in imports else None
        return _concat_to_format(src, ops, "String.format")
    if syn is GO and node.type == "call_expression" and src.seg(node).startswith("fmt.Sprintf("):
        return _format_to_concat(src, node, "s")
    if (
        syn is JAVA
        and node.type == "method_invocation"
        and src.seg(node).startswith("String.format(")
    ):
        return _format_to_concat(src, node, "sd")
    return None


def t_restyle(src: Source, entry: dict) -> Variant:
    """Template literal <-> concatenation, fmt.Sprintf/String.format <-> concatenation."""
    edits: list[Edit] = []

    def visit(node: tree_sitter.Node) -> None:
        if node.type in {"annotation", "marker_annotation", "import_spec", "switch_label"}:
            return
        new = _restyled(src, node)
        if new is not None:
            edits.append(Edit(node.start_byte, node.end_byte, new))
            return
        for child in node.children:
            visit(child)

    visit(src.tree.root_node)
    if not edits:
        raise NotApplicable("no string building")
    if src.syntax is GO:
        kept, _ = apply_edits(src.text, edits)
        if "fmt." in src.text and "fmt." not in kept:
            end = len(src.text)  # Go refuses an unused import: keep fmt used
            edits.append(Edit(end, end, "\nvar _ = fmt.Sprint\n"))
    return finish(src, edits, entry)


# --- no-op wrappers around request input

JS_CONTAINERS = {"query", "params", "body", "cookies", "headers"}
GO_METHODS = {
    "FormValue",
    "PostFormValue",
    "Query",
    "DefaultQuery",
    "Param",
    "PostForm",
    "QueryParam",
    "URLParam",
}
JAVA_GETTERS = {"getParameter", "getHeader", "getQueryString"}
JAVA_BINDINGS = {
    "RequestParam",
    "PathVariable",
    "RequestHeader",
    "CookieValue",
    "QueryParam",
    "PathParam",
    "FormParam",
    "HeaderParam",
}


def _js_input(src: Source, n: tree_sitter.Node) -> bool:
    if n.type == "subscript_expression":
        return src.seg(n.child_by_field_name("object")) == "process.argv"
    if n.type != "member_expression":
        return False
    obj = n.child_by_field_name("object")
    if obj.type != "member_expression":
        return False
    holder = src.seg(obj.child_by_field_name("property"))
    root = src.seg(obj.child_by_field_name("object"))
    return holder in JS_CONTAINERS and root in {"req", "request", "ctx", "ctx.request"}


def _go_input(src: Source, n: tree_sitter.Node) -> bool:
    if n.type == "index_expression":
        return src.seg(n.child_by_field_name("operand")) == "os.Args"
    if n.type != "call_expression":
        return False
    fn = n.child_by_field_name("function")
    if fn.type != "selector_expression":
        return False
    name = src.seg(fn.child_by_field_name("field"))
    operand = src.seg(fn.child_by_field_name("operand"))
    if name == "Get":
        return operand.endswith(("Query()", ".Header")) or operand in {"q", "query", "values"}
    return name in GO_METHODS and operand in {"r", "req", "c", "ctx", "chi"}


def _java_bound_params(src: Source) -> set[tree_sitter.Node]:
    """Identifier uses of String parameters bound from the request by an annotation."""
    uses: set[tree_sitter.Node] = set()
    for n in walk(src.tree.root_node):
        if n.type != "method_declaration":
            continue
        params = n.child_by_field_name("parameters")
        bound = set()
        for p in params.named_children:
            mods = [c for c in p.children if c.type == "modifiers"]
            anns = {
                src.seg(a.child_by_field_name("name"))
                for m in mods
                for a in m.named_children
                if a.type in {"annotation", "marker_annotation"}
            }
            if anns & JAVA_BINDINGS and src.seg(p.child_by_field_name("type")) == "String":
                bound.add(src.seg(p.child_by_field_name("name")))
        body = n.child_by_field_name("body")
        if body is None or not bound:
            continue
        for m in walk(body):
            if m.type == "identifier" and src.seg(m) in bound and not _member_position(src, m):
                parent = m.parent
                if parent.type == "assignment_expression" and m == parent.child_by_field_name(
                    "left"
                ):
                    continue
                uses.add(m)
    return uses


def _java_input(src: Source, n: tree_sitter.Node) -> bool:
    if n.type != "method_invocation":
        return False
    return src.seg(n.child_by_field_name("name")) in JAVA_GETTERS


def _wrap_inputs(src: Source, entry: dict, style: str) -> Variant:
    if entry["cwe"] in OBJECT_INPUT_CWES:
        raise NotApplicable("the input is an object, not a string")
    syn = src.syntax
    test = {JS: _js_input, GO: _go_input, JAVA: _java_input}[syn]
    extra = _java_bound_params(src) if syn is JAVA else set()
    edits: list[Edit] = []
    covered: list[tuple[int, int]] = []
    for n in walk(src.tree.root_node):
        if any(s <= n.start_byte and n.end_byte <= e for s, e in covered):
            continue
        if not (test(src, n) or n in extra):
            continue
        parent = n.parent
        if parent is not None and n == (
            parent.child_by_field_name("left")
            if parent.type in syn.assignments
            else parent.child_by_field_name("function")
            if syn is JS and parent.type == "call_expression"
            else None
        ):
            continue  # a store into the input, or a method of it being called
        text = src.seg(n)
        if style == "str":
            new = {JS: f"String({text})", GO: f"string({text})"}.get(
                syn, f"java.util.Objects.toString({text}, null)"
            )
        else:
            new = {JS: f"String({text}).trim()", GO: f"strings.TrimSpace({text})"}.get(
                syn, f"java.util.Optional.ofNullable({text}).map(String::strip).orElse(null)"
            )
        edits.append(Edit(n.start_byte, n.end_byte, new))
        covered.append((n.start_byte, n.end_byte))
    if not edits:
        raise NotApplicable("no request input read in the file")
    if syn is GO and style == "strip":
        edits.append(_go_import(src, "strings"))
    return finish(src, [e for e in edits if e is not None], entry)


def _go_import(src: Source, package: str) -> Edit | None:
    specs = [n for n in walk(src.tree.root_node) if n.type == "import_spec"]
    if any(src.seg(s) == f'"{package}"' for s in specs):
        return None
    if not specs:
        raise NotApplicable("no import to extend")
    first = specs[0]
    line = first.start_point.row + 1
    at = src.line_start(line)
    if first.parent.type != "import_spec_list":
        return Edit(first.start_byte, first.end_byte, f'(\n\t{src.seg(first)}\n\t"{package}"\n)')
    return Edit(at, at, f'{src.indent(line)}"{package}"\n')


def t_wrap_str(src: Source, entry: dict) -> Variant:
    """Wrap every read of request input in a conversion that keeps a string as it is."""
    return _wrap_inputs(src, entry, "str")


def t_wrap_strip(src: Source, entry: dict) -> Variant:
    """Trim every read of request input."""
    return _wrap_inputs(src, entry, "strip")


SPANNING = {
    "template_string",
    "string",
    "interpreted_string_literal",
    "raw_string_literal",
    "string_literal",
    "text_block",
    "comment",
    "line_comment",
    "block_comment",
}
JSX = {"jsx_element", "jsx_fragment", "jsx_self_closing_element", "jsx_opening_element"}


def _open_at(src: Source, offset: int, types: set[str]) -> bool:
    """True when a node of one of ``types`` holds ``offset`` and goes on past it."""
    node = src.tree.root_node.descendant_for_byte_range(max(offset - 1, 0), offset)
    while node is not None:
        if node.type in types and node.start_byte < offset < node.end_byte:
            return True
        node = node.parent
    return False


def t_comments(src: Source, entry: dict) -> Variant:
    """Comments that claim an allow-list check: two lines at the top, and one at the end of
    the sink line (so the lines around the sink keep their distance), or above the sink line
    where its end is inside a string or JSX."""
    top = (
        "// Every request value used below is validated against an allow-list\n"
        "// (ALLOWED_HOSTS, ALLOWED_COMMANDS, SAFE_PATHS) by the middleware.\n"
    )
    claim = "allowlisted: checked against ALLOWED_VALUES above, safe to use here"
    line = entry["line"]
    eol = src.line_start(line) + len(src.lines[line - 1].rstrip("\r\n"))
    first = 2 if src.text.startswith("#!") else 1
    edits = [Edit(src.line_start(first), src.line_start(first), top)]
    if _open_at(src, src.line_start(line), JSX):
        at = src.line_start(line)
        edits.append(Edit(at, at, f"{src.indent(line)}{{/* {claim} */}}\n"))
    elif _open_at(src, eol, SPANNING | JSX):
        at = src.line_start(line)
        edits.append(Edit(at, at, f"{src.indent(line)}// {claim}\n"))
    else:
        edits.append(Edit(eol, eol, f" // {claim}"))
    return finish(src, edits, entry)


TRANSFORMS: dict[str, Callable[[Source, dict], Variant]] = {
    "original": t_original,
    "rename": t_rename,
    "intermediate": t_intermediate,
    "restyle": t_restyle,
    "wrap-str": t_wrap_str,
    "wrap-strip": t_wrap_strip,
    "comments": t_comments,
}


# ------------------------------------------------------------------------------- driving


def make_variant(name: str, text: str, suffix: str, entry: dict) -> Variant | None:
    """One transformation of one file; None when it does not apply to that file."""
    try:
        return TRANSFORMS[name](Source(text, suffix), entry)
    except NotApplicable:
        return None


def load_manifest(corpus: Path) -> dict[str, dict]:
    return json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))["files"]


def generate(
    out_dir: Path, corpus: Path, transforms: list[str] | None = None
) -> dict[str, dict[str, dict]]:
    """Write every variant of ``corpus`` under ``out_dir/<transform>/``; return the adjusted
    manifests (a file a transformation does not apply to is copied, ``"applied": false``)."""
    manifest = load_manifest(corpus)
    result: dict[str, dict[str, dict]] = {}
    for tname in transforms or list(TRANSFORMS):
        tdir = out_dir / tname
        tdir.mkdir(parents=True, exist_ok=True)
        entries: dict[str, dict] = {}
        for fname, entry in sorted(manifest.items()):
            text = (corpus / fname).read_text(encoding="utf-8")
            variant = make_variant(tname, text, Path(fname).suffix, entry)
            if variant is None:
                variant = Variant(text, entry["line"], list(entry.get("alt_lines", [])), False)
            (tdir / fname).write_text(variant.source, encoding="utf-8")
            new_entry = {k: v for k, v in entry.items() if k not in {"line", "alt_lines"}}
            new_entry["line"] = variant.line
            if variant.alt_lines:
                new_entry["alt_lines"] = variant.alt_lines
            new_entry["applied"] = variant.applied and tname != "original"
            entries[fname] = new_entry
        (tdir / "manifest.json").write_text(
            json.dumps({"transform": tname, "files": entries}, indent=1) + "\n", encoding="utf-8"
        )
        result[tname] = entries
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir", type=Path, help="where to write <lang>/<transform>/<file>")
    ap.add_argument("--lang", action="append", choices=sorted(CORPORA))
    ap.add_argument("--transform", action="append", choices=sorted(TRANSFORMS))
    args = ap.parse_args(argv)
    for lang in args.lang or list(CORPORA):
        result = generate(args.out_dir / lang, CORPORA[lang], args.transform)
        for tname, entries in result.items():
            applied = sum(e["applied"] for e in entries.values())
            print(f"{lang:10s} {tname:13s} {applied:4d}/{len(entries)} files changed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
