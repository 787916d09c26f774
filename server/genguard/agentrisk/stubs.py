"""Stub implementations: functions an AI chunk documents but does not implement.

A model that runs out of context or cannot work something out often leaves
``pass``, ``...`` or ``raise NotImplementedError`` under a docstring that says
what the function does. The code reads as finished, the tests that exercise it
may be the ones that got skipped, and the gap ships. Abstract methods,
overloads, protocols, interfaces and documented "not supported" cases are
deliberate and stay quiet.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from tree_sitter import Node

from genguard.syntax.languages import new_parser

MAX_BYTES = 256 * 1024

_NOT_IMPLEMENTED = re.compile(
    r"not\s+(?:yet\s+)?implemented|unimplemented|\btodo\b|implement\s+me|\bstub\b", re.IGNORECASE
)
_DELIBERATE = re.compile(
    r"subclass|overrid|abstract|implemented\s+by|must\s+(?:be\s+)?implement|should\s+implement|"
    r"\bhook\b|no-?op\b|do(?:es)?\s+nothing|intentional|deliberately|not\s+supported|unsupported|"
    r"interface|protocol|placeholder\s+for|read-?only|immutable|always\s+(?:raises|throws)|"
    r"discard|ignored?\b|callback\s+stub|for\s+type\s+checkers|overload",
    re.IGNORECASE,
)
_WORDS = re.compile(r"[A-Za-z]{2,}")
_PY_ABSTRACT_DECORATOR = re.compile(r"abstract|overload|override\b")
_PY_PROTOCOL_BASES = re.compile(r"\b(?:Protocol|ABC|ABCMeta|Interface)\b")
_COMMENT_MARK = re.compile(r"^\s*(?:#|//+|/\*+|\*+/?|\"\"\"|''')\s*|\s*\*/\s*$")


@dataclass(frozen=True, slots=True)
class Stub:
    """A stubbed function: its name, and its name's byte span in the scanned text."""

    name: str
    start: int
    end: int
    body: str


def _text(node: Node | None) -> str:
    return node.text.decode("utf-8", "replace") if node is not None and node.text else ""


def _claims(doc: str) -> bool:
    """A doc or comment that says what the code does (and not that it is left out on purpose)."""
    plain = " ".join(_COMMENT_MARK.sub("", line) for line in doc.splitlines())
    if _DELIBERATE.search(plain):
        return False
    return len(_WORDS.findall(plain)) >= 3 or bool(_NOT_IMPLEMENTED.search(plain))


def _comment_above(node: Node) -> str:
    """Comments directly above ``node`` (doc comments), nearest last."""
    parts: list[str] = []
    prev = node.prev_sibling
    line = node.start_point[0]
    while prev is not None and prev.type in ("comment", "block_comment", "line_comment"):
        if prev.end_point[0] < line - 1:
            break
        parts.insert(0, _text(prev))
        line = prev.start_point[0]
        prev = prev.prev_sibling
    return "\n".join(parts)


def _walk(node: Node) -> Iterator[Node]:
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(n.children))


# -- Python --------------------------------------------------------------------------------


def _py_stub_body(statements: list[Node]) -> str | None:
    if not statements:
        return "a docstring only"
    if len(statements) != 1:
        return None
    s = statements[0]
    if s.type == "pass_statement":
        return "pass"
    if s.type == "expression_statement" and _text(s).strip() == "...":
        return "..."
    if s.type == "raise_statement" and "NotImplementedError" in _text(s):
        if _DELIBERATE.search(_text(s)):
            return None
        return "raise NotImplementedError"
    return None


def _python(root: Node) -> Iterator[Stub]:
    for fn in _walk(root):
        if fn.type != "function_definition":
            continue
        parent = fn.parent
        decorators = ""
        if parent is not None and parent.type == "decorated_definition":
            decorators = " ".join(_text(d) for d in parent.children if d.type == "decorator")
        if _PY_ABSTRACT_DECORATOR.search(decorators):
            continue
        cls = fn.parent
        while cls is not None and cls.type != "class_definition":
            cls = cls.parent
        if cls is not None and _PY_PROTOCOL_BASES.search(
            _text(cls.child_by_field_name("superclasses"))
        ):
            continue
        body = fn.child_by_field_name("body")
        if body is None:
            continue
        statements = [c for c in body.named_children if c.type != "comment"]
        doc = ""
        if statements and statements[0].type == "expression_statement":
            first = statements[0].named_children
            if len(first) == 1 and first[0].type == "string":
                doc = _text(first[0])
                statements = statements[1:]
        comments = "\n".join(_text(c) for c in body.named_children if c.type == "comment")
        kind = _py_stub_body(statements)
        if kind is None or (kind == "a docstring only" and not doc):
            continue
        if not _claims("\n".join(x for x in (doc, comments, _comment_above(parent or fn)) if x)):
            continue
        name = fn.child_by_field_name("name")
        if name is not None:
            yield Stub(_text(name), name.start_byte, name.end_byte, kind)


