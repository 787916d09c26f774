"""Find the modules and packages a piece of code imports.

Tree-sitter queries over the chunk's own text (parsed on its own, so a partial
chunk still parses well enough), for Python, JavaScript/TypeScript, Go and
Java. Results are memoised by text, because the session asks again on every
publish while the chunk usually has not changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from tree_sitter import Query, QueryCursor, QueryError

from genguard.syntax.languages import get_language, new_parser

MAX_SCAN_BYTES = 256 * 1024
"""Larger chunks are not parsed for imports (the chunk-size check flags them anyway)."""

_JS = (
    "(import_statement source: (string (string_fragment) @name))",
    "(export_statement source: (string (string_fragment) @name))",
    "((call_expression function: (identifier) @_f"
    " arguments: (arguments . (string (string_fragment) @name)))"
    ' (#eq? @_f "require"))',
    "(call_expression function: (import)"
    " arguments: (arguments . (string (string_fragment) @name)))",
    "(import_require_clause source: (string (string_fragment) @name))",
)

PATTERNS: dict[str, tuple[str, ...]] = {
    "python": (
        "(import_statement name: (dotted_name) @name)",
        "(import_statement name: (aliased_import name: (dotted_name) @name))",
        "(import_from_statement module_name: (dotted_name) @name)",
        "(import_from_statement module_name: (dotted_name) @module name: (dotted_name) @sub)",
        "(import_from_statement module_name: (dotted_name) @module"
        " name: (aliased_import name: (dotted_name) @sub))",
        "((call function: (identifier) @_f"
        " arguments: (argument_list . (string (string_content) @name)))"
        ' (#eq? @_f "__import__"))',
        "((call function: (attribute object: (identifier) @_o attribute: (identifier) @_f)"
        " arguments: (argument_list . (string (string_content) @name)))"
        ' (#eq? @_o "importlib") (#eq? @_f "import_module"))',
    ),
    "javascript": _JS,
    "typescript": _JS,
    "tsx": _JS,
    "go": ("(import_spec path: (_) @name)",),
    "java": (
        "(import_declaration (scoped_identifier) @name)",
        "(import_declaration (identifier) @name)",
    ),
}

LANGUAGES = tuple(PATTERNS)


@dataclass(frozen=True, slots=True)
class ImportRef:
    """One imported name and its byte span in the text that was scanned."""

    name: str
    start: int
    end: int


@lru_cache(maxsize=16)
def _query(language: str) -> Query | None:
    """The language's import patterns that compile with the installed grammar."""
    grammar = get_language(language)
    if grammar is None:
        return None
    usable = []
    for pattern in PATTERNS.get(language, ()):
        try:
            Query(grammar, pattern)
        except QueryError:
            continue  # e.g. a TypeScript-only node in the JavaScript grammar
        usable.append(pattern)
    return Query(grammar, "\n".join(usable)) if usable else None


def _text(source: bytes, start: int, end: int) -> str:
    return source[start:end].decode("utf-8", errors="replace").strip("\"'`")


@lru_cache(maxsize=64)
def find_imports(source: bytes, language: str | None) -> tuple[ImportRef, ...]:
    """Every import in ``source`` (a chunk's text), in order of appearance."""
    if language not in PATTERNS or len(source) > MAX_SCAN_BYTES:
        return ()
    query = _query(language)
    parser = new_parser(language)
    if query is None or parser is None:
        return ()
    tree = parser.parse(source)
    found: dict[tuple[str, int, int], ImportRef] = {}
    for _pattern, captures in QueryCursor(query, match_limit=256).matches(tree.root_node):
        names = captures.get("name")
        if names:
            node = names[0]
            name = _text(source, node.start_byte, node.end_byte)
            ref = ImportRef(name, node.start_byte, node.end_byte)
        elif captures.get("module") and captures.get("sub"):
            module, sub = captures["module"][0], captures["sub"][0]
            parent = _text(source, module.start_byte, module.end_byte)
            name = f"{parent}.{_text(source, sub.start_byte, sub.end_byte)}"
            ref = ImportRef(name, sub.start_byte, sub.end_byte)
        else:
            continue
        if ref.name:
            found.setdefault((ref.name, ref.start, ref.end), ref)
    return tuple(sorted(found.values(), key=lambda r: (r.start, r.end)))


def _normalise(name: str) -> str:
    return name.removeprefix("node:")


def banned_match(name: str, banned: Sequence[str]) -> str | None:
    """The entry of ``banned`` that ``name`` falls under, if any.

    An entry covers the name itself and everything below it: ``yaml`` covers
    ``yaml.constructor``, ``lodash`` covers ``lodash/fp``, ``java.rmi`` covers
    ``java.rmi.Remote``; ``node:`` prefixes are ignored on both sides.
    """
    name = _normalise(name)
    for entry in banned:
        b = _normalise(entry)
        if name == b or (name.startswith(b) and name[len(b)] in "./:"):
            return entry
    return None


def mentions_any(source: bytes, banned: Sequence[str]) -> bool:
    """Cheap pre-check: could ``source`` import anything in ``banned`` at all?"""
    return any(_normalise(b).encode("utf-8") in source for b in banned)
