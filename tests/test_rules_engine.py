"""The rule engine: loading and validation, offsets, ranges, fixes and bounds."""

from __future__ import annotations

import textwrap
import time
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from genguard.rules import (
    CompiledRules,
    Match,
    RuleError,
    RuleSet,
    load_rules,
)
from genguard.rules.budget import COMMIT, KEYSTROKE, SCAN, Budget
from genguard.rules.loader import UNTRUSTED_MAX_QUERY_CHARS, UNTRUSTED_MAX_QUERY_PATTERNS
from genguard.rules.matcher import MAX_MATCHES_PER_RULE
from genguard.rules.model import redact, shannon_entropy
from genguard.syntax.languages import new_parser

AWS_KEY = "AKIAZQ3FAKE7TESTKEY4"  # fake, only the shape of an access key id


@cache
def builtin() -> CompiledRules:
    return CompiledRules(load_rules())


def run(
    source: str | bytes,
    language: str | None,
    ranges: list[tuple[int, int]] | None = None,
    compiled: CompiledRules | None = None,
) -> list[Match]:
    data = source.encode() if isinstance(source, str) else source
    tree = new_parser(language).parse(data) if language else None
    return list((compiled or builtin()).matcher_for(language).run(data, tree, ranges).items)


def ids(matches: list[Match]) -> list[str]:
    return [m.rule.id for m in matches]


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def only_errors(ruleset: RuleSet, path: Path) -> list[RuleError]:
    return [e for e in ruleset.errors if e.path == str(path)]


# -- offsets -------------------------------------------------------------------------


def test_query_offsets_are_bytes_with_non_ascii_before_the_match() -> None:
    source = 'label = "café 😀"; os.system("ping " + host)\n'
    data = source.encode()
    [match] = [m for m in run(data, "python") if m.rule.id == "py-os-system"]
    assert match.start == data.index(b"os.system")
    assert match.start != source.index("os.system")  # bytes, not code points
    assert data[match.start : match.end] == b'os.system("ping " + host)'


def test_regex_offsets_are_bytes_with_non_ascii_before_the_match() -> None:
    data = f'note = "é 😀 ü"  # key: {AWS_KEY}\n'.encode()
    [match] = [m for m in run(data, "python") if m.rule.id == "secret-aws-access-key-id"]
    assert data[match.start : match.end].decode() == AWS_KEY


def test_regex_offsets_in_ranges_on_non_ascii_lines() -> None:
    data = f'a = "ü"\nb = "😀 {AWS_KEY}"\n'.encode()
    line2 = data.index(b"b =")
    [match] = run(data, None, [(line2, line2 + 1)])
    assert data[match.start : match.end].decode() == AWS_KEY


def test_regex_reports_the_named_match_group() -> None:
    data = b"-----BEGIN RSA PRIVATE KEY-----\nMIIEFAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKE\n"
    [match] = run(data, None)
    assert data[match.start : match.end] == b"-----BEGIN RSA PRIVATE KEY-----"


# -- ranges --------------------------------------------------------------------------


def test_ranges_restrict_query_matches() -> None:
    data = b'os.system("rm " + a)\nx = 1\nos.system("rm " + b)\n'
    second = data.rindex(b"os.system")
    everything = [m for m in run(data, "python") if m.rule.id == "py-os-system"]
    assert len(everything) == 2

    outside = run(data, "python", [(data.index(b"x = 1"), data.index(b"x = 1") + 5)])
    assert "py-os-system" not in ids(outside)

    # a range covering only part of the call (the argument) still reports it
    arg = data.rindex(b"b)")
    [match] = [m for m in run(data, "python", [(arg, arg + 1)]) if m.rule.id == "py-os-system"]
    assert match.start == second


def test_regex_rules_see_whole_lines_touched_by_a_range() -> None:
    data = f'aws_key = "{AWS_KEY}"\nother = 1\n'.encode()
    # the range covers only "aws_key", not the key itself: the line is still scanned
    hits = run(data, "python", [(0, 7)])
    assert [data[m.start : m.end].decode() for m in hits] == [AWS_KEY]
    # a range on another line does not see it
    other = data.index(b"other")
    assert run(data, "python", [(other, other + 5)]) == []


def test_overlapping_ranges_do_not_duplicate_matches() -> None:
    data = f'k = "{AWS_KEY}"\n'.encode()
    hits = run(data, None, [(0, 3), (2, 6), (10, 12)])
    assert len(hits) == 1


