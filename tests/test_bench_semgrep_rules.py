"""bench/semgrep-rules.yml stays the semgrep twin of what genguard runs on Python files.

The scan benchmark compares genguard with semgrep on the same checks; this keeps
the comparison honest as rules are added: every pattern rule a default scan runs
on a ``.py`` file has exactly one semgrep rule with its id, language kind,
severity and CWE ids, and the file holds nothing else. Cheap (no semgrep needed).
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from genguard.config.settings import Settings
from genguard.rules import CompiledRules, Rule
from genguard.rules.workspace import load_workspace_rules

SEMGREP_RULES = Path(__file__).resolve().parents[1] / "bench" / "semgrep-rules.yml"
PATTERN_KEYS = frozenset({"pattern", "pattern-either", "patterns", "pattern-regex"})


@cache
def genguard_python_rules() -> dict[str, Rule]:
    ruleset = load_workspace_rules(None, Settings())
    return {r.id: r for r in CompiledRules(ruleset).matcher_for("python").rules}


@cache
def semgrep_rules() -> dict[str, dict[str, Any]]:
    rules = yaml.safe_load(SEMGREP_RULES.read_text(encoding="utf-8"))["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids)), "a semgrep rule id is used twice"
    return {r["id"]: r for r in rules}


def test_every_python_rule_has_one_semgrep_twin() -> None:
    ours, theirs = genguard_python_rules(), semgrep_rules()
    assert len(ours) >= 50  # the default packs; guards against an empty comparison
    assert sorted(set(ours) - set(theirs)) == [], "genguard rules without a semgrep twin"
    assert sorted(set(theirs) - set(ours)) == [], "semgrep rules no genguard rule runs"


@pytest.mark.parametrize("rule_id", sorted(genguard_python_rules()))
def test_semgrep_twin_matches_the_rule(rule_id: str) -> None:
    rule = genguard_python_rules()[rule_id]
    twin = semgrep_rules().get(rule_id)
    assert twin is not None
    # a query rule is structural (python); a "*" regex rule runs on every file
    assert twin["languages"] == (["regex"] if rule.any_language else ["python"])
    assert twin["severity"] == rule.severity.upper()
    assert twin["metadata"]["cwe"] == list(rule.cwe)
    if rule.taint is not None:  # a data-flow rule: semgrep's taint mode, generated
        assert twin["mode"] == "taint" and twin["pattern-sources"] and twin["pattern-sinks"]
        return
    assert PATTERN_KEYS & set(twin), "no pattern"
    if rule.regex is not None:
        assert "pattern-regex" in yaml.safe_dump(twin), "a regex rule needs pattern-regex"


def test_taint_twins_are_generated_from_the_current_rules() -> None:
    spec = importlib.util.spec_from_file_location(
        "semgrep_taint", SEMGREP_RULES.parent / "semgrep_taint.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--check"]) == 0, "run python bench/semgrep_taint.py"
