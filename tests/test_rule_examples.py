"""Every built-in rule proves itself on its own examples.

Each ``bad`` snippet must trigger its rule and each ``good`` snippet must stay
quiet, in every language the rule lists (``*`` rules run on plain text).
"""

from __future__ import annotations

import json
from functools import cache

import pytest
import yaml

from genguard.rules import CompiledRules, Rule, RuleSet, builtin_rules_dir, load_rules
from genguard.rules.loader import ALL_FIELDS
from genguard.syntax.languages import SUPPORTED, new_parser

# CWEs the security pack must cover for both Python and JavaScript.
REQUIRED_CWES = (
    "CWE-78",
    "CWE-89",
    "CWE-95",
    "CWE-295",
    "CWE-327",
    "CWE-330",
    "CWE-502",
    "CWE-798",
)


@cache
def builtin() -> RuleSet:
    return load_rules()


@cache
def compiled() -> CompiledRules:
    return CompiledRules(builtin())


def fired(rule: Rule, language: str | None, snippet: str) -> list[str]:
    """Ids of the rules that fire on ``snippet`` parsed as ``language``."""
    source = snippet.encode("utf-8")
    tree = None
    if language is not None:
        parser = new_parser(language)
        assert parser is not None, f"grammar for {language} is not installed"
        tree = parser.parse(source)
    return [m.rule.id for m in compiled().matcher_for(language).run(source, tree)]


def _languages(rule: Rule) -> list[str | None]:
    return [None] if rule.any_language else list(rule.languages)


def _cases(kind: str) -> list[pytest.param]:
    cases = []
    for rule in builtin().rules:
        snippets = rule.examples_bad if kind == "bad" else rule.examples_good
        for i, snippet in enumerate(snippets):
            for language in _languages(rule):
                cases.append(
                    pytest.param(
                        rule, language, snippet, id=f"{rule.id}-{kind}{i}-{language or 'text'}"
                    )
                )
    return cases


@pytest.mark.parametrize(("rule", "language", "snippet"), _cases("bad"))
def test_bad_example_fires(rule: Rule, language: str | None, snippet: str) -> None:
    assert rule.id in fired(rule, language, snippet), f"{rule.id} missed:\n{snippet}"


@pytest.mark.parametrize(("rule", "language", "snippet"), _cases("good"))
def test_good_example_is_quiet(rule: Rule, language: str | None, snippet: str) -> None:
    assert rule.id not in fired(rule, language, snippet), f"{rule.id} fired on:\n{snippet}"


def test_builtin_packs_load_cleanly() -> None:
    ruleset = builtin()
    assert builtin_rules_dir().is_dir()
    assert ruleset.errors == (), "\n".join(map(str, ruleset.errors))
    assert len(ruleset.rules) >= 15
    assert {r.pack for r in ruleset.rules} == {"security"}


def test_rule_ids_are_unique() -> None:
    ids = [r.id for r in builtin().rules]
    assert len(ids) == len(set(ids))


def test_every_rule_is_documented_and_exemplified() -> None:
    for rule in builtin().rules:
        assert rule.cwe, rule.id
        assert rule.owasp, rule.id
        assert rule.url and rule.url.startswith("https://cwe.mitre.org/"), rule.id
        assert {"soc2", "nist_ai_rmf", "iso42001"} <= set(rule.controls), rule.id
        assert len(rule.examples_bad) >= 2, rule.id
        assert len(rule.examples_good) >= 2, rule.id


@pytest.mark.parametrize("language", ["python", "javascript"])
def test_required_cwes_are_covered(language: str) -> None:
    covered = {
        cwe
        for rule in builtin().rules
        if language in rule.languages or rule.any_language
        for cwe in rule.cwe
    }
    missing = [cwe for cwe in REQUIRED_CWES if cwe not in covered]
    assert not missing, f"{language} lacks rules for {missing}"


def test_languages_are_known() -> None:
    for rule in builtin().rules:
        assert rule.any_language or set(rule.languages) <= set(SUPPORTED), rule.id


def test_schema_matches_the_loader_and_accepts_the_packs() -> None:
    schema = json.loads((builtin_rules_dir() / "schema.json").read_text(encoding="utf-8"))
    assert set(schema["$defs"]["rule"]["properties"]) == ALL_FIELDS
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(schema)
    for path in sorted(builtin_rules_dir().rglob("*.yaml")):
        errors = [e.message for e in validator.iter_errors(yaml.safe_load(path.read_text()))]
        assert not errors, f"{path}: {errors}"