def test_empty_ranges_list_finds_nothing() -> None:
    assert run(b'os.system("rm " + a)\n', "python", []) == []


def test_matches_are_sorted_and_deduplicated() -> None:
    data = b'os.system("a" + x)\neval(y)\nos.system("b" + z)\n'
    hits = run(data, "python")
    starts = [m.start for m in hits]
    assert starts == sorted(starts)
    assert len({(m.rule.id, m.start, m.end) for m in hits}) == len(hits)


# -- language selection --------------------------------------------------------------


def test_matcher_for_none_applies_only_wildcard_rules() -> None:
    matcher = builtin().matcher_for(None)
    assert matcher.rules and all(r.any_language for r in matcher.rules)
    data = f'os.system("rm " + x)\nkey = "{AWS_KEY}"\n'.encode()
    assert ids(run(data, None)) == ["secret-aws-access-key-id"]
    # a language genguard does not know behaves like "no grammar"
    assert builtin().matcher_for("cobol").rules == matcher.rules


def test_language_matchers_include_wildcard_rules() -> None:
    rules = builtin().matcher_for("go").rules
    assert any(r.id == "go-tls-insecure-skip-verify" for r in rules)
    assert any(r.id == "secret-private-key" for r in rules)
    assert not any(r.id.startswith("py-") for r in rules)


def test_javascript_rules_apply_to_tsx() -> None:
    source = "const C = ({ expr }: Props) => <div>{eval(expr)}</div>;\n"
    assert "js-eval" in ids(run(source, "tsx"))
    # taint follows data into JSX: an attribute's object is an assignment sink
    jsx = "const C = () => <div dangerouslySetInnerHTML={{ __html: location.hash }} />;\n"
    assert "js-inner-html" in ids(run(jsx, "tsx"))


def test_tsx_skips_inherited_queries_that_do_not_compile_for_it(tmp_path: Path) -> None:
    write(
        tmp_path,
        "org/js.yaml",
        """
        rules:
          - id: js-class-field
            languages: [javascript]
            severity: info
            message: field_definition exists in the JavaScript grammar only
            query: "(field_definition) @match"
          - id: js-any-call
            languages: [javascript]
            severity: info
            message: calls
            query: "(call_expression) @match"
          - id: ts-todo
            languages: [typescript]
            severity: info
            message: todo
            regex: "TODO"
        """,
    )
    ruleset = load_rules([tmp_path])
    assert ruleset.errors == ()
    compiled = CompiledRules(ruleset)
    assert {r.id for r in compiled.matcher_for("tsx").rules} == {"js-any-call", "ts-todo"}
    assert ids(run("f(); // TODO\n", "tsx", compiled=compiled)) == ["js-any-call", "ts-todo"]
    js = {r.id for r in compiled.matcher_for("javascript").rules}
    assert js == {"js-class-field", "js-any-call"}


@pytest.mark.parametrize("ranges", [None, [(0, 10_000)]], ids=["whole file", "ranges"])
def test_a_slow_query_compile_does_not_eat_the_matching_time_budget(
    monkeypatch: pytest.MonkeyPatch, ranges: list[tuple[int, int]] | None
) -> None:
    """Compiling on a busy machine can take longer than the matching budget; the
    budget is for matching, so the results must still be complete."""
    from genguard.rules import matcher as matcher_module

    for name in ("_split", "_combine"):
        real = getattr(matcher_module, name)

        def slow(*args, _real=real, **kwargs):
            time.sleep(KEYSTROKE.query * 1.5)
            return _real(*args, **kwargs)

        monkeypatch.setattr(matcher_module, name, slow)
    monkeypatch.setattr(matcher_module._QueryGroup, "_compile_subset", lambda self, a: None)
    fresh = CompiledRules(load_rules(), lean=ranges is not None)
    source = "import pickle\n\ndef load(blob):\n    return pickle.loads(blob)\n"
    assert "py-unsafe-deserialization" in ids(run(source, "python", ranges, fresh))


def test_matchers_are_cached() -> None:
    compiled = builtin()
    assert compiled.matcher_for("python") is compiled.matcher_for("python")


def test_query_rules_need_a_tree() -> None:
    data = b'os.system("rm " + x)\n'
    matcher = builtin().matcher_for("python")
    assert matcher.run(data, None).items == ()


