"""How commands print: through :class:`~genguard.text.console.SafeConsole`, and one
way to say a command cannot run (a line on stderr, or a JSON object on stdout when
the caller asked for JSON, so a script reading stdout still gets JSON)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from genguard.text.console import SafeConsole

__all__ = ["EXIT_USAGE", "SafeConsole", "config_errors", "usage_error"]

if TYPE_CHECKING:
    from genguard.config.loader import ConfigProblem

#: Exit status for usage and configuration errors, the same for every command.
EXIT_USAGE = 2


def usage_error(command: str, message: str, *, as_json: bool = False) -> int:
    """Report ``message`` for ``genguard COMMAND``; returns :data:`EXIT_USAGE`."""
    if as_json:
        print(json.dumps({"error": message}, ensure_ascii=False))
    else:
        from rich.markup import escape

        err = SafeConsole(stderr=True, highlight=False, soft_wrap=True)
        err.print(f"[red]genguard {command}:[/] {escape(message)}")
    return EXIT_USAGE


#: The loader's words for the editor's fallback ("..., using default settings",
#: "; using the default "ai"", "; using defaults for [scan]").
_FALLBACK = re.compile(
    r"[,;] using (?:default settings|the default\b[^;:]*|defaults for \[[^\]]*\])"
)


def _without_fallback(problem: ConfigProblem) -> str:
    """A configuration mistake as a command that refuses to run states it: falling
    back to defaults is what the editor does, not what this command does."""
    return _FALLBACK.sub("", str(problem))


def config_errors(command: str, problems: Iterable[ConfigProblem], again: str) -> int | None:
    """Refuse to run ``genguard COMMAND`` on a broken configuration, in one message per
    mistake, the last saying what to do; :data:`EXIT_USAGE`, or None when nothing is
    wrong. The editor keeps the guard on with defaults; a command that reports, marks
    or records under the configuration must not quietly decide with other settings."""
    errors = [p for p in problems if p.severity == "error" and not p.refused]
    if not errors:
        return None
    *first, last = [_without_fallback(p) for p in errors]
    for text in first:
        usage_error(command, text)
    return usage_error(command, f"{last}; fix the configuration, then {again}")
