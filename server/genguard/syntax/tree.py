"""One incrementally maintained tree-sitter tree per document.

Edits are applied to the old tree as they arrive (cheap), and the reparse is
deferred until someone needs the tree, so a burst of keystrokes costs one
incremental parse instead of one per keystroke. An editor may also bring the tree
up to date once it has answered (:meth:`SyntaxTree.refresh`), so that the next
check does not pay for the reparse of earlier edits; the ranges that reparse
changed are kept for that check, moved along by the edits in between (and what is
kept up to date at each refresh, such as the taint tables, is told of them then).
"""

from __future__ import annotations

from tree_sitter import Parser, Tree

from genguard.syntax.edits import for_reuse
from genguard.syntax.languages import new_parser
from genguard.text.buffer import ByteEdit, TextBuffer, merge_ranges


class SyntaxTree:
    __slots__ = (
        "_dirty",
        "_parser",
        "_pending",
        "_tree",
        "full_parses",
        "incremental_parses",
        "language",
        "last_reparse",
    )

    def __init__(self, language: str, parser: Parser) -> None:
        self.language = language
        self._parser = parser
        self._tree: Tree | None = None
        self._dirty = True
        self._pending: list[tuple[int, int]] = []  # changed by a refresh, not yet reported
        #: What the reparse :meth:`current` made itself changed (none when a refresh had
        #: parsed already): what was kept up to date at each refresh still needs.
        self.last_reparse: list[tuple[int, int]] = []
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

    def edit(self, edit: ByteEdit, buffer: TextBuffer | None = None) -> None:
        """Record an edit on the current tree; parsing waits until :meth:`current`.

        Given the text it was just applied to, the tree is told the edit the way its
        reparse reuses most of it (:mod:`genguard.syntax.edits`)."""
        if self._tree is not None:
            told = edit if buffer is None else for_reuse(self.language, buffer, edit)
            self._tree.edit(
                start_byte=told.start,
                old_end_byte=told.old_end,
                new_end_byte=told.new_end,
                start_point=told.start_point,
                old_end_point=told.old_end_point,
                new_end_point=told.new_end_point,
            )
        if self._pending:
            start, end, delta = edit.start, edit.old_end, edit.delta
            self._pending = [
                (a, b)
                if b < start
                else (a + delta, b + delta)
                if a > end
                else (min(a, start), max(b + delta, edit.new_end))
                for a, b in self._pending
            ]
        self._dirty = True

    def current(self, source: bytes) -> tuple[Tree, list[tuple[int, int]]]:
        """The tree for ``source`` and the byte ranges whose structure changed since last time.

        The first parse reports no changed ranges: callers treat a fresh tree as
        "everything changed" themselves.
        """
        self.last_reparse = []
        if self._dirty or self._tree is None:
            self.last_reparse = self._parse(source)
        changed, self._pending = self._pending, []
        assert self._tree is not None
        return self._tree, changed

    @property
    def tree(self) -> Tree | None:
        """The tree as last parsed (stale while :attr:`stale`)."""
        return self._tree

    def refresh(self, source: bytes) -> list[tuple[int, int]] | None:
        """Reparse now if edits wait for it (and a tree exists to reparse
        incrementally): what it changed, which :meth:`current` reports too; None
        when there was nothing to reparse."""
        if self._dirty and self._tree is not None:
            return self._parse(source)
        return None

    def _parse(self, source: bytes) -> list[tuple[int, int]]:
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
        self._pending = (
            merge_ranges([*self._pending, *changed], empty=True) if self._pending else changed
        )
        return changed

    def reset(self) -> None:
        self._tree = None
        self._dirty = True
        self._pending = []
        self.last_reparse = []
