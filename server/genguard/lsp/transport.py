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

import asyncio
import json
import select
import threading
from collections import deque
from collections.abc import Awaitable
from concurrent.futures import Executor
from typing import Any, BinaryIO

MAX_MESSAGE_BYTES = 64 << 20
"""Largest JSON-RPC body accepted (a whole-document sync of a large file fits)."""
MAX_HEADER_LINE = 8 << 10
"""Longest header line read; a longer one is skipped to its end."""
REFUSED_METHOD = "$/genguard/refusedMessage"
"""The stand-in message's method: never sent by a client (and ignored if one does)."""
_READ = 1 << 16


class BoundedStdin:
    """``readline`` / ``read`` as pygls's stdin reader uses them, with the caps above.

    Reads go through a buffer of its own (``read1`` drains the raw stream's), so
    :meth:`waiting` can tell whether the client has already sent more: an edit
    followed by a newer one need not be checked (see ``GuardServer.schedule_check``).
    """

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._buf = bytearray()
        self._eof = False
        self._skip = 0
        self._lock = threading.Lock()
        self.refused: deque[int] = deque()  # sizes of refused bodies, oldest first
        try:
            self._fd: int | None = raw.fileno()
        except (AttributeError, OSError, ValueError):
            self._fd = None

    def _fill(self) -> bool:
        """Read what the stream has (blocking until something or its end); False at EOF."""
        if self._eof:
            return False
        read1 = getattr(self._raw, "read1", None)
        chunk = read1(_READ) if read1 is not None else self._raw.read(_READ)
        if not chunk:
            self._eof = True
            return False
        self._buf += chunk
        return True

    def _take(self, n: int) -> bytes:
        out = bytes(self._buf[:n])
        del self._buf[:n]
        return out

    def _drain(self) -> None:
        while self._skip > 0:
            if not self._buf and not self._fill():
                self._skip = 0
                return
            n = min(self._skip, len(self._buf))
            del self._buf[:n]
            self._skip -= n

    def _line(self) -> bytes:
        """Up to MAX_HEADER_LINE bytes, through the first line break if it comes sooner."""
        while True:
            end = self._buf.find(b"\n", 0, MAX_HEADER_LINE)
            if end >= 0:
                return self._take(end + 1)
            if len(self._buf) >= MAX_HEADER_LINE or not self._fill():
                return self._take(MAX_HEADER_LINE)

    def ready(self, size: int | None = None) -> bool:
        """Whether :meth:`readline` (``size`` None) or ``read(size)`` can answer from
        the buffer, without waiting on the pipe."""
        if self._skip:
            return False
        if size is None:
            return len(self._buf) >= MAX_HEADER_LINE or self._buf.find(b"\n") >= 0
        return not 0 <= size <= MAX_MESSAGE_BYTES or len(self._buf) >= size

    def waiting(self) -> bool:
        """Whether more input has arrived than has been handed to pygls."""
        if self._buf:
            return True
        if self._fd is None or self._eof:
            return False
        try:
            return bool(select.select([self._fd], [], [], 0)[0])
        except (OSError, ValueError):
            return False

    def readline(self, size: int = -1) -> bytes:
        with self._lock:
            self._drain()
            line = self._line()
            if len(line) < MAX_HEADER_LINE or line.endswith(b"\n"):
                return line
            while True:  # an endless header line: skip it, keep memory flat
                rest = self._line()
                if not rest or rest.endswith(b"\n"):
                    return b"X-Genguard-Skipped: line too long\r\n"

    def read(self, size: int = -1) -> bytes:
        with self._lock:
            if 0 <= size <= MAX_MESSAGE_BYTES:
                while len(self._buf) < size and self._fill():
                    pass
                return self._take(size)
            self._skip = max(size, 0)
            self.refused.append(size)
            return json.dumps(
                {"jsonrpc": "2.0", "method": REFUSED_METHOD, "params": {"bytes": size}}
            ).encode()


class StdinReader:
    """pygls's stdin reader over :class:`BoundedStdin`: what is buffered already is
    handed over at once, without the thread hop pygls makes for every line and body.

    So messages that arrived together are handled back to back, without the event
    loop running in between: a check an edit schedules for when the loop is idle
    starts only once no newer message waits, and a burst of keystrokes costs
    microseconds each instead of four thread wake-ups (many milliseconds on a busy
    machine).
    """

    def __init__(self, stdin: BoundedStdin, executor: Executor | None = None) -> None:
        self.stdin = stdin
        self.executor = executor

    def _now(self, value: bytes) -> Awaitable[bytes]:
        done: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
        done.set_result(value)
        return done

    def _later(self, read: Any, *args: Any) -> Awaitable[bytes]:
        return asyncio.get_running_loop().run_in_executor(self.executor, read, *args)

    def readline(self) -> Awaitable[bytes]:
        if self.stdin.ready():
            return self._now(self.stdin.readline())
        return self._later(self.stdin.readline)

    def readexactly(self, n: int) -> Awaitable[bytes]:
        if self.stdin.ready(n):
            return self._now(self.stdin.read(n))
        return self._later(self.stdin.read, n)
