"""Options are declared once: docs, the editor's defaults and validation follow the declarations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from genguard.config import Settings, parse_settings
from genguard.config.docs import DOCS_FILE, EDITOR_DEFAULTS_FILE, editor_defaults, main, render
from genguard.config.options import Declared, dotted, lookup, walk

ROOT = Path(__file__).resolve().parents[1]
DECLARED = list(walk(Settings))


def test_docs_table_matches_the_declarations() -> None:
    text = (ROOT / DOCS_FILE).read_text(encoding="utf-8")
    assert render(text) == text, "run: python -m genguard.config.docs"
    for d in DECLARED:
        assert f"| `{d.name}" in text, d.name


def test_editor_defaults_match_the_declarations() -> None:
    on_disk = (ROOT / EDITOR_DEFAULTS_FILE).read_text(encoding="utf-8")
    assert on_disk == editor_defaults(), "run: python -m genguard.config.docs"
    assert json.loads(on_disk) == {"heuristics": {"minLines": 2, "minChars": 40}}


def test_check_mode_notices_a_stale_docs_table(tmp_path: Path) -> None:
    (tmp_path / DOCS_FILE).parent.mkdir(parents=True)
    (tmp_path / EDITOR_DEFAULTS_FILE).parent.mkdir(parents=True)
    text = (ROOT / DOCS_FILE).read_text(encoding="utf-8")
    stale = text.replace("| `scope` |", "| `scope_old` |")
    (tmp_path / DOCS_FILE).write_text(stale, encoding="utf-8")
    (tmp_path / EDITOR_DEFAULTS_FILE).write_text(editor_defaults(), encoding="utf-8")
    assert main([str(tmp_path), "--check"]) == 1
    assert main([str(tmp_path)]) == 0
    assert (tmp_path / DOCS_FILE).read_text(encoding="utf-8") == text
    assert main([str(tmp_path), "--check"]) == 0


def test_every_key_is_documented_and_accepts_its_default() -> None:
    for d in DECLARED:
        assert d.option.help.strip(), d.name
        default = d.option.kind.plain(d.default())
        if default is not None:
            assert d.option.kind.accepts(default), d.name


def _toml(key: tuple[str, ...], value: str) -> str:
    if len(key) == 1:
        return f"{key[0]} = {value}\n"
    return f"[{dotted(key[:-1])}]\n{key[-1]} = {value}\n"


@pytest.mark.parametrize("declared", DECLARED, ids=lambda d: d.name)
def test_a_wrong_type_keeps_the_default_and_the_rest(declared: Declared) -> None:
    """Validation is derived for every key: a value of the wrong type is an error on
    its line, the key keeps its default and a valid key beside it still applies."""
    wrong = "{ x = 1 }" if not declared.name.startswith("rules.severity") else '"loud"'
    text = 'scope = "all"\n' + _toml(declared.key, wrong)
    if declared.key == ("scope",):
        text = "unreviewed_diagnostic = false\nscope = { x = 1 }\n"
    result = parse_settings(text, Path("/w/.genguard.toml"))
    (problem,) = [p for p in result.problems if p.key == declared.name]
    assert problem.severity == "error" and problem.line == len(text.splitlines())
    assert lookup(result.settings, declared.key) == declared.default()
    if declared.key == ("scope",):
        assert result.settings.unreviewed_diagnostic is False
    else:
        assert result.settings.scope == "all"