# -- JavaScript / TypeScript, Java, Go --------------------------------------------------------

_JS_FUNCS = {
    "function_declaration",
    "method_definition",
    "function_expression",
    "arrow_function",
    "generator_function_declaration",
}
_JAVA_FUNCS = {"method_declaration"}
_GO_FUNCS = {"function_declaration", "method_declaration"}


def _only_throw(statements: list[Node], language: str) -> str | None:
    if len(statements) != 1:
        return None
    s = statements[0]
    text = _text(s)
    if language == "go":
        if (
            s.type == "expression_statement"
            and text.startswith("panic(")
            and _NOT_IMPLEMENTED.search(text)
        ):
            return "panic"
        if s.type == "return_statement" and _NOT_IMPLEMENTED.search(text):
            return "return of a not-implemented error"
        return None
    if s.type != "throw_statement":
        return None
    if language == "java" and "UnsupportedOperationException" in text:
        return "throw UnsupportedOperationException"
    if _NOT_IMPLEMENTED.search(text):
        return "throw"
    return None


def _declaration(fn: Node) -> Node:
    """The statement that holds a function (for its doc comment): ``const f = () => ...``."""
    node = fn
    while node.parent is not None and node.parent.type in (
        "variable_declarator", "lexical_declaration", "variable_declaration", "export_statement",
        "pair", "assignment_expression", "expression_statement", "public_field_definition",
    ):  # fmt: skip
        node = node.parent
    return node


def _braced(root: Node, language: str) -> Iterator[Stub]:
    funcs = (
        _JS_FUNCS
        if language not in ("java", "go")
        else _JAVA_FUNCS
        if language == "java"
        else _GO_FUNCS
    )
    for fn in _walk(root):
        if fn.type not in funcs:
            continue
        if language == "java":
            modifiers = next((c for c in fn.children if c.type == "modifiers"), None)
            if modifiers is not None and "abstract" in _text(modifiers).split():
                continue
        body = fn.child_by_field_name("body")
        if body is None or body.type not in ("statement_block", "block"):
            continue
        children = body.named_children
        if len(children) == 1 and children[0].type == "statement_list":  # Go wraps statements
            children = children[0].named_children
        statements = [c for c in children if "comment" not in c.type]
        comments = "\n".join(_text(c) for c in children if "comment" in c.type)
        kind = _only_throw(statements, language)
        if kind is None and not statements and comments and _NOT_IMPLEMENTED.search(comments):
            kind = "an empty body"
        if kind is None:
            continue
        holder = _declaration(fn)
        above = _comment_above(holder)
        if language == "java" and holder is fn:
            modifiers = next((c for c in fn.children if c.type == "modifiers"), None)
            above = "\n".join(x for x in (above, _comment_above(fn)) if x)
            if modifiers is not None and "UnsupportedOperationException" in above:
                continue
        if not _claims("\n".join(x for x in (above, comments) if x)):
            continue
        name = fn.child_by_field_name("name")
        if name is None and holder is not fn:
            name = next(
                (n for n in _walk(holder) if n.type in ("identifier", "property_identifier")), None
            )
        if name is None:
            continue
        yield Stub(_text(name), name.start_byte, name.end_byte, kind)


LANGUAGES = ("python", "javascript", "typescript", "tsx", "java", "go")


def find_stubs(text: bytes, language: str | None, *, path: str = "") -> list[Stub]:
    """Functions in ``text`` whose documentation claims what a stub body does not do."""
    if language not in LANGUAGES or len(text) > MAX_BYTES or path.endswith((".pyi", ".d.ts")):
        return []
    parser = new_parser(language)
    if parser is None:
        return []
    root = parser.parse(text).root_node
    found = _python(root) if language == "python" else _braced(root, language)
    return sorted(found, key=lambda s: s.start)
