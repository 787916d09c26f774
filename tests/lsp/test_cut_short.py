"""A check cut short by its budget in the editor: said at the top of the file, and
never recorded as a finding resolved."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cutshort import nested_helper, nested_loops

NOTICE = "genguard.check-incomplete"


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
