"""Metamorphic variants of the taint corpus: the same program, written differently.

A detector that follows data (rather than names or layout) must give the same answer on each
variant as on the original. Every transformation here edits the source text at positions taken
from Python's ``ast`` (so comments and layout survive) and maps the manifest's sink line through
those edits, so each variant comes with its own line mapping.

Transformations (``TRANSFORMS``):

- ``rename``: every local identifier (function locals, helper parameters and names, module-level
  variables) gets a neutral new name, consistently; framework-bound names (route handler and
  Django view parameters, ``app``, ``urlpatterns``, ``self``) and attributes are kept.
- ``intermediate``: the sink's first non-constant argument (or returned/stored value) is first
  assigned to a new variable on the line before the sink's statement.
- ``helper``: the sink expression moves into a new function in the same file, called from the
  original place with the locals it needs.
- ``restyle``: string building changes style: f-string -> ``.format``, ``%`` -> f-string,
  ``.format`` -> ``%``, ``+`` -> f-string.
- ``wrap-str`` / ``wrap-strip``: every read of untrusted input is wrapped in a no-op
  (``str(x)``/``bytes(x)``/``dict(x)``, or ``x.strip()``).
- ``comments``: comments claiming an allow-list check are added at the top and above the sink.

Usage: ``python tests/taint/metamorphic.py OUT_DIR [--transform NAME ...]`` writes
``OUT_DIR/<transform>/<file>.py`` and ``OUT_DIR/<transform>/manifest.json``.
"""

from __future__ import annotations

import argparse
import ast
import itertools
import json
import re
import string
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
MANIFEST = CORPUS / "manifest.json"


class NotApplicable(Exception):
    """The transformation cannot be applied to this file without changing its meaning."""


# --------------------------------------------------------------------------- text edits


@dataclass(frozen=True)
class Edit:
    """Replace ``src[start:end]`` by ``text`` (character offsets into the original)."""

    start: int
    end: int
    text: str


