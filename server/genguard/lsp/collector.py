"""Python's cyclic garbage collector, kept off the path from an edit to its answer.

An open 10k-line document holds some 100k long-lived objects (its syntax tree's
tables, the taint tables, the rules), and a full collection walks them all: 50 to
100 ms, started by the collector whenever enough objects have survived, often in
the middle of an edit's check. Two things keep that out of the editor's answer:

* from an edit's arrival until its answer is published the collector is paused
  (:meth:`Collector.hold`, :meth:`Collector.release`); what piled up meanwhile is
  collected after the answer has gone out, before the next message is read;
* what a check builds for a whole document (a first check, the taint tables a first
  edit makes, a check after a reload) lives as long as the document, so once it is
  built it is frozen (:func:`gc.freeze`) after one full collection: later
  collections walk only what edits made since. Closing a document or building one
  anew unfreezes first, so what it no longer holds is collected, never kept.
"""

from __future__ import annotations

import gc

MAX_HELD = 500
"""Edits taken in while the collector is held before the young generations are
collected anyway: a client that never pauses (so no answer is ever due) must not
make the server's memory grow without bound."""


class Collector:
    """When the cyclic collector may run (see the module docstring)."""

    def __init__(self) -> None:
        self._held = False
        self._count = 0

    def hold(self) -> None:
        """No collection until :meth:`release` (an answer is being worked out)."""
        if self._held:
            self._count += 1
            if self._count >= MAX_HELD:
                self._count = 0
                gc.collect(1)
        elif gc.isenabled():
            gc.disable()
            self._held = True
            self._count = 0

    def release(self) -> None:
        """Collect as usual again (the answer is out)."""
        if self._held:
            self._held = False
            gc.enable()

    @staticmethod
    def keep() -> None:
        """Collect everything, then freeze what is left: it is what the open
        documents hold. Called after an answer, when a check built a document anew."""
        gc.unfreeze()
        gc.collect()
        gc.freeze()

    @staticmethod
    def forget() -> None:
        """A document was closed: what it held may be collected again."""
        gc.unfreeze()
