"""Tests for the typed configuration loader."""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from pathlib import Path

import pytest

from genguard.config import (
    CacheSettings,
    ConfigProblem,
    HeuristicSettings,
    LedgerSettings,
    RuleSettings,
    Settings,
    load_settings,
    parse_settings,
)

FULL = """\
scope = "all"
unreviewed_diagnostic = false
approved_tools = ["copilot", "claude-code"]
reviewer = "alice@example.com"

[heuristics]
min_lines = 3
min_chars = 80

[rules]
packs = ["security", "quality"]
disable = ["py-eval"]
enable = ["js-inner-html"]

[rules.severity]
"py-exec" = "warning"
py-pickle = "hint"

[cache]
enabled = false

[ledger]
enabled = false
"""

FULL_SETTINGS = Settings(
    scope="all",
    unreviewed_diagnostic=False,
    approved_tools=("copilot", "claude-code"),
    reviewer="alice@example.com",
    heuristics=HeuristicSettings(min_lines=3, min_chars=80),
    rules=RuleSettings(
        packs=("security", "quality"),
        disable=("py-eval",),
        enable=("js-inner-html",),
        severity={"py-exec": "warning", "py-pickle": "hint"},
    ),
    cache=CacheSettings(enabled=False),
    ledger=LedgerSettings(enabled=False),
)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing ``needle``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in text")


def only(problems: tuple[ConfigProblem, ...], key: str) -> ConfigProblem:
    found = [p for p in problems if p.key == key]
    assert len(found) == 1, problems
    return found[0]


# -- defaults ---------------------------------------------------------------


def test_defaults_without_any_config(tmp_path: Path) -> None:
    result = load_settings(tmp_path)
    assert result.settings == Settings.default()
    assert result.source is None
    assert result.problems == ()


def test_default_values() -> None:
    s = Settings.default()
    assert s.scope == "ai"
    assert s.unreviewed_diagnostic is True
    assert s.approved_tools == ()
    assert s.reviewer is None
    assert s.heuristics == HeuristicSettings(min_lines=2, min_chars=40)
    assert s.rules.packs == ("security", "secrets", "governance", "agent-risk")
    assert s.rules.disable == () and s.rules.enable == ()
    assert dict(s.rules.severity) == {}
    assert s.cache.enabled is True and s.ledger.enabled is True


