"""One incrementally maintained tree-sitter tree per document.

Edits are applied to the old tree as they arrive (cheap), and the reparse is
deferred until someone needs the tree, so a burst of keystrokes costs one
incremental parse instead of one per keystroke.
"""

from __future__ import annotations

from tree_sitter import Parser, Tree

from genguard.syntax.languages import new_parser
from genguard.text.buffer import ByteEdit


class SyntaxTree:
    __slots__ = (
        "_dirty",
        "_parser",
        "_tree",
        "full_parses",
        "incremental_parses",
        "language",
    )

    def __init__(self, language: str, parser: Parser) -> None:
        self.language = language
        self._parser = parser
        self._tree: Tree | None = None
        self._dirty = True
        self.full_parses = 0
        self.incremental_parses = 0

    @classmethod
    def for_language(cls, language: str | None) -> SyntaxTree | None:
        if language is None:
            return None
        parser = new_parser(language)
        return cls(language, parser) if parser is not None else None

    @property
    def has_tree(self) -> bool:
        return self._tree is not None

    @property
    def stale(self) -> bool:
        """Whether edits are waiting for a reparse."""
        return self._dirty

    def edit(self, edit: ByteEdit) -> None:
        """Record an edit on the current tree; parsing waits until :meth:`current`."""
        if self._tree is not None:
            self._tree.edit(
                start_byte=edit.start,
                old_end_byte=edit.old_end,
                new_end_byte=edit.new_end,
                start_point=edit.start_point,
                old_end_point=edit.old_end_point,
                new_end_point=edit.new_end_point,
            )
        self._dirty = True

    def current(self, source: bytes) -> tuple[Tree, list[tuple[int, int]]]:
        """The tree for ``source`` and the byte ranges whose structure changed since last time.

        The first parse reports no changed ranges: callers treat a fresh tree as
        "everything changed" themselves.
        """
        if not self._dirty and self._tree is not None:
            return self._tree, []
        old = self._tree
        if old is None:
            tree = self._parser.parse(source)
            self.full_parses += 1
            changed: list[tuple[int, int]] = []
        else:
            tree = self._parser.parse(source, old)
            self.incremental_parses += 1
            changed = [(r.start_byte, r.end_byte) for r in old.changed_ranges(tree)]
        self._tree = tree
        self._dirty = False
        return tree, changed

    def reset(self) -> None:
        self._tree = None
        self._dirty = True
