"""Recall and false-alarm bookkeeping shared by the precision corpora."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Detection:
    """What a set of checks caught and missed on bad cases, and where it spoke on good ones."""

    caught: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    quiet: list[str] = field(default_factory=list)
    noisy: dict[str, list[str]] = field(default_factory=dict)

    @property
    def recall(self) -> float:
        total = len(self.caught) + len(self.missed)
        return len(self.caught) / total if total else 0.0

    @property
    def false_alarm_rate(self) -> float:
        total = len(self.quiet) + len(self.noisy)
        return len(self.noisy) / total if total else 0.0