def test_pyproject_without_section_gives_defaults(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n')
    result = load_settings(tmp_path)
    assert result.settings == Settings.default()
    assert result.source is None
    assert result.problems == ()


def test_broken_pyproject_without_section_is_not_our_problem(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.black]\nline-length = \n")
    result = load_settings(tmp_path)
    assert result.settings == Settings.default()
    assert result.source is None
    assert result.problems == ()


def test_empty_config_file(tmp_path: Path) -> None:
    path = write(tmp_path / ".genguard.toml", "")
    result = load_settings(tmp_path)
    assert result.settings == Settings.default()
    assert result.source == path
    assert result.problems == ()


# -- valid files ----------------------------------------------------------------


def test_full_valid_file(tmp_path: Path) -> None:
    path = write(tmp_path / ".genguard.toml", FULL)
    assert parse_settings(FULL, path).settings == FULL_SETTINGS
    result = load_settings(tmp_path)
    (refused,) = result.problems  # the reviewer is the user's to choose, not the repository's
    assert refused.refused and refused.key == "reviewer" and refused.line == 4
    assert result.errors == ()
    assert result.source == path
    assert result.settings == dataclasses.replace(FULL_SETTINGS, reviewer=None)
    assert result.settings.rules.severity_for("py-exec", "error") == "warning"
    assert result.settings.rules.severity_for("py-other", "error") == "error"


def test_pyproject_tool_genguard(tmp_path: Path) -> None:
    body = FULL.replace("[heuristics]", "[tool.genguard.heuristics]")
    for table in ("rules.severity", "rules", "cache", "ledger"):
        body = body.replace(f"[{table}]", f"[tool.genguard.{table}]")
    text = '[project]\nname = "demo"\n\n[tool.genguard]\n' + body
    path = write(tmp_path / "pyproject.toml", text)
    result = load_settings(tmp_path)
    assert [p.key for p in result.problems] == ["reviewer"] and result.refused
    assert result.source == path
    assert result.settings == dataclasses.replace(FULL_SETTINGS, reviewer=None)


def test_pyproject_problem_lines_point_into_pyproject(tmp_path: Path) -> None:
    text = '[project]\nname = "demo"\n\n[tool.genguard]\nscope = "ai"\nmin_lines = 3\n'
    path = write(tmp_path / "pyproject.toml", text)
    result = load_settings(tmp_path)
    problem = only(result.problems, "min_lines")
    assert problem.severity == "warning"
    assert problem.path == path
    assert problem.line == 6


def test_precedence_genguard_toml_wins(tmp_path: Path) -> None:
    config = write(tmp_path / ".genguard.toml", 'scope = "all"\n')
    pyproject_text = '[project]\nname = "demo"\n\n[tool.genguard]\nscope = "ai"\n'
    pyproject = write(tmp_path / "pyproject.toml", pyproject_text)
    result = load_settings(tmp_path)
    assert result.source == config
    assert result.settings.scope == "all"
    assert len(result.problems) == 1
    note = result.problems[0]
    assert note.severity == "warning"
    assert note.path == pyproject
    assert note.line == 4
    assert "ignored" in note.message and ".genguard.toml" in note.message


def test_no_precedence_note_when_pyproject_has_no_section(tmp_path: Path) -> None:
    write(tmp_path / ".genguard.toml", 'scope = "all"\n')
    write(tmp_path / "pyproject.toml", "[tool.ruff]\nline-length = 100\n")
    assert load_settings(tmp_path).problems == ()


# -- broken input -----------------------------------------------------------------


def test_broken_toml_reports_line_and_returns_defaults(tmp_path: Path) -> None:
    text = 'scope = "all"\n\n[heuristics]\nmin_lines = = 3\n'
    path = write(tmp_path / ".genguard.toml", text)
    result = load_settings(tmp_path)
    assert result.settings == Settings.default()
    assert result.source == path
    (problem,) = result.problems
    assert problem.severity == "error"
    assert problem.line == 4
    assert str(problem).startswith(f"{path}:4: ")
    assert "invalid TOML" in problem.message


def test_broken_toml_in_genguard_section_of_pyproject(tmp_path: Path) -> None:
    text = '[project]\nname = "demo"\n[tool.genguard]\nscope = "all\n'
    path = write(tmp_path / "pyproject.toml", text)
    result = load_settings(tmp_path)
    assert result.settings == Settings.default()
    assert result.source == path
    (problem,) = result.problems
    assert problem.severity == "error" and problem.line == 4


def test_wrong_type_keeps_other_keys_and_reports_line(tmp_path: Path) -> None:
    text = (
        'scope = "all"\n'
        "\n"
        "[heuristics]\n"
        "# an insertion of at least this many lines\n"
        'min_lines = "two"\n'
        "min_chars = 12\n"
        "\n"
        "[rules]\n"
        'packs = "security"\n'
        'disable = ["py-eval"]\n'
    )
    write(tmp_path / ".genguard.toml", text)
    result = load_settings(tmp_path)
    settings = result.settings
    assert settings.scope == "all"
    assert settings.heuristics == HeuristicSettings(min_lines=2, min_chars=12)
    assert settings.rules.packs == ("security", "secrets", "governance", "agent-risk")
    assert settings.rules.disable == ("py-eval",)

    assert {p.key for p in result.problems} == {"heuristics.min_lines", "rules.packs"}
    lines = only(result.problems, "heuristics.min_lines")
    assert lines.severity == "error"
    assert lines.line == line_of(text, "min_lines")
    assert "heuristics.min_lines" in lines.message
    packs = only(result.problems, "rules.packs")
    assert packs.line == line_of(text, "packs =")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('scope = "sometimes"\n', "scope"),
        ("unreviewed_diagnostic = 1\n", "unreviewed_diagnostic"),
        ('approved_tools = "copilot"\n', "approved_tools"),
        ('approved_tools = ["copilot", 3]\n', "approved_tools"),
        ("reviewer = 42\n", "reviewer"),
        ("[heuristics]\nmin_lines = 0\n", "heuristics.min_lines"),
        ("[heuristics]\nmin_lines = -4\n", "heuristics.min_lines"),
        ("[heuristics]\nmin_lines = true\n", "heuristics.min_lines"),
        ("[heuristics]\nmin_lines = 2.5\n", "heuristics.min_lines"),
        ("[heuristics]\nmin_chars = -1\n", "heuristics.min_chars"),
        ('[rules]\npacks = ["security", ""]\n', "rules.packs"),
        ('[rules]\nenable = "py-eval"\n', "rules.enable"),
        ('[rules]\nseverity = "warning"\n', "rules.severity"),
        ('[cache]\nenabled = "yes"\n', "cache.enabled"),
        ("[ledger]\nenabled = 0\n", "ledger.enabled"),
        ("heuristics = 3\n", "heuristics"),
    ],
)
def test_invalid_values_fall_back_to_defaults(text: str, key: str) -> None:
    path = Path("/ws/.genguard.toml")
    result = parse_settings(text, path)
    assert result.settings == Settings.default()
    problem = only(result.problems, key)
    assert problem.severity == "error"
    assert problem.line == len(text.splitlines())
    assert problem.path == path


