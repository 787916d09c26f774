"""How long a check may run, decided once for every occasion it runs on.

Every time budget is seconds per :data:`CHUNK` of source, so a large file gets time
in proportion while a pathological rule or file still cannot hang its caller: the
rule queries check their clock between passes of at most a chunk, the taint
analysis every few hundred nodes. A check that reaches its budget stops and says so
(:class:`~genguard.rules.model.Cut`). Each entry point picks its row:

==========  =====  =====  ==========================================================
row         query  taint  why
==========  =====  =====  ==========================================================
KEYSTROKE   0.2    0.15   the editor: an answer per edit, whatever the file
COMMIT      1.0    0.75   the gate and ``genguard record``: five times a keystroke's,
                          as a busy machine must not cut a commit's check short (a
                          check cut short is no conclusion), well inside a hook's
                          time-out
SCAN        60     60     ``genguard scan``: a report has to be complete; only a
                          hostile file meets it (the taint node limit comes first)
==========  =====  =====  ==========================================================
"""

from __future__ import annotations

from dataclasses import dataclass

CHUNK = 64 * 1024
"""Bytes of source per unit of every time budget."""


@dataclass(frozen=True, slots=True)
class Budget:
    """Seconds per :data:`CHUNK` of source: ``query`` for the rule queries (a pass's
    clock), ``taint`` for the taint analysis."""

    query: float
    taint: float

    def times(self, factor: float) -> Budget:
        """This budget, each part ``factor`` times as long."""
        return Budget(self.query * factor, self.taint * factor)


KEYSTROKE = Budget(query=0.2, taint=0.15)
"""The editor's, for each edit."""
COMMIT = KEYSTROKE.times(5)
"""The AI lines of a commit (the gate) or of an agent's write (``genguard record``)."""
SCAN = Budget(query=60.0, taint=60.0)
"""``genguard scan``'s, per file."""