# -- fixes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "rule_id", "fix"),
    [
        ("cfg = yaml.load(stream)\n", "py-yaml-unsafe-load", "yaml.safe_load(stream)"),
        (
            "cfg = yaml.load(open(p), Loader=yaml.Loader)\n",
            "py-yaml-unsafe-load",
            "yaml.safe_load(open(p))",
        ),
        ("r = requests.get(u, verify=False)\n", "py-requests-verify-false", "verify=True"),
        ("ctx.check_hostname = False\n", "py-ssl-no-hostname-check", "ctx.check_hostname = True"),
    ],
)
def test_fix_templates_render_captures(source: str, rule_id: str, fix: str) -> None:
    [match] = [m for m in run(source, "python") if m.rule.id == rule_id]
    assert match.fix == fix


def test_fix_is_none_without_template() -> None:
    [match] = [m for m in run('os.system("rm " + x)\n', "python") if m.rule.id == "py-os-system"]
    assert match.fix is None


def test_regex_fix_uses_named_groups(tmp_path: Path) -> None:
    write(
        tmp_path,
        "org/debug.yaml",
        """
        id: no-debug-flag
        languages: ["*"]
        severity: info
        message: turn debug off
        regex: '(?P<match>(?P<name>[A-Z_]*DEBUG)\\s*=\\s*(?:true|1))'
        fix: "{{name}} = false"
        """,
    )
    ruleset = load_rules([tmp_path])
    assert ruleset.errors == ()
    [match] = run(b"APP_DEBUG = true\n", None, compiled=CompiledRules(ruleset))
    assert match.fix == "APP_DEBUG = false"


# -- loading and validation ----------------------------------------------------------

GOOD_RULE = """
  - id: {id}
    languages: [python]
    severity: warning
    message: do not call {name}
    query: |
      ((call function: (identifier) @f) @match (#eq? @f "{name}"))
"""


