"""Which added lines of a commit are AI-written, from hashes alone (pure).

A *source* is something known to hold AI lines: a live chunk from the ledger
(with the lines it was last seen at and one hash per AI line) or a range carried
over from another commit's note (rebase, cherry-pick, squash). Each added line
is matched in two passes:

1. tracked range: when the hashes of the lines a chunk was last recorded at
   still contain the chunk's hashes in order, those lines are its lines;
2. per-line hash: any other added line whose hash one of the sources holds.

A hash is used as often as the source holds it, so a human line that happens to
equal an AI line elsewhere does not double the count. Blank and trivial lines
have no hash and are never AI. Nothing here reads code beyond hashing it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from genguard.attribution.linehash import line_hash
from genguard.attribution.state import ChunkState
from genguard.notes.format import AiRange
from genguard.values import FrozenValue, Value


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Owner(FrozenValue):
    """The AI act a line is attributed to, as a note records it."""

    chunk: str
    tool: str = "unknown"
    model: str | None = None
    method: str = "heuristic"
    kind: str = "unknown"
    status: str = "unreviewed"
    reviewer: str | None = None

    @classmethod
    def from_state(cls, s: ChunkState) -> Owner:
        return cls(s.id, s.tool, s.model, s.method, s.kind, s.status, s.reviewer)

    @classmethod
    def from_range(cls, r: AiRange) -> Owner:
        return cls(r.chunk, r.tool, r.model, r.method, r.kind, r.status, r.reviewer)

    def ai_range(self, start: int, end: int) -> AiRange:
        return AiRange(
            start=start,
            end=end,
            chunk=self.chunk,
            tool=self.tool,
            model=self.model,
            method=self.method,
            kind=self.kind,
            status=self.status,
            reviewer=self.reviewer,
        )


@dataclass(slots=True, repr=False, eq=False)
class Source(Value):
    """Hashes of AI lines from one origin.

    ``lines`` is where a ledger chunk was last seen (1-based, inclusive);
    ``origin`` gives, for carried ranges, the old line number of each hash, and
    ``moved`` is filled with old line -> new line as lines are matched.
    """

    owner: Owner
    line_hashes: Sequence[str]
    lines: tuple[int, int] | None = None
    rank: str = ""
    origin: Sequence[int] | None = None
    moved: dict[int, int] = field(default_factory=dict)

    @classmethod
    def from_state(cls, s: ChunkState) -> Source:
        return cls(Owner.from_state(s), s.line_hashes, s.lines, s.updated)


def _subsequence(wanted: Sequence[str], window: Sequence[tuple[int, str | None]]) -> list[int]:
    """Line numbers in ``window`` holding ``wanted`` in order, or [] if not all are there."""
    if not wanted:
        return []
    matched: list[int] = []
    j = 0
    for n, h in window:
        if h is not None and j < len(wanted) and h == wanted[j]:
            matched.append(n)
            j += 1
    return matched if j == len(wanted) else []


def assign(
    added: Sequence[tuple[int, bytes]],
    sources: Sequence[Source],
    content_lines: Sequence[bytes] | None = None,
    taken: Mapping[int, Owner] | None = None,
) -> dict[int, Owner]:
    """Owner of each AI line among ``added`` (line number -> owner).

    ``content_lines`` is the new version of the file (for the tracked-range
    pass); ``taken`` holds lines an earlier call already attributed.
    """
    out: dict[int, Owner] = dict(taken or {})
    hashes = {n: line_hash(text) for n, text in added}
    remaining = [Counter(s.line_hashes) for s in sources]
    order = sorted(range(len(sources)), key=lambda i: sources[i].rank, reverse=True)

    def claim(n: int, i: int, h: str) -> None:
        out[n] = sources[i].owner
        remaining[i][h] -= 1
        origin = sources[i].origin
        if origin is not None:
            for k, hh in enumerate(sources[i].line_hashes):
                old = origin[k]
                if hh == h and old not in sources[i].moved:
                    sources[i].moved[old] = n
                    break

    if content_lines is not None:
        for i in order:
            src = sources[i]
            if src.lines is None or src.lines[0] < 1 or not src.line_hashes:
                continue
            a, b = src.lines
            b = min(b, len(content_lines))
            window = [(n, line_hash(content_lines[n - 1])) for n in range(a, b + 1)]
            for n in _subsequence(src.line_hashes, window):
                h = hashes.get(n)
                if h is not None and n not in out and remaining[i][h] > 0:
                    claim(n, i, h)

    by_hash: dict[str, list[int]] = {}
    for i in order:
        for h in remaining[i]:
            by_hash.setdefault(h, []).append(i)
    previous: int | None = None
    for n, _text in sorted(added, key=lambda t: t[0]):
        if n in out:
            continue
        h = hashes[n]
        if h is None:
            continue
        candidates = [i for i in by_hash.get(h, ()) if remaining[i][h] > 0]
        if not candidates:
            previous = None
            continue
        pick = previous if previous in candidates else candidates[0]
        claim(n, pick, h)
        previous = pick
    return out


def to_ranges(owners: Mapping[int, Owner]) -> list[AiRange]:
    """Runs of consecutive lines with the same chunk, as note ranges."""
    ranges: list[AiRange] = []
    start = end = 0
    current: Owner | None = None
    for n in sorted(owners):
        owner = owners[n]
        if current is not None and n == end + 1 and owner == current:
            end = n
            continue
        if current is not None:
            ranges.append(current.ai_range(start, end))
        current, start, end = owner, n, n
    if current is not None:
        ranges.append(current.ai_range(start, end))
    return ranges


def note_sources(ranges: Sequence[AiRange], old_lines: Sequence[bytes]) -> list[Source]:
    """Sources for ranges of another commit's note, hashed from that commit's file."""
    out: list[Source] = []
    for r in ranges:
        hashes: list[str] = []
        origin: list[int] = []
        for n in range(max(r.start, 1), min(r.end, len(old_lines)) + 1):
            h = line_hash(old_lines[n - 1])
            if h is not None:
                hashes.append(h)
                origin.append(n)
        if hashes:
            out.append(Source(Owner.from_range(r), hashes, None, "", origin))
    return out
