"""Metamorphic tests for the JavaScript/TypeScript taint rules: rewrites that keep a
program's meaning keep its verdict.

Every ``bad`` example of a JavaScript taint rule must still be found, and every
``good`` one stay quiet, after each rewrite below, in JavaScript and in
TypeScript. The rewrites edit the examples' text at positions taken from the
tree-sitter tree, so they cover every rule and every new example:

- rename: every local variable, parameter and function gets a meaningless name
  (the framework's ``req``, ``res``, ``ctx``, ``request``, ``reply``, ``event``
  and ``next`` keep theirs, as Python's ``request`` does);
- intermediate: one more variable between the sink's first argument (or an
  assigned value) and its use;
- helper: the sink call (or assignment) moves into a function of the same file,
  called with the values it used;
- string style: template literals become ``+`` concatenation and back;
- no-op wrap: the source read gets an extra ``(...)`` of ``[x][0]``, then
  ``x ?? undefined`` (a string-converting wrap such as ``String(x)`` would change
  what the NoSQL and prototype-pollution rules are about);
- comments: every statement gets a comment mentioning an allow-list.

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

LANGUAGES = ("javascript", "typescript")
KEEP = frozenset(
    {"req", "res", "ctx", "request", "reply", "event", "e", "evt", "msg", "message", "next"}
)
"""Names the models (and the frameworks) know the request and event objects by."""
STRING = "string"  # the literal a string-building + chain holds
FUNCTIONS = ("function_declaration", "arrow_function", "function_expression", "method_definition")


def parse(code: str, language: str = "javascript") -> Node:
    return new_parser(language).parse(code.encode()).root_node


def _statement(node: Node) -> Node:
    """The statement ``node`` is part of (the one a new line can precede)."""
    while node.parent is not None and not node.parent.type.endswith(("block", "program")):
        if node.parent.type in ("arrow_function",) and node.type != "statement_block":
            return node  # an expression body: no statement to precede
        node = node.parent
    return node


# -- rewrites ---------------------------------------------------------------------------


def rename(code: str, rule: Rule, found: list[Match]) -> str | None:
    data = code.encode()
    root = parse(code)
    local: set[str] = set()
    for node in _walk(root):
        if node.type == "variable_declarator" or node.type in FUNCTIONS:
            name = node.child_by_field_name("name")
            if name is not None and name.type == "identifier":
                local.add(_text(data, name))
            if node.type == "variable_declarator" and name is not None:
                for part in _walk(name):
                    if part.type in ("identifier", "shorthand_property_identifier_pattern"):
                        local.add(_text(data, part))
        if node.type == "formal_parameters":
            for part in _walk(node):
                if part.type in ("identifier", "shorthand_property_identifier_pattern"):
                    local.add(_text(data, part))
        if node.type == "arrow_function" and node.child_by_field_name("parameter") is not None:
            local.add(_text(data, node.child_by_field_name("parameter")))
    local -= KEEP
    if not local:
        return None
    names = {n: f"v{i}" for i, n in enumerate(sorted(local))}
    edits = []
    for node in _walk(root):
        text = _text(data, node) if node.child_count == 0 else ""
        if text not in names:
            continue
        new = names[text]
        if node.type == "identifier":
            edits.append((node.start_byte, node.end_byte, new))
        elif node.type.startswith("shorthand_property_identifier"):  # { a } -> { a: v0 }
            edits.append((node.start_byte, node.end_byte, f"{text}: {new}"))
    return _edit(code, edits)


def _sinks(code: str, rule: Rule, found: list[Match]) -> list[Node]:
    """The sink calls or assignments: those the findings point at, or (good examples)
    the calls the rule's sink names match and the assignments its patterns match."""
    root = parse(code)
    data = code.encode()
    spans = {(m.start, m.end) for m in found}
    spec = rule.taint
    assert spec is not None
    names = NameSet([(n, True) for s in spec.sinks for n in s.names])
    assigns = [re.compile(s.assign) for s in spec.sinks if s.assign]
    out = []
    for node in _walk(root):
        if node.type in ("call_expression", "new_expression", "assignment_expression"):
            if spans:
                if (node.start_byte, node.end_byte) in spans or (
                    node.type == "assignment_expression"
                    and any((c.start_byte, c.end_byte) in spans for c in node.named_children[:1])
                ):
                    out.append(node)
                continue
            if node.type == "assignment_expression":
                left = node.child_by_field_name("left")
                prop = left.child_by_field_name("property") if left is not None else None
                if prop is not None and any(a.search(_text(data, prop)) for a in assigns):
                    out.append(node)
                continue
            fn = node.child_by_field_name("function") or node.child_by_field_name("constructor")
            if fn is not None and names.lookup(_text(data, fn).replace("?.", ".")):
                out.append(node)
    return out


