"""Range arithmetic on sorted, disjoint [start, end) byte spans."""

from __future__ import annotations

from genguard.text.buffer import merge_ranges

Segment = tuple[int, int]


def apply_edit(spans: list[Segment], start: int, old_end: int, new_len: int) -> list[Segment]:
    """Where ``spans`` end up after bytes [start, old_end) are replaced by ``new_len`` bytes.

    Bytes inside the replaced range leave the spans; an insertion strictly inside
    a span splits it around the new text (which is not part of the span).
    """
    delta = start + new_len - old_end
    out: list[Segment] = []
    for s, e in spans:
        if e <= start:
            out.append((s, e))
        elif s >= old_end:
            out.append((s + delta, e + delta))
        else:
            if s < start:
                out.append((s, start))
            if e > old_end:
                out.append((old_end + delta, e + delta))
    return merge_ranges(out, empty=False) if len(out) > 1 else out


def subtract(spans: list[Segment], start: int, end: int) -> list[Segment]:
    """``spans`` without [start, end), positions unchanged."""
    out: list[Segment] = []
    for s, e in spans:
        if e <= start or s >= end:
            out.append((s, e))
            continue
        if s < start:
            out.append((s, start))
        if e > end:
            out.append((end, e))
    return out
