"""Which added lines of a commit (or of the index) are AI-written, per file (pure).

The hooks hand in the added lines (:mod:`genguard.gitio.diff`), the live chunks
(the ledger's index) and ranges carried over from other commits' notes; the
matcher (:mod:`.match`) assigns each added line an owner. Files that added more
than ``[scan] max_file_bytes`` are counted but not matched, and listed as such.
The matcher is imported only for a file that has lines to match: most commits have
none, and every commit's note goes through here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from genguard.attribution.state import ChunkState
from genguard.notes.format import FileEntry
from genguard.values import Value

if TYPE_CHECKING:
    from genguard.attribution.match import Owner, Source
    from genguard.gitio.diff import FileDiff


@dataclass(slots=True, repr=False, eq=False)
class FileAttribution(Value):
    path: str
    diff: FileDiff
    owners: dict[int, Owner] = field(default_factory=dict)
    content: bytes | None = None  # the new version, when it had to be read

    @property
    def added(self) -> int:
        return self.diff.added_count

    def entry(self) -> FileEntry:
        if not self.owners:
            return FileEntry(added_lines=self.added)
        from genguard.attribution.match import to_ranges

        return FileEntry(
            added_lines=self.added, ai_lines=len(self.owners), ranges=to_ranges(self.owners)
        )


@dataclass(slots=True, repr=False, eq=False)
class Attribution(Value):
    files: dict[str, FileAttribution] = field(default_factory=dict)

    @property
    def ai_lines(self) -> int:
        return sum(len(f.owners) for f in self.files.values())

    @property
    def added_lines(self) -> int:
        return sum(f.added for f in self.files.values())

    def ai_files(self) -> list[FileAttribution]:
        return [f for f in self.files.values() if f.owners]

    def tools(self) -> list[tuple[str, str | None, int]]:
        """(tool, model, lines) per tool and model that wrote committed lines."""
        counts: dict[tuple[str, str | None], int] = {}
        for f in self.files.values():
            for owner in f.owners.values():
                key = (owner.tool, owner.model)
                counts[key] = counts.get(key, 0) + 1
        return [(t, m, n) for (t, m), n in sorted(counts.items(), key=str)]

    def first_lines(self) -> dict[str, tuple[str, int]]:
        """Chunk -> (file, line) of its first committed line: where a note puts what it
        says of the chunk as a whole (a finding the editor raised on it, now fixed)."""
        first: dict[str, tuple[str, int]] = {}
        for fa in self.ai_files():
            for n in sorted(fa.owners):
                first.setdefault(fa.owners[n].chunk, (fa.path, n))
        return first

    def oversize(self) -> list[FileAttribution]:
        """Files that added more than ``[scan] max_file_bytes``: counted, not analysed."""
        return [f for f in self.files.values() if f.diff.oversize]

    def incomplete(self) -> list[dict[str, str]]:
        """What a note says about the files it could not analyse."""
        return [
            {
                "what": "oversize",
                "file": f.path,
                "detail": f"{f.added} lines added, over [scan] max_file_bytes; not analysed",
            }
            for f in self.oversize()
        ]

    def entries(self) -> dict[str, FileEntry]:
        """Note entries for every file with added lines (AI or not), sorted by path."""
        return {p: f.entry() for p, f in sorted(self.files.items()) if f.added}


#: Reads file contents of the new version for a list of paths.
Reader = Callable[[Sequence[str]], Mapping[str, bytes | None]]


def attribute(
    diffs: Mapping[str, FileDiff],
    live: Mapping[str, Sequence[ChunkState]],
    read: Reader,
    carried: Mapping[str, Sequence[Source]] | None = None,
) -> Attribution:
    """Match every file's added lines: ledger chunks first, then carried ranges."""
    carried = carried or {}
    result = Attribution()
    ledger_sources: dict[str, list[Source]] = {}
    for path, fd in diffs.items():
        result.files[path] = FileAttribution(path, fd)
        states = list(live.get(path, ()))
        if fd.old_path and fd.old_path != path:
            states.extend(live.get(fd.old_path, ()))
        if states and fd.added:
            from genguard.attribution.match import Source

            ledger_sources[path] = [Source.from_state(s) for s in states]
    to_read = [p for p in ledger_sources if any(s.lines for s in ledger_sources[p])]
    contents = read(to_read) if to_read else {}
    for path, fa in result.files.items():
        if not fa.diff.added:
            continue
        content = contents.get(path)
        fa.content = content
        extra = carried.get(path)
        if path not in ledger_sources and not extra:
            continue
        from genguard.attribution.match import assign

        lines = content.split(b"\n") if content is not None else None
        if path in ledger_sources:
            fa.owners = assign(fa.diff.added, ledger_sources[path], lines)
        if extra:
            fa.owners = assign(fa.diff.added, extra, None, taken=fa.owners)
    return result


def ensure_contents(result: Attribution, read: Reader) -> None:
    """Read the new version of every file with AI lines (rules need it)."""
    missing = [f.path for f in result.ai_files() if f.content is None]
    if missing:
        for path, data in read(missing).items():
            result.files[path].content = data