class Source:
    """A source text with conversions between ast positions and character offsets."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.splitlines(keepends=True)
        self.starts: list[int] = []
        pos = 0
        for line in self.lines:
            self.starts.append(pos)
            pos += len(line)
        self.starts.append(pos)
        self.tree = ast.parse(text)
        self.parents: dict[ast.AST, ast.AST] = {}
        for node in ast.walk(self.tree):
            for child in ast.iter_child_nodes(node):
                self.parents[child] = node

    def offset(self, lineno: int, col: int) -> int:
        """Character offset of an ast (1-based line, UTF-8 byte column) position."""
        line = self.lines[lineno - 1]
        chars = len(line.encode("utf-8")[:col].decode("utf-8", errors="ignore"))
        return self.starts[lineno - 1] + chars

    def span(self, node: ast.AST) -> tuple[int, int]:
        return (
            self.offset(node.lineno, node.col_offset),
            self.offset(node.end_lineno, node.end_col_offset),
        )

    def segment(self, node: ast.AST) -> str:
        s, e = self.span(node)
        return self.text[s:e]

    def line_start(self, lineno: int) -> int:
        return self.starts[lineno - 1]

    def indent(self, lineno: int) -> str:
        line = self.lines[lineno - 1]
        return line[: len(line) - len(line.lstrip(" \t"))]

    def ancestors(self, node: ast.AST) -> Iterable[ast.AST]:
        while node in self.parents:
            node = self.parents[node]
            yield node


def apply_edits(text: str, edits: list[Edit]) -> tuple[str, Callable[[int], int]]:
    """Apply non-overlapping edits; return the new text and an old->new offset mapper."""
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    for a, b in itertools.pairwise(ordered):
        if b.start < a.end:
            raise NotApplicable("overlapping edits")
    out: list[str] = []
    pos = 0
    for e in ordered:
        out.append(text[pos : e.start])
        out.append(e.text)
        pos = e.end
    out.append(text[pos:])

    def mapper(off: int) -> int:
        delta = 0
        for e in ordered:
            if e.end <= off:
                delta += len(e.text) - (e.end - e.start)
            elif e.start < off:
                return e.start + delta
        return off + delta

    return "".join(out), mapper


def line_of(text: str, off: int) -> int:
    return text.count("\n", 0, off) + 1


# --------------------------------------------------------------------------- variants


@dataclass
class Variant:
    """One transformed file and its manifest line mapping."""

    source: str
    line: int
    alt_lines: list[int] = field(default_factory=list)
    applied: bool = True


def _finish(
    src: Source,
    edits: list[Edit],
    entry: dict,
    sink_override: Callable[[str, Callable[[int], int]], int] | None = None,
    extra_alt: Callable[[str, Callable[[int], int]], list[int]] | None = None,
) -> Variant:
    new, mapper = apply_edits(src.text, edits)
    old_lines = [entry["line"], *entry.get("alt_lines", [])]
    mapped = [line_of(new, mapper(src.line_start(n))) for n in old_lines]
    if sink_override is not None:
        line = sink_override(new, mapper)
        alts = mapped
    else:
        line, alts = mapped[0], mapped[1:]
    if extra_alt is not None:
        alts = alts + extra_alt(new, mapper)
    alts = sorted({a for a in alts if a != line})
    ast.parse(new)  # a variant that does not parse is a bug in the transformation
    return Variant(new, line, alts, applied=bool(edits))


# ----------------------------------------------------------------------------- helpers

FUNC = (ast.FunctionDef, ast.AsyncFunctionDef)
KEEP_MODULE_NAMES = {"app", "application", "urlpatterns", "router", "bp", "api", "__all__"}
KEEP_PARAMS = {"self", "cls", "request", "response", "req", "resp"}


def _is_handler(fn: ast.AST) -> bool:
    """Route handlers and Django views: their parameter names are bound by the framework."""
    if not isinstance(fn, FUNC):
        return False
    if fn.decorator_list:
        return True
    args = fn.args.posonlyargs + fn.args.args
    return bool(args) and args[0].arg == "request"


def _all_args(fn: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> list[ast.arg]:
    a = fn.args
    out = [*a.posonlyargs, *a.args, *a.kwonlyargs]
    if a.vararg:
        out.append(a.vararg)
    if a.kwarg:
        out.append(a.kwarg)
    return out


def _enclosing_function(src: Source, node: ast.AST) -> ast.AST | None:
    for anc in src.ancestors(node):
        if isinstance(anc, FUNC):
            return anc
    return None


def _stored_names(scope: ast.AST) -> set[str]:
    """Names bound inside a function body (not in nested defs), lambdas' params included."""
    names: set[str] = set()
    stack = list(ast.iter_child_nodes(scope))
    while stack:
        node = stack.pop()
        if isinstance(node, (*FUNC, ast.ClassDef)):
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.Lambda):
            names.update(a.arg for a in _all_args(node))
        stack.extend(ast.iter_child_nodes(node))
    return names


def _global_decls(tree: ast.AST) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Global | ast.Nonlocal):
            out.update(node.names)
    return out


def _identifiers(tree: ast.AST) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            out.add(node.id)
        elif isinstance(node, ast.Attribute):
            out.add(node.attr)
        elif isinstance(node, ast.arg):
            out.add(node.arg)
        elif isinstance(node, (*FUNC, ast.ClassDef)):
            out.add(node.name)
        elif isinstance(node, ast.alias):
            out.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.keyword) and node.arg:
            out.add(node.arg)
    return out


def _fresh(taken: set[str], stem: str) -> str:
    i = 1
    while f"{stem}{i}" in taken:
        i += 1
    name = f"{stem}{i}"
    taken.add(name)
    return name


def _statement_of(src: Source, node: ast.AST) -> ast.stmt:
    if isinstance(node, ast.stmt):
        return node
    for anc in src.ancestors(node):
        if isinstance(anc, ast.stmt):
            return anc
    raise NotApplicable("no enclosing statement")


def _top_level_statement(src: Source, node: ast.AST) -> ast.stmt:
    stmt = _statement_of(src, node)
    for anc in src.ancestors(stmt):
        if isinstance(anc, ast.Module):
            return stmt
        if isinstance(anc, ast.stmt):
            stmt = anc
    return stmt


def _first_line(stmt: ast.stmt) -> int:
    decos = getattr(stmt, "decorator_list", [])
    return min([stmt.lineno, *(d.lineno for d in decos)])


