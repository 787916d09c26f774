"""Code actions, configuration from the workspace, and closing documents."""

from __future__ import annotations

import ast
from pathlib import Path

from lsprotocol import types
from tests.lsp.editor import pos

from genguard.lsp.actions import MARK_REVIEWED, SUPPRESS
from genguard.lsp.lifecycle import SETTINGS


def command_of(action):
    """The command behind an action as (name, arguments).

    lsprotocol's client-side decoder turns any CodeAction that carries a command
    into a Command whose ``command`` is the nested object's repr; undo that here.
    """
    inner = getattr(action, "command", None)
    if isinstance(inner, str) and inner.startswith("{"):
        nested = ast.literal_eval(inner)
        return nested["command"], nested.get("arguments")
    if isinstance(inner, str):
        return inner, action.arguments
    if inner is not None:
        return inner.command, inner.arguments
    return None


BLOCK = "def load(blob):\n    import yaml\n    data = yaml.load(blob)\n    return data\n"


async def test_suppress_is_offered_anywhere_on_the_finding_line(editor_for, client):
    ed = editor_for("a.py", "import os\n")
    ed.insert(len(ed.text), BLOCK)
    await ed.provenance()
    line_start = ed.position_of(ed.text.index("    data = yaml.load("))
    assert line_start.character == 0  # before the underlined span
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=ed.uri),
            range=types.Range(start=line_start, end=line_start),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    commands = [command_of(a) for a in actions if command_of(a) is not None]
    assert "genguard.suppress" in [name for name, _args in commands]
    # a line without a finding offers no suppression
    other = ed.position_of(ed.text.index("    return data"))
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=ed.uri),
            range=types.Range(start=other, end=other),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    assert "genguard.suppress" not in [c[0] for c in map(command_of, actions) if c is not None]


async def test_code_actions_offer_review_suppress_and_fix(editor_for, client):
    ed = editor_for("a.py", "import os\n")
    ed.insert(len(ed.text), BLOCK)
    chunk = (await ed.provenance())["chunks"][0]
    at = ed.position_of(ed.text.index("yaml.load(") + 3)
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=ed.uri),
            range=types.Range(start=at, end=at),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    titles = [a.title for a in actions]
    commands = [command_of(a) for a in actions if command_of(a) is not None]
    review = next(args for name, args in commands if name == "genguard.markReviewed")
    assert review == [ed.uri, chunk["id"]]
    suppress = next(args for name, args in commands if name == "genguard.suppress")
    assert suppress[:2] == [ed.uri, chunk["id"]]
    fix = next(a for a in actions if getattr(a, "edit", None) is not None)
    edit = fix.edit.changes[ed.uri][0]
    assert "safe_load" in edit.new_text, titles
    # apply the fix as an editor would: the finding goes away, the chunk stays
    start = ed.text.index("yaml.load(blob)")
    ed.replace(start, start + len("yaml.load(blob)"), edit.new_text)
    prov = await ed.provenance()
    assert prov["chunks"][0]["findings"] == []
    # out-of-range code action requests are answered, not failed
    far = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=ed.uri),
            range=types.Range(start=pos(500, 0), end=pos(900, 3)),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    assert far is not None and len(far) == 0


def kinds_and_commands(actions: list[dict]) -> list[tuple[str, str | None]]:
    return [(a["kind"], (a.get("command") or {}).get("command")) for a in actions]


async def test_code_actions_return_only_the_kinds_asked_for(editor_for):
    """VS Code drops (and logs) any action of a kind it did not ask for, and its
    lightbulb shows no source actions: review must be a quick fix where it can."""
    ed = editor_for("a.py", "import os\n")
    ed.insert(len(ed.text), BLOCK)
    chunk = (await ed.provenance())["chunks"][0]
    [unreviewed] = ed.diagnostics("genguard.unreviewed-ai")
    [finding] = ed.diagnostics("py-yaml-unsafe-load")
    on_finding = types.Range(start=finding.range.start, end=finding.range.start)
    quick = types.CodeActionKind.QuickFix
    source = types.CodeActionKind.Source

    # the lightbulb on a finding: review, fix and suppress, all quick fixes for it
    got = await ed.code_actions(on_finding, [finding], [quick])
    assert {k for k, _ in kinds_and_commands(got)} == {quick}
    review = next(a for a in got if a.get("command", {}).get("command") == MARK_REVIEWED)
    assert review["command"]["arguments"] == [ed.uri, chunk["id"]]
    assert [d["code"] for d in review["diagnostics"]] == ["py-yaml-unsafe-load"]
    suppress = next(a for a in got if a.get("command", {}).get("command") == SUPPRESS)
    assert [d["code"] for d in suppress["diagnostics"]] == ["py-yaml-unsafe-load"]
    assert any("edit" in a for a in got)
    # on the unreviewed-AI diagnostic, review is its quick fix
    got = await ed.code_actions(unreviewed.range, [unreviewed], [quick])
    review = next(a for a in got if a.get("command", {}).get("command") == MARK_REVIEWED)
    assert review["kind"] == quick
    assert [d["code"] for d in review["diagnostics"]] == ["genguard.unreviewed-ai"]
    # quick fixes asked for with no diagnostic of the chunk: review is not one
    got = await ed.code_actions(on_finding, [], [quick])
    assert got and all(k == quick for k, _ in kinds_and_commands(got))
    assert MARK_REVIEWED not in [c for _, c in kinds_and_commands(got)]
    # source actions asked for: review alone, as a source action
    got = await ed.code_actions(on_finding, [finding], [source])
    assert kinds_and_commands(got) == [(source, MARK_REVIEWED)]
    # a narrower kind than genguard offers, or another family: nothing
    assert await ed.code_actions(on_finding, [finding], ["source.organizeImports"]) == []
    assert await ed.code_actions(on_finding, [finding], [types.CodeActionKind.Refactor]) == []
    # no filter: each action once
    got = await ed.code_actions(on_finding, [finding])
    assert sorted(c or "edit" for _, c in kinds_and_commands(got)) == [
        "edit",
        MARK_REVIEWED,
        SUPPRESS,
    ]
    # the review quick fix does what it says: the chunk is reviewed, its diagnostic gone
    await ed.command(MARK_REVIEWED, *review["command"]["arguments"])
    assert (await ed.provenance())["chunks"][0]["status"] == "reviewed"
    assert ed.diagnostics("genguard.unreviewed-ai") == []
    assert MARK_REVIEWED not in [
        c for _, c in kinds_and_commands(await ed.code_actions(on_finding, [finding]))
    ]


