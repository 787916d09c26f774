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
from genguard.rules.model import CHECKS
from genguard.syntax.languages import SUPPORTED, new_parser

# CWEs the security and secrets packs must cover, per language. Go has no eval,
# no native object deserialization and a linear-time regexp package, so those
# weaknesses do not arise there.
_COMMON_CWES = ("CWE-22", "CWE-78", "CWE-79", "CWE-89", "CWE-295", "CWE-327", "CWE-330")
_COMMON_CWES += ("CWE-798", "CWE-918")
REQUIRED_CWES: dict[str, tuple[str, ...]] = {
    "python": (*_COMMON_CWES, "CWE-95", "CWE-377", "CWE-502", "CWE-611", "CWE-1333"),
    "javascript": (*_COMMON_CWES, "CWE-95", "CWE-502", "CWE-611", "CWE-1333"),
    "typescript": (*_COMMON_CWES, "CWE-95", "CWE-502", "CWE-611", "CWE-1333"),
    "go": _COMMON_CWES,
    "java": (*_COMMON_CWES, "CWE-95", "CWE-502", "CWE-611", "CWE-1333"),
}
PATTERN_PACKS = ("security", "secrets")
GOVERNANCE_RULES = {
    "protected-path": ("governance-protected-path", "error"),
    "approved-tool": ("governance-unapproved-tool", "warning"),
    "approved-model": ("governance-unapproved-model", "warning"),
    "chunk-size": ("governance-chunk-size", "warning"),
    "banned-import": ("governance-banned-import", "warning"),
    "license-header": ("governance-license-header", "warning"),
}


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
    assert {r.pack for r in ruleset.rules} == {"security", "secrets", "governance", "agent-risk"}
    packs = {p: [r for r in ruleset.rules if r.pack == p] for p in ("security", "secrets")}
    assert len(packs["security"]) >= 60
    assert len(packs["secrets"]) >= 12


def test_rule_ids_are_unique() -> None:
    ids = [r.id for r in builtin().rules]
    assert len(ids) == len(set(ids))


def test_every_pattern_rule_is_documented_and_exemplified() -> None:
    for rule in builtin().rules:
        if rule.pack not in PATTERN_PACKS:
            continue
        assert rule.check is None, rule.id
        assert rule.cwe, rule.id
        assert rule.owasp, rule.id
        assert rule.url and rule.url.startswith("https://cwe.mitre.org/"), rule.id
        assert {"soc2", "nist_ai_rmf", "iso42001"} <= set(rule.controls), rule.id
        assert rule.security_severity is not None, rule.id
        assert len(rule.examples_bad) >= 2, rule.id
        assert len(rule.examples_good) >= 2, rule.id


def test_security_severity_matches_severity() -> None:
    """A score of 7+ (high) should not hide behind an info/hint diagnostic."""
    for rule in builtin().rules:
        if rule.security_severity is not None and rule.security_severity >= 7.0:
            assert rule.severity in ("error", "warning"), rule.id


def test_secrets_are_redacted_everywhere() -> None:
    secrets = [r for r in builtin().rules if r.pack == "secrets"]
    assert secrets
    for rule in secrets:
        assert rule.redact and rule.any_language and rule.regex, rule.id
        assert "CWE-798" in rule.cwe and "LLM02:2025" in rule.owasp_llm, rule.id
    assert not [r.id for r in builtin().rules if r.redact and r.pack != "secrets"]


def test_secret_ids_are_kept() -> None:
    ids = {r.id for r in builtin().rules if r.pack == "secrets"}
    assert {"secret-aws-access-key-id", "secret-github-token", "secret-private-key"} <= ids


def test_governance_pack_has_one_rule_per_check() -> None:
    rules = [r for r in builtin().rules if r.pack == "governance"]
    assert sorted(r.check for r in rules if r.check) == sorted(CHECKS)
    for rule in rules:
        assert rule.check is not None and rule.query is None and rule.regex is None
        assert (rule.id, rule.severity) == GOVERNANCE_RULES[rule.check]
        assert rule.any_language and rule.message
        assert {"soc2", "nist_ai_rmf", "iso42001"} <= set(rule.controls), rule.id
        assert not rule.examples_bad and not rule.examples_good
    # the matcher leaves check rules to the code that implements them
    for language in (None, "python"):
        assert not [r for r in compiled().matcher_for(language).rules if r.check]


def test_llm_output_sinks_are_tagged() -> None:
    """Rules about running or rendering data unchecked carry LLM05 (improper output handling)."""
    for rule_id in ("py-eval-exec", "py-subprocess-shell", "js-eval", "js-inner-html"):
        rule = builtin().by_id(rule_id)
        assert rule is not None and "LLM05:2025" in rule.owasp_llm, rule_id


@pytest.mark.parametrize("language", sorted(REQUIRED_CWES))
def test_required_cwes_are_covered(language: str) -> None:
    covered = {
        cwe
        for rule in builtin().rules
        if rule.pack in PATTERN_PACKS
        if language in rule.languages or rule.any_language
        for cwe in rule.cwe
    }
    missing = [cwe for cwe in REQUIRED_CWES[language] if cwe not in covered]
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


def test_every_builtin_query_compiles_for_each_of_its_languages():
    """Built-in packs skip compiling at load (start-up speed); this is where they are checked."""
    from genguard.rules.loader import compile_query
    from genguard.syntax.languages import get_language

    failures = []
    for rule in load_rules().rules:
        if rule.query is None:
            continue
        for language in rule.languages:
            if get_language(language) is None:
                continue
            try:
                compile_query(language, rule.query)
            except ValueError as exc:
                failures.append(f"{rule.source}:{rule.line}: {rule.id} ({language}): {exc}")
    assert not failures, "\n".join(failures)
