"""Decisions about findings that travel with commits: what a note says of a line.

A suppression made in the editor (with its justification) or a review is written
into the note of the commit that adds the lines. Anyone with the notes (a clone
after ``genguard notes fetch``, CI) can then honour that decision for as long as
``git blame`` still attributes the line to that commit: once the line changes,
blame names a newer commit whose note says nothing of it, and the finding is
open again.

Notes come from elsewhere too (``genguard notes fetch``), and a fetch can
replace a note or sit beside it. A suppression therefore holds when the note
carrying it was written by this clone (the ledger recorded its hash) or is
signed by an allowed signer, or else when nothing here contradicts it: no other
note on the commit records the finding as open, and this clone wrote no note of
its own for that commit. An unsigned note from elsewhere never hides what was
recorded here. This module is pure; the caller reads git, the ledger and
signatures.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from genguard.notes.format import Note


@dataclass(frozen=True, slots=True)
class Decision:
    """A person's suppression of one finding, as a commit note records it.

    ``path`` and ``line`` (1-based) are in the commit's version of the file;
    ``when`` is when the note was written.
    """

    rule: str
    reason: str | None
    by: str | None
    when: str
    commit: str
    path: str
    line: int
    signed: bool = False

    def describe(self) -> str:
        """``suppressed by who on when in commit abc123: reason`` for reports."""
        who = self.by or "an unnamed reviewer"
        day = self.when[:10] or "an unknown date"
        why = f": {self.reason}" if self.reason else ""
        return f"suppressed by {who} on {day} in commit {self.commit[:12]}{why}"


@dataclass(frozen=True, slots=True)
class Review:
    """A review of the AI lines a line belongs to, as a commit note records it."""

    reviewer: str | None
    tool: str
    model: str | None
    when: str
    commit: str

    def describe(self) -> str:
        who = self.reviewer or "an unnamed reviewer"
        return f"AI ({self.tool}) reviewed by {who} in commit {self.commit[:12]}"


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the notes on one commit say of one finding.

    ``honoured`` is the suppression that holds; ``refused`` one that does not,
    with ``why`` (it conflicts with an ``open`` and is not signed).
    """

    honoured: Decision | None = None
    refused: Decision | None = None
    why: str | None = None


def decide(
    notes: Sequence[Note],
    commit: str,
    path: str,
    line: int,
    rule: str,
    *,
    trusted: Callable[[Note], bool],
    noted_here: bool,
) -> Verdict:
    """The verdict of ``notes`` (the objects on ``commit``) on ``rule`` at ``path:line``.

    ``trusted`` says whether a note was written by this clone (the ledger recorded
    its hash) or carries a good signature by an allowed signer; it is only asked
    about notes that suppress. ``noted_here`` says whether this clone wrote a note
    for ``commit`` at all: if it did, a suppression from any other note needs
    ``trusted``, as does one that another note on the commit contradicts.
    """
    suppressing: list[tuple[Note, str | None, str | None]] = []
    open_ = False
    for note in notes:
        for f in note.findings:
            if f.file != path or f.line != line or f.rule != rule:
                continue
            if f.handling == "suppressed":
                suppressing.append((note, f.reason, f.by))
            elif f.handling == "open":
                open_ = True
    if not suppressing:
        return Verdict()

    def decision(note: Note, reason: str | None, by: str | None) -> Decision:
        signed = note.signature is not None
        return Decision(rule, reason, by, note.created, commit, path, line, signed)

    for note, reason, by in suppressing:
        if trusted(note):
            return Verdict(honoured=decision(note, reason, by))
    note, reason, by = suppressing[0]
    if open_:
        why = (
            "another note on the same commit records it as open, and the note that "
            "suppresses it is not signed by an allowed signer"
        )
    elif noted_here:
        why = (
            "this clone wrote another note for that commit, and the note that suppresses "
            "it was written elsewhere and is not signed by an allowed signer"
        )
    else:  # a note from elsewhere, and nothing here says otherwise
        return Verdict(honoured=decision(note, reason, by))
    return Verdict(refused=decision(note, reason, by), why=why)


def review_of(notes: Sequence[Note], commit: str, path: str, line: int) -> Review | None:
    """The review a note on ``commit`` records for ``path:line``, if any."""
    for note in notes:
        entry = note.files.get(path)
        if entry is None:
            continue
        for r in entry.ranges:
            if r.start <= line <= r.end and r.status == "reviewed":
                return Review(r.reviewer, r.tool, r.model, note.created, commit)
    return None
