"""Precision corpus: realistic vulnerable snippets must be caught, safe look-alikes must not.

``tests/corpus/<language>/vulnerable/*`` files name the rule(s) they must trigger
on their first line (``# expect: py-ssrf`` or ``// expect: js-ssrf, js-eval``);
``tests/corpus/<language>/safe/*`` files must trigger nothing. The ``security``
and ``secrets`` packs run over every file exactly as the editor would run them
on a whole file, and the figures per language are printed as a table (also in
the terminal summary). Example-based rule tests prove each rule on its own
snippets; this corpus measures the packs together, on code that was not written
next to the rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from tests.detection import Detection

from genguard.rules import CompiledRules, RuleSet, load_rules
from genguard.syntax.languages import new_parser

CORPUS = Path(__file__).parent / "corpus"
LANGUAGES = ("python", "javascript", "typescript", "go", "java")
PACKS = ("security", "secrets")
MIN_RECALL = 0.90
MAX_FALSE_ALARMS = 0.05
MIN_FILES = 60  # per kind (vulnerable / safe), over all languages

_EXPECT = re.compile(r"^\s*(?:#|//)\s*expect:\s*(?P<ids>[a-z0-9, -]+?)\s*$")


@dataclass
class LanguageResult(Detection):
    """Corpus figures for one language."""

    language: str = ""


@cache
def ruleset() -> RuleSet:
    return load_rules(packs=PACKS)


@cache
def compiled() -> CompiledRules:
    return CompiledRules(ruleset())


def expected_ids(path: Path) -> list[str]:
    """Rule ids a vulnerable file declares on its first line."""
    first = path.read_text(encoding="utf-8").splitlines()[0]
    m = _EXPECT.match(first)
    if m is None:
        raise AssertionError(f"{path}: first line must be '# expect: <rule-id>[, ...]'")
    return [i for i in re.split(r"[\s,]+", m.group("ids")) if i]


def fired(language: str, path: Path) -> set[str]:
    source = path.read_bytes()
    parser = new_parser(language)
    assert parser is not None, f"grammar for {language} is not installed"
    tree = parser.parse(source)
    return {m.rule.id for m in compiled().matcher_for(language).run(source, tree)}


def _files(language: str, kind: str) -> list[Path]:
    folder = CORPUS / language / kind
    return sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []


@cache
def results() -> dict[str, LanguageResult]:
    out: dict[str, LanguageResult] = {}
    for language in LANGUAGES:
        res = LanguageResult(language=language)
        for path in _files(language, "vulnerable"):
            hit = fired(language, path) & set(expected_ids(path))
            (res.caught if hit else res.missed).append(path.name)
        for path in _files(language, "safe"):
            ids = sorted(fired(language, path))
            if ids:
                res.noisy[path.name] = ids
            else:
                res.quiet.append(path.name)
        out[language] = res
    return out


def table(figures: dict[str, LanguageResult]) -> str:
    """The per-language figures as a fixed-width text table."""
    head = f"{'language':<11} {'vulnerable':>10} {'caught':>6} {'recall':>7}"
    head += f" {'safe':>5} {'flagged':>7} {'false alarms':>12}"
    lines = [head, "-" * len(head)]
    totals = LanguageResult(language="total")
    for res in figures.values():
        lines.append(_row(res))
        totals.caught += res.caught
        totals.missed += res.missed
        totals.quiet += res.quiet
        totals.noisy.update({f"{res.language}/{k}": v for k, v in res.noisy.items()})
    lines += ["-" * len(head), _row(totals)]
    return "\n".join(lines)


def _row(res: LanguageResult) -> str:
    vulnerable = len(res.caught) + len(res.missed)
    safe = len(res.quiet) + len(res.noisy)
    return (
        f"{res.language:<11} {vulnerable:>10} {len(res.caught):>6} {res.recall:>7.1%}"
        f" {safe:>5} {len(res.noisy):>7} {res.false_alarm_rate:>12.1%}"
    )


def test_corpus_table(record_property: pytest.RecordProperty) -> None:
    text = table(results())
    record_property("genguard_corpus_table", text)
    print("\n" + text)
    vulnerable = sum(len(r.caught) + len(r.missed) for r in results().values())
    safe = sum(len(r.quiet) + len(r.noisy) for r in results().values())
    assert vulnerable >= MIN_FILES and safe >= MIN_FILES, (vulnerable, safe)


@pytest.mark.parametrize("language", LANGUAGES)
def test_recall(language: str) -> None:
    res = results()[language]
    assert res.caught, f"no vulnerable {language} snippets in {CORPUS / language}"
    assert res.recall >= MIN_RECALL, f"{language}: recall {res.recall:.1%}, missed {res.missed}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_false_alarms(language: str) -> None:
    res = results()[language]
    assert res.quiet, f"no safe {language} snippets in {CORPUS / language}"
    assert res.false_alarm_rate <= MAX_FALSE_ALARMS, (
        f"{language}: {res.false_alarm_rate:.1%} false alarms: {res.noisy}"
    )


def test_expectations_name_real_rules() -> None:
    known = {r.id for r in ruleset().rules}
    for language in LANGUAGES:
        for path in _files(language, "vulnerable"):
            unknown = set(expected_ids(path)) - known
            assert not unknown, f"{path}: unknown rule id(s) {sorted(unknown)}"


def test_table_renders_rates() -> None:
    res = LanguageResult(language="demo", caught=["a", "b", "c"], missed=["d"], quiet=["e"])
    res.noisy["f"] = ["x"]
    text = table({"demo": res})
    assert "75.0%" in text and "50.0%" in text
    assert text.splitlines()[-1].startswith("total")