async def test_config_scope_all_and_switches(client, repo: Path, editor_for):
    (repo / ".genguard.toml").write_text(
        'scope = "all"\nunreviewed_diagnostic = false\napproved_tools = ["copilot"]\n'
        '[rules.severity]\n"py-yaml-unsafe-load" = "warning"\n'
    )
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[
                types.FileEvent(
                    uri=(repo / ".genguard.toml").as_uri(), type=types.FileChangeType.Changed
                )
            ]
        )
    )
    ed = editor_for("a.py", "import yaml\nconfig = yaml.load(open('c.yml'))\n")
    await ed.provenance()
    human = ed.diagnostics("py-yaml-unsafe-load")
    assert human and human[0].severity == types.DiagnosticSeverity.Warning
    assert human[0].data["chunkId"] is None  # human code, reported with scope "all"
    ed.insert(len(ed.text), BLOCK.replace("load(", "load2("))
    ed.declare_ai("def load2", "cursor")
    await ed.provenance()
    assert ed.diagnostics("genguard.unreviewed-ai") == []
    unapproved = ed.diagnostics("governance-unapproved-tool")
    assert len(unapproved) == 1 and "cursor" in unapproved[0].message


async def test_declared_range_from_an_older_version_is_mapped(editor_for):
    ed = editor_for("a.py", "x = 1\n")
    ed.insert(len(ed.text), "y = eval(s)\n")
    old_version = ed.version
    rng = ed.range_of("y = eval(s)")
    ed.insert(0, "# a comment typed after the completion\n")
    ed.client.protocol.notify(
        "genguard/aiEdit",
        {
            "textDocument": {"uri": ed.uri, "version": old_version},
            "range": {
                "start": {"line": rng.start.line, "character": rng.start.character},
                "end": {"line": rng.end.line, "character": rng.end.character},
            },
            "tool": "copilot",
        },
    )
    chunk = (await ed.provenance())["chunks"][0]
    assert chunk["range"]["start"]["line"] == 2
    assert chunk["findings"]


async def test_close_clears_diagnostics(editor_for, client):
    ed = editor_for("a.py", "import os\n")
    ed.insert(len(ed.text), BLOCK)
    await ed.provenance()
    assert ed.diagnostics()
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=ed.uri))
    )
    result = await client.protocol.send_request_async(
        "genguard/fileProvenance", {"textDocument": {"uri": ed.uri}}
    )
    assert "unknown document" in result.error
    assert ed.diagnostics() == []


async def test_editor_learns_the_workspace_heuristics(client, repo: Path):
    """``genguard/settings`` carries ``[heuristics]`` so the editor's own guesses agree."""
    import asyncio

    received: list = []

    @client.feature("genguard/settings")
    def settings(params) -> None:
        received.append(params)

    (repo / ".genguard.toml").write_text("[heuristics]\nmin_lines = 5\nmin_chars = 90\n")
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[
                types.FileEvent(
                    uri=(repo / ".genguard.toml").as_uri(), type=types.FileChangeType.Changed
                )
            ]
        )
    )

    def seen() -> list[tuple[int, int]]:
        # pygls hands params over as attribute objects
        return [(p.heuristics.minLines, p.heuristics.minChars) for p in received]

    for _ in range(200):  # the first may still be the one sent on start (defaults)
        if (5, 90) in seen():
            break
        await asyncio.sleep(0.05)
    assert seen()[-1] == (5, 90), seen()


def test_a_change_to_the_users_config_reloads(tmp_path: Path, repo: Path) -> None:
    """The user's configuration lives outside the workspace; its change reloads too."""
    import os

    from tests.security.rpc import RawServer

    user = tmp_path / "user-config.toml"
    user.write_text("[heuristics]\nmin_lines = 5\n")
    env = {**os.environ, "GENGUARD_USER_CONFIG": str(user), "GENGUARD_ORG_POLICY": ""}
    server = RawServer(repo, tmp_path / "cache", env=env)
    try:
        server.initialize(repo)
        user.write_text("[heuristics]\nmin_lines = 7\n")
        server.notify(
            "workspace/didChangeWatchedFiles", {"changes": [{"uri": user.as_uri(), "type": 2}]}
        )
        server.request("shutdown")  # answered after the notifications before it
        sent = [m["params"]["heuristics"]["minLines"] for m in server.notifications(SETTINGS)]
        assert sent == [5, 7]
    finally:
        server.close()