def sink_target(src: Source, line: int) -> ast.AST:
    """The node the manifest's line points at: a returned value, a call, or a store."""
    stmts = [
        n
        for n in ast.walk(src.tree)
        if isinstance(n, ast.stmt) and n.lineno <= line <= (n.end_lineno or n.lineno)
    ]
    if not stmts:
        raise NotApplicable("no statement on the sink line")
    stmt = max(stmts, key=lambda n: (n.lineno, -(n.end_lineno or 0)))
    if (
        isinstance(stmt, ast.Assign | ast.AugAssign)
        and stmt.lineno == line
        and any(
            isinstance(t, ast.Subscript | ast.Attribute)
            for t in (stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target])
        )
    ):
        return stmt  # a store into a container (session[...] = value) is the sink itself
    if (
        isinstance(stmt, ast.Return)
        and stmt.value is not None
        and stmt.value.lineno == line
        and not isinstance(stmt.value, ast.Dict | ast.List | ast.Tuple | ast.Set)
    ):
        return stmt.value  # the returned value is the sink (a response body)
    calls = [n for n in ast.walk(stmt) if isinstance(n, ast.Call) and n.lineno == line]
    if calls:
        outer = [c for c in calls if not any(a in calls for a in src.ancestors(c))]
        return min(outer, key=lambda c: c.col_offset)
    if isinstance(stmt, ast.Return) and stmt.value is not None and stmt.value.lineno == line:
        return stmt.value
    if isinstance(stmt, ast.Assign | ast.AugAssign) and stmt.lineno == line:
        return stmt
    raise NotApplicable("no call, return or store on the sink line")


def _in_deferred_context(src: Source, node: ast.AST, stop: ast.stmt) -> bool:
    """True when ``node`` is evaluated conditionally or per item within its statement."""
    for anc in src.ancestors(node):
        if anc is stop:
            return False
        if isinstance(
            anc,
            ast.Lambda
            | ast.IfExp
            | ast.BoolOp
            | ast.ListComp
            | ast.SetComp
            | ast.DictComp
            | ast.GeneratorExp,
        ):
            return True
    return False


# ---------------------------------------------------------------------------- transforms


def t_original(src: Source, entry: dict) -> Variant:
    """The file unchanged (the baseline the other variants are compared with)."""
    return _finish(src, [], entry)


def t_rename(src: Source, entry: dict) -> Variant:
    """Rename every local identifier consistently, scope by scope."""
    tree = src.tree
    taken = _identifiers(tree)
    globals_declared = _global_decls(tree)
    module_map: dict[str, str] = {}
    counter = [0]

    def new_name() -> str:
        counter[0] += 1
        while f"v{counter[0]}" in taken:
            counter[0] += 1
        taken.add(f"v{counter[0]}")
        return f"v{counter[0]}"

    module_stores = {
        n.id
        for stmt in tree.body
        for n in ast.walk(stmt)
        if not isinstance(stmt, (*FUNC, ast.ClassDef))
        and isinstance(n, ast.Name)
        and isinstance(n.ctx, ast.Store)
    }
    helper_funcs = {
        s.name
        for s in tree.body
        if isinstance(s, FUNC) and not _is_handler(s) and not s.name.startswith("__")
    }
    for name in sorted(module_stores | helper_funcs):
        if name in KEEP_MODULE_NAMES or name.startswith("__") or name in globals_declared:
            continue
        module_map[name] = new_name()

    func_maps: dict[ast.AST, dict[str, str]] = {}
    renamed_params: dict[str, dict[str, str]] = {}
    for fn in ast.walk(tree):
        if not isinstance(fn, FUNC):
            continue
        handler = _is_handler(fn)
        local: dict[str, str] = {}
        params = {a.arg for a in _all_args(fn)}
        for p in sorted(params):
            if handler or p in KEEP_PARAMS:
                continue
            local[p] = new_name()
        for n in sorted(_stored_names(fn) - params - globals_declared):
            if n.startswith("__"):
                continue
            local[n] = new_name()
        func_maps[fn] = local
        if fn in tree.body:
            renamed_params[fn.name] = {p: local[p] for p in params if p in local}

    def mapping_for(node: ast.AST) -> dict[str, str]:
        fn = _enclosing_function(src, node)
        while fn is not None:
            m = func_maps.get(fn, {})
            if m:
                return m
            fn = _enclosing_function(src, fn)
        return {}

    def lookup(node: ast.AST, name: str) -> str | None:
        fn = _enclosing_function(src, node)
        while fn is not None:
            m = func_maps.get(fn, {})
            if name in m:
                return m[name]
            if name in {a.arg for a in _all_args(fn)} or name in _stored_names(fn):
                return None  # bound (and kept) in this scope
            fn = _enclosing_function(src, fn)
        return module_map.get(name)

    edits: list[Edit] = []

    def replace(lineno: int, col: int, old: str, new: str) -> None:
        start = src.offset(lineno, col)
        if src.text[start : start + len(old)] != old:
            raise NotApplicable(f"position of {old!r} not found")
        edits.append(Edit(start, start + len(old), new))

    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            new = lookup(node, node.id)
            if new:
                replace(node.lineno, node.col_offset, node.id, new)
        elif isinstance(node, ast.arg):
            owner = src.parents.get(src.parents.get(node))
            if isinstance(owner, FUNC):
                new = func_maps.get(owner, {}).get(node.arg)
            else:  # lambda parameter: named like the enclosing function's locals
                new = mapping_for(node).get(node.arg) or module_map.get(node.arg)
            if new:
                replace(node.lineno, node.col_offset, node.arg, new)
        elif isinstance(node, FUNC) and node.name in module_map and node in tree.body:
            line = src.lines[node.lineno - 1]
            m = re.compile(r"(?:async\s+)?def\s+(\w+)").match(line, len(src.indent(node.lineno)))
            if not m or m.group(1) != node.name:
                raise NotApplicable("def name not found")
            start = src.line_start(node.lineno) + m.start(1)
            edits.append(Edit(start, start + len(node.name), module_map[node.name]))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            params = renamed_params.get(node.func.id, {})
            for kw in node.keywords:
                if kw.arg and kw.arg in params:
                    replace(kw.lineno, kw.col_offset, kw.arg, params[kw.arg])
    return _finish(src, edits, entry)


