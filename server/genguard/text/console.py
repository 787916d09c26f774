"""A rich console that never passes a control character through.

Every command and report that prints with rich prints through it (the CLI, the
scan's text report). It lives apart from :mod:`genguard.text.terminal` so that
what imports only :func:`~genguard.text.terminal.terminal_safe` (the commit
hooks) never pays for importing rich.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment

from genguard.text.terminal import terminal_safe


class SafeConsole(Console):
    """A rich Console whose every rendered piece of text goes through
    :func:`~genguard.text.terminal.terminal_safe`: markup strings, ``Text``
    objects and table cells alike, so repository content (rule messages, paths,
    source lines) cannot act on the terminal. rich's own styling is untouched."""

    def render(
        self, renderable: RenderableType, options: ConsoleOptions | None = None
    ) -> Iterable[Segment]:
        for segment in super().render(renderable, options):
            if segment.control:
                yield segment
            else:
                safe = terminal_safe(segment.text)
                yield segment if safe is segment.text else Segment(safe, segment.style)
