"""How commands print: consoles that never pass a control character through, and
one way to say a command cannot run (a line on stderr, or a JSON object on stdout
when the caller asked for JSON, so a script reading stdout still gets JSON)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment

from genguard.text.terminal import terminal_safe

#: Exit status for usage and configuration errors, the same for every command.
EXIT_USAGE = 2


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


def usage_error(command: str, message: str, *, as_json: bool = False) -> int:
    """Report ``message`` for ``genguard COMMAND``; returns :data:`EXIT_USAGE`."""
    if as_json:
        print(json.dumps({"error": message}, ensure_ascii=False))
    else:
        from rich.markup import escape

        err = SafeConsole(stderr=True, highlight=False, soft_wrap=True)
        err.print(f"[red]genguard {command}:[/] {escape(message)}")
    return EXIT_USAGE