def t_intermediate(src: Source, entry: dict) -> Variant:
    """Assign the value reaching the sink to a new variable on the line before it."""
    target = sink_target(src, entry["line"])
    if isinstance(target, ast.Call):
        cands = [a for a in target.args if not isinstance(a, ast.Constant | ast.Starred)]
        cands += [
            k.value for k in target.keywords if k.arg and not isinstance(k.value, ast.Constant)
        ]
        if not cands:
            raise NotApplicable("sink call has only constant arguments")
        expr = cands[0]
    elif isinstance(target, ast.Assign | ast.AugAssign):
        expr = target.value
    else:
        expr = target
    stmt = _statement_of(src, target)
    if _in_deferred_context(src, expr, stmt):
        raise NotApplicable("sink argument is evaluated conditionally or per item")
    if isinstance(stmt, ast.If) and src.lines[stmt.lineno - 1].lstrip().startswith("elif"):
        raise NotApplicable("sink in an elif test")
    name = _fresh(_identifiers(src.tree), "staged")
    indent = src.indent(stmt.lineno)
    s, e = src.span(expr)
    text = src.text[s:e]
    if "\n" in text:
        text = "(" + text + ")"
    insert = Edit(
        src.line_start(stmt.lineno), src.line_start(stmt.lineno), f"{indent}{name} = {text}\n"
    )
    replacement = f"({name})" if isinstance(expr, ast.GeneratorExp) else name
    return _finish(src, [insert, Edit(s, e, replacement)], entry)


