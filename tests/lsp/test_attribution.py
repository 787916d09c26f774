"""Attribution end to end: what the editor sends, what the server concludes."""

from __future__ import annotations

import json
from pathlib import Path

from genguard.ledger.verify import verify

AI_BLOCK = (
    "def run_backup(user_path):\n"
    "    import subprocess\n"
    "    cmd = 'tar czf /tmp/backup.tgz ' + user_path\n"
    "    subprocess.call(cmd, shell=True)\n"
    "    return cmd\n"
)

HUMAN = "import os\n\n\ndef main():\n    return os.getcwd()\n"


def ledger_events(repo: Path) -> list[dict]:
    path = repo / ".git" / "genguard" / "ledger.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines()]


async def test_typing_is_not_ai(editor_for):
    ed = editor_for("app.py", HUMAN)
    ed.type(len(ed.text), "\n\ndef helper(x):\n    return x * 2 + 1  # a long line typed by hand\n")
    prov = await ed.provenance()
    assert prov["chunks"] == []
    assert ed.diagnostics() == []


async def test_pasted_block_is_ai_and_its_findings_sit_inside_it(editor_for, repo):
    ed = editor_for("app.py", HUMAN)
    at = len(ed.text)
    ed.insert(at, "\n" + AI_BLOCK)
    prov = await ed.provenance()
    assert len(prov["chunks"]) == 1
    chunk = prov["chunks"][0]
    assert chunk["method"] == "heuristic" and chunk["tool"] == "unknown"
    assert chunk["range"]["start"]["line"] == 5
    assert chunk["range"]["end"]["line"] == 11
    findings = [d for d in ed.diagnostics() if d.code != "genguard.unreviewed-ai"]
    assert findings, "the shell injection is reported"
    for d in findings:
        assert d.source == "genguard"
        assert 5 <= d.range.start.line <= 11
        assert d.data["chunkId"] == chunk["id"]
        assert any(c.startswith("CWE-") for c in d.data["cwe"])
        assert "CWE" in d.message
    assert any("CWE-78" in d.data["cwe"] for d in findings)
    unreviewed = ed.diagnostics("genguard.unreviewed-ai")
    assert len(unreviewed) == 1 and unreviewed[0].data["chunkId"] == chunk["id"]
    events = [e["event"] for e in ledger_events(repo)]
    assert "chunk.created" in events and "finding.raised" in events
    raw = (repo / ".git" / "genguard" / "ledger.jsonl").read_text()
    assert "subprocess.call" not in raw and "tar czf" not in raw  # hashes only


async def test_ranges_follow_edits_above_and_inside(editor_for):
    ed = editor_for("app.py", HUMAN)
    ed.insert(len(ed.text), "\n" + AI_BLOCK)
    first = (await ed.provenance())["chunks"][0]
    ed.insert(0, "# header\n# more\n")  # two lines above
    moved = (await ed.provenance())["chunks"][0]
    assert moved["id"] == first["id"]
    assert moved["range"]["start"]["line"] == first["range"]["start"]["line"] + 2
    assert moved["humanEditedShare"] == 0
    inside = ed.text.index("return cmd") + len("return cmd")
    ed.type(inside, " or None")
    edited = (await ed.provenance())["chunks"][0]
    assert edited["id"] == first["id"]
    assert edited["humanEditedShare"] > 0
    shell = [d for d in ed.diagnostics() if d.code != "genguard.unreviewed-ai"]
    line = ed.text[: ed.text.index("shell=True")].count("\n")
    assert any(d.range.start.line == line for d in shell)


async def test_declared_edit_keeps_tool_and_model_one_chunk(editor_for):
    ed = editor_for("app.py", HUMAN)
    ed.insert(len(ed.text), "\n" + AI_BLOCK)
    ed.declare_ai(
        AI_BLOCK,
        "copilot",
        model="gpt-4.1",
        kind="inline-completion",
        promptHash="sha256:" + "ab" * 32,
    )
    chunks = (await ed.provenance())["chunks"]
    assert len(chunks) == 1
    c = chunks[0]
    assert (c["method"], c["tool"], c["model"], c["kind"]) == (
        "declared",
        "copilot",
        "gpt-4.1",
        "inline-completion",
    )


async def test_small_declared_completion(editor_for):
    ed = editor_for("app.py", HUMAN)
    ed.insert(len(ed.text), "x = eval(input())\n")
    ed.declare_ai("x = eval(input())", "copilot", model="m1")
    prov = await ed.provenance()
    assert [c["tool"] for c in prov["chunks"]] == ["copilot"]
    assert any("eval" in r or "95" in r for r in prov["chunks"][0]["findings"])


