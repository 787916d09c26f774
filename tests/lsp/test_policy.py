"""Policy over stdio: inline suppressions, governance checks and repository rules."""

from __future__ import annotations

import json
from pathlib import Path

from lsprotocol import types
from pytest_lsp import LanguageClient

BLOCK = "def evaluate_expression(source):\n    result = eval(source)\n    return result\n"

ACME_RULES = """\
rules:
  - id: acme-no-print
    languages: [python]
    severity: warning
    message: Use the acme logger instead of print
    query: |
      ((call function: (identifier) @f) @match (#eq? @f "print"))
  - id: acme-python-regex
    languages: [python]
    severity: error
    message: a backtracking Python regex, refused in repository rules
    query: |
      ((identifier) @match (#match? @match "^(a+)+$"))
"""


def changed(client: LanguageClient, *paths: Path) -> None:
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[
                types.FileEvent(uri=p.as_uri(), type=types.FileChangeType.Changed) for p in paths
            ]
        )
    )


def saved(client: LanguageClient, path: Path) -> None:
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=path.as_uri())
        )
    )


def ledger(repo: Path) -> list[dict]:
    path = repo / ".git" / "genguard" / "ledger.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()]


async def test_inline_suppression_hides_the_finding_and_lands_in_the_ledger(
    editor_for, client: LanguageClient, repo: Path
):
    ed = editor_for("calc.py", "import os\n")
    ed.insert(len(ed.text), BLOCK)
    await ed.provenance()
    assert ed.diagnostics("py-eval-exec")

    end_of_eval = ed.text.index("eval(source)") + len("eval(source)")
    ed.insert(end_of_eval, "  # genguard: ignore[py-eval-exec]")
    await ed.provenance()
    assert ed.diagnostics("py-eval-exec")  # no reason: not suppressed ...
    [warning] = ed.diagnostics("genguard.suppression-without-reason")  # ... and reported
    assert warning.severity == types.DiagnosticSeverity.Warning

    ed.insert(ed.text.index("]", end_of_eval) + 1, " source is a literal")
    prov = await ed.provenance()
    assert ed.diagnostics("py-eval-exec") == []
    assert ed.diagnostics("genguard.suppression-without-reason") == []
    assert prov["chunks"][0]["findings"] == []

    saved(client, ed.path)
    await ed.provenance()
    [record] = [r for r in ledger(repo) if r["event"] == "finding.suppressed"]
    data = record["data"]
    assert data["chunk"] == prov["chunks"][0]["id"] and data["file"] == "calc.py"
    assert data["rule"] == "py-eval-exec" and data["cwe"] == ["CWE-95"]
    assert data["reason"] == "source is a literal" and data["source"] == "inline"
    assert data["by"] == "dev@example.com" and data["lines"] == [2, 4]


async def test_protected_path_and_repository_rules(editor_for, client: LanguageClient, repo: Path):
    globs = [
        w.glob_pattern
        for r in getattr(client, "registrations", [])
        for w in (r.register_options.watchers if r.register_options else [])
    ]
    if globs:  # clients with dynamic registration are asked to watch the rule files
        assert "**/.genguard/rules/*.yaml" in globs

    config = repo / ".genguard.toml"
    config.write_text('[governance]\nprotected_paths = ["infra/**"]\n')
    rules = repo / ".genguard" / "rules" / "acme.yaml"
    rules.parent.mkdir(parents=True)
    rules.write_text(ACME_RULES)
    changed(client, config, rules)

    ed = editor_for("infra/report.py", "import os\n")
    ed.insert(len(ed.text), "def report(all_rows):\n    for row in all_rows:\n        print(row)\n")
    chunk = (await ed.provenance())["chunks"][0]
    [error] = ed.diagnostics("governance-protected-path")
    assert error.severity == types.DiagnosticSeverity.Error
    assert "infra/**" in error.message
    assert error.data["chunkId"] == chunk["id"] and error.data["controls"]
    [hit] = ed.diagnostics("acme-no-print")  # the repository's own rule
    assert hit.severity == types.DiagnosticSeverity.Warning and hit.data["chunkId"]
    # the refused rule is reported with its file and line; the good one still works
    messages = " | ".join(m.message for m in client.messages)
    assert f"{rules}:8: acme-python-regex" in messages

    result = await ed.command("genguard.markReviewed", ed.uri, chunk["id"])
    assert result["ok"]
    await ed.provenance()
    assert ed.diagnostics("governance-protected-path") == []

    rules.write_text(ACME_RULES.replace("severity: warning", "severity: error"))
    saved(client, rules)  # an editor saving the rule file reloads it too
    await ed.provenance()
    [hit] = ed.diagnostics("acme-no-print")
    assert hit.severity == types.DiagnosticSeverity.Error