def intermediate(code: str, rule: Rule, found: list[Match]) -> str | None:
    data = code.encode()
    for sink in _sinks(code, rule, found):
        if sink.type == "assignment_expression":
            value = sink.child_by_field_name("right")
        else:
            args = sink.child_by_field_name("arguments")
            value = next(
                (
                    a
                    for a in (args.named_children if args is not None else ())
                    if a.type != "comment"
                ),
                None,
            )
        if value is None or value.type in ("arrow_function", "function_expression"):
            continue
        stmt = _statement(sink)
        if stmt.parent is None or stmt.type.endswith("block") or stmt is sink:
            continue
        indent = indent_of(data, stmt)
        return _edit(
            code,
            [
                (
                    stmt.start_byte,
                    stmt.start_byte,
                    f"const midValue = {_text(data, value)};\n{indent}",
                ),
                (value.start_byte, value.end_byte, "midValue"),
            ],
        )
    return None


def helper(code: str, rule: Rule, found: list[Match]) -> str | None:
    data = code.encode()
    root = parse(code)
    declared: set[str] = set()
    for node in _walk(root):
        if (
            node.type in ("identifier", "shorthand_property_identifier_pattern")
            and node.parent is not None
            and (
                node.parent.type
                in (
                    "variable_declarator",
                    "formal_parameters",
                    "object_pattern",
                    "array_pattern",
                    "required_parameter",
                    "pair_pattern",
                )
                or (
                    node.parent.type == "arrow_function"
                    and node.parent.child_by_field_name("parameter") == node
                )
            )
            and _within_function(node)
        ):
            declared.add(_text(data, node))
    sinks = _sinks(code, rule, found)
    if not sinks:
        return None
    edits, helpers = [], []
    for i, sink in enumerate(sinks):
        used = []
        for node in _walk(sink):
            if node.type in FUNCTIONS:
                return None  # a callback inside the sink: keep it simple
            if (
                node.type in ("identifier", "shorthand_property_identifier")
                and _text(data, node) in declared
            ):
                name = _text(data, node)
                if name not in used:
                    used.append(name)
        body = _text(data, sink)
        if any(n.type == "shorthand_property_identifier" for n in _walk(sink)):
            return None
        params = ", ".join(used)
        helpers.append(f"\nfunction sinkHelper{i}({params}) {{\n  return {body};\n}}\n")
        edits.append((sink.start_byte, sink.end_byte, f"sinkHelper{i}({params})"))
    return _edit(code, edits) + "".join(helpers)


def _within_function(node: Node) -> bool:
    cur = node.parent
    while cur is not None:
        if cur.type in FUNCTIONS:
            return True
        cur = cur.parent
    return False


