"""What genguard knows about one piece of AI-written code."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Method = Literal["declared", "heuristic"]
Status = Literal["unreviewed", "reviewed"]
Segment = tuple[int, int]

KINDS = ("inline-completion", "chat", "agent", "paste", "unknown")


@dataclass(slots=True)
class Chunk:
    """Contiguous text that an AI produced in one act, tracked as the file changes.

    ``segments`` are the byte spans whose text still is the AI's original text;
    text a human typed between them belongs to the chunk's span but not to its
    segments, which is what makes the human-edited share measurable.
    """

    id: str
    file: str
    tool: str
    method: Method
    kind: str
    created: str
    fingerprint: str
    segments: list[Segment]
    original_length: int
    model: str | None = None
    prompt_hash: str | None = None
    status: Status = "unreviewed"
    reviewer: str | None = None
    reviewed_at: str | None = None
    suppressed: dict[str, str] = field(default_factory=dict)  # rule id -> justification
    ended: bool = False

    @property
    def start(self) -> int:
        return self.segments[0][0] if self.segments else 0

    @property
    def end(self) -> int:
        return self.segments[-1][1] if self.segments else 0

    @property
    def ai_bytes(self) -> int:
        return sum(e - s for s, e in self.segments)

    @property
    def human_edited_share(self) -> float:
        """Share of the chunk a human has changed since the AI wrote it (0.0-1.0).

        Counts both AI text deleted and human text typed inside the span, against
        whichever is larger of the original and the current span.
        """
        denominator = max(self.end - self.start, self.original_length, 1)
        return round(max(0.0, 1.0 - self.ai_bytes / denominator), 4)

    def covers(self, start: int, end: int) -> bool:
        """Whether [start, end) intersects the chunk's span (a point counts if inside)."""
        if start == end:
            return self.start <= start < self.end
        return start < self.end and end > self.start
