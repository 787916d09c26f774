"""Which tree-sitter grammar serves which file.

Grammars come from the official per-language wheels; each is imported lazily so
a missing or broken wheel costs only its own language (the file then falls back
to line-based attribution and regex rules).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import cache
from pathlib import PurePath

from tree_sitter import Language, Parser

from genguard.syntax.installed import package_version

# language name -> (module, function returning the grammar pointer)
_GRAMMARS: dict[str, tuple[str, str]] = {
    "python": ("tree_sitter_python", "language"),
    "javascript": ("tree_sitter_javascript", "language"),
    "typescript": ("tree_sitter_typescript", "language_typescript"),
    "tsx": ("tree_sitter_typescript", "language_tsx"),
    "go": ("tree_sitter_go", "language"),
    "java": ("tree_sitter_java", "language"),
    "rust": ("tree_sitter_rust", "language"),
    "c": ("tree_sitter_c", "language"),
    "cpp": ("tree_sitter_cpp", "language"),
    "csharp": ("tree_sitter_c_sharp", "language"),
    "ruby": ("tree_sitter_ruby", "language"),
    "php": ("tree_sitter_php", "language_php"),
    "bash": ("tree_sitter_bash", "language"),
}

# distribution names, for the grammar part of cache keys
_DISTRIBUTIONS: dict[str, str] = {
    "tree_sitter_python": "tree-sitter-python",
    "tree_sitter_javascript": "tree-sitter-javascript",
    "tree_sitter_typescript": "tree-sitter-typescript",
    "tree_sitter_go": "tree-sitter-go",
    "tree_sitter_java": "tree-sitter-java",
    "tree_sitter_rust": "tree-sitter-rust",
    "tree_sitter_c": "tree-sitter-c",
    "tree_sitter_cpp": "tree-sitter-cpp",
    "tree_sitter_c_sharp": "tree-sitter-c-sharp",
    "tree_sitter_ruby": "tree-sitter-ruby",
    "tree_sitter_php": "tree-sitter-php",
    "tree_sitter_bash": "tree-sitter-bash",
}

_EXTENSIONS: dict[str, str] = {
    ".py": "python",
    ".pyi": "python",
    ".pyw": "python",
    ".js": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".jsx": "javascript",
    ".ts": "typescript",
    ".mts": "typescript",
    ".cts": "typescript",
    ".tsx": "tsx",
    ".go": "go",
    ".java": "java",
    ".rs": "rust",
    ".c": "c",
    ".h": "c",
    ".cc": "cpp",
    ".cpp": "cpp",
    ".cxx": "cpp",
    ".hpp": "cpp",
    ".hh": "cpp",
    ".hxx": "cpp",
    ".cs": "csharp",
    ".rb": "ruby",
    ".php": "php",
    ".sh": "bash",
    ".bash": "bash",
}

# LSP languageId values (as editors send them) -> our language names
_LANGUAGE_IDS: dict[str, str] = {
    "python": "python",
    "javascript": "javascript",
    "javascriptreact": "javascript",
    "typescript": "typescript",
    "typescriptreact": "tsx",
    "go": "go",
    "java": "java",
    "rust": "rust",
    "c": "c",
    "cpp": "cpp",
    "csharp": "csharp",
    "ruby": "ruby",
    "php": "php",
    "shellscript": "bash",
    "sh": "bash",
    "bash": "bash",
}

SUPPORTED: tuple[str, ...] = tuple(_GRAMMARS)


def language_for_path(path: str | PurePath) -> str | None:
    """Guess the language from a file name; None when genguard has no grammar for it."""
    return _EXTENSIONS.get(PurePath(path).suffix.lower())


def language_for_id(language_id: str | None, path: str | PurePath | None = None) -> str | None:
    """Resolve an LSP languageId, falling back to the file extension."""
    if language_id and language_id in _LANGUAGE_IDS:
        return _LANGUAGE_IDS[language_id]
    return language_for_path(path) if path is not None else None


@cache
def get_language(name: str) -> Language | None:
    """The tree-sitter Language for ``name``, or None when its grammar is not installed."""
    spec = _GRAMMARS.get(name)
    if spec is None:
        return None
    module_name, func_name = spec
    try:
        module = importlib.import_module(module_name)
        func: Callable[[], object] = getattr(module, func_name)
        return Language(func())
    except (ImportError, AttributeError, ValueError):
        return None


def new_parser(name: str) -> Parser | None:
    lang = get_language(name)
    return Parser(lang) if lang is not None else None


@cache
def grammar_version(name: str) -> str:
    """Version of the grammar wheel serving ``name`` (part of cache keys)."""
    spec = _GRAMMARS.get(name)
    if spec is None:
        return "none"
    return package_version(_DISTRIBUTIONS[spec[0]])
