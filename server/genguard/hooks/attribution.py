"""Reading what the matcher needs from git: the new version of files, and the AI
ranges of other commits' notes (rebase, cherry-pick, squash)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from genguard.attribution.committed import Reader
from genguard.attribution.match import Source, note_sources
from genguard.gitio.run import Git, read_blobs
from genguard.notes.format import Note


def index_reader(git: Git) -> Reader:
    def read(paths: Sequence[str]) -> Mapping[str, bytes | None]:
        blobs = read_blobs(git, [f":{p}" for p in paths])
        return {p: blobs.get(f":{p}") for p in paths}

    return read


def commit_reader(git: Git, commit: str) -> Reader:
    def read(paths: Sequence[str]) -> Mapping[str, bytes | None]:
        blobs = read_blobs(git, [f"{commit}:{p}" for p in paths])
        return {p: blobs.get(f"{commit}:{p}") for p in paths}

    return read


def carried_sources(git: Git, notes: Sequence[tuple[str, Note]]) -> dict[str, list[Source]]:
    """Sources from the AI ranges of other commits' notes, hashed from their files."""
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
