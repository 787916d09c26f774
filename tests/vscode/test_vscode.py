"""The VS Code extension in a real VS Code (code-server) against the real server.

Each test gets a fresh workspace (a git repository), user-data dir and
code-server; what the extension host sees is read from the observer's record
(tests/vscode/observer), not from the DOM. See docs/editors.md to run them.
"""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path
from typing import Any

from tests.vscode.conftest import genguard_executable, git, settings

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
# typed by hand: the same shape, other lines (a paste of lines a person wrote in
# another open file would stay theirs)
TYPED = (
    "def run_task(task):\n"
    '    print("starting", task)\n'
    "    status = subprocess.call(task, shell=True)\n"
    "    return status\n"
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
    wb.type(TYPED)
    wb.wait_for(lambda: wb.text(typed)["text"] == HEADER + TYPED, "the typed text in the document")
    prov = wb.provenance(typed)
    assert prov["chunks"] == [], prov
    time.sleep(SETTLE_S)
    assert wb.diagnostics(typed) == []
    assert recorded_codes(wb, typed) == set()

    # pasted, a block of the same shape: the finding and the unreviewed-AI diagnostic
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


def test_inline_completion_accepted_with_tab_is_declared(workbench_factory, workspace, tmp_path):
    f = workspace / "complete.py"
    f.write_text(HEADER + "# complete:\n")
    # the observer offers BLOCK as ghost text on the empty line after "# complete:"
    wb = workbench_factory(workspace, settings(tmp_path), env={"GENGUARD_E2E_COMPLETION": BLOCK})
    wb.open(f)
    wb.wait_for(lambda: "AI 0%" in wb.status()["text"], "genguard's status bar")
    wb.goto_end()
    wb.request("command", name="editor.action.inlineSuggest.trigger")
    wb.wait_for(lambda: wb.records("completion-offered"), "the inline completion to be asked for")
    wb.page.locator(".ghost-text-decoration").first.wait_for(state="visible")
    wb.page.keyboard.press("Tab")
    wb.wait_for(
        lambda: wb.text(f)["text"] == HEADER + "# complete:\n" + BLOCK, "the accepted block"
    )
    chunk = wb.wait_for(
        lambda: [c for c in wb.provenance(f)["chunks"] if c["method"] == "declared"],
        "the declared chunk",
    )[0]
    # no known assistant is installed, so the extension names the provider generically
    assert chunk["tool"] == "inline-completion-provider", chunk
    assert chunk["kind"] == "inline-completion", chunk
    assert chunk["range"] == {
        "start": {"line": 3, "character": 0},
        "end": {"line": 7, "character": 0},
    }
    assert len(wb.provenance(f)["chunks"]) == 1
    diags = wb.wait_for(lambda: wb.diagnostics(f), "the declared chunk's diagnostics")
    assert {SHELL_RULE, UNREVIEWED} <= codes(diags)


def test_lightbulb_offers_review_and_suppress_and_both_work(workbench_factory, workspace, tmp_path):
    f = workspace / "pasted.py"
    f.write_text(HEADER)
    wb = workbench_factory(workspace, settings(tmp_path))
    wb.open(f)
    wb.wait_for(lambda: "AI 0%" in wb.status()["text"], "genguard's status bar")
    wb.goto_end()
    wb.paste(BLOCK)
    diags = wb.wait_for(
        lambda: (d := wb.diagnostics(f)) and {SHELL_RULE, UNREVIEWED} <= codes(d) and d,
        "the finding and the unreviewed-AI diagnostic",
    )
    shell = next(d for d in diags if d["code"] == SHELL_RULE)
    chunk_id = wb.provenance(f)["chunks"][0]["id"]

    # the light bulb on the finding: review and suppress, as quick fixes
    wb.request("select", **shell["range"]["start"])
    titles = wb.open_lightbulb()
    assert any(t.startswith("Mark AI chunk as reviewed") for t in titles), titles
    assert f"Suppress {SHELL_RULE} here with a justification" in titles, titles
    # ... and so does the extension host's own code action query
    hosted = wb.request("codeActions", path=str(f), **shell["range"]["start"])
    assert {a["kind"] for a in hosted if a["title"].startswith("Mark AI")} == {"quickfix"}

    # suppress: the extension asks for the justification, the finding goes away
    wb.choose_action("Suppress")
    wb.quick_input("argv comes from our own build config, never from users")
    wb.wait_for(lambda: SHELL_RULE not in codes(wb.diagnostics(f)), "the finding to be suppressed")
    chunk = wb.provenance(f)["chunks"][0]
    assert chunk["id"] == chunk_id and chunk["suppressed"] == [SHELL_RULE], chunk
    assert UNREVIEWED in codes(wb.diagnostics(f))

    # review, from the light bulb on the unreviewed-AI diagnostic
    unreviewed = next(d for d in wb.diagnostics(f) if d["code"] == UNREVIEWED)
    wb.page.keyboard.press("Escape")
    wb.request("select", **unreviewed["range"]["start"])
    titles = wb.open_lightbulb()
    assert any(t.startswith("Mark AI chunk as reviewed") for t in titles), titles
    wb.choose_action("Mark AI chunk as reviewed")
    wb.wait_for(lambda: not wb.diagnostics(f), "the unreviewed-AI diagnostic to go")
    chunk = wb.provenance(f)["chunks"][0]
    assert chunk["status"] == "reviewed" and chunk["reviewer"] == "dev@example.com", chunk
    wb.wait_for(lambda: "unreviewed" not in wb.status()["text"], "the status bar to drop it")
    # every action came back in a kind VS Code asked for
    assert "Code action will be dropped" not in wb.exthost_log()


def test_broken_path_explains_and_restart_recovers(workbench_factory, workspace, tmp_path):
    f = workspace / "pasted.py"
    f.write_text(HEADER)
    missing = tmp_path / "bin" / "genguard"
    wb = workbench_factory(workspace, {**settings(tmp_path), "genguard.path": str(missing)})
    wb.open(f)
    toast = wb.notification("genguard.path")
    text = toast.inner_text()
    assert f'genguard.path is set to "{missing}", which does not exist' in text, text
    for button in ("Open Settings", "Show Output", "Retry"):
        assert toast.get_by_role("button", name=button).count() == 1, (button, text)
    wb.wait_for(lambda: "error" in wb.status()["text"], "the status bar to show the failure")
    assert wb.provenance(f) is None

    # fixed without touching the setting: genguard.restart picks it up
    missing.parent.mkdir()
    missing.symlink_to(genguard_executable())
    assert wb.request("command", name="genguard.restart") is None
    wb.wait_for(lambda: "AI 0%" in wb.status()["text"], "the server after the restart")
    wb.goto_end()
    wb.paste(BLOCK)
    wb.wait_for(
        lambda: {SHELL_RULE, UNREVIEWED} <= codes(wb.diagnostics(f)), "diagnostics after restart"
    )


CLEAN_BLOCK = (
    "def summarize(values):\n"
    "    total = sum(values)\n"
    "    count = len(values)\n"
    "    return total / count if count else 0.0\n"
)


def test_commit_from_source_control_carries_note_and_trailer(
    workbench_factory, workspace, tmp_path
):
    f = workspace / "stats.py"
    f.write_text(HEADER)
    git(workspace, "add", "stats.py")
    git(workspace, "commit", "-q", "-m", "Start")
    subprocess.run(
        [genguard_executable(), "install-hooks"], cwd=workspace, check=True, capture_output=True
    )
    wb = workbench_factory(workspace, settings(tmp_path))
    wb.open(f)
    wb.wait_for(lambda: "AI 0%" in wb.status()["text"], "genguard's status bar")
    wb.goto_end()
    wb.paste(CLEAN_BLOCK)
    wb.wait_for(lambda: UNREVIEWED in codes(wb.diagnostics(f)), "the AI chunk")
    wb.save()
    wb.wait_for(lambda: not wb.text(f)["dirty"], "the save")

    # Source Control view: a message, then its Commit button (smart commit stages it)
    wb.page.keyboard.press("Control+Shift+G")
    box = wb.page.locator(".scm-editor .monaco-editor").first
    box.wait_for(state="visible")
    box.click()
    wb.page.keyboard.insert_text("Add summarize")
    wb.page.locator(".scm-view .monaco-button", has_text="Commit").first.click()
    wb.wait_for(lambda: git(workspace, "rev-list", "--count", "HEAD").strip() == "2", "the commit")

    message = git(workspace, "log", "-1", "--format=%B")
    assert message.startswith("Add summarize\n"), message
    assert "Assisted-by: unknown" in message.splitlines(), message
    # the note is written by post-commit, which may still run when the ref moves
    shown = wb.wait_for(
        lambda: (
            subprocess.run(
                ["git", "notes", "--ref", "genguard", "show", "HEAD"],
                cwd=workspace,
                capture_output=True,
                text=True,
                check=False,
            ).stdout
        ),
        "the commit's note",
    )
    note = json.loads(shown)
    [ai] = note["files"]["stats.py"]["ranges"]
    assert (ai["start"], ai["end"], ai["method"]) == (3, 6, "heuristic"), note
    assert note["files"]["stats.py"]["ai_lines"] == 4, note