def test_bad_rules_are_reported_with_file_and_line_and_others_still_load(tmp_path: Path) -> None:
    mixed = write(
        tmp_path,
        "org/mixed.yaml",
        "rules:\n"
        + GOOD_RULE.format(id="good-one", name="foo")
        + """
  - id: bad-query
    languages: [python]
    severity: error
    message: broken query
    query: |
      ((call function: (no_such_node) @f) @match)
"""
        + """
  - id: bad-regex
    languages: ["*"]
    severity: error
    message: RE2 has no lookbehind
    regex: '(?<=secret)=\\w+'
"""
        + """
  - id: unknown-field
    languages: [python]
    severity: error
    message: has a typo
    sevrity: error
    regex: 'x'
"""
        + GOOD_RULE.format(id="good-two", name="bar"),
    )
    broken = write(
        tmp_path,
        "org/broken.yaml",
        """
        rules:
          - id: fine
            languages: [python]
            message: "unterminated
        """,
    )
    write(tmp_path, "org/other.yaml", "rules:\n" + GOOD_RULE.format(id="good-three", name="baz"))

    ruleset = load_rules([tmp_path])
    assert sorted(r.id for r in ruleset.rules) == ["good-one", "good-three", "good-two"]
    assert {r.pack for r in ruleset.rules} == {"org"}

    errors = {e.rule_id: e for e in only_errors(ruleset, mixed)}
    assert set(errors) == {"bad-query", "bad-regex", "unknown-field"}
    lines = mixed.read_text().splitlines()
    for rule_id, error in errors.items():
        assert lines[error.line - 1] == f"  - id: {rule_id}", error
        assert str(error).startswith(f"{mixed}:{error.line}: {rule_id}: ")
    assert "does not compile for python" in errors["bad-query"].message
    assert "RE2" in errors["bad-regex"].message
    assert "sevrity" in errors["unknown-field"].message

    [yaml_error] = only_errors(ruleset, broken)
    assert yaml_error.rule_id is None
    assert "invalid YAML" in yaml_error.message
    assert 1 <= yaml_error.line <= len(broken.read_text().splitlines()) + 1


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "languages: [python]\nseverity: error\nmessage: m\n",
            "exactly one of query, regex, taint or check",
        ),
        (
            "languages: [python]\nseverity: error\nmessage: m\nregex: a\nquery: '(call) @match'\n",
            "exactly one of query, regex, taint or check",
        ),
        (
            'languages: ["*"]\nseverity: error\nmessage: m\nregex: a\ncheck: chunk-size\n',
            "exactly one of query, regex, taint or check",
        ),
        ('languages: ["*"]\nseverity: error\nmessage: m\ncheck: vibes\n', "not a built-in check"),
        (
            'languages: ["*"]\nseverity: error\nmessage: m\ncheck: chunk-size\n'
            "examples: {bad: [x]}\n",
            "'examples' does not apply to check rules",
        ),
        (
            "languages: [python]\nseverity: error\nmessage: m\nregex: a\nowasp_llm: [LLM11:2025]\n",
            "LLM01:2025 to LLM10:2025",
        ),
        (
            "languages: [python]\nseverity: error\nmessage: m\nregex: a\nowasp_llm: LLM05:2025\n",
            "list of strings",
        ),
        (
            "languages: [python]\nseverity: error\nmessage: m\nregex: a\nsecurity_severity: 11\n",
            "'security_severity' must be a number from 0 to 10",
        ),
        (
            "languages: [python]\nseverity: error\nmessage: m\nregex: a\nsecurity_severity: high\n",
            "'security_severity' must be a number",
        ),
        (
            "languages: [python]\nseverity: error\nmessage: m\nregex: a\nentropy: true\n",
            "'entropy' must be a number",
        ),
        (
            "languages: [python]\nseverity: error\nmessage: m\nquery: '(call) @match'\n"
            "entropy: 3.5\n",
            "'entropy' applies to regex rules only",
        ),
        (
            "languages: [python]\nseverity: error\nmessage: m\nregex: a\nredact: 'yes'\n",
            "'redact' must be true or false",
        ),
        ("languages: [python]\nseverity: fatal\nmessage: m\nregex: a\n", "severity"),
        ("languages: [cobol]\nseverity: error\nmessage: m\nregex: a\n", "unknown language"),
        ("languages: python\nseverity: error\nmessage: m\nregex: a\n", "list of strings"),
        ("languages: [python]\nseverity: error\nregex: a\n", "missing required field 'message'"),
        ('languages: ["*"]\nseverity: error\nmessage: m\nquery: "(call) @match"\n', "regex"),
        ("languages: [python]\nseverity: error\nmessage: m\nquery: '(call) @c'\n", "@match"),
        (
            "languages: [python]\nseverity: error\nmessage: m\n"
            "query: '(call) @match'\nfix: '{{x}}'\n",
            "unknown capture",
        ),
        ("languages: [python]\nseverity: error\nmessage: m\nregex: a\ncwe: [78]\n", "list"),
        ("languages: [python]\nseverity: error\nmessage: m\nregex: a\nallow: ['(']\n", "RE2"),
    ],
)
def test_validation_errors(tmp_path: Path, body: str, expected: str) -> None:
    path = write(tmp_path, "org/rule.yaml", "id: some-rule\n" + body)
    ruleset = load_rules([tmp_path])
    assert ruleset.rules == ()
    [error] = ruleset.errors
    assert (error.path, error.line, error.rule_id) == (str(path), 1, "some-rule")
    assert expected in error.message


def test_error_message_points_at_the_offending_field_line(tmp_path: Path) -> None:
    write(
        tmp_path,
        "org/rule.yaml",
        """
        rules:
          - id: typo
            languages: [python]
            message: m
            severity: loud
            regex: a
        """,
    )
    [error] = load_rules([tmp_path]).errors
    assert error.line == 2
    assert error.message.endswith("(line 5)")


def test_duplicate_ids_are_reported(tmp_path: Path) -> None:
    write(tmp_path, "a/one.yaml", "rules:\n" + GOOD_RULE.format(id="same", name="foo"))
    second = write(tmp_path, "b/two.yaml", "rules:\n" + GOOD_RULE.format(id="same", name="bar"))
    ruleset = load_rules([tmp_path])
    assert [r.source for r in ruleset.rules] == [str(tmp_path / "a/one.yaml")]
    [error] = ruleset.errors
    line = second.read_text().splitlines().index("  - id: same") + 1
    assert (error.path, error.line, error.rule_id) == (str(second), line, "same")
    assert "duplicate" in error.message


def test_unsafe_yaml_tags_are_refused(tmp_path: Path) -> None:
    write(
        tmp_path,
        "org/evil.yaml",
        """
        rules:
          - id: evil
            languages: [python]
            severity: error
            message: !!python/object/apply:os.system ["echo owned"]
            regex: a
        """,
    )
    ruleset = load_rules([tmp_path])
    assert ruleset.rules == ()
    assert "invalid YAML" in ruleset.errors[0].message