def t_helper(src: Source, entry: dict) -> Variant:
    """Move the sink expression into a new same-file function and call it in its place."""
    target = sink_target(src, entry["line"])
    parent = src.parents.get(target)
    is_stmt = isinstance(target, ast.stmt)
    if isinstance(parent, ast.Await):
        target = parent
    fn = _enclosing_function(src, target)
    local_names: set[str] = set()
    if fn is not None:
        local_names = {a.arg for a in _all_args(fn)} | _stored_names(fn)
    bound_inside = _stored_names(ast.Module(body=[target] if is_stmt else [ast.Expr(target)]))
    free: list[str] = []
    for node in ast.walk(target):
        if (
            isinstance(node, ast.Name)
            and isinstance(node.ctx, ast.Load)
            and node.id in local_names
            and node.id not in bound_inside
            and node.id not in free
        ):
            free.append(node.id)
    if is_stmt:
        if any(isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store) for n in ast.walk(target)):
            raise NotApplicable("the moved statement binds a local")
        if target.lineno != target.end_lineno:
            raise NotApplicable("multi-line statement")
    name = _fresh(_identifiers(src.tree), "perform_step")
    is_async = isinstance(target, ast.Await)
    s, e = src.span(target)
    body = src.text[s:e]
    first_rel = entry["line"] - target.lineno  # where the marked line sits inside the moved text
    if is_stmt:
        helper = f"def {name}({', '.join(free)}):\n    {body}\n\n\n"
        call = f"{name}({', '.join(free)})"
        inner_line = 1
    else:
        kw = "async def" if is_async else "def"
        wrapped = f"({body})" if "\n" in body else body
        helper = f"{kw} {name}({', '.join(free)}):\n    return {wrapped}\n\n\n"
        call = ("await " if is_async else "") + f"{name}({', '.join(free)})"
        if "\n" in body:
            call = "(" + call + ")"
        inner_line = 1 + max(first_rel, 0)
    top = _top_level_statement(src, target)
    at = src.line_start(_first_line(top))
    insert = Edit(at, at, helper)

    def sink_line(new: str, mapper: Callable[[int], int]) -> int:
        return line_of(new, mapper(at) - len(helper)) + inner_line

    def call_site(new: str, mapper: Callable[[int], int]) -> list[int]:
        return [line_of(new, mapper(s))]

    return _finish(src, [insert, Edit(s, e, call)], entry, sink_line, call_site)


# --- string style

_PCT = re.compile(r"%(?:(\([^)]*\))?([-#0 +]*)(\d*)(\.\d+)?([sdirfxX%]))")


def _escape_literal(text: str, quote: str) -> str:
    out = text.encode("unicode_escape").decode("ascii").replace(quote, "\\" + quote)
    return out


def _fstring(parts: list[str | ast.AST], specs: dict[int, str] | None = None) -> str:
    """Build an f-string literal from literal text and expressions (``{expr[spec]}``)."""
    specs = specs or {}
    exprs = {i: ast.unparse(p) for i, p in enumerate(parts) if isinstance(p, ast.AST)}
    joined = "".join(exprs.values())
    if "\\" in joined or "\n" in joined:
        raise NotApplicable("expression cannot go inside an f-string")
    quote = '"' if '"' not in joined else "'"
    if quote in joined:
        raise NotApplicable("both quote kinds used")
    out = []
    for i, p in enumerate(parts):
        if isinstance(p, str):
            lit = _escape_literal(p, quote).replace("{", "{{").replace("}", "}}")
            out.append(lit)
        else:
            expr = exprs[i]
            if expr.startswith("{"):
                expr = " " + expr
            out.append("{" + expr + specs.get(i, "") + "}")
    return "f" + quote + "".join(out) + quote


def _percent_to_fstring(node: ast.BinOp) -> str:
    tmpl = node.left.value
    args = list(node.right.elts) if isinstance(node.right, ast.Tuple) else [node.right]
    parts: list[str | ast.AST] = []
    specs: dict[int, str] = {}
    pos = 0
    ai = 0
    for m in _PCT.finditer(tmpl):
        parts.append(tmpl[pos : m.start()])
        pos = m.end()
        key, flags, width, prec, conv = m.groups()
        if conv == "%":
            parts.append("%")
            continue
        if key is not None or ai >= len(args):
            raise NotApplicable("mapping or short %-format")
        if conv in "sr" and (flags or width or prec):
            raise NotApplicable("padded %s")
        parts.append(args[ai])
        ai += 1
        if conv == "r":
            specs[len(parts) - 1] = "!r"
        elif conv in "dixXf":
            spec = (flags or "") + (width or "") + (prec or "") + ("d" if conv == "i" else conv)
            specs[len(parts) - 1] = ":" + spec
    if ai != len(args):
        raise NotApplicable("unused %-format arguments")
    parts.append(tmpl[pos:])
    return _fstring(parts, specs)


