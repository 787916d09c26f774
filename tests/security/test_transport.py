"""Low findings on the editor's pipe: a request with invalid params gets an error
reply; a body over the size cap is refused with an error reply and the server
lives on, in flat memory; a file too large for syntax rules says so visibly."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from tests.security.rpc import frame

from genguard.lsp.transport import MAX_MESSAGE_BYTES

MEMORY_CAP_MB = 300


@pytest.mark.usefixtures("isolated_git")
def test_negative_position_gets_an_error_reply(repo: Path, serve):
    server = serve(repo)
    server.initialize(repo)
    uri = (repo / "a.py").as_uri()
    server.open(repo / "a.py", "x = 1\n")
    bad = {"line": -1, "character": 0}
    reply = server.request(
        "textDocument/codeAction",
        {
            "textDocument": {"uri": uri},
            "range": {"start": bad, "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": []},
        },
        timeout=20,
    )
    assert reply["error"]["code"] == -32602
    assert "Position.line" in reply["error"]["message"]
    # an unsupported method with bad params is answered too, and the server goes on
    reply = server.request(
        "textDocument/hover", {"textDocument": {"uri": uri}, "position": bad}, timeout=20
    )
    assert "error" in reply
    assert "result" in server.request("genguard/fileProvenance", {"textDocument": {"uri": uri}})


@pytest.mark.usefixtures("isolated_git")
def test_huge_content_length_is_refused_and_the_server_lives(repo: Path, serve):
    server = serve(repo)
    server.initialize(repo)
    server.send(b"Content-Length: 99999999999\r\n\r\n")
    deadline = time.monotonic() + 20
    refused = None
    while refused is None and time.monotonic() < deadline:
        try:
            refused = server.reply(None, timeout=1)  # type: ignore[arg-type]
        except TimeoutError:
            continue
    assert refused is not None and refused["error"]["code"] == -32600
    assert "99999999999 bytes refused" in refused["error"]["message"]
    assert server.proc.poll() is None
    assert server.peak_rss_mb() < MEMORY_CAP_MB


@pytest.mark.usefixtures("isolated_git")
def test_oversized_body_is_skipped_and_the_next_request_answered(repo: Path, serve):
    server = serve(repo)
    server.initialize(repo)
    size = MAX_MESSAGE_BYTES + 1
    server.send(b"Content-Length: %d\r\n\r\n" % size)
    server.send(b" " * size)  # the client really sends it: skipped a chunk at a time
    probe = {"jsonrpc": "2.0", "id": 99, "method": "shutdown", "params": None}
    server.send(frame(json.dumps(probe).encode()))
    refused = server.reply(None, timeout=60)  # type: ignore[arg-type]
    assert refused["error"]["code"] == -32600
    assert "result" in server.reply(99, timeout=60)  # back in step with the client
    assert server.peak_rss_mb() < MEMORY_CAP_MB


@pytest.mark.usefixtures("isolated_git")
def test_file_too_large_for_syntax_rules_says_so(repo: Path, serve):
    server = serve(repo)
    server.initialize(repo)
    big = "x = 1\n" * (5 * 1024 * 1024 // 6)
    server.open(repo / "big.py", big)
    uri = (repo / "big.py").as_uri()
    assert "result" in server.request("genguard/fileProvenance", {"textDocument": {"uri": uri}})
    shown = [m["params"]["message"] for m in server.notifications("window/showMessage")]
    assert any("syntax rules are off" in m for m in shown), shown
