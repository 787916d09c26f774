"""Metamorphic tests for the Java taint rules: rewrites that keep a program's meaning
keep its verdict.

Every ``bad`` example of a Java taint rule must still be found, and every ``good`` one
stay quiet, after each rewrite below. The rewrites edit the examples' text at
positions taken from the tree-sitter tree, so they cover every rule and every new
example:

- rename: every local variable and parameter gets a meaningless name, the handler's
  ``req`` and ``resp`` included (sources are known by their declared types and
  annotations, not by these names);
- intermediate: one more variable between the sink's argument and its use;
- helper: the sink call moves into a method of the same class that returns its
  result, called with the local values it used (each parameter keeps its type);
- string style: ``+`` concatenation with a literal becomes ``String.format`` and
  ``String.format`` with ``%s`` verbs becomes ``+``;
- no-op wrap: the source read gets ``java.util.Objects.requireNonNull(...)``, then
  ``java.util.Optional.ofNullable(...).orElseThrow()``;
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

STRING = "string_literal"  # the literal a string-building + chain holds


def parse(code: str) -> Node:
    return new_parser("java").parse(code.encode()).root_node


def _declared(root: Node, data: bytes) -> dict[str, str]:
    """Local variables and parameters -> their declared type text."""
    out: dict[str, str] = {}
    for node in _walk(root):
        if node.type in ("formal_parameter", "resource", "enhanced_for_statement"):
            name = node.child_by_field_name("name")
            kind = node.child_by_field_name("type")
            if name is not None and kind is not None:
                out.setdefault(_text(data, name), _text(data, kind))
        elif node.type == "local_variable_declaration":
            kind = node.child_by_field_name("type")
            for decl in node.children_by_field_name("declarator"):
                name = decl.child_by_field_name("name")
                if name is not None and kind is not None:
                    out.setdefault(_text(data, name), _text(data, kind))
        elif node.type == "lambda_expression":
            params = node.child_by_field_name("parameters")
            if params is not None and params.type == "identifier":
                out.setdefault(_text(data, params), "Object")
    return out


def _statement(node: Node) -> Node:
    while node.parent is not None and node.parent.type not in ("block", "switch_block"):
        node = node.parent
    return node


# -- rewrites ---------------------------------------------------------------------------


def rename(code: str, rule: Rule, found: list[Match]) -> str | None:
    data = code.encode()
    root = parse(code)
    local = set(_declared(root, data)) - {"args"}
    if not local:
        return None
    names = {n: f"v{i}" for i, n in enumerate(sorted(local))}
    edits = []
    for node in _walk(root):
        if node.type != "identifier" or _text(data, node) not in names:
            continue
        parent = node.parent
        if (
            parent is not None
            and parent.type == "method_invocation"
            and (parent.child_by_field_name("name") == node)
        ):
            continue  # a method's name, not the variable's
        if (
            parent is not None
            and parent.type == "field_access"
            and (parent.child_by_field_name("field") == node)
        ):
            continue
        edits.append((node.start_byte, node.end_byte, names[_text(data, node)]))
    return _edit(code, edits)


def _sinks(code: str, rule: Rule, found: list[Match]) -> list[Node]:
    root = parse(code)
    spans = {(m.start, m.end) for m in found}
    data = code.encode()
    spec = rule.taint
    assert spec is not None
    lasts = {n.segments[-1] for s in spec.sinks for n in s.names}
    out = []
    for node in _walk(root):
        if node.type not in ("method_invocation", "object_creation_expression"):
            continue
        if spans:
            if (node.start_byte, node.end_byte) in spans:
                out.append(node)
            continue
        if node.type == "method_invocation":
            name = _text(data, node.child_by_field_name("name"))
        else:
            name = _text(data, node.child_by_field_name("type")).split("<")[0]
        if name in lasts:
            out.append(node)
    return out


def _value_argument(data: bytes, call: Node) -> Node | None:
    args = call.child_by_field_name("arguments")
    for arg in args.named_children if args is not None else []:
        if arg.type.endswith("literal") or arg.type in ("class_literal", "lambda_expression"):
            continue
        if re.fullmatch(r"[A-Z]\w*\.[A-Z_]+|doc|ctx", _text(data, arg)):
            continue
        return arg
    return None


def intermediate(code: str, rule: Rule, found: list[Match]) -> str | None:
    data = code.encode()
    for sink in _sinks(code, rule, found):
        value = _value_argument(data, sink)
        stmt = _statement(sink)
        if value is None or stmt.parent is None or stmt.parent.type != "block":
            continue
        indent = indent_of(data, stmt)
        return _edit(
            code,
            [
                (
                    stmt.start_byte,
                    stmt.start_byte,
                    f"var midValue = {_text(data, value)};\n{indent}",
                ),
                (value.start_byte, value.end_byte, "midValue"),
            ],
        )
    return None


def helper(code: str, rule: Rule, found: list[Match]) -> str | None:
    data = code.encode()
    root = parse(code)
    declared = _declared(root, data)
    sinks = _sinks(code, rule, found)
    classes = [n for n in _walk(root) if n.type == "class_body"]
    if not sinks or not classes:
        return None
    body_end = classes[0].end_byte - 1
    edits, helpers = [], []
    for i, sink in enumerate(sinks):
        used: list[str] = []
        for node in _walk(sink):
            if node.type == "lambda_expression":
                return None
            if node.type == "identifier" and _text(data, node) in declared:
                parent = node.parent
                if (
                    parent is not None
                    and parent.type == "method_invocation"
                    and (parent.child_by_field_name("name") == node)
                ):
                    continue
                if _text(data, node) not in used:
                    used.append(_text(data, node))
        params = ", ".join(f"{declared[n]} {n}" for n in used)
        helpers.append(
            f"\n    private Object sinkHelper{i}({params}) throws Exception {{\n"
            f"        return {_text(data, sink)};\n    }}\n"
        )
        edits.append((sink.start_byte, sink.end_byte, f"sinkHelper{i}({', '.join(used)})"))
    edits.append((body_end, body_end, "".join(helpers)))
    return _edit(code, edits)


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
            fmt_parts, args = [], []
            for leaf in concat_leaves(data, node):
                if leaf.type == "string_literal":
                    fmt_parts.append(_text(data, leaf)[1:-1].replace("%", "%%"))
                else:
                    fmt_parts.append("%s")
                    args.append(_text(data, leaf))
            text = f'String.format("{"".join(fmt_parts)}", {", ".join(args)})'
            edits.append((node.start_byte, node.end_byte, text))
        elif node.type == "method_invocation" and _text(data, node).startswith("String.format("):
            args = node.child_by_field_name("arguments").named_children
            if not args or args[0].type != "string_literal":
                continue
            fmt_text = _text(data, args[0])[1:-1]
            pieces = re.split(r"(%s)", fmt_text)
            if re.search(r"%[^s%]", fmt_text) or pieces.count("%s") != len(args) - 1:
                continue
            values = iter(_text(data, a) for a in args[1:])
            out = []
            for piece in pieces:
                if piece == "%s":
                    out.append(f"String.valueOf({next(values)})")
                elif piece:
                    out.append('"' + piece.replace("%%", "%") + '"')
            edits.append((node.start_byte, node.end_byte, "(" + " + ".join(out) + ")"))
    return _edit(code, edits) if edits else None


def _wrap(code: str, rule: Rule, found: list[Match], how: Callable[[str], str]) -> str | None:
    """Wrap every source read (``req.getParameter("q")``) used as a value, and every use
    of an annotated parameter."""
    data = code.encode()
    root = parse(code)
    spec = rule.taint
    assert spec is not None
    lasts = NameSet([(n, True) for src in spec.sources for n in src.names])
    annotated = {
        _text(data, p.child_by_field_name("name"))
        for p in _walk(root)
        if p.type == "formal_parameter"
        and any(c.type == "modifiers" for c in p.named_children)
        and p.child_by_field_name("name") is not None
    }
    edits: list[tuple[int, int, str]] = []
    for node in _walk(root):
        parent = node.parent
        if parent is None or parent.type not in (
            "argument_list",
            "variable_declarator",
            "binary_expression",
        ):
            continue
        if parent.type == "variable_declarator" and parent.child_by_field_name("name") == node:
            continue
        hit = False
        if node.type == "method_invocation":
            name = _text(data, node.child_by_field_name("name"))
            hit = bool(lasts.lookup(f"x.HttpServletRequest.{name}"))
        elif node.type == "identifier" and _text(data, node) in annotated:
            hit = True
        if hit:
            edits.append((node.start_byte, node.end_byte, how(_text(data, node))))
    return _edit(code, edits) if edits else None


def wrap_nonnull(code: str, rule: Rule, found: list[Match]) -> str | None:
    return _wrap(code, rule, found, lambda e: f"java.util.Objects.requireNonNull({e})")


def wrap_optional(code: str, rule: Rule, found: list[Match]) -> str | None:
    return _wrap(code, rule, found, lambda e: f"java.util.Optional.ofNullable({e}).orElseThrow()")


def comments(code: str, rule: Rule, found: list[Match]) -> str | None:
    return slash_comments(code, (")", "]", "}", "."))


REWRITES: dict[str, Callable[[str, Rule, list[Match]], str | None]] = {
    "rename locals": rename,
    "intermediate variable": intermediate,
    "sink in a helper": helper,
    "string style switched": string_style,
    "input wrapped in requireNonNull": wrap_nonnull,
    "input wrapped in Optional": wrap_optional,
    "allow-list comments": comments,
}


VERDICTS = Verdicts("rewrite (Java)", REWRITES, ("java",))


@pytest.mark.parametrize(("rewrite", "rule_id", "kind", "index", "language"), VERDICTS.cases())
def test_rewrite_keeps_the_verdict(
    rewrite: str, rule_id: str, kind: str, index: int, language: str
) -> None:
    VERDICTS.check(rewrite, rule_id, kind, index, language)


def test_metamorphic_table(record_property: pytest.RecordProperty) -> None:
    VERDICTS.table(record_property, "genguard_metamorphic_table_java")
