"""Metamorphic tests for the Go taint rules: rewrites that keep a program's meaning
keep its verdict.

Every ``bad`` example of a Go taint rule must still be found, and every ``good`` one
stay quiet, after each rewrite below. The rewrites edit the examples' text at
positions taken from the tree-sitter tree, so they cover every rule and every new
example:

- rename: every local variable, parameter, receiver and function gets a meaningless
  name, the handler's ``w``, ``r`` and ``c`` included (sources are known by their
  declared types, not by these names);
- intermediate: one more variable between the sink's argument and its use;
- helper: the sink call moves into a function of the same file that returns its
  results, called with the local values it used (each parameter keeps its declared
  type);
- string style: ``+`` concatenation with a literal becomes ``fmt.Sprintf`` and
  ``fmt.Sprintf`` with ``%s``/``%v`` verbs becomes ``+``;
- no-op wrap: the source read gets ``strings.TrimSpace(...)``, then ``fmt.Sprint(...)``;
- comments: every line gets a comment mentioning an allow-list.

A rewrite that does not apply to an example is counted as not applicable.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from tree_sitter import Node

from genguard.rules import Rule
from genguard.rules.model import Match
from genguard.syntax.languages import new_parser
from genguard.taint.spec import NameSet
from metamorphic_rules import (
    Verdicts,
    concat_leaves,
    in_concat,
    indent_of,
    is_concat,
    slash_comments,
)
from metamorphic_rules import apply_edits as _edit
from metamorphic_rules import node_text as _text
from metamorphic_rules import walk as _walk

STRING = "interpreted_string_literal"  # the literal a string-building + chain holds
FUNCTIONS = ("function_declaration", "method_declaration", "func_literal")


def parse(code: str) -> Node:
    return new_parser("go").parse(code.encode()).root_node


def _packages(root: Node, data: bytes) -> set[str]:
    out = set()
    for node in _walk(root):
        if node.type == "import_spec":
            name = node.child_by_field_name("name")
            path = _text(data, node.child_by_field_name("path")).strip('"')
            out.add(_text(data, name) if name is not None else path.rstrip("/").split("/")[-1])
    return out | {"fmt", "strings", "http", "template"}


def _declared(root: Node, data: bytes, *, inside_only: bool) -> dict[str, str]:
    """Names declared by the program -> their declared type text ("any" if none)."""
    out: dict[str, str] = {}
    for node in _walk(root):
        if inside_only and not _within_function(node):
            continue
        if node.type in ("parameter_declaration", "var_spec"):
            kind = node.child_by_field_name("type")
            for ident in node.children_by_field_name("name"):
                out.setdefault(_text(data, ident), _text(data, kind) if kind else "any")
        elif node.type in ("short_var_declaration", "range_clause"):
            left = node.child_by_field_name("left")
            for ident in left.named_children if left is not None else ():
                if ident.type == "identifier":
                    out.setdefault(_text(data, ident), "any")
        elif node.type in ("function_declaration", "method_declaration") and not inside_only:
            name = node.child_by_field_name("name")
            if name is not None:
                out.setdefault(_text(data, name), "")
    out.pop("_", None)
    return out


def _within_function(node: Node) -> bool:
    cur = node.parent
    while cur is not None:
        if cur.type in FUNCTIONS:
            return True
        cur = cur.parent
    return False


def _statement(node: Node) -> Node:
    while node.parent is not None and node.parent.type not in ("statement_list", "block"):
        node = node.parent
    return node


# -- rewrites ---------------------------------------------------------------------------


def rename(code: str, rule: Rule, found: list[Match]) -> str | None:
    data = code.encode()
    root = parse(code)
    local = set(_declared(root, data, inside_only=False)) - {"main"} - _packages(root, data)
    if not local:
        return None
    names = {n: f"v{i}" for i, n in enumerate(sorted(local))}
    edits = []
    for node in _walk(root):
        if node.type in ("identifier", "field_identifier") and _text(data, node) in names:
            if node.type == "field_identifier" and not (
                node.parent is not None and node.parent.type == "method_declaration"
            ):
                continue  # a field or method of another type: not ours to rename
            if node.parent is not None and node.parent.type == "literal_element":
                continue  # a struct literal's field name
            edits.append((node.start_byte, node.end_byte, names[_text(data, node)]))
    return _edit(code, edits)


def _sinks(code: str, rule: Rule, found: list[Match]) -> list[Node]:
    root = parse(code)
    data = code.encode()
    spans = {(m.start, m.end) for m in found}
    spec = rule.taint
    assert spec is not None
    lasts = {n.segments[-1] for s in spec.sinks for n in s.names}
    out = []
    for node in _walk(root):
        if node.type != "call_expression":
            continue
        if spans:
            if (node.start_byte, node.end_byte) in spans:
                out.append(node)
            continue
        fn = node.child_by_field_name("function")
        last = _text(data, fn).rsplit(".", 1)[-1] if fn is not None else ""
        if last in lasts and fn is not None and fn.type == "selector_expression":
            out.append(node)
    return out


def _value_argument(data: bytes, call: Node) -> Node | None:
    """The argument data flows into: the last one that is not a literal or a constant."""
    args = call.child_by_field_name("arguments")
    for arg in reversed(args.named_children if args is not None else []):
        text = _text(data, arg)
        if arg.type.endswith("literal") and arg.type != "func_literal":
            continue
        if re.fullmatch(r"[a-z]\w*\.[A-Z]\w*|nil|ctx|w|r", text) or arg.type == "func_literal":
            continue
        return arg
    return None


def intermediate(code: str, rule: Rule, found: list[Match]) -> str | None:
    data = code.encode()
    for sink in _sinks(code, rule, found):
        value = _value_argument(data, sink)
        stmt = _statement(sink)
        if value is None or stmt.parent is None or stmt.type in ("if_statement",):
            continue
        indent = indent_of(data, stmt)
        return _edit(
            code,
            [
                (stmt.start_byte, stmt.start_byte, f"midValue := {_text(data, value)}\n{indent}"),
                (value.start_byte, value.end_byte, "midValue"),
            ],
        )
    return None


def helper(code: str, rule: Rule, found: list[Match]) -> str | None:
    data = code.encode()
    root = parse(code)
    declared = _declared(root, data, inside_only=True)
    sinks = _sinks(code, rule, found)
    if not sinks:
        return None
    edits, helpers = [], []
    for i, sink in enumerate(sinks):
        used: list[str] = []
        for node in _walk(sink):
            if node.type == "func_literal":
                return None
            if node.type == "identifier" and _text(data, node) in declared:
                name = _text(data, node)
                if name not in used and not (
                    node.parent is not None and node.parent.type == "literal_element"
                ):
                    used.append(name)
        params = ", ".join(f"{n} {declared[n]}" for n in used)
        body = _text(data, sink)
        results = "any"
        parent = sink.parent
        if parent is not None and parent.type == "expression_list" and parent.parent is not None:
            left = parent.parent.child_by_field_name("left")
            if left is not None and left is not parent and len(left.named_children) > 1:
                results = "(" + ", ".join("any" for _ in left.named_children) + ")"
        helpers.append(f"\nfunc sinkHelper{i}({params}) {results} {{\n\treturn {body}\n}}\n")
        edits.append((sink.start_byte, sink.end_byte, f"sinkHelper{i}({', '.join(used)})"))
    return _edit(code, edits) + "".join(helpers)


def string_style(code: str, rule: Rule, found: list[Match]) -> str | None:
    data = code.encode()
    root = parse(code)
    edits = []
    for node in _walk(root):
        if (
            node.type == "binary_expression"
            and is_concat(data, node, STRING)
            and not in_concat(data, node, STRING)
        ):
            leaves = concat_leaves(data, node)
            fmt_parts, args = [], []
            for leaf in leaves:
                if leaf.type == "interpreted_string_literal":
                    fmt_parts.append(_text(data, leaf)[1:-1].replace("%", "%%"))
                else:
                    fmt_parts.append("%s")
                    args.append(_text(data, leaf))
            edits.append(
                (
                    node.start_byte,
                    node.end_byte,
                    f'fmt.Sprintf("{"".join(fmt_parts)}", {", ".join(args)})',
                )
            )
        elif (
            node.type == "call_expression"
            and _text(data, node.child_by_field_name("function")) == "fmt.Sprintf"
        ):
            args = node.child_by_field_name("arguments").named_children
            if not args or args[0].type != "interpreted_string_literal":
                continue
            fmt_text = _text(data, args[0])[1:-1]
            pieces = re.split(r"(%[sv])", fmt_text)
            if len([p for p in pieces if p in ("%s", "%v")]) != len(args) - 1 or re.search(
                r"%[^sv%]", fmt_text
            ):
                continue
            values = iter(_text(data, a) for a in args[1:])
            out = []
            for piece in pieces:
                if piece in ("%s", "%v"):
                    out.append(f"fmt.Sprint({next(values)})")
                elif piece:
                    out.append('"' + piece.replace("%%", "%") + '"')
            edits.append((node.start_byte, node.end_byte, "(" + " + ".join(out) + ")"))
    return _edit(code, edits) if edits else None


def _wrap(code: str, rule: Rule, found: list[Match], how: Callable[[str], str]) -> str | None:
    """Wrap every whole expression that reads a source (``r.URL.Query().Get("q")`` for
    the source ``*.Request.URL.Query``), where it is used as a value."""
    data = code.encode()
    root = parse(code)
    spec = rule.taint
    assert spec is not None
    lasts = NameSet([(n, True) for src in spec.sources for n in src.names])
    edits: list[tuple[int, int, str]] = []
    for node in _walk(root):
        if node.type not in ("call_expression", "selector_expression", "index_expression"):
            continue
        parent = node.parent
        if (
            parent is not None
            and parent.type in ("selector_expression", "call_expression", "index_expression")
            and (
                parent.child_by_field_name("operand") == node
                or parent.child_by_field_name("function") == node
            )
        ):
            continue  # not the outermost read
        if parent is None or parent.type not in (
            "argument_list",
            "expression_list",
            "binary_expression",
        ):
            continue
        if (
            parent.type == "expression_list"
            and parent.parent is not None
            and parent.parent.child_by_field_name("left") == parent
        ):
            continue
        inner: Node | None = node
        hit = False
        while inner is not None:
            if inner.type == "selector_expression":
                tail = ".".join(_text(data, inner).replace("()", "").split(".")[1:])
                if lasts.lookup(
                    f"x.Request.{tail}",
                    f"gin.Context.{tail}",
                    f"echo.Context.{tail}",
                    tail.replace("()", ""),
                ):
                    hit = True
                    break
            inner = inner.child_by_field_name("operand") or inner.child_by_field_name("function")
        if hit and "Bind" not in _text(data, node):
            edits.append((node.start_byte, node.end_byte, how(_text(data, node))))
    return _edit(code, edits) if edits else None


def wrap_trim(code: str, rule: Rule, found: list[Match]) -> str | None:
    return _wrap(code, rule, found, lambda e: f"strings.TrimSpace({e})")


def wrap_sprint(code: str, rule: Rule, found: list[Match]) -> str | None:
    return _wrap(code, rule, found, lambda e: f"fmt.Sprint({e})")


def comments(code: str, rule: Rule, found: list[Match]) -> str | None:
    return slash_comments(code, (")", "]", "}", "."))


REWRITES: dict[str, Callable[[str, Rule, list[Match]], str | None]] = {
    "rename locals": rename,
    "intermediate variable": intermediate,
    "sink in a helper": helper,
    "string style switched": string_style,
    "input wrapped in TrimSpace": wrap_trim,
    "input wrapped in fmt.Sprint": wrap_sprint,
    "allow-list comments": comments,
}


VERDICTS = Verdicts("rewrite (Go)", REWRITES, ("go",))


@pytest.mark.parametrize(("rewrite", "rule_id", "kind", "index", "language"), VERDICTS.cases())
def test_rewrite_keeps_the_verdict(
    rewrite: str, rule_id: str, kind: str, index: int, language: str
) -> None:
    VERDICTS.check(rewrite, rule_id, kind, index, language)


def test_metamorphic_table(record_property: pytest.RecordProperty) -> None:
    VERDICTS.table(record_property, "genguard_metamorphic_table_go")