def _joined_to_format(node: ast.JoinedStr) -> str:
    tmpl: list[str] = []
    args: list[str] = []
    for v in node.values:
        if isinstance(v, ast.Constant):
            tmpl.append(str(v.value).replace("{", "{{").replace("}", "}}"))
            continue
        assert isinstance(v, ast.FormattedValue)
        field_text = "{"
        if v.conversion != -1:
            field_text += "!" + chr(v.conversion)
        if v.format_spec is not None:
            spec_parts = v.format_spec.values
            if not all(isinstance(p, ast.Constant) for p in spec_parts):
                raise NotApplicable("nested format spec")
            field_text += ":" + "".join(str(p.value) for p in spec_parts)
        tmpl.append(field_text + "}")
        args.append(ast.unparse(v.value))
    return f"{''.join(tmpl)!r}.format({', '.join(args)})"


def _format_to_percent(node: ast.Call) -> str:
    tmpl = node.func.value.value
    if any(isinstance(a, ast.Starred) for a in node.args) or any(
        k.arg is None for k in node.keywords
    ):
        raise NotApplicable("starred .format arguments")
    kwargs = {k.arg: k.value for k in node.keywords}
    out: list[str] = []
    values: list[str] = []
    auto = 0
    for literal, fname, spec, conv in string.Formatter().parse(tmpl):
        out.append(literal.replace("%", "%%"))
        if fname is None:
            continue
        if fname == "":
            if auto >= len(node.args):
                raise NotApplicable("short .format")
            value = node.args[auto]
            auto += 1
        elif fname.isdigit():
            value = node.args[int(fname)]
        elif fname in kwargs:
            value = kwargs[fname]
        else:
            raise NotApplicable("complex field name")
        if conv == "r" and not spec:
            out.append("%r")
        elif not spec and conv in (None, "s"):
            out.append("%s")
        elif re.fullmatch(r"0?\d*[dxXf]|\.\d+f|0?\d*\.\d+f", spec or "") and conv is None:
            out.append("%" + spec)
        else:
            raise NotApplicable("unsupported format spec")
        values.append(ast.unparse(value))
    rhs = "(" + ", ".join(values) + ("," if len(values) == 1 else "") + ")"
    return f"({''.join(out)!r} % {rhs})"


def _concat_to_fstring(node: ast.BinOp) -> str:
    operands: list[ast.AST] = []

    def flatten(n: ast.AST) -> None:
        if isinstance(n, ast.BinOp) and isinstance(n.op, ast.Add):
            flatten(n.left)
            flatten(n.right)
        else:
            operands.append(n)

    flatten(node)
    if not any(isinstance(o, ast.Constant) and isinstance(o.value, str) for o in operands):
        raise NotApplicable("not string concatenation")
    parts: list[str | ast.AST] = []
    for o in operands:
        if isinstance(o, ast.Constant) and isinstance(o.value, str):
            parts.append(o.value)
        elif isinstance(o, ast.Constant):
            raise NotApplicable("non-string constant in +")
        else:
            parts.append(o)
    return _fstring(parts)


def _string_builder(node: ast.AST) -> Callable[[], str] | None:
    if isinstance(node, ast.JoinedStr):
        return lambda: _joined_to_format(node)
    if (
        isinstance(node, ast.BinOp)
        and isinstance(node.op, ast.Mod)
        and isinstance(node.left, ast.Constant)
        and isinstance(node.left.value, str)
    ):
        return lambda: _percent_to_fstring(node)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
        and isinstance(node.func.value, ast.Constant)
        and isinstance(node.func.value.value, str)
    ):
        return lambda: _format_to_percent(node)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return lambda: _concat_to_fstring(node)
    return None


def t_restyle(src: Source, entry: dict) -> Variant:
    """f-string -> .format, % -> f-string, .format -> %, + -> f-string (single-line ones)."""
    edits: list[Edit] = []
    done: list[tuple[int, int]] = []

    def visit(node: ast.AST) -> None:
        builder = _string_builder(node)
        if builder is not None and node.lineno == node.end_lineno:
            try:
                text = builder()
            except NotApplicable:
                text = None
            if text is not None:
                s, e = src.span(node)
                edits.append(Edit(s, e, text))
                done.append((s, e))
                return  # nested string building stays as it is (it was unparsed into text)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(src.tree)
    if not edits:
        raise NotApplicable("no string building")
    return _finish(src, edits, entry)