def string_style(code: str, rule: Rule, found: list[Match]) -> str | None:
    data = code.encode()
    root = parse(code)
    edits = []
    for node in _walk(root):
        if node.type == "template_string" and any(
            c.type == "template_substitution" for c in node.named_children
        ):
            if (
                node.parent is not None
                and node.parent.type == "call_expression"
                and (node.parent.child_by_field_name("arguments") == node)
            ):
                continue  # a tagged template is a call, not a string
            parts = []
            for c in node.named_children:
                if c.type == "template_substitution":
                    parts.append("(" + _text(data, c)[2:-1] + ")")
                else:
                    parts.append(_js_string(_text(data, c)))
            if not parts[0].startswith('"'):
                parts.insert(0, '""')
            edits.append((node.start_byte, node.end_byte, "(" + " + ".join(parts) + ")"))
        elif (
            node.type == "binary_expression"
            and is_concat(data, node, STRING)
            and not in_concat(data, node, STRING)
        ):
            leaves = concat_leaves(data, node)
            out = []
            for leaf in leaves:
                if leaf.type == "string":
                    out.append(_text(data, leaf)[1:-1].replace("`", "\\`").replace("${", "\\${"))
                else:
                    out.append("${" + _text(data, leaf) + "}")
            edits.append((node.start_byte, node.end_byte, "`" + "".join(out) + "`"))
    return _edit(code, edits) if edits else None


def _js_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _wrap(code: str, rule: Rule, found: list[Match], how: Callable[[str], str]) -> str | None:
    """Wrap every whole expression that reads a source (``req.query.host`` for the
    source ``req.query``)."""
    if rule.id in ("js-nosql-injection", "js-prototype-pollution"):
        return None
    data = code.encode()
    root = parse(code)
    spec = rule.taint
    assert spec is not None
    names = NameSet([(n, True) for src in spec.sources for n in src.names])
    edits: list[tuple[int, int, str]] = []
    for node in _walk(root):
        if node.type not in ("member_expression", "identifier", "call_expression"):
            continue
        if (
            node.parent is not None
            and node.parent.type in ("member_expression", "call_expression")
            and (
                node.parent.child_by_field_name("object") == node
                or node.parent.child_by_field_name("function") == node
            )
        ):
            continue  # not the outermost read
        inner = node
        while inner is not None:
            if inner.type in ("member_expression", "identifier") and names.lookup(
                _text(data, inner)
            ):
                break
            inner = inner.child_by_field_name("object") or inner.child_by_field_name("function")
        if inner is None:
            continue
        if (
            node.parent is not None
            and node.parent.type in ("variable_declarator", "assignment_expression")
            and node.parent.child_by_field_name(
                "name" if node.parent.type == "variable_declarator" else "left"
            )
            == node
        ):
            continue
        edits.append((node.start_byte, node.end_byte, how(_text(data, node))))
    return _edit(code, edits) if edits else None


def wrap_index(code: str, rule: Rule, found: list[Match]) -> str | None:
    return _wrap(code, rule, found, lambda e: f"[{e}][0]")


def wrap_nullish(code: str, rule: Rule, found: list[Match]) -> str | None:
    return _wrap(code, rule, found, lambda e: f"({e} ?? undefined)")


def comments(code: str, rule: Rule, found: list[Match]) -> str | None:
    return slash_comments(code, (")", "]", "}", ".", "?", ":"))


REWRITES: dict[str, Callable[[str, Rule, list[Match]], str | None]] = {
    "rename locals": rename,
    "intermediate variable": intermediate,
    "sink in a helper": helper,
    "string style switched": string_style,
    "input wrapped in [x][0]": wrap_index,
    "input wrapped in x ?? undefined": wrap_nullish,
    "allow-list comments": comments,
}


VERDICTS = Verdicts("rewrite (JavaScript)", REWRITES, LANGUAGES)


@pytest.mark.parametrize(("rewrite", "rule_id", "kind", "index", "language"), VERDICTS.cases())
def test_rewrite_keeps_the_verdict(
    rewrite: str, rule_id: str, kind: str, index: int, language: str
) -> None:
    VERDICTS.check(rewrite, rule_id, kind, index, language)


def test_metamorphic_table(record_property: pytest.RecordProperty) -> None:
    VERDICTS.table(record_property, "genguard_metamorphic_table_js")
