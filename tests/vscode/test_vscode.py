"""The VS Code extension in a real VS Code (code-server) against the real server.

Each test gets a fresh workspace (a git repository), user-data dir and
code-server; what the extension host sees is read from the observer's record
(tests/vscode/observer), not from the DOM. See docs/editors.md to run them.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from tests.vscode.conftest import settings

UNREVIEWED = "genguard.unreviewed-ai"
SHELL_RULE = "py-subprocess-shell"
HEADER = "import subprocess\n\n"
# AI-like: one insertion of 4 lines, with a command injection in it
BLOCK = (
    "def run_command(cmd):\n"
    '    print("running", cmd)\n'
    "    result = subprocess.call(cmd, shell=True)\n"
    "    return result\n"
)
# how long "nothing appeared" is watched for, after the server answered
SETTLE_S = 3.0


def codes(diagnostics: list[dict[str, Any]]) -> set[str]:
    return {d["code"] for d in diagnostics}


def recorded_codes(wb, path: Path) -> set[str]:
    """Every diagnostic code the extension host was ever shown for ``path``."""
    return {
        d["code"]
        for r in wb.records("diagnostics")
        if r["path"] == str(path)
        for d in r["diagnostics"]
    }


def test_paste_draws_finding_and_unreviewed_typing_draws_none(
    workbench_factory, workspace, tmp_path
):
    typed = workspace / "typed.py"
    pasted = workspace / "pasted.py"
    for f in (typed, pasted):
        f.write_text(HEADER)
    wb = workbench_factory(workspace, settings(tmp_path))

    # typed, character by character: no chunk, no diagnostics
    wb.open(typed)
    wb.wait_for(lambda: "AI 0%" in wb.status()["text"], "genguard's status bar")
    wb.goto_end()
    wb.type(BLOCK)
    wb.wait_for(lambda: wb.text(typed)["text"] == HEADER + BLOCK, "the typed text in the document")
    prov = wb.provenance(typed)
    assert prov["chunks"] == [], prov
    time.sleep(SETTLE_S)
    assert wb.diagnostics(typed) == []
    assert recorded_codes(wb, typed) == set()

    # pasted, the same text: the finding and the unreviewed-AI diagnostic
    wb.open(pasted)
    wb.goto_end()
    wb.paste(BLOCK)
    wb.wait_for(
        lambda: wb.text(pasted)["text"] == HEADER + BLOCK, "the pasted text in the document"
    )
    diags = wb.wait_for(
        lambda: (d := wb.diagnostics(pasted)) and {SHELL_RULE, UNREVIEWED} <= codes(d) and d,
        "the finding and the unreviewed-AI diagnostic",
    )
    shell = next(d for d in diags if d["code"] == SHELL_RULE)
    assert shell["range"]["start"]["line"] == 4, shell
    prov = wb.provenance(pasted)
    [chunk] = prov["chunks"]
    assert chunk["method"] == "heuristic" and chunk["status"] == "unreviewed", chunk
    status = wb.wait_for(
        lambda: (s := wb.status()) and "1 unreviewed" in s["text"] and s,
        "the status bar to count it",
    )
    assert status["visible"] and "AI" in status["text"], status
    # the typed file still has nothing
    assert wb.diagnostics(typed) == []
