"""A real ``genguard serve`` over a real pipe, spoken to in raw JSON-RPC.

pytest-lsp speaks only well-formed LSP; an attacker does not. This client
writes any bytes (oversized headers, bad params), reads every message the
server sends with a deadline, and reports the server's peak memory.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any


def frame(payload: bytes) -> bytes:
    return b"Content-Length: %d\r\n\r\n" % len(payload) + payload


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


class RawServer:
    def __init__(self, cwd: Path, cache_dir: Path, env: dict[str, str] | None = None) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "genguard", "serve", "--cache-dir", str(cache_dir)],
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        self.messages: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.seen: list[dict[str, Any]] = []
        self._next = 0
        threading.Thread(target=self._read, daemon=True).start()
        self._stderr: list[bytes] = []
        threading.Thread(target=self._drain_stderr, daemon=True).start()

    def _drain_stderr(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self._stderr.append(line)

    @property
    def stderr(self) -> str:
        return b"".join(self._stderr).decode("utf-8", "replace")

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.messages.put(None)
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii", "replace").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            body = out.read(length or 0)
            self.messages.put(json.loads(body))

    def send(self, data: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def notify(self, method: str, params: Any = None) -> None:
        self.send(
            frame(json.dumps({"jsonrpc": "2.0", "method": method, "params": params}).encode())
        )

    def request(self, method: str, params: Any = None, *, timeout: float = 30.0) -> dict[str, Any]:
        """Send a request; the reply to it (result or error), waiting at most ``timeout``."""
        self._next += 1
        ident = self._next
        message = {"jsonrpc": "2.0", "id": ident, "method": method, "params": params}
        self.send(frame(json.dumps(message).encode()))
        return self.reply(ident, timeout=timeout)

    def reply(self, ident: int, *, timeout: float = 30.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        for message in self.seen:
            if message.get("id") == ident and "method" not in message:
                return message
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no reply to request {ident} within {timeout} s")
            try:
                message = self.messages.get(timeout=left)
            except queue.Empty:
                continue
            if message is None:
                raise EOFError(f"server closed its output; stderr:\n{self.stderr[-2000:]}")
            self.seen.append(message)
            if message.get("method") in ("workspace/configuration", "client/registerCapability"):
                # answer the server's own requests so it never waits on us
                result: Any = None
                if message["method"] == "workspace/configuration":
                    result = [None] * len(message["params"]["items"])
                self.send(
                    frame(
                        json.dumps(
                            {"jsonrpc": "2.0", "id": message["id"], "result": result}
                        ).encode()
                    )
                )
                continue
            if message.get("id") == ident and "method" not in message:
                return message

    def initialize(self, root: Path, *, timeout: float = 30.0) -> dict[str, Any]:
        reply = self.request(
            "initialize",
            {"processId": None, "rootUri": root.as_uri(), "capabilities": {}},
            timeout=timeout,
        )
        self.notify("initialized", {})
        return reply

    def open(self, path: Path, text: str, language: str = "python") -> None:
        self.notify(
            "textDocument/didOpen",
            {
                "textDocument": {
                    "uri": path.as_uri(),
                    "languageId": language,
                    "version": 1,
                    "text": text,
                }
            },
        )

    def notifications(self, method: str) -> list[dict[str, Any]]:
        return [m for m in self.seen if m.get("method") == method]

    def peak_rss_mb(self) -> float:
        return peak_rss_mb(self.proc.pid)

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                self.request("shutdown", timeout=10)
                self.notify("exit")
                self.proc.wait(timeout=10)
            except (TimeoutError, EOFError, OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                stream.close()


# Runs the command as its child and writes that child's peak memory (KB) to argv[1].
# A child's ru_maxrss also counts the memory of the process it was forked from (Linux
# carries the old address space's high-water mark across exec), so measuring straight
# from the test process would count pytest itself; forked from this small launcher,
# the command's figure is its own plus a few MB.
_LAUNCHER = """
import resource, subprocess, sys
rc = subprocess.call(sys.argv[2:])
with open(sys.argv[1], "w") as f:
    f.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(rc)
"""


def run_measured(
    args: list[str], cwd: Path, *, timeout: float = 120.0, env: dict[str, str] | None = None
) -> tuple[int, str, float]:
    """Run ``args``; its exit code, output (stdout then stderr) and peak memory in MB.

    The figure is the command's own, taken by a small launcher it is forked from
    (see ``_LAUNCHER``), not the test process's; infinite when it was killed at
    ``timeout``.
    """
    import os
    import signal
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "maxrss"
        with tempfile.TemporaryFile() as out:
            proc = subprocess.Popen(
                [sys.executable, "-I", "-S", "-c", _LAUNCHER, str(report), *args],
                cwd=cwd,
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
            )
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            out.seek(0)
            text = out.read().decode("utf-8", "replace")
        # no figure when the launcher was killed: the command did not finish small
        peak = int(report.read_text()) / 1024 if report.exists() else float("inf")
    return proc.returncode, text, peak
