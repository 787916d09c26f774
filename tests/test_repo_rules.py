"""Repository rules (.genguard/rules/*.yaml): untrusted loading, located errors, the CLI."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from genguard.cli.main import main
from genguard.config import Settings
from genguard.config.settings import RuleSettings
from genguard.rules import CompiledRules
from genguard.rules.workspace import load_workspace_rules
from genguard.session.session import Session

GOOD_RULE = """\
  - id: acme-no-print
    languages: [python]
    severity: warning
    message: Use the acme logger instead of print
    query: |
      ((call function: (identifier) @f) @match (#eq? @f "print"))
    examples:
      bad: ["print('hello')\\n", "def f():\\n    print(x)\\n"]
      good: ["log.info('hello')\\n", "printer.print_page()\\n"]
"""

BAD_RULES = """\
  - id: acme-broken-query
    languages: [python]
    severity: error
    message: a query that does not compile
    query: "((call function: (no_such_node) @f) @match"
  - id: acme-unknown-field
    languages: [python]
    severity: error
    message: a field the schema does not have
    regex: "acme_secret"
    colour: red
  - id: acme-python-regex
    languages: [python]
    severity: error
    message: a backtracking Python regex inside a query
    query: |
      ((identifier) @match (#match? @match "^(a+)+$"))
"""

CATASTROPHIC_RULE = """\
  - id: acme-catastrophic
    languages: ["*"]
    severity: warning
    message: a pattern that backtracks exponentially in a backtracking engine
    regex: "(?m)^(a+)+$"
    examples:
      bad: ["aaaa\\n"]
      good: ["aaaa!\\n"]
"""


def write_rules(root: Path, name: str, body: str) -> Path:
    path = root / ".genguard" / "rules" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("rules:\n" + body)
    return path


def line_of(path: Path, needle: str) -> int:
    return path.read_text().splitlines().index(needle) + 1


def test_bad_rules_are_located_and_skipped_while_good_ones_load(repo: Path) -> None:
    path = write_rules(repo, "acme.yaml", GOOD_RULE + BAD_RULES)
    ruleset = load_workspace_rules(repo, Settings.default())
    repo_rules = [r for r in ruleset.rules if r.pack == "repository"]
    assert [r.id for r in repo_rules] == ["acme-no-print"]
    assert repo_rules[0].source == str(path) and repo_rules[0].line == 2
    errors = {e.rule_id: e for e in ruleset.errors if e.path == str(path)}
    assert set(errors) == {"acme-broken-query", "acme-unknown-field", "acme-python-regex"}
    for rule_id, error in errors.items():
        assert error.path == str(path)
        assert error.line == line_of(path, f"  - id: {rule_id}"), str(error)
        assert str(error).startswith(f"{path}:{error.line}: {rule_id}: ")
    assert "does not compile" in errors["acme-broken-query"].message
    assert "colour" in errors["acme-unknown-field"].message
    assert "#match?" in errors["acme-python-regex"].message
    # the built-in packs are unaffected
    assert ruleset.by_id("py-eval-exec") is not None


def test_repository_rule_fires_in_the_session(repo: Path, tmp_path: Path) -> None:
    write_rules(repo, "acme.yaml", GOOD_RULE + BAD_RULES)
    session = Session(repo, cache_dir=tmp_path / "cache")
    assert {e.rule_id for e in session.problems.rules} >= {"acme-broken-query"}
    uri = (repo / "tool.py").as_uri()
    doc = session.open(uri, "python", 1, "import os\n")
    block = "def report(rows):\n    for row in rows:\n        print(row)\n    return len(rows)\n"
    session.change(uri, 2, [(((1, 0), (1, 0)), block)])
    session.check(doc)
    [diag] = [d for d in session.diagnostics(doc) if d.code == "acme-no-print"]
    assert diag.severity == "warning" and diag.chunk_id is not None


def test_repository_rules_can_be_switched_off_and_cannot_shadow_builtins(repo: Path) -> None:
    shadow = GOOD_RULE.replace("acme-no-print", "py-eval-exec")
    path = write_rules(repo, "acme.yaml", shadow)
    ruleset = load_workspace_rules(repo, Settings.default())
    [error] = [e for e in ruleset.errors if e.path == str(path)]
    assert error.rule_id == "py-eval-exec" and "built-in" in error.message
    assert ruleset.by_id("py-eval-exec").pack == "security"

    write_rules(repo, "acme.yaml", GOOD_RULE)
    off = Settings(rules=RuleSettings(repository=False))
    assert load_workspace_rules(repo, off).by_id("acme-no-print") is None
    disabled = Settings(rules=RuleSettings(disable=("acme-no-print",)))
    assert load_workspace_rules(repo, disabled).by_id("acme-no-print") is None
    assert load_workspace_rules(repo, Settings.default()).by_id("acme-no-print") is not None


def test_a_catastrophic_regex_stays_linear_because_it_is_re2(repo: Path) -> None:
    path = write_rules(repo, "slow.yaml", CATASTROPHIC_RULE)
    ruleset = load_workspace_rules(repo, Settings.default())
    assert [e for e in ruleset.errors if e.path == str(path)] == []
    matcher = CompiledRules(ruleset).matcher_for(None)
    hostile = b"a" * 200_000 + b"!\n"  # a backtracking engine would never finish this
    started = time.perf_counter()
    hits = matcher.run(hostile + b"aaaa\n", None)
    elapsed = time.perf_counter() - started
    assert [m.rule.id for m in hits] == ["acme-catastrophic"]
    assert elapsed < 1.0, f"{elapsed:.2f}s"


# -- genguard rules test / list --------------------------------------------------------


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "250")  # keep rich from wrapping paths in tables


def test_rules_test_passes_for_good_rules(tmp_path: Path, capsys) -> None:
    path = write_rules(tmp_path, "acme.yaml", GOOD_RULE + CATASTROPHIC_RULE)
    assert main(["rules", "test", str(path.parent)]) == 0
    out = capsys.readouterr().out
    assert "2 rules" in out and "0 failed, 0 invalid" in out
    assert main(["rules", "test", str(path)]) == 0  # one file works too


def test_rules_test_fails_on_a_failing_example(tmp_path: Path, capsys) -> None:
    noisy = GOOD_RULE.replace("printer.print_page()", "print('oops')")
    path = write_rules(tmp_path, "acme.yaml", noisy)
    assert main(["rules", "test", str(path.parent)]) == 1
    out = capsys.readouterr().out
    assert "acme-no-print" in out and "good example fired" in out and "good[1]" in out
    assert f"{path}:2" in out


def test_rules_test_fails_on_an_invalid_rule_with_its_location(tmp_path: Path, capsys) -> None:
    path = write_rules(tmp_path, "acme.yaml", GOOD_RULE + BAD_RULES)
    assert main(["rules", "test", str(path.parent)]) == 1
    out = capsys.readouterr().out
    for rule_id in ("acme-broken-query", "acme-unknown-field", "acme-python-regex"):
        assert f"{path}:{line_of(path, f'  - id: {rule_id}')}: {rule_id}" in out
    assert "3 invalid" in out
    # trusted packs may use #match? (the built-in packs do); the other errors remain
    assert main(["rules", "test", "--trusted", str(path.parent)]) == 1
    assert "acme-python-regex" not in capsys.readouterr().out


def test_rules_test_fails_when_there_is_nothing_to_test(tmp_path: Path, capsys) -> None:
    (tmp_path / "empty").mkdir()
    assert main(["rules", "test", str(tmp_path / "empty")]) == 1
    assert main(["rules", "test", str(tmp_path / "missing")]) == 1
    assert "no rule file or directory" in capsys.readouterr().out


def test_rules_list_includes_repository_rules(repo: Path, capsys) -> None:
    write_rules(repo, "acme.yaml", GOOD_RULE)
    code = main(["rules", "list", "--format", "json", "--pack", "repository", "--root", str(repo)])
    assert code == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["id"] == "acme-no-print" and row["pack"] == "repository"
    assert set(row) >= {
        "languages",
        "severity",
        "security_severity",
        "cwe",
        "owasp",
        "owasp_llm",
        "controls",
    }
    assert main(["rules", "list", "--pack", "security", "--root", str(repo)]) == 0
    table = capsys.readouterr().out
    assert "py-eval-exec" in table and "acme-no-print" not in table
