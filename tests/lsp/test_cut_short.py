"""A check cut short by its budget in the editor: said at the top of the file, and
never recorded as a finding resolved."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from tests.cutshort import MATCH_LIMIT_RULE, long_block, nested_helper, nested_loops
from tests.lsp.conftest import SERVER
from tests.lsp.editor import Editor

NOTICE = "genguard.check-incomplete"
LOG = Path(tempfile.mkdtemp(prefix="genguard-test-log-")) / "server.log"
"""The server's debug log: it says each time a query pass meets its match limit."""


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[*SERVER, "--log-file", str(LOG)]))
async def logged(lsp_client: LanguageClient, repo: Path):
    """The real server over stdio, writing its debug log to LOG, in a repository with a
    rule of its own that meets its match limit in a long block (MATCH_LIMIT_RULE)."""
    rules = repo / ".genguard" / "rules" / "acme.yaml"
    rules.parent.mkdir(parents=True)
    rules.write_text(MATCH_LIMIT_RULE)

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        pass

    params = types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        root_uri=repo.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=repo.as_uri(), name="repo")],
    )
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


def limit_cuts() -> int:
    """How many query passes the servers logging to LOG saw meet their match limit."""
    text = LOG.read_text() if LOG.exists() else ""
    return text.count("rule queries for python hit the match limit")


def finding_events(repo: Path) -> list[dict]:
    path = repo / ".git" / "genguard" / "ledger.jsonl"
    records = [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []
    return [r for r in records if r["event"].startswith("finding.")]


async def test_a_check_cut_short_is_shown_and_resolves_nothing(editor_for, repo):
    ed = editor_for("views.py", "")
    ed.insert(0, nested_loops(4) + "\n\n" + nested_helper())  # a paste: AI code
    await ed.provenance()
    assert len(ed.diagnostics("py-os-system")) == 1  # the helper is not called: no cut
    assert ed.diagnostics(NOTICE) == []
    raised = [e for e in finding_events(repo) if e["event"] == "finding.raised"]
    assert [e["data"]["rule"] for e in raised] == ["py-os-system"]

    # the handler now needs the helper's result: its analysis stops in the helper
    sink = ed.text.index("    os.system(q)")
    ed.insert(sink, "    q = heavy(q)\n")
    await ed.provenance()
    [notice] = ed.diagnostics(NOTICE)
    assert notice.range.start.line == 0 and notice.severity == 2  # a warning
    assert "taint analysis stopped at its" in notice.message
    assert "findings may be missing" in notice.message
    assert len(ed.diagnostics("py-os-system")) == 1  # what it did not reach still stands

    # an edit of the sink itself: the cut check cannot see it, and resolves nothing
    at = ed.text.index("os.system(q)") + len("os.system(q")
    ed.insert(at, " + '!'")
    await ed.provenance()
    assert len(ed.diagnostics(NOTICE)) == 1
    assert [e["event"] for e in finding_events(repo)] == ["finding.raised"]

    # without the call the check runs to its end: the notice goes, the sink is found
    call = ed.text.index("    q = heavy(q)\n")
    ed.replace(call, call + len("    q = heavy(q)\n"), "")
    await ed.provenance()
    assert ed.diagnostics(NOTICE) == []
    assert len(ed.diagnostics("py-os-system")) == 1
    events = [(e["event"], e["data"]["rule"]) for e in finding_events(repo)]
    # the old match (os.system(q)) is gone now that a whole check says so
    assert events == [
        ("finding.raised", "py-os-system"),
        ("finding.raised", "py-os-system"),
        ("finding.resolved", "py-os-system"),
    ]


async def test_a_check_a_limit_cut_is_not_taken_again_until_its_code_is_edited(
    logged: LanguageClient, repo: Path
):
    path = repo / "views.py"
    padding = "".join(f"# line {i} of notes, far from the code below\n" for i in range(200))
    path.write_text(padding)
    ed = Editor(logged, path, padding, "python")
    ed.open()
    await ed.provenance()
    before = limit_cuts()
    code = long_block().replace("    return q", "    eval(q)\n    return q")
    ed.insert(len(ed.text), "\n" + code)
    await ed.provenance()
    [notice] = ed.diagnostics(NOTICE)  # the repository rule's queries hit their match limit
    assert "hit the match limit" in notice.message
    assert "checked again once that code is edited" in notice.message
    assert len(ed.diagnostics("py-eval-exec")) == 1
    cut = limit_cuts()
    assert cut > before
    ed.insert(0, "def other():\n    return 1\n\n\n")  # another paste: AI code too
    await ed.provenance()
    assert limit_cuts() == cut

    # typing in that other function: the same text would be cut again, so it is not taken
    # again, and the cut still stands: the notice, the findings it did not reach, and no
    # finding resolved
    at = ed.text.index("return 1") + len("return 1")
    for ch in "2345":
        ed.insert(at, ch)
        at += 1
        await ed.provenance()
    assert limit_cuts() == cut
    assert len(ed.diagnostics(NOTICE)) == 1
    assert len(ed.diagnostics("py-eval-exec")) == 1
    assert "finding.resolved" not in [e["event"] for e in finding_events(repo)]

    # an edit of the code that was cut short takes it again (and it is cut again)
    at = ed.text.index("    eval(q)")
    ed.insert(at, "    y = q\n")
    await ed.provenance()
    assert limit_cuts() > cut
    assert len(ed.diagnostics(NOTICE)) == 1

    # with a short block the check runs to its end: the notice goes
    first, last = ed.text.index("    x0 = q"), ed.text.index("    eval(q)")
    ed.replace(first, last, "    y = q\n")
    await ed.provenance()
    assert ed.diagnostics(NOTICE) == []
    assert len(ed.diagnostics("py-eval-exec")) == 1
