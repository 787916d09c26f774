"""Finding 2: a repository query rule whose cost explodes with file size cannot
freeze the server or the scan: the shape is refused when the rule loads, and any
repository query runs in small windows with the time budget checked between them."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from tests.security.conftest import GENGUARD
from tests.security.rpc import run_measured

from genguard.rules import CompiledRules, Rule, RuleSet, load_rules
from genguard.rules.model import REPOSITORY_PACK
from genguard.rules.queryshape import query_shape_problem
from genguard.rules.workspace import load_repository_rules
from genguard.syntax.languages import new_parser

FREEZE = "(module (_)* @a (_)* @b (_)* @c (_)* @d) @match"
RULE_YAML = f"""rules:
  - id: freeze
    languages: [python]
    severity: warning
    message: every statement
    query: "{FREEZE}"
  - id: acme-no-print
    languages: [python]
    severity: warning
    message: use the logger
    query: '((call function: (identifier) @f) @match (#eq? @f "print"))'
"""
#: about 4 KB of Python, the size the attack froze the server with for 17 s
SOURCE_4K = "".join(f"x{i} = {i}\n" for i in range(400)) + "print(x1)\n"


def _repo_with_rule(repo: Path) -> None:
    (repo / ".genguard").mkdir()
    (repo / ".genguard" / "rules").mkdir()
    (repo / ".genguard" / "rules" / "acme.yaml").write_text(RULE_YAML)
    (repo / ".genguard.toml").write_text('scope = "all"\n')
    (repo / "big.py").write_text(SOURCE_4K)


def test_the_issues_query_is_refused_with_a_rule_error(tmp_path: Path):
    _repo_with_rule(tmp_path)
    loaded = load_repository_rules(tmp_path / ".genguard" / "rules")
    assert [r.id for r in loaded.rules] == ["acme-no-print"]  # the other rule still loads
    (error,) = loaded.errors
    assert error.rule_id == "freeze" and error.line == 2
    assert "refused for a repository rule" in error.message
    assert "repeats 2 children of (module ...)" in error.message


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("(module ((_)* @a) (_)* @b) @match", "repeats 2 children"),
        ("(block (expression_statement (_)*)* @match)", "a repetition of a repetition"),
        ("[" + " ".join(f'"k{i}"' for i in range(40)) + "] @match", "40 alternatives"),
        ("(module" + " (_)?" * 9 + ") @match", "9 children of (module ...) optional"),
        ("(a " * 20 + ")" * 20 + " @match", "deeper than 16"),
    ],
)
def test_other_exploding_shapes_are_refused(query: str, reason: str):
    problem = query_shape_problem(query)
    assert problem is not None and reason in problem


def test_the_built_in_packs_keep_to_the_same_shapes():
    queries = [r for r in load_rules(None).rules if r.query]
    assert queries
    assert [
        (r.id, query_shape_problem(r.query or ""))
        for r in queries
        if query_shape_problem(r.query or "")
    ] == []


@pytest.mark.parametrize("lines", [400, 6000])  # 4 KB, and 70 KB
def test_a_shape_that_slips_through_still_stops_within_its_budget(lines: int):
    """Defence in depth: the exploding query, forced past the loader, runs in
    windows; the whole run stays near its budget instead of minutes to hours."""
    rule = Rule(
        id="freeze",
        name="freeze",
        languages=("python",),
        severity="warning",
        message="m",
        query=FREEZE,
        pack=REPOSITORY_PACK,
    )
    source = "".join(f"x{i} = {i}\n" for i in range(lines)).encode()
    tree = new_parser("python").parse(source)
    matcher = CompiledRules(RuleSet(rules=(rule,), errors=(), version="v")).matcher_for("python")
    started = time.monotonic()
    matcher.run(source, tree)
    elapsed = time.monotonic() - started
    assert elapsed < 5.0, f"{elapsed:.1f} s"


@pytest.mark.usefixtures("isolated_git")
def test_server_answers_with_the_rule_in_the_repository(repo: Path, serve):
    _repo_with_rule(repo)
    server = serve(repo)
    assert "result" in server.initialize(repo, timeout=60)
    started = time.monotonic()
    server.open(repo / "big.py", SOURCE_4K)
    reply = server.request(
        "genguard/fileProvenance", {"textDocument": {"uri": (repo / "big.py").as_uri()}}, timeout=30
    )
    assert "result" in reply
    assert time.monotonic() - started < 10
    published = server.notifications("textDocument/publishDiagnostics")
    found = {d.get("code") for m in published for d in m["params"]["diagnostics"]}
    assert "acme-no-print" in found and "freeze" not in found
    told = [
        m["params"]["message"] for m in server.seen if m.get("method", "").startswith("window/")
    ]
    assert any("freeze" in t and "refused" in t for t in told), told


@pytest.mark.usefixtures("isolated_git")
def test_scan_finishes_and_reports_the_refused_rule(repo: Path):
    _repo_with_rule(repo)
    rc, out, _ = run_measured([*GENGUARD, "scan", "--no-cache", "."], repo, timeout=60)
    assert rc == 0, out  # a warning-level finding; the refused rule is a warning too
    assert "acme-no-print" in out and "refused for a repository rule" in out
