"""How a command says it cannot run: one line on stderr, or a JSON object on stdout
when the caller asked for JSON (a script reading stdout then still gets JSON)."""

from __future__ import annotations

import json

#: Exit status for usage and configuration errors, the same for every command.
EXIT_USAGE = 2


def usage_error(command: str, message: str, *, as_json: bool = False) -> int:
    """Report ``message`` for ``genguard COMMAND``; returns :data:`EXIT_USAGE`."""
    if as_json:
        print(json.dumps({"error": message}, ensure_ascii=False))
    else:
        from rich.console import Console
        from rich.markup import escape

        Console(stderr=True, highlight=False, soft_wrap=True).print(
            f"[red]genguard {command}:[/] {escape(message)}"
        )
    return EXIT_USAGE
