"""One note from several: what git leaves behind when notes meet.

A commit can end up with more than one genguard note object in its note blob:
``notes.rewriteMode = concatenate`` (the default) appends the copied note of an
amended or rebased commit to the one already there, and ``git notes merge -s
cat_sort_uniq`` (how ``genguard notes fetch`` combines a remote's notes) keeps
every distinct line of both sides. genguard writes each note as a single line
of JSON so both cases leave whole JSON objects, which are merged here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from genguard.digest import hexdigest
from genguard.notes.format import (
    MAX_NOTE_BYTES,
    AiRange,
    FileEntry,
    Note,
    NoteError,
    NoteFinding,
)

# When notes disagree on how a finding was handled, the most cautious account wins:
# notes meet from other clones (``genguard notes fetch``), so a "suppressed" in one
# must never hide an "open" in another.
_HANDLING_RANK = {"open": 0, "suppressed": 1, "fixed": 2}


def split_objects(text: str) -> list[Any]:
    """The JSON values in ``text``, one after another (whitespace between them).

    Deep nesting is a NoteError like any other malformed note, and so is a blob
    over :data:`MAX_NOTE_BYTES`.
    """
    if len(text) > MAX_NOTE_BYTES:
        raise NoteError(f"note of {len(text)} bytes is over the {MAX_NOTE_BYTES}-byte limit")
    decoder = json.JSONDecoder()
    out: list[Any] = []
    i, n = 0, len(text)
    while True:
        while i < n and text[i] in " \t\r\n":
            i += 1
        if i >= n:
            return out
        try:
            value, i = decoder.raw_decode(text, i)
        except RecursionError:
            raise NoteError(f"not JSON at character {i}: nested too deeply") from None
        except ValueError as exc:
            raise NoteError(
                f"not JSON at character {i}: {exc.msg} (a multi-line note merged line by "
                "line cannot be put back together; rewrite it with `genguard hook post-commit`)"
            ) from exc
        out.append(value)


def note_line(note: Note) -> str:
    """A note as one line of JSON: the form that survives line-based note merges."""
    return (
        json.dumps(note.to_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"
    )


def carry_findings(
    own: Sequence[NoteFinding],
    old: Sequence[Note],
    moved: Mapping[tuple[str, int], int],
    first: Mapping[str, tuple[str, int]],
) -> list[NoteFinding]:
    """The findings of a rewritten commit: ``own``, those the gate judged on it (their
    handling stands), then what the ``old`` notes found that the gate did not see,
    following its line (``moved``: (file, old line) -> new line) or, for a ``fixed``
    finding, its chunk (``first``: chunk -> file and line of its first line now)."""
    carried: list[NoteFinding] = []
    for note in old:
        for f in note.findings:
            if (f.file, f.line) in moved:
                carried.append(f.replace(line=moved[(f.file, f.line)]))
            elif f.handling == "fixed" and f.chunk in first:
                path, line = first[f.chunk]
                carried.append(f.replace(file=path, line=line))
    judged = {(f.file, f.line, f.rule) for f in own}  # merge_findings would keep "open"
    return merge_findings([own, [f for f in carried if (f.file, f.line, f.rule) not in judged]])


def note_hash(note: Note) -> str:
    """What ``commit.noted`` records of the note a hook wrote: the hash of :func:`note_line`."""
    return "sha256:" + hexdigest(note_line(note).encode("utf-8"))


def covered_lines(ranges: Sequence[AiRange]) -> int:
    """How many distinct lines ``ranges`` cover (overlaps counted once)."""
    return covered_count((r.start, r.end) for r in ranges)


def covered_count(spans: Iterable[tuple[int, int]]) -> int:
    """Distinct lines in inclusive (start, end) spans, by merging intervals: the cost
    depends on the number of spans, never on how many lines they claim."""
    total, reach = 0, 0
    for start, end in sorted(spans):
        if end <= reach:
            continue
        total += end - max(start, reach + 1) + 1
        reach = end
    return total


def merge_files(entries: Sequence[FileEntry]) -> FileEntry:
    """Union of ranges (each distinct range once; where notes disagree whether it was
    reviewed, it was not); AI lines counted once per line."""
    seen: dict[tuple[int, int, str], AiRange] = {}
    for entry in entries:
        for r in entry.ranges:
            key = (r.start, r.end, r.chunk)
            first = seen.setdefault(key, r)
            if first.status == "reviewed" and r.status != "reviewed":
                seen[key] = r  # a review one note claims and another lacks is not given
    ranges = sorted(seen.values(), key=lambda r: (r.start, r.end, r.chunk))
    return FileEntry(
        added_lines=max((e.added_lines for e in entries), default=0),
        ai_lines=covered_lines(ranges),
        ranges=ranges,
    )


def merge_findings(groups: Sequence[Sequence[NoteFinding]]) -> list[NoteFinding]:
    """One finding per (file, line, rule); where notes disagree, "open" wins and says
    which other handling was claimed, so the disagreement stays visible."""
    best: dict[tuple[str, int, str], NoteFinding] = {}
    claims: dict[tuple[str, int, str], list[NoteFinding]] = {}
    for findings in groups:
        for f in findings:
            key = (f.file, f.line, f.rule)
            claims.setdefault(key, []).append(f)
            old = best.get(key)
            if old is None or _HANDLING_RANK.get(f.handling, 3) < _HANDLING_RANK.get(
                old.handling, 3
            ):
                best[key] = f
    for key, f in best.items():
        others = [c for c in claims[key] if c.handling != f.handling]
        if f.handling == "open" and others:
            said = "; ".join(
                f"{c.handling}"
                + (f" by {c.by}" if c.by else "")
                + (f": {c.reason}" if c.reason else "")
                for c in others
            )
            best[key] = f.replace(reason=f"disputed: another note says {said}")
    return sorted(best.values(), key=lambda f: (f.file, f.line, f.rule))


def merge_notes(notes: Sequence[Note], commit: str) -> Note:
    """Several notes found on ``commit`` as one; identical notes stay as they are.

    The merged note is unsigned unless all inputs were the same note: a signature
    covers one exact note, not a combination.
    """
    if not notes:
        raise ValueError("nothing to merge")
    first = notes[0]
    if all(n.to_dict() == first.to_dict() for n in notes[1:]):
        return first
    latest = max(notes, key=lambda n: n.created)
    by_path: dict[str, list[FileEntry]] = {}
    for n in notes:
        for path, entry in n.files.items():
            by_path.setdefault(path, []).append(entry)
    merged = Note(
        commit=commit,
        created=latest.created,
        author=next((n.author for n in notes if n.author), None),
        files={path: merge_files(entries) for path, entries in sorted(by_path.items())},
        findings=merge_findings([n.findings for n in notes]),
        ledger_head=latest.ledger_head,
        policy_hash=latest.policy_hash,
        bypass=any(n.bypass for n in notes),
        incomplete=[i for n in notes for i in n.incomplete],  # any gap stays visible
    )
    merged.compute_totals()
    return merged
