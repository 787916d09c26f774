"""Positions in the client's units: UTF-16 (VS Code) or UTF-8 (Neovim 0.11), CRLF too."""

from __future__ import annotations


async def test_non_ascii_emoji_and_crlf(editor_for):
    prefix = "greeting = 'héllo 😀 wörld'\r\n\r\n"
    ed = editor_for("u.py", prefix)
    block = "def tok():\r\n    s = input('😀é'); r = eval(s)  # ok 😀\r\n    return r\r\n"
    ed.insert(len(ed.text), block)
    prov = await ed.provenance()
    assert len(prov["chunks"]) == 1
    diags = [d for d in ed.diagnostics() if d.code != "genguard.unreviewed-ai"]
    eval_diag = [d for d in diags if "95" in "".join(d.data["cwe"]) or "eval" in str(d.code)]
    assert eval_diag
    d = eval_diag[0]
    expected = ed.position_of(ed.text.index("eval(s)"))
    assert (d.range.start.line, d.range.start.character) == (expected.line, expected.character)
    chunk = prov["chunks"][0]
    assert chunk["range"]["start"] == {"line": 2, "character": 0}