async def test_undo_brings_the_chunk_back(editor_for):
    ed = editor_for("app.py", HUMAN)
    at = len(ed.text)
    ed.insert(at, AI_BLOCK)
    chunk_id = (await ed.provenance())["chunks"][0]["id"]
    ed.replace(at, at + len(AI_BLOCK), "")
    assert (await ed.provenance())["chunks"] == []
    ed.insert(at, AI_BLOCK)
    chunks = (await ed.provenance())["chunks"]
    assert [c["id"] for c in chunks] == [chunk_id]


async def test_human_declared_paste_and_moves_are_not_ai(editor_for):
    ed = editor_for("app.py", HUMAN)
    block = "def mine(a, b):\n    total = a + b\n    return total * total\n"
    ed.insert(len(ed.text), block)
    rng_text = block
    ed.client.protocol.notify(
        "genguard/humanEdit",
        {
            "textDocument": {"uri": ed.uri, "version": ed.version},
            "range": {
                "start": {"line": ed.range_of(rng_text).start.line, "character": 0},
                "end": {"line": ed.range_of(rng_text).end.line, "character": 0},
            },
            "reason": "paste from my own file",
        },
    )
    assert (await ed.provenance())["chunks"] == []
    # a human cut-and-paste of their own code stays human
    start = ed.text.index("def main")
    moved = ed.text[start:]
    ed.replace(start, len(ed.text), "")
    ed.insert(0, moved)
    assert (await ed.provenance())["chunks"] == []


async def test_review_and_suppress_commands(editor_for, repo):
    ed = editor_for("app.py", HUMAN)
    ed.insert(len(ed.text), "\n" + AI_BLOCK)
    chunk = (await ed.provenance())["chunks"][0]
    rule = next(d.code for d in ed.diagnostics() if d.code != "genguard.unreviewed-ai")
    result = await ed.command("genguard.suppress", ed.uri, chunk["id"], rule, "")
    assert result["ok"] is False  # a justification is required
    await ed.command("genguard.suppress", ed.uri, chunk["id"], rule, "input is a fixed path")
    await ed.provenance()
    assert all(d.code != rule for d in ed.diagnostics())
    await ed.command("genguard.markReviewed", ed.uri, chunk["id"])
    after = (await ed.provenance())["chunks"][0]
    assert after["status"] == "reviewed" and after["reviewer"] == "dev@example.com"
    assert ed.diagnostics("genguard.unreviewed-ai") == []
    events = ledger_events(repo)
    suppressed = [e for e in events if e["event"] == "finding.suppressed"]
    assert suppressed and suppressed[0]["data"]["reason"] == "input is a fixed path"
    reviewed = [e for e in events if e["event"] == "chunk.reviewed"]
    assert reviewed and reviewed[0]["data"]["reviewer"] == "dev@example.com"
    assert reviewed[0]["actor"] == "dev@example.com"
    assert verify(repo / ".git" / "genguard" / "ledger.jsonl").ok


async def test_reopening_a_file_brings_its_chunks_back(editor_for, client):
    from lsprotocol import types

    ed = editor_for("app.py", HUMAN)
    ed.insert(len(ed.text), "\n" + AI_BLOCK)
    ed.declare_ai(AI_BLOCK, "copilot", model="gpt-4.1")
    before = (await ed.provenance())["chunks"][0]
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=ed.uri))
    )
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=ed.uri))
    )
    ed.version = 1
    ed.open()
    after = (await ed.provenance())["chunks"]
    assert [(c["id"], c["tool"], c["model"]) for c in after] == [
        (before["id"], "copilot", "gpt-4.1")
    ]
    assert any(d.code == "py-subprocess-shell" for d in ed.diagnostics())


async def test_ai_share_is_a_share_of_lines_as_blame_counts_them(editor_for, repo):
    """One definition: the editor's share is the share of lines, as `genguard blame` gives
    it for the same file; the byte share is a second, named figure."""
    from genguard.report.blame import blame

    ed = editor_for("app.py", HUMAN)
    ed.insert(len(ed.text), "\n" + AI_BLOCK)
    prov = await ed.provenance()
    lines = ed.text.count("\n") + (0 if ed.text.endswith("\n") else 1)
    assert prov["aiShareOf"] == "lines" and prov["totalLines"] == lines
    assert 5 <= prov["aiLines"] <= 6  # the pasted block (and the line break before it)
    assert prov["aiShare"] == round(prov["aiLines"] / lines, 4)
    assert prov["aiByteShare"] != prov["aiShare"] and 0 < prov["aiByteShare"] < 1
    (repo / "app.py").write_text(ed.text)  # saved: blame reads the working tree
    report = blame(repo, "app.py").to_dict()
    assert (report["ai_lines"], report["total_lines"]) == (prov["aiLines"], prov["totalLines"])
    assert report["ai_share"] == prov["aiShare"]
