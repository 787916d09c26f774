"""Metamorphic tests for the taint rules: rewrites that keep a program's meaning keep
its verdict.

Every ``bad`` example of a Python taint rule must still be found, and every
``good`` one stay quiet, after each rewrite below. The rewrites are applied with
Python's own ``ast`` and ``tokenize`` to the examples as written in the rule
packs, so they cover every rule and every new example without a hand-written
variant. The figures per rewrite are printed in the test summary.

- rename: every local variable and parameter gets a meaningless name (the
  framework's ``request``, ``self`` and ``cls`` keep theirs);
- intermediate: one more variable between a value and its use;
- helper: the sink call moves into a helper function of the same file;
- string style: f-strings, ``%``, ``.format`` and ``+`` are switched around;
- no-op wrap: the source is wrapped in ``str(...)``, then in ``(...).strip()``;
- comments: every statement gets a comment mentioning an allow-list.

A rewrite that does not apply to an example (no string building to switch, no
call to move) is counted as not applicable, not as passed. Rules defined by the
names in the code (a password-named value into MD5, a random value into a
``token`` variable) are not renamed: renaming changes what they are about.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Callable

import pytest

from genguard.rules import Rule
from genguard.rules.model import Match
from genguard.taint.spec import NameSet
from metamorphic_rules import Verdicts

PACKS = ["security", "agent-risk"]  # every pack with taint rules
KEEP = frozenset({"request", "self", "cls"})
COMMENT = "# input checked against the ALLOWED_HOSTS allow-list (whitelist) upstream"


def _span(code: str, node: ast.AST) -> tuple[int, int]:
    """Byte offsets of an ast node (ast gives UTF-8 byte columns per line)."""
    lines = code.encode().splitlines(keepends=True)
    start = sum(len(x) for x in lines[: node.lineno - 1]) + node.col_offset  # type: ignore[attr-defined]
    end = sum(len(x) for x in lines[: node.end_lineno - 1]) + node.end_col_offset  # type: ignore[attr-defined]
    return start, end


# -- rewrites ---------------------------------------------------------------------------


def rename(code: str, rule: Rule, found: list[Match]) -> str | None:
    spec = rule.taint
    assert spec is not None
    if any(s.identifier for s in spec.sources) or any(
        s.assign or s.returns_function for s in spec.sinks
    ):
        return None  # the rule is about the names themselves
    tree = ast.parse(code)
    local: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            local.add(node.id)
        elif isinstance(node, ast.arg):
            local.add(node.arg)
    local -= KEEP
    if not local:
        return None
    names = {name: f"v{i}" for i, name in enumerate(sorted(local))}
    out = []
    depth = 0
    tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    for i, tok in enumerate(tokens):
        text = tok.string
        if tok.type == tokenize.OP and text in "([{":
            depth += 1
        elif tok.type == tokenize.OP and text in ")]}":
            depth -= 1
        elif tok.type == tokenize.NAME and text in names:
            before = tokens[i - 1].string if i else ""
            after = tokens[i + 1].string if i + 1 < len(tokens) else ""
            if before != "." and not (depth and after == "="):
                tok = tok._replace(string=names[text])
        elif tok.type == tokenize.STRING and re.match(r"(?i)[rb]*f", text):
            tok = tok._replace(
                string=re.sub(
                    r"\{([^{}]*)\}",
                    lambda m: (
                        "{"
                        + re.sub(
                            r"(?<![.\w])([A-Za-z_]\w*)",
                            lambda n: names.get(n.group(1), n.group(1)),
                            m.group(1),
                        )
                        + "}"
                    ),
                    text,
                ),
            )
        out.append(tok)
    return tokenize.untokenize(out)


def intermediate(code: str, rule: Rule, found: list[Match]) -> str | None:
    tree = ast.parse(code)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if not isinstance(body, list):
            continue
        for i, stmt in enumerate(body):
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
                mid = ast.Assign([ast.Name("mid_value", ast.Store())], stmt.value, lineno=0)
                stmt.value = ast.Name("mid_value", ast.Load())
                body.insert(i, mid)
                return ast.unparse(ast.fix_missing_locations(tree)) + "\n"
            call = _first_call(stmt)
            if call is not None and call.args and not isinstance(call.args[0], ast.Starred):
                mid = ast.Assign([ast.Name("mid_value", ast.Store())], call.args[0], lineno=0)
                call.args[0] = ast.Name("mid_value", ast.Load())
                body.insert(i, mid)
                return ast.unparse(ast.fix_missing_locations(tree)) + "\n"
    return None


def _first_call(stmt: ast.stmt) -> ast.Call | None:
    if isinstance(stmt, ast.Expr | ast.Return) and isinstance(stmt.value, ast.Call):
        return stmt.value
    return None


def _sink_calls(code: str, rule: Rule, found: list[Match]) -> list[ast.Call]:
    tree = ast.parse(code)
    spans = {(m.start, m.end) for m in found}
    spec = rule.taint
    assert spec is not None
    names = NameSet([(n, True) for s in spec.sinks for n in s.names])
    calls = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        if spans:
            if _span(code, node) in spans:
                calls.append(node)
        elif names.lookup(_dotted(node.func)):
            calls.append(node)
    return calls


def _dotted(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return f"{inner}.{node.attr}" if inner else f"?.{node.attr}"
    if isinstance(node, ast.Call):
        return _dotted(node.func)
    return None


def helper(code: str, rule: Rule, found: list[Match]) -> str | None:
    tree = ast.parse(code)
    targets = {_span(code, c) for c in _sink_calls(code, rule, found)}
    if not targets:
        return None
    assigned = {
        n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
    }
    assigned |= {a.arg for a in ast.walk(tree) if isinstance(a, ast.arg)}
    helpers: list[ast.stmt] = []

    class Move(ast.NodeTransformer):
        def visit_Call(self, node: ast.Call) -> ast.AST:
            self.generic_visit(node)
            if _span(code, node) not in targets or not hasattr(node, "lineno"):
                return node
            if isinstance(node.func, ast.Name) and node.func.id in assigned:
                return node  # a local callable (find = XPathEvaluator(doc)) cannot move
            params: list[str] = []
            passed: list[ast.expr] = []

            def hoist(expr: ast.expr) -> ast.expr:
                if isinstance(expr, ast.Constant):
                    return expr
                name = f"p{len(params)}"
                params.append(name)
                passed.append(expr)
                return ast.Name(name, ast.Load())

            func = node.func
            root = func.value if isinstance(func, ast.Attribute) else None
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(func, ast.Attribute) and not (
                isinstance(root, ast.Name) and root.id not in assigned
            ):
                func = ast.Attribute(hoist(func.value), func.attr, ast.Load())
            inner = ast.Call(
                func,
                [hoist(a) for a in node.args],
                [ast.keyword(k.arg, hoist(k.value)) for k in node.keywords],
            )
            name = f"sink_helper_{len(helpers)}"
            helpers.append(
                ast.FunctionDef(
                    name,
                    ast.arguments([], [ast.arg(p) for p in params], None, [], [], None, []),
                    [ast.Return(inner)],
                    [],
                    None,
                    type_params=[],
                )
            )
            return ast.Call(ast.Name(name, ast.Load()), passed, [])

    tree = Move().visit(tree)
    if not helpers:
        return None
    imports = [s for s in tree.body if isinstance(s, ast.Import | ast.ImportFrom)]
    rest = [s for s in tree.body if not isinstance(s, ast.Import | ast.ImportFrom)]
    tree.body = [*imports, *helpers, *rest]
    return ast.unparse(ast.fix_missing_locations(tree)) + "\n"


def _style(node: ast.expr) -> tuple[list[str], list[ast.expr]] | None:
    """(literal parts, values) of a string built by an f-string, %, .format or +."""
    if isinstance(node, ast.JoinedStr):
        parts, values, text = [], [], ""
        for v in node.values:
            if isinstance(v, ast.Constant):
                text += str(v.value)
            elif isinstance(v, ast.FormattedValue) and v.format_spec is None and v.conversion == -1:
                parts.append(text)
                values.append(v.value)
                text = ""
            else:
                return None
        return [*parts, text], values
    if (
        isinstance(node, ast.BinOp)
        and isinstance(node.op, ast.Mod)
        and isinstance(node.left, ast.Constant)
        and isinstance(node.left.value, str)
    ):
        pieces = re.split(r"%[sdr]", node.left.value)
        if "%" in "".join(pieces):
            return None
        values = list(node.right.elts) if isinstance(node.right, ast.Tuple) else [node.right]
        return (pieces, values) if len(values) == len(pieces) - 1 else None
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
        and isinstance(node.func.value, ast.Constant)
        and isinstance(node.func.value.value, str)
        and not node.keywords
    ):
        pieces = node.func.value.value.split("{}")
        if "{" in "".join(pieces) or len(pieces) - 1 != len(node.args):
            return None
        return pieces, list(node.args)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        flat: list[ast.expr] = []

        def walk(n: ast.expr) -> None:
            if isinstance(n, ast.BinOp) and isinstance(n.op, ast.Add):
                walk(n.left)
                walk(n.right)
            else:
                flat.append(n)

        walk(node)
        if not any(isinstance(f, ast.Constant) and isinstance(f.value, str) for f in flat):
            return None
        parts, values, text = [], [], ""
        for f in flat:
            if isinstance(f, ast.Constant) and isinstance(f.value, str):
                text += f.value
            else:
                parts.append(text)
                values.append(f)
                text = ""
        return [*parts, text], values
    return None


def _build(kind: str, parts: list[str], values: list[ast.expr]) -> ast.expr:
    if kind == "fstring":
        items: list[ast.expr] = []
        for i, v in enumerate(values):
            if parts[i]:
                items.append(ast.Constant(parts[i]))
            items.append(ast.FormattedValue(v, -1, None))
        if parts[-1]:
            items.append(ast.Constant(parts[-1]))
        return ast.JoinedStr(items)
    if kind == "percent":
        right = values[0] if len(values) == 1 else ast.Tuple(values, ast.Load())
        return ast.BinOp(ast.Constant("%s".join(parts)), ast.Mod(), right)
    if kind == "format":
        func = ast.Attribute(ast.Constant("{}".join(parts)), "format", ast.Load())
        return ast.Call(func, values, [])
    out: ast.expr = ast.Constant(parts[0])
    for i, v in enumerate(values):
        out = ast.BinOp(out, ast.Add(), ast.Call(ast.Name("str", ast.Load()), [v], []))
        if parts[i + 1]:
            out = ast.BinOp(out, ast.Add(), ast.Constant(parts[i + 1]))
    return out


NEXT_STYLE = {"fstring": "percent", "percent": "format", "format": "plus", "plus": "fstring"}


def _kind(node: ast.expr) -> str:
    if isinstance(node, ast.JoinedStr):
        return "fstring"
    if isinstance(node, ast.Call):
        return "format"
    return "percent" if isinstance(node.op, ast.Mod) else "plus"  # type: ignore[attr-defined]


def string_style(code: str, rule: Rule, found: list[Match]) -> str | None:
    tree = ast.parse(code)
    changed = False

    class Switch(ast.NodeTransformer):
        def generic_visit(self, node: ast.AST) -> ast.AST:
            nonlocal changed
            if isinstance(node, ast.expr):
                built = _style(node)
                if built is not None and built[1]:
                    changed = True
                    parts, values = built
                    values = [self.visit(v) for v in values]
                    return _build(NEXT_STYLE[_kind(node)], parts, values)
            return super().generic_visit(node)

    tree = Switch().visit(tree)
    return ast.unparse(ast.fix_missing_locations(tree)) + "\n" if changed else None


def _wrap(
    code: str, rule: Rule, found: list[Match], how: Callable[[ast.expr], ast.expr]
) -> str | None:
    """Wrap the whole expression that reads a finding's source (``request.args.get("q")``
    for the source ``request.args``), the outermost one first."""
    sources = [(m.related[0].start, m.related[0].end) for m in found if m.related]
    tree = ast.parse(code)
    if not found:  # a good example: the expressions the rule's sources name
        spec = rule.taint
        assert spec is not None
        names = NameSet([(n, True) for src in spec.sources for n in src.names])
        sources = [
            _span(code, n)
            for n in ast.walk(tree)
            if isinstance(n, ast.Attribute | ast.Name)
            and not isinstance(n.ctx, ast.Store)  # self.path = ...: a store, not a read
            and names.lookup(_dotted(n))
        ]
    if not sources:
        return None
    done = False

    def reads(node: ast.expr, s: int, e: int) -> bool:
        while True:
            a, b = _span(code, node)
            if not (a <= s and e <= b):
                return False
            if (a, b) == (s, e):
                return True
            if isinstance(node, ast.Call):
                node = node.func
            elif isinstance(node, ast.Attribute | ast.Subscript):
                node = node.value
            else:
                return False

    class Wrap(ast.NodeTransformer):
        def visit(self, node: ast.AST) -> ast.AST:
            nonlocal done
            if (
                not done
                and isinstance(node, ast.expr)
                and hasattr(node, "lineno")
                and any(reads(node, s, e) for s, e in sources)
            ):
                done = True
                return how(node)
            return super().visit(node)

    tree = Wrap().visit(tree)
    return ast.unparse(ast.fix_missing_locations(tree)) + "\n" if done else None


def wrap_str(code: str, rule: Rule, found: list[Match]) -> str | None:
    return _wrap(code, rule, found, lambda e: ast.Call(ast.Name("str", ast.Load()), [e], []))


def wrap_strip(code: str, rule: Rule, found: list[Match]) -> str | None:
    return _wrap(
        code,
        rule,
        found,
        lambda e: ast.Call(ast.Attribute(e, "strip", ast.Load()), [], []),
    )


def comments(code: str, rule: Rule, found: list[Match]) -> str | None:
    out = []
    for line in code.splitlines():
        indent = line[: len(line) - len(line.lstrip())]
        if line.strip() and not line.lstrip().startswith(
            ("@", ")", "]", "}", "else", "elif", "except", "finally")
        ):
            out.append(indent + COMMENT)
        out.append(line)
    return "\n".join(out) + "\n"


REWRITES: dict[str, Callable[[str, Rule, list[Match]], str | None]] = {
    "rename locals": rename,
    "intermediate variable": intermediate,
    "sink in a helper": helper,
    "string style switched": string_style,
    "input wrapped in str()": wrap_str,
    "input wrapped in .strip()": wrap_strip,
    "allow-list comments": comments,
}


def _compiles(code: str, language: str) -> None:
    compile(code, "<rewritten>", "exec")


VERDICTS = Verdicts("rewrite", REWRITES, ("python",), packs=PACKS, syntax=_compiles)


@pytest.mark.parametrize(("rewrite", "rule_id", "kind", "index", "language"), VERDICTS.cases())
def test_rewrite_keeps_the_verdict(
    rewrite: str, rule_id: str, kind: str, index: int, language: str
) -> None:
    VERDICTS.check(rewrite, rule_id, kind, index, language)


def test_metamorphic_table(record_property: pytest.RecordProperty) -> None:
    VERDICTS.table(record_property, "genguard_metamorphic_table")