def test_a_missing_grammar_costs_only_its_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from genguard.rules import loader, matcher

    def no_go(name: str) -> object:
        return None if name == "go" else real(name)

    real = loader.get_language
    monkeypatch.setattr(loader, "get_language", no_go)
    monkeypatch.setattr(matcher, "get_language", no_go)
    write(
        tmp_path,
        "org/r.yaml",
        """
        id: any-call
        languages: [python, go]
        severity: info
        message: calls
        query: "(call) @match"
        """,
    )
    ruleset = load_rules([tmp_path])
    assert ruleset.errors == ()
    compiled = CompiledRules(ruleset)
    assert ids(run("f()\n", "python", compiled=compiled)) == ["any-call"]
    assert compiled.matcher_for("go").query is None


def test_missing_directory_is_an_error_not_an_exception(tmp_path: Path) -> None:
    ruleset = load_rules([tmp_path / "nope"])
    assert ruleset.rules == ()
    assert ruleset.errors[0].path == str(tmp_path / "nope")


def test_files_directly_in_a_root_take_its_name_as_pack(tmp_path: Path) -> None:
    write(tmp_path, "team/rule.yaml", "rules:\n" + GOOD_RULE.format(id="top", name="foo"))
    ruleset = load_rules([tmp_path / "team"])
    assert [r.pack for r in ruleset.rules] == ["team"]


def test_packs_disable_and_severity_overrides() -> None:
    full = load_rules()
    assert load_rules(packs=["nope"]).rules == ()
    trimmed = load_rules(disable=["py-eval-exec"])
    assert "py-eval-exec" not in {r.id for r in trimmed.rules}
    assert len(trimmed.rules) == len(full.rules) - 1
    louder = load_rules(severity={"py-weak-hash": "error", "py-eval-exec": "panic"})
    assert louder.by_id("py-weak-hash").severity == "error"
    assert any(e.rule_id == "py-eval-exec" and "panic" in e.message for e in louder.errors)
    assert len({full.version, trimmed.version, louder.version}) == 3
    assert load_rules().version == full.version


def test_rule_metadata_is_loaded() -> None:
    rule = load_rules().by_id("py-subprocess-shell")
    assert rule is not None
    assert rule.cwe == ("CWE-78",)
    assert rule.controls["soc2"] == ("CC7.1", "CC8.1")
    assert rule.source.endswith("python-taint.yaml") and rule.line > 1
    assert rule.taint is not None and rule.taint.unknown == "warning"
    assert rule.pack == "security"


def test_allow_list_drops_known_example_values() -> None:
    data = b'a = "AKIAIOSFODNN7EXAMPLE"\nb = "AKIAXXXXXXXXXXXXXXXX"\n'
    assert run(data, None) == []


# -- bounds --------------------------------------------------------------------------


def test_catastrophic_looking_regex_returns_promptly(tmp_path: Path) -> None:
    write(
        tmp_path,
        "org/slow.yaml",
        """
        id: nested-quantifier
        languages: ["*"]
        severity: info
        message: a pattern that backtracking engines take exponential time on
        regex: '(a+)+$'
        """,
    )
    ruleset = load_rules([tmp_path])
    assert ruleset.errors == ()
    data = b"a" * 200_000 + b"!"
    start = time.perf_counter()
    assert run(data, None, compiled=CompiledRules(ruleset)) == []
    assert time.perf_counter() - start < 2.0


LARGE_FILE_SECONDS = 60.0
"""The most the editor's check of the 420 KB file below may take. The matcher's own
budgets allow it about 2.5 s (queries 0.2 s and taint 0.15 s per 64 KiB, wall-clock,
plus the pass under way when they run out) and an idle machine takes under 2 s, but
a busy one stretches every second of it: the bound is what no machine running the
suite reaches, while a check that does not stop, or whose cost grows faster than the
file, still does."""


def test_large_file_is_bounded() -> None:
    data = b'os.system("rm " + x)\n' * 20_000
    tree = new_parser("python").parse(data)
    matcher = builtin().matcher_for("python")
    # the editor's budgets are wall-clock: how much they find depends on how busy the
    # machine is, but the check ends, and never keeps more than the cap
    start = time.perf_counter()
    hits = matcher.run(data, tree)
    assert time.perf_counter() - start < LARGE_FILE_SECONDS
    assert set(ids(hits)) <= {"py-os-system"} and len(hits.items) <= MAX_MATCHES_PER_RULE
    # with a scan's budget, which no machine runs out of here, the findings reach the
    # cap: exactly MAX_MATCHES_PER_RULE are kept
    complete = matcher.run(data, tree, budget=SCAN)
    assert Counter(ids(complete)) == {"py-os-system": MAX_MATCHES_PER_RULE}