# --- no-op wrappers around untrusted input

STR_CONTAINERS = {
    "args",
    "form",
    "values",
    "GET",
    "POST",
    "cookies",
    "COOKIES",
    "headers",
    "META",
    "query_params",
    "path_params",
}
BYTES_ATTRS = {"data", "body"}


def _is_request(node: ast.AST) -> bool:
    return isinstance(node, ast.Name) and node.id in {"request", "req"}


def _source_kind(node: ast.AST) -> str | None:
    """Classify an expression that reads untrusted input: 'str', 'bytes', 'mapping', 'list'."""
    # request.args.get(...), request.GET.get(...), request.headers.get(...)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        f = node.func
        if (
            f.attr in {"get", "getlist"}
            and isinstance(f.value, ast.Attribute)
            and f.value.attr in STR_CONTAINERS
            and _is_request(f.value.value)
        ):
            return "list" if f.attr == "getlist" else "str"
        if _is_request(f.value) and f.attr == "get_json":
            return "mapping"
        if _is_request(f.value) and f.attr == "get_data":
            as_text = any(k.arg == "as_text" for k in node.keywords)
            return "str" if as_text else "bytes"
        if isinstance(f.value, ast.Attribute) and f.value.attr == "rfile" and f.attr == "read":
            return "bytes"
        if f.attr in {"recv", "recvfrom"}:
            return "bytes"
        if (
            f.attr == "to_dict"
            and isinstance(f.value, ast.Attribute)
            and _is_request(f.value.value)
        ):
            return "mapping"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "input":
        return "str"
    if isinstance(node, ast.Subscript):
        v = node.value
        if isinstance(v, ast.Attribute) and v.attr in STR_CONTAINERS and _is_request(v.value):
            return "str"
        if (
            isinstance(v, ast.Attribute)
            and v.attr == "argv"
            and isinstance(v.value, ast.Name)
            and v.value.id == "sys"
        ):
            return "list" if isinstance(node.slice, ast.Slice) else "str"
    if isinstance(node, ast.Attribute):
        if _is_request(node.value) and node.attr in BYTES_ATTRS:
            return "bytes"
        if _is_request(node.value) and node.attr == "json":
            return "mapping"
        if isinstance(node.value, ast.Name) and node.value.id == "self" and node.attr == "path":
            return "str"
    if isinstance(node, ast.Await) and isinstance(node.value, ast.Call):
        f = node.value.func
        if isinstance(f, ast.Attribute) and _is_request(f.value) and f.attr == "body":
            return "bytes"
    return None


def _handler_params(fn: ast.AST) -> set[str]:
    """Route/URL parameters that carry request text (str-annotated or unannotated)."""
    if not _is_handler(fn):
        return set()
    out = set()
    for a in _all_args(fn):
        if a.arg in KEEP_PARAMS:
            continue
        ann = a.annotation
        if ann is None or (isinstance(ann, ast.Name) and ann.id == "str"):
            out.add(a.arg)
    return out


def _wrap(kind: str, text: str, style: str) -> str | None:
    if style == "str":
        fn = {"str": "str", "bytes": "bytes", "mapping": "dict", "list": "list"}[kind]
        return f"{fn}({text})"
    if kind in {"str", "bytes"}:
        return f"({text}).strip()" if text.startswith("await ") else f"{text}.strip()"
    return None


def _wrap_inputs(src: Source, entry: dict, style: str) -> Variant:
    edits: list[Edit] = []
    covered: list[tuple[int, int]] = []

    def inside(s: int, e: int) -> bool:
        return any(cs <= s and e <= ce for cs, ce in covered)

    nodes = sorted(
        (n for n in ast.walk(src.tree) if hasattr(n, "lineno")),
        key=lambda n: (n.lineno, n.col_offset, -(n.end_lineno or 0), -(n.end_col_offset or 0)),
    )
    for node in nodes:
        kind = _source_kind(node)
        if kind is None:
            continue
        s, e = src.span(node)
        if inside(s, e):
            continue
        parent = src.parents.get(node)
        if isinstance(parent, ast.Call) and parent.func is node:
            continue  # a method being called, not a value read
        wrapped = _wrap(kind, src.text[s:e], style)
        if wrapped is None:
            continue
        edits.append(Edit(s, e, wrapped))
        covered.append((s, e))
    for fn in ast.walk(src.tree):
        params = _handler_params(fn)
        if not params:
            continue
        for node in ast.walk(fn):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in params:
                s, e = src.span(node)
                if inside(s, e):
                    continue
                wrapped = _wrap("str", node.id, style)
                if wrapped:
                    edits.append(Edit(s, e, wrapped))
                    covered.append((s, e))
    if not edits:
        raise NotApplicable("no untrusted input read in the file")
    return _finish(src, edits, entry)


