"""Text from a repository made harmless for a terminal.

Rule messages, file names, note fields and source lines are repository content.
Printed raw, an ESC sequence in one can write the clipboard (OSC 52), erase or
rewrite lines (hiding a finding), or plant a link (OSC 8); a bidi override can
reorder what is shown. :func:`terminal_safe` shows every such character as a
visible escape (``\\x1b``) instead; tabs and newlines stay. Every output layer
passes text through it: rich consoles (:class:`genguard.text.console.SafeConsole`)
and the hooks' stderr (:class:`SafeWriter`).
"""

from __future__ import annotations

import re
from typing import TextIO

#: C0 controls but tab and newline, DEL, C1 controls, and the bidi embeddings,
#: overrides and isolates.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: str) -> str:
    """``text`` with every control character shown as an escape instead of acting."""
    return _UNSAFE.sub(_shown, text) if _UNSAFE.search(text) else text


class SafeWriter:
    """A text stream that writes through :func:`terminal_safe` (hook messages)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(terminal_safe(text))

    def writelines(self, lines: list[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        self._stream.flush()

    def __getattr__(self, name: str) -> object:  # isatty, fileno, encoding, ...
        return getattr(self._stream, name)