# -- new rule fields -----------------------------------------------------------------

FIELDS_RULE = """
id: fields
languages: ["*"]
severity: error
message: m
regex: 'token=(?P<secret>[A-Za-z0-9]+)'
{extra}
"""


def test_new_fields_are_loaded(tmp_path: Path) -> None:
    extra = "owasp_llm: [LLM02:2025]\nsecurity_severity: 7\nentropy: 3.25\nredact: true"
    write(tmp_path, "org/r.yaml", FIELDS_RULE.format(extra=extra))
    ruleset = load_rules([tmp_path])
    assert ruleset.errors == ()
    [rule] = ruleset.rules
    assert rule.owasp_llm == ("LLM02:2025",)
    assert rule.security_severity == 7.0 and isinstance(rule.security_severity, float)
    assert rule.entropy == 3.25
    assert rule.redact is True and rule.check is None
    plain = load_rules([write(tmp_path / "b", "org/r.yaml", FIELDS_RULE.format(extra="")).parent])
    [rule] = plain.rules
    assert (rule.owasp_llm, rule.security_severity, rule.entropy, rule.redact) == (
        (),
        None,
        None,
        False,
    )


@pytest.mark.parametrize(
    "extra",
    [
        "owasp_llm: [LLM05:2025]",
        "security_severity: 5.5",
        "entropy: 2.0",
        "redact: true",
    ],
)
def test_new_fields_change_the_ruleset_version(tmp_path: Path, extra: str) -> None:
    base = load_rules([write(tmp_path / "a", "org/r.yaml", FIELDS_RULE.format(extra="")).parent])
    changed = load_rules(
        [write(tmp_path / "b", "org/r.yaml", FIELDS_RULE.format(extra=extra)).parent]
    )
    assert base.errors == changed.errors == ()
    assert base.version != changed.version


def test_check_rules_load_and_the_matcher_ignores_them(tmp_path: Path) -> None:
    write(
        tmp_path,
        "gov/rules.yaml",
        """
        rules:
          - id: big-chunks
            languages: ["*"]
            severity: warning
            message: split large AI chunks
            check: chunk-size
          - id: todo
            languages: ["*"]
            severity: info
            message: todo
            regex: TODO
        """,
    )
    other = write(
        tmp_path / "other",
        "gov/rules.yaml",
        'id: big-chunks\nlanguages: ["*"]\nseverity: warning\nmessage: m\ncheck: license-header\n',
    )
    ruleset = load_rules([tmp_path / "gov"])
    assert ruleset.errors == ()
    assert ruleset.by_id("big-chunks").check == "chunk-size"
    compiled = CompiledRules(ruleset)
    assert [r.id for r in compiled.matcher_for(None).rules] == ["todo"]
    assert [r.id for r in compiled.matcher_for("python").rules] == ["todo"]
    assert ids(run("# TODO\n", "python", compiled=compiled)) == ["todo"]
    assert load_rules([other.parent]).version != ruleset.version


def test_error_for_a_new_field_points_at_its_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "org/r.yaml",
        """
        rules:
          - id: typo
            languages: [python]
            severity: error
            message: m
            regex: a
            owasp_llm: [LLM5]
        """,
    )
    [error] = load_rules([tmp_path]).errors
    assert (error.path, error.line, error.rule_id) == (str(path), 2, "typo")
    assert error.message.endswith("(line 7)") and "'owasp_llm'" in error.message


# -- entropy and redaction -------------------------------------------------------------


def test_shannon_entropy() -> None:
    assert shannon_entropy("") == 0.0
    assert shannon_entropy("aaaa") == 0.0
    assert shannon_entropy("abab") == pytest.approx(1.0)
    assert shannon_entropy("abcdefgh") == pytest.approx(3.0)
    assert shannon_entropy("changeme") < 3.5 < shannon_entropy("FAKE9c2e7b1d4a8f0e3b6c5d2a1f")