def test_key_inside_inline_table_points_at_its_line() -> None:
    text = 'scope = "all"\nheuristics = { min_lines = 0, min_chars = 10 }\n'
    result = parse_settings(text, Path(".genguard.toml"))
    assert result.settings.heuristics == HeuristicSettings(min_lines=2, min_chars=10)
    assert only(result.problems, "heuristics.min_lines").line == 2


def test_dotted_keys_are_located() -> None:
    text = 'scope = "ai"\nrules.packs = ["security"]\nheuristics.min_chars = "x"\n'
    result = parse_settings(text, Path(".genguard.toml"))
    assert only(result.problems, "heuristics.min_chars").line == 3


def test_multiline_string_does_not_confuse_line_lookup() -> None:
    text = 'reviewer = """\n[heuristics]\nmin_lines = 1\n"""\n[heuristics]\nmin_lines = 0\n'
    result = parse_settings(text, Path(".genguard.toml"))
    assert result.settings.reviewer == "[heuristics]\nmin_lines = 1"
    assert only(result.problems, "heuristics.min_lines").line == 6


def test_unknown_key_warning_with_line(tmp_path: Path) -> None:
    text = 'scope = "ai"\nfoo = 1\n\n[heuristics]\nmin_line = 3\n'
    write(tmp_path / ".genguard.toml", text)
    result = load_settings(tmp_path)
    assert result.settings == Settings.default()
    foo = only(result.problems, "foo")
    assert foo.severity == "warning"
    assert foo.line == 2
    assert foo.message.startswith("unknown key 'foo' (known: ")
    assert "scope" in foo.message
    typo = only(result.problems, "heuristics.min_line")
    assert typo.severity == "warning" and typo.line == 5
    assert "did you mean 'min_lines'" in typo.message


def test_problems_are_sorted_by_line() -> None:
    text = "[ledger]\nenabled = 1\n[cache]\nenabled = 2\n"
    result = parse_settings(text, Path(".genguard.toml"))
    assert [p.line for p in result.problems] == [2, 4]


def test_invalid_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / ".genguard.toml"
    path.write_bytes(b'scope = "all"\nreviewer = "\xff\xfe"\n')
    result = load_settings(tmp_path)
    assert result.settings == Settings.default()
    assert result.source == path
    (problem,) = result.problems
    assert problem.severity == "error"
    assert problem.line == 2
    assert "UTF-8" in problem.message


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / ".genguard.toml"
    path.write_bytes(b'\xef\xbb\xbfscope = "all"\n')
    result = load_settings(tmp_path)
    assert result.problems == ()
    assert result.settings.scope == "all"


@pytest.mark.skipif(
    sys.platform == "win32" or (hasattr(os, "geteuid") and os.geteuid() == 0),
    reason="permissions are not enforced",
)
def test_unreadable_file(tmp_path: Path) -> None:
    path = write(tmp_path / ".genguard.toml", 'scope = "all"\n')
    path.chmod(0)
    try:
        result = load_settings(tmp_path)
    finally:
        path.chmod(0o644)
    assert result.settings == Settings.default()
    (problem,) = result.problems
    assert problem.severity == "error" and "cannot read" in problem.message


def test_read_error_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / ".genguard.toml", 'scope = "all"\n')

    real_open = os.open

    def deny(path, *args, **kwargs):
        if str(path).endswith(".genguard.toml"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)
    result = load_settings(tmp_path)
    assert result.settings == Settings.default()
    assert result.source == path
    (problem,) = result.problems
    assert problem.severity == "error"
    assert "Permission denied" in problem.message


def test_config_path_is_a_directory(tmp_path: Path) -> None:
    (tmp_path / ".genguard.toml").mkdir()
    result = load_settings(tmp_path)
    assert result.settings == Settings.default()
    (problem,) = result.problems
    assert problem.severity == "error" and problem.line is None


# -- severity overrides -------------------------------------------------------------


def test_severity_override_validation() -> None:
    text = (
        "[rules.severity]\n"
        '"py-eval" = "warning"\n'
        'py-exec = "fatal"\n'
        'py-pickle = "info"\n'
        'js-eval = "Error"\n'
        "py-shell = 3\n"
    )
    result = parse_settings(text, Path(".genguard.toml"))
    assert dict(result.settings.rules.severity) == {"py-eval": "warning", "py-pickle": "info"}
    bad = {p.key: p for p in result.problems}
    assert set(bad) == {
        "rules.severity.py-exec",
        "rules.severity.js-eval",
        "rules.severity.py-shell",
    }
    assert bad["rules.severity.py-exec"].line == 3
    assert bad["rules.severity.js-eval"].line == 5
    assert bad["rules.severity.py-shell"].line == 6
    assert all(p.severity == "error" for p in result.problems)
    assert '"fatal"' in bad["rules.severity.py-exec"].message


