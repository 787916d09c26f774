"""Reading and writing genguard's commit notes with the real ``git notes``.

git's hook environment is kept: the post-commit and post-rewrite hooks write
notes for the repository git runs them in.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from genguard.gitio.notemerge import merge_notes, note_line, split_objects
from genguard.gitio.run import Git, GitError, read_blobs, run_git
from genguard.notes.format import NOTES_REF, Note, NoteError, parse_note
from genguard.values import FrozenValue

if TYPE_CHECKING:
    from genguard.attribution.match import Source

GIT_TIMEOUT = 10.0


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class _Answer(FrozenValue):
    returncode: int
    stdout: str
    stderr: str


def _git(repo: Path, *args: str, input: str | None = None) -> _Answer:
    proc = run_git(
        repo,
        *args,
        hook_env=True,
        input=None if input is None else input.encode(),
        check=False,
        timeout=GIT_TIMEOUT,
    )
    return _Answer(
        proc.returncode,
        proc.stdout.decode("utf-8", "surrogateescape"),
        proc.stderr.decode("utf-8", "replace"),
    )


def read_note_text(repo: Path, commit: str, ref: str = NOTES_REF) -> str | None:
    """The raw note on ``commit``, or None when it has none."""
    proc = _git(repo, "notes", "--ref", ref, "show", commit)
    return proc.stdout if proc.returncode == 0 else None


def note_objects(repo: Path, commit: str) -> list[dict]:
    """The JSON objects of the note blob on ``commit`` (after a rewrite it can hold the
    copied notes of the old commits beside its own); [] when none or unreadable."""
    try:
        objects = split_objects(read_note_text(repo, commit) or "")
    except NoteError:
        return []
    return [o for o in objects if isinstance(o, dict)]


def parse_note_text(text: str, commit: str) -> Note:
    """Parse a note blob that may hold several note objects (see notemerge) as one note."""
    objects = split_objects(text)
    if len(objects) == 1:
        return parse_note(text)
    if not objects:
        raise NoteError("empty note")
    notes = [parse_note(json.dumps(obj)) for obj in objects]
    own = next((n.commit for n in notes if n.commit == commit), None)
    full = len(commit) in (40, 64) and all(c in "0123456789abcdef" for c in commit)
    return merge_notes(notes, own or (commit if full else notes[0].commit))


def own_note(repo: Path, commit: str) -> Note | None:
    """The note written for ``commit`` itself, when its blob also holds notes git copied
    onto it from other commits (a rewrite); None when there is none or it is unreadable."""
    own = next((o for o in note_objects(repo, commit) if o.get("commit") == commit), None)
    try:
        return parse_note(json.dumps(own)) if own is not None else None
    except NoteError:
        return None


def read_note(repo: Path, commit: str, ref: str = NOTES_REF) -> Note | None:
    """The parsed note on ``commit``; None when absent, NoteError when malformed.

    Several note objects in one blob (left by ``notes.rewriteMode = concatenate``
    or a ``cat_sort_uniq`` merge) are merged into one note.
    """
    text = read_note_text(repo, commit, ref)
    if text is None:
        return None
    return parse_note_text(text, commit)


def readable_notes(
    repo: Path, commits: Sequence[str], err: TextIO | None = None
) -> list[tuple[str, Note]]:
    """(commit, note) for each of ``commits`` with a readable note, in order; each other
    one is named on ``err`` (stderr): the AI lines it held are not carried, and no
    caller drops them without saying so."""
    out: list[tuple[str, Note]] = []
    for commit in commits:
        try:
            note = read_note(repo, commit)
        except NoteError as exc:
            (err or sys.stderr).write(
                f"genguard: warning: the note on {commit[:12]} is unreadable ({exc}); not carried\n"
            )
            continue
        if note is not None:
            out.append((commit, note))
    return out


def write_note(repo: Path, commit: str, note: Note, ref: str = NOTES_REF) -> None:
    """Attach ``note`` to ``commit``, replacing a previous genguard note.

    Written as one line of JSON so that line-based note merges keep it whole.
    """
    proc = _git(repo, "notes", "--ref", ref, "add", "-f", "-F", "-", commit, input=note_line(note))
    if proc.returncode != 0:
        raise GitError(f"git notes add failed: {proc.stderr.strip()}")


def noted_commits(repo: Path, ref: str = NOTES_REF) -> dict[str, str]:
    """Map of commit sha -> note blob sha for every commit with a genguard note."""
    proc = _git(repo, "notes", "--ref", ref, "list")
    out: dict[str, str] = {}
    if proc.returncode != 0:
        return out
    for line in proc.stdout.splitlines():
        parts = line.split()
        if len(parts) == 2:
            blob, commit = parts
            out[commit] = blob
    return out


def notes_in_range(
    repo: Path, revrange: str | None = None, ref: str = NOTES_REF
) -> Iterator[tuple[str, Note | None, str | None]]:
    """(commit, note or None, error or None) for each commit in ``revrange`` (default HEAD)."""
    proc = _git(repo, "rev-list", "--reverse", revrange or "HEAD")
    if proc.returncode != 0:
        raise ValueError(f"bad revision range {revrange!r}: {proc.stderr.strip()}")
    noted = noted_commits(repo, ref)
    for commit in proc.stdout.split():
        if commit not in noted:
            yield commit, None, None
            continue
        try:
            yield commit, read_note(repo, commit, ref), None
        except NoteError as exc:
            yield commit, None, str(exc)


__all__ = [
    "NOTES_REF",
    "Note",
    "NoteError",
    "noted_commits",
    "notes_in_range",
    "parse_note_text",
    "read_note",
    "read_note_text",
    "write_note",
]


def carried_sources(git: Git, notes: Sequence[tuple[str, Note]]) -> dict[str, list[Source]]:
    """What other commits' notes say AI wrote (a rebase, cherry-pick or squash brings
    their lines along): each file's AI ranges hashed from that commit's version."""
    from genguard.attribution.match import note_sources

    wanted = [
        (commit, path) for commit, note in notes for path, e in note.files.items() if e.ranges
    ]
    blobs = read_blobs(git, [f"{c}:{p}" for c, p in wanted])
    out: dict[str, list[Source]] = {}
    for commit, note in notes:
        for path, entry in note.files.items():
            blob = blobs.get(f"{commit}:{path}")
            if not entry.ranges or blob is None:
                continue
            out.setdefault(path, []).extend(note_sources(entry.ranges, blob.split(b"\n")))
    return out
