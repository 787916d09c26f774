"""Which lines of a file are AI-written, for ``genguard scan --ai-only``.

Two sources, both already kept by genguard: the ledger (replayed into live
chunks, whose lines are recognised by hash so edits elsewhere in the file do not
matter) and, for code that was committed, the commit notes (``git blame`` maps
each current line to the commit and line it came from; the commit's note says
which of its lines were AI). Either one is enough to call a line AI.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from genguard.assess import AiChunk, chunks_from_lines
from genguard.attribution.linehash import line_hash
from genguard.ledger import Ledger, ledger_path

log = logging.getLogger(__name__)


class LedgerLines:
    """Line hashes of the live AI chunks of each file, from the ledger's index.

    ``ai`` answers ``--ai-only``; ``chunks`` gives the file's AI chunks for the
    assessment (governance and agent-risk checks run on them, and a suppression
    the AI wrote for itself is not honoured until a person reviews the chunk).
    """

    def __init__(self, root: Path) -> None:
        self._ai: dict[str, frozenset[str]] = {}
        self._by_hash: dict[str, dict[str, AiChunk]] = {}
        path = ledger_path(root)
        if not path.is_file():
            return
        try:
            live = Ledger(path).state().live()
        except OSError as exc:
            log.warning("cannot read the ledger %s: %s", path, exc)
            return
        for file, chunks in live.items():
            self._ai[file] = frozenset(h for c in chunks for h in c.line_hashes)
            by_hash: dict[str, AiChunk] = {}
            for c in chunks:
                template = AiChunk(
                    c.id,
                    tool=c.tool,
                    model=c.model,
                    kind=c.kind,
                    status=c.status,
                    suppressed=dict(c.suppressed),
                )
                for h in c.line_hashes:
                    by_hash.setdefault(h, template)
            self._by_hash[file] = by_hash

    def ai(self, rel: str) -> frozenset[str]:
        return self._ai.get(rel, frozenset())

    def files(self) -> frozenset[str]:
        """The files that hold live AI chunks (a scan never leaves them out)."""
        return frozenset(rel for rel, hashes in self._ai.items() if hashes)

    def chunks(self, rel: str, data: bytes) -> tuple[AiChunk, ...]:
        """The live AI chunks of ``rel`` in ``data``, their lines found by hash."""
        by_hash = self._by_hash.get(rel)
        if not by_hash:
            return ()
        lines = {}
        for n, text in enumerate(data.split(b"\n"), start=1):
            chunk = by_hash.get(line_hash(text) or "")
            if chunk is not None:
                lines[n] = chunk
        return tuple(chunks_from_lines(data, lines))


def lines_matching(lines: Mapping[int, bytes], hashes: frozenset[str]) -> set[int]:
    """The numbers in ``lines`` (number -> text) whose line hash is one of ``hashes``."""
    if not hashes:
        return set()
    return {n for n, text in lines.items() if line_hash(text) in hashes}


class NoteLines:
    """AI lines known from commit notes, looked up per file through ``git blame``.

    Nothing runs unless the repository has genguard notes at all, and blame runs
    only for files that have findings to decide about.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._noted: set[str] | None = None
        self._notes: dict[str, Any] = {}

    def _noted_commits(self) -> set[str]:
        if self._noted is None:
            try:
                from genguard.gitio.notes import noted_commits
            except ImportError:
                self._noted = set()
            else:
                self._noted = set(noted_commits(self.root))
        return self._noted

    def _ranges(self, commit: str, filename: str) -> list[tuple[int, int]]:
        if commit not in self._notes:
            from genguard.gitio.notes import read_note

            try:
                self._notes[commit] = read_note(self.root, commit)
            except ValueError as exc:  # a malformed note: ignore it, say so once
                log.warning("commit %s: unreadable genguard note: %s", commit[:12], exc)
                self._notes[commit] = None
        note = self._notes[commit]
        if note is None:
            return []
        entry = note.files.get(filename)
        return [] if entry is None else [(r.start, r.end) for r in entry.ranges]

    def ai_lines(self, rel: str) -> set[int]:
        """0-based working-tree lines of ``rel`` that a commit note marks as AI."""
        noted = self._noted_commits()
        if not noted:
            return set()
        from genguard.scan.git import blame

        lines = blame(self.root, rel)
        if not lines:
            return set()
        out: set[int] = set()
        for number, origin in enumerate(lines):
            if origin.commit not in noted:
                continue
            if any(a <= origin.line <= b for a, b in self._ranges(origin.commit, origin.filename)):
                out.add(number)
        return out
