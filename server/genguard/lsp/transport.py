"""The server's end of the pipe, bounded: no message can make it allocate at will.

pygls reads a header line with an unbounded ``readline`` and then exactly as many
bytes as ``Content-Length`` says, so ``Content-Length: 99999999999`` (or a header
line with no end) makes the server try to hold it all and die. :class:`BoundedStdin`
stands between pygls and stdin: header lines are cut at :data:`MAX_HEADER_LINE`, and a
body over :data:`MAX_MESSAGE_BYTES` is not read; pygls gets a one-line stand-in
message instead, which :class:`~genguard.lsp.server.GuardProtocol` answers with an
error, and the refused body is then skipped a chunk at a time, so the stream stays in
step with the client and memory stays flat.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from typing import BinaryIO

MAX_MESSAGE_BYTES = 64 << 20
"""Largest JSON-RPC body accepted (a whole-document sync of a large file fits)."""
MAX_HEADER_LINE = 8 << 10
"""Longest header line read; a longer one is skipped to its end."""
REFUSED_METHOD = "$/genguard/refusedMessage"
"""The stand-in message's method: never sent by a client (and ignored if one does)."""
_CHUNK = 1 << 20


class BoundedStdin:
    """``readline`` / ``read`` as pygls's stdin reader uses them, with the caps above."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._skip = 0
        self._lock = threading.Lock()
        self.refused: deque[int] = deque()  # sizes of refused bodies, oldest first

    def _drain(self) -> None:
        while self._skip > 0:
            chunk = self._raw.read(min(self._skip, _CHUNK))
            if not chunk:
                self._skip = 0
                return
            self._skip -= len(chunk)

    def readline(self, size: int = -1) -> bytes:
        with self._lock:
            self._drain()
            line = self._raw.readline(MAX_HEADER_LINE)
            if len(line) < MAX_HEADER_LINE or line.endswith(b"\n"):
                return line
            while True:  # an endless header line: skip it, keep memory flat
                rest = self._raw.readline(MAX_HEADER_LINE)
                if not rest or rest.endswith(b"\n"):
                    return b"X-Genguard-Skipped: line too long\r\n"

    def read(self, size: int = -1) -> bytes:
        with self._lock:
            if 0 <= size <= MAX_MESSAGE_BYTES:
                return self._raw.read(size)
            self._skip = max(size, 0)
            self.refused.append(size)
            return json.dumps(
                {"jsonrpc": "2.0", "method": REFUSED_METHOD, "params": {"bytes": size}}
            ).encode()
