"""Bad input never kills the server: the user is told, and nothing is lost."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from lsprotocol import types
from tests.lsp.editor import pos

AI_BLOCK = "def f(data):\n    import pickle\n    return pickle.loads(data)  # from the network\n"


async def test_out_of_range_edit_is_clamped_and_logged(editor_for):
    ed = editor_for("a.py", "x = 1\n")
    ed.client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=ed.uri, version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(start=pos(999, 0), end=pos(999, 5)), text="y = 2\n"
                )
            ],
        )
    )
    prov = await ed.provenance()
    assert prov["version"] == 2
    assert any("outside the document" in m.message for m in ed.client.log_messages)


async def test_unknown_uri_and_wrong_types(editor_for, client):
    ed = editor_for("a.py", "x = 1\n")
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(
                uri="file:///nowhere.py", version=2
            ),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text="boom")],
        )
    )
    client.protocol.notify(
        "genguard/aiEdit", {"textDocument": {"uri": ed.uri}, "range": "all", "tool": 3}
    )
    client.protocol.notify("genguard/aiEdit", {"textDocument": {"uri": ed.uri, "version": "x"}})
    client.protocol.notify("genguard/aiEdit", None)
    client.protocol.notify(
        "genguard/aiEdit",
        {
            "textDocument": {"uri": "file:///nowhere.py", "version": 1},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 1}},
            "tool": "copilot",
        },
    )
    result = await client.protocol.send_request_async(
        "genguard/fileProvenance", {"textDocument": 5}
    )
    assert "error" in result._asdict()
    prov = await ed.provenance()  # still alive and serving
    assert prov["chunks"] == []
    messages = " | ".join(m.message for m in client.messages)
    assert "nowhere.py" in messages
    assert "genguard/aiEdit.range" in messages
    assert "genguard/aiEdit.textDocument.version" in messages


async def test_invalid_utf8_on_disk_and_lone_surrogates(editor_for, repo: Path):
    bad = repo / "bad.py"
    bad.write_bytes(b"x = '\xff\xfe'\n")
    text = bad.read_bytes().decode("utf-8", "surrogateescape")
    ed = editor_for("bad2.py", "")
    ed.client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=bad.as_uri(), language_id="python", version=1, text=text
            )
        )
    )
    ed.insert(0, "a = '\ud800'\n" + AI_BLOCK)
    prov = await ed.provenance()
    assert len(prov["chunks"]) == 1


async def test_huge_file_keeps_the_server_alive(editor_for):
    big = "x = 1\n" * (20 * 1024 * 1024 // 6)
    ed = editor_for("big.py", big)
    ed.insert(len(ed.text), AI_BLOCK)
    prov = await ed.provenance()
    assert len(prov["chunks"]) == 1
    assert any("syntax rules are off" in m.message for m in ed.client.log_messages)


async def test_broken_config_is_reported_and_defaults_keep_guarding(client, repo: Path, editor_for):
    (repo / ".genguard.toml").write_text("scope = 'ai'\n[heuristics\nmin_lines = 2\n")
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[
                types.FileEvent(
                    uri=(repo / ".genguard.toml").as_uri(), type=types.FileChangeType.Changed
                )
            ]
        )
    )
    ed = editor_for("a.py", "x = 1\n")
    ed.insert(len(ed.text), AI_BLOCK)
    prov = await ed.provenance()
    assert len(prov["chunks"]) == 1
    assert any(".genguard.toml:2" in m.message for m in client.messages)


def _frame(payload: bytes) -> bytes:
    return b"Content-Length: %d\r\n\r\n" % len(payload) + payload


def test_malformed_json_rpc_on_the_pipe(repo: Path, tmp_path: Path):
    """Garbage on stdin, then a valid request: the server still answers."""
    init = json.dumps(
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {"processId": None, "rootUri": repo.as_uri(), "capabilities": {}},
        }
    )
    garbage = b"{this is not json"
    wrong_shape = json.dumps(
        {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": 7}}
    )
    probe = json.dumps(
        {
            "jsonrpc": "2.0",
            "id": 2,
            "method": "genguard/fileProvenance",
            "params": {"textDocument": {"uri": "file:///x.py"}},
        }
    )
    shutdown = json.dumps({"jsonrpc": "2.0", "id": 3, "method": "shutdown"})
    exit_ = json.dumps({"jsonrpc": "2.0", "method": "exit"})
    data = b"".join(
        _frame(p.encode() if isinstance(p, str) else p)
        for p in (init, garbage, wrong_shape, probe, shutdown, exit_)
    )
    proc = subprocess.run(
        [sys.executable, "-m", "genguard", "serve", "--cache-dir", str(tmp_path / "c")],
        input=data,
        capture_output=True,
        timeout=60,
    )
    out = proc.stdout
    assert b'"id": 2' in out or b'"id":2' in out
    assert b"unknown document" in out