def test_entropy_threshold_keeps_only_random_looking_values(tmp_path: Path) -> None:
    write(tmp_path, "org/r.yaml", FIELDS_RULE.format(extra="entropy: 3.5\nredact: true"))
    compiled = CompiledRules(load_rules([tmp_path]))
    data = b"a token=aaaaaaaaaaaa\nb token=Zq8fK2pLm9XvB4tR\n"
    [match] = run(data, None, compiled=compiled)
    assert data[match.start : match.end] == b"Zq8fK2pLm9XvB4tR"  # the secret group is reported


def test_reported_group_falls_back_when_secret_does_not_take_part(tmp_path: Path) -> None:
    write(
        tmp_path,
        "org/r.yaml",
        """
        id: either
        languages: ["*"]
        severity: error
        message: m
        regex: 'key="(?P<secret>[^"]+)"|key=(?P<match>\\w+)'
        """,
    )
    compiled = CompiledRules(load_rules([tmp_path]))
    data = b'key="quoted-one"\nkey=bare_one\n'
    spans = [data[m.start : m.end] for m in run(data, None, compiled=compiled)]
    assert spans == [b"quoted-one", b"bare_one"]


def test_allow_applies_to_the_reported_secret(tmp_path: Path) -> None:
    write(
        tmp_path,
        "org/r.yaml",
        FIELDS_RULE.format(extra="allow: ['^[a-z]+$']"),
    )
    compiled = CompiledRules(load_rules([tmp_path]))
    assert run(b"token=placeholder\n", None, compiled=compiled) == []
    assert len(run(b"token=Abc123\n", None, compiled=compiled)) == 1


@pytest.mark.parametrize("value", ["", "a", "hunter2", AWS_KEY, "x" * 200, "é😀ü€"])
def test_redact_never_shows_the_value(value: str) -> None:
    shown = redact(value)
    prefix, rest = shown.split("…")
    assert rest == f"({len(value)} chars)"
    assert len(prefix) <= len(value) // 4 and value.startswith(prefix)


def test_redact_keeps_a_recognisable_prefix() -> None:
    assert redact(AWS_KEY) == "AKIA…(20 chars)"


def test_match_display_redacts_secret_rules_only() -> None:
    data = f'key = "{AWS_KEY}"\nos.system("rm " + x)\n'.encode()
    found = {m.rule.id: m for m in run(data, "python")}
    secret = found["secret-aws-access-key-id"]
    assert secret.rule.redact
    assert secret.display(data) == "AKIA…(20 chars)"
    assert AWS_KEY not in secret.display(data)
    assert found["py-os-system"].display(data) == 'os.system("rm " + x)'


def test_generic_secret_rule_defers_to_specific_ones() -> None:
    data = f'api_key = "{AWS_KEY}"\nAPI_KEY = "FAKE9c2e7b1d4a8f0e3b6c5d2a1f8e7b4c"\n'.encode()
    hits = [(m.rule.id, data[m.start : m.end].decode()) for m in run(data, None)]
    assert hits == [
        ("secret-aws-access-key-id", AWS_KEY),
        ("secret-generic-assignment", "FAKE9c2e7b1d4a8f0e3b6c5d2a1f8e7b4c"),
    ]


# -- untrusted (repository) rules --------------------------------------------------------

UNTRUSTED_RULE = """
id: repo-rule
languages: [python]
severity: warning
message: m
query: |
  {query}
"""


@pytest.mark.parametrize("predicate", ["match?", "not-match?", "any-match?", "any-not-match?"])
def test_untrusted_rules_may_not_use_python_regex_predicates(
    tmp_path: Path, predicate: str
) -> None:
    query = f'((call function: (identifier) @f) @match (#{predicate} @f "^ev"))'
    path = write(tmp_path, "repo/r.yaml", UNTRUSTED_RULE.format(query=query))
    untrusted = load_rules([tmp_path], trusted=False)
    assert untrusted.rules == ()
    [error] = untrusted.errors
    assert (error.path, error.line, error.rule_id) == (str(path), 1, "repo-rule")
    assert f"#{predicate}" in error.message and "regex" in error.message and "RE2" in error.message
    # the same rule is fine from a trusted pack
    trusted = load_rules([tmp_path])
    assert trusted.errors == () and [r.id for r in trusted.rules] == ["repo-rule"]