def test_rule_in_enable_and_disable_warns_and_stays_disabled() -> None:
    text = '[rules]\ndisable = ["py-eval"]\nenable = ["py-eval", "js-eval"]\n'
    result = parse_settings(text, Path(".genguard.toml"))
    (problem,) = result.problems
    assert problem.severity == "warning" and problem.line == 3
    rules = result.settings.rules
    assert not rules.is_enabled("py-eval", "security")
    assert rules.is_enabled("js-eval", "web")
    assert rules.is_enabled("py-pickle", "security")
    assert not rules.is_enabled("x-other", "style")


# -- settings objects -----------------------------------------------------------------


def test_settings_are_immutable_and_hashable() -> None:
    settings = parse_settings(FULL, Path(".genguard.toml")).settings
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.scope = "ai"  # type: ignore[misc]
    with pytest.raises(TypeError):
        settings.rules.severity["py-exec"] = "error"  # type: ignore[index]
    assert hash(settings) == hash(FULL_SETTINGS)
    assert {settings, FULL_SETTINGS} == {settings}


def test_to_dict_is_plain_json() -> None:
    data = FULL_SETTINGS.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["rules"]["severity"] == {"py-exec": "warning", "py-pickle": "hint"}
    assert data["approved_tools"] == ["copilot", "claude-code"]
    assert data["heuristics"] == {"min_lines": 3, "min_chars": 80}


def test_fingerprint_changes_only_when_values_change() -> None:
    base = parse_settings(FULL, Path(".genguard.toml")).settings
    same_text_reordered = FULL.replace(
        '"py-exec" = "warning"\npy-pickle = "hint"', 'py-pickle = "hint"\n"py-exec" = "warning"'
    )
    reordered = parse_settings("# comment\n" + same_text_reordered, Path("other.toml")).settings
    assert reordered.fingerprint() == base.fingerprint()
    assert base.fingerprint() == FULL_SETTINGS.fingerprint()
    assert len(base.fingerprint()) == 64

    changed = parse_settings(
        FULL.replace("min_chars = 80", "min_chars = 81"), Path(".genguard.toml")
    ).settings
    assert changed.fingerprint() != base.fingerprint()
    for variant in (
        dataclasses.replace(base, scope="ai"),
        dataclasses.replace(base, reviewer=None),
        dataclasses.replace(base, rules=dataclasses.replace(base.rules, severity={})),
        dataclasses.replace(base, ledger=LedgerSettings(enabled=True)),
    ):
        assert variant.fingerprint() != base.fingerprint()
    assert Settings.default().fingerprint() == Settings().fingerprint()


def test_empty_reviewer_means_default_identity() -> None:
    result = parse_settings('reviewer = "  "\n', Path(".genguard.toml"))
    assert result.problems == ()
    assert result.settings.reviewer is None
    assert result.settings == Settings.default()


def test_problem_str_without_line() -> None:
    problem = ConfigProblem(path=Path("a/.genguard.toml"), line=None, message="boom")
    assert str(problem) == f"{Path('a/.genguard.toml')}: boom"


def test_agent_risk_settings_defaults_and_validation() -> None:
    from genguard.config.settings import DEFAULT_GUARDRAIL_GLOBS, DEFAULT_PACKS

    assert "agent-risk" in DEFAULT_PACKS
    defaults = Settings.default().agent_risk
    assert defaults.guardrail_globs == DEFAULT_GUARDRAIL_GLOBS
    assert ".github/workflows/**" in defaults.guardrail_globs
    assert defaults.max_files_per_checkpoint == 10
    text = (
        "[agent_risk]\n"
        'guardrail_globs = ["infra/**", "!infra/ok", "infra/**"]\n'
        "max_files_per_checkpoint = -2\n"
        "max_chunk_line = 5\n"
    )
    result = parse_settings(text, Path("/w/.genguard.toml"))
    risk = result.settings.agent_risk
    assert risk.guardrail_globs == ("infra/**",)  # invalid entry dropped, duplicates merged
    assert risk.max_files_per_checkpoint == 10
    lines = {p.line: p.message for p in result.problems}
    assert "'!infra/ok'" in lines[2]
    assert "max_files_per_checkpoint" in lines[3] and "got integer -2" in lines[3]
    assert "unknown key 'agent_risk.max_chunk_line'" in lines[4]
    off = parse_settings("[agent_risk]\nmax_files_per_checkpoint = 0\n", Path("/w/x.toml"))
    assert off.settings.agent_risk.max_files_per_checkpoint == 0 and not off.problems
    assert result.settings.to_dict()["agent_risk"] == {
        "guardrail_globs": ["infra/**"],
        "max_files_per_checkpoint": 10,
    }