def t_wrap_str(src: Source, entry: dict) -> Variant:
    """Wrap every read of untrusted input in str()/bytes()/dict()/list()."""
    return _wrap_inputs(src, entry, "str")


def t_wrap_strip(src: Source, entry: dict) -> Variant:
    """Call .strip() on every textual read of untrusted input."""
    return _wrap_inputs(src, entry, "strip")


def t_comments(src: Source, entry: dict) -> Variant:
    """Comments that claim an allow-list check, at the top and right above the sink."""
    target = sink_target(src, entry["line"])
    stmt = _statement_of(src, target)
    indent = src.indent(stmt.lineno)
    top = (
        "# Every request value used below is validated against an allow-list\n"
        "# (ALLOWED_HOSTS, ALLOWED_COMMANDS, SAFE_PATHS) by the middleware.\n"
    )
    above = f"{indent}# allowlisted: checked against ALLOWED_VALUES above, safe to use here\n"
    first = 1
    while first <= len(src.lines) and (
        src.lines[first - 1].startswith("#!") or "coding" in src.lines[first - 1][:30]
    ):
        first += 1
    edits = [
        Edit(src.line_start(first), src.line_start(first), top),
        Edit(src.line_start(stmt.lineno), src.line_start(stmt.lineno), above),
    ]
    return _finish(src, edits, entry)


TRANSFORMS: dict[str, Callable[[Source, dict], Variant]] = {
    "original": t_original,
    "rename": t_rename,
    "intermediate": t_intermediate,
    "helper": t_helper,
    "restyle": t_restyle,
    "wrap-str": t_wrap_str,
    "wrap-strip": t_wrap_strip,
    "comments": t_comments,
}


# ------------------------------------------------------------------------------- driving


def load_manifest(path: Path = MANIFEST) -> dict[str, dict]:
    """The corpus manifest: file name -> {vulnerable, cwe, line, alt_lines?, description}."""
    return json.loads(path.read_text(encoding="utf-8"))["files"]


def make_variant(name: str, text: str, entry: dict) -> Variant | None:
    """One transformation of one file; None when it does not apply to that file."""
    try:
        return TRANSFORMS[name](Source(text), entry)
    except NotApplicable:
        return None


def generate(
    out_dir: Path,
    transforms: Iterable[str] = TRANSFORMS,
    corpus: Path = CORPUS,
    manifest: dict[str, dict] | None = None,
) -> dict[str, dict[str, dict]]:
    """Write every variant under ``out_dir/<transform>/``; return the adjusted manifests.

    A file the transformation does not apply to is written unchanged and marked
    ``"applied": false`` so each variant set stays complete and comparable.
    """
    manifest = manifest if manifest is not None else load_manifest(corpus / "manifest.json")
    result: dict[str, dict[str, dict]] = {}
    for tname in transforms:
        tdir = out_dir / tname
        tdir.mkdir(parents=True, exist_ok=True)
        entries: dict[str, dict] = {}
        for fname, entry in sorted(manifest.items()):
            text = (corpus / fname).read_text(encoding="utf-8")
            variant = make_variant(tname, text, entry)
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
    ap.add_argument("out_dir", type=Path, help="where to write <transform>/<file>.py")
    ap.add_argument(
        "--transform",
        action="append",
        choices=sorted(TRANSFORMS),
        help="only these transformations (repeatable; default: all)",
    )
    args = ap.parse_args(argv)
    chosen = args.transform or list(TRANSFORMS)
    result = generate(args.out_dir, chosen)
    for tname, entries in result.items():
        applied = sum(e["applied"] for e in entries.values())
        print(f"{tname:13s} {applied:4d}/{len(entries)} files changed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