def test_untrusted_rules_keep_safe_predicates_and_regexes(tmp_path: Path) -> None:
    query = '((call function: (identifier) @f) @match (#any-of? @f "eval" "exec"))'
    write(tmp_path, "repo/q.yaml", UNTRUSTED_RULE.format(query=query))
    write(
        tmp_path,
        "repo/r.yaml",
        'id: repo-regex\nlanguages: ["*"]\nseverity: info\nmessage: m\nregex: "(a+)+$"\n',
    )
    ruleset = load_rules([tmp_path], trusted=False)
    assert ruleset.errors == ()
    assert sorted(r.id for r in ruleset.rules) == ["repo-regex", "repo-rule"]


def test_untrusted_queries_are_capped(tmp_path: Path) -> None:
    many = "\n  ".join(
        f'((call function: (identifier) @f{i}) @match (#eq? @f{i} "f{i}"))'
        for i in range(UNTRUSTED_MAX_QUERY_PATTERNS + 1)
    )
    write(tmp_path / "a", "repo/r.yaml", UNTRUSTED_RULE.format(query=many))
    [error] = load_rules([tmp_path / "a"], trusted=False).errors
    assert f"at most {UNTRUSTED_MAX_QUERY_PATTERNS}" in error.message
    assert load_rules([tmp_path / "a"]).errors == ()

    padding = "; " + "x" * UNTRUSTED_MAX_QUERY_CHARS
    long = f"((call) @match)\n  {padding}"
    write(tmp_path / "b", "repo/r.yaml", UNTRUSTED_RULE.format(query=long))
    [error] = load_rules([tmp_path / "b"], trusted=False).errors
    assert f"at most {UNTRUSTED_MAX_QUERY_CHARS}" in error.message


# -- checks cut short ------------------------------------------------------------------


def test_a_query_pass_past_its_deadline_says_the_results_are_partial(tmp_path: Path) -> None:
    """A zero budget (the matcher's own parameter) stops the queries after the first
    64 KiB pass: the finding beyond it is missing, and the result says so."""
    write(
        tmp_path,
        "org/comments.yaml",
        """
        id: any-comment
        languages: [python]
        severity: info
        message: a comment
        query: "(comment) @match"
        """,
    )
    compiled = CompiledRules(load_rules([tmp_path]))
    data = ("x = 1\n" * 30_000 + "# the end\n").encode()  # three passes of budget.CHUNK
    tree = new_parser("python").parse(data)
    matcher = compiled.matcher_for("python")
    complete = matcher.run(data, tree)
    assert ids(complete) == ["any-comment"] and complete.cut == ()
    cut = matcher.run(data, tree, budget=Budget(0.0, 0.0))
    assert ids(cut) == []
    assert [c.check for c in cut.cut] == ["rule queries"]
    assert "time budget" in cut.cut[0].reason


def test_a_taint_analysis_at_its_node_limit_says_the_results_are_partial() -> None:
    """With a scan's budget the clock never stops it; its node limit does, on any machine."""
    from tests.cutshort import nested_loops

    matcher = builtin().matcher_for("python")

    def check(source: str):
        data = source.encode()
        return matcher.run(data, new_parser("python").parse(data), budget=SCAN)

    shallow = check(nested_loops(8))
    assert ids(shallow) == ["py-os-system"] and shallow.cut == ()
    deep = check(nested_loops())
    assert "py-os-system" not in ids(deep)
    assert [str(c) for c in deep.cut] == [
        "taint analysis stopped at its limit of 400000 evaluated nodes"
    ]


@pytest.mark.parametrize("budget", [KEYSTROKE, COMMIT, SCAN], ids=["keystroke", "commit", "scan"])
def test_the_taint_analysis_gets_the_taint_part_of_its_entry_points_budget(budget: Budget) -> None:
    """Each row of the budget table is what its checks get: the taint analysis runs to
    the deadline its own part sets, not the queries' (a commit's five times a
    keystroke's for both). Read from the deadline, which is the analysis's start plus
    what it was allowed: no clock is stopped or trusted to be fast."""
    from tests.cutshort import nested_loops

    from genguard.taint.run import analyse

    assert KEYSTROKE.times(5) == COMMIT
    matcher = builtin().matcher_for("python")
    data = nested_loops(4).encode()  # a source and a sink: the analysis runs
    tree = new_parser("python").parse(data)
    assert matcher.taint is not None
    analysis = analyse(matcher.taint, "python", data, tree)
    before = time.monotonic()
    found = matcher.run(data, tree, budget=budget, taint_analysis=analysis)
    after = time.monotonic()
    assert ids(found) == ["py-os-system"]
    assert before + budget.taint <= analysis.deadline <= after + budget.taint
