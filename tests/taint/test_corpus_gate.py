"""The taint corpora as a gate: recall and false alarms of the installed ``genguard scan``
on each language's independent corpus (Python; JavaScript/TypeScript, Go and Java), with
the figures per CWE family in the test summary.

The corpus is scanned once, by the real command line in a temporary copy (as
``score.py`` does), so the figures are those a person gets from ``genguard scan``.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import score  # the scorer beside this file

MIN_RECALL = 0.85
"""Share of the vulnerable files whose sink line gets a finding of their family."""
MAX_FALSE_ALARMS = 0.05
"""Share of the safe files with any finding of their family."""


def shortfalls(
    table: dict[str, dict], min_recall: float = MIN_RECALL, max_false: float = MAX_FALSE_ALARMS
) -> list[str]:
    """What the corpus's total misses of the gate, in words (empty: it passes)."""
    total = table.get("TOTAL") or {"TP": 0, "FN": 0, "FP": 0, "TN": 0}
    total = {"recall": None, "false_alarm": None, **total}
    out = []
    if total["recall"] is None or total["recall"] < min_recall:
        out.append(f"recall {total['TP']}/{total['TP'] + total['FN']} is below {min_recall:.0%}")
    if total["false_alarm"] is None or total["false_alarm"] > max_false:
        out.append(
            f"false alarms {total['FP']}/{total['FP'] + total['TN']} are above {max_false:.0%}"
        )
    return out


BRACE = ("javascript", "go", "java")
"""The other languages' corpora: each meets the same gate on its own."""


@cache
def scored() -> tuple[list[score.Outcome], dict[str, dict]]:
    return score.score_corpus(score.genguard_command(None))


@cache
def scored_brace() -> dict[str, tuple[list[score.Outcome], dict[str, dict]]]:
    """JavaScript/TypeScript, Go and Java scanned in one run, scored apart."""
    return score.score_corpora(score.genguard_command(None), list(BRACE))


def test_the_corpus_meets_the_gate(record_property: pytest.RecordProperty) -> None:
    outcomes, table = scored()
    errors = score.format_errors(outcomes)
    record_property(
        "genguard_taint_corpus_table",
        f"{score.format_table(table)}\n\n{errors}\n\n"
        f"gate: recall >= {MIN_RECALL:.0%}, false alarms <= {MAX_FALSE_ALARMS:.0%}",
    )
    missing = shortfalls(table)
    assert not missing, "; ".join(missing) + "\n" + errors


@pytest.mark.parametrize("language", BRACE)
def test_each_language_corpus_meets_the_gate(
    language: str, record_property: pytest.RecordProperty
) -> None:
    outcomes, table = scored_brace()[language]
    errors = score.format_errors(outcomes)
    record_property(f"genguard_taint_corpus_{language}", f"{score.format_table(table)}\n\n{errors}")
    missing = shortfalls(table)
    assert not missing, f"{language}: " + "; ".join(missing) + "\n" + errors
    manifest = score.load_manifest(language)
    assert {o.file for o in outcomes} == set(manifest)
    assert table["TOTAL"]["files"] == len(manifest) >= 60


def test_every_file_was_judged() -> None:
    """A scan that skipped files must not score as a clean result."""
    outcomes, table = scored()
    manifest = score.load_manifest("python")
    assert {o.file for o in outcomes} == set(manifest)
    assert table["TOTAL"]["files"] == len(manifest) >= 150


def _table(tp: int, fn: int, fp: int, tn: int) -> dict[str, dict]:
    outcomes = [score.Outcome(f"v{i}", "78 command injection", True, "TP", 1) for i in range(tp)]
    outcomes += [score.Outcome(f"m{i}", "78 command injection", True, "FN", 1) for i in range(fn)]
    outcomes += [score.Outcome(f"f{i}", "78 command injection", False, "FP", 1) for i in range(fp)]
    outcomes += [score.Outcome(f"t{i}", "78 command injection", False, "TN", 1) for i in range(tn)]
    return score.tally(outcomes)


def test_the_gate_fails_below_its_figures() -> None:
    assert shortfalls(_table(85, 15, 5, 95)) == []
    assert shortfalls(_table(84, 16, 5, 95)) == ["recall 84/100 is below 85%"]
    assert shortfalls(_table(85, 15, 6, 94)) == ["false alarms 6/100 are above 5%"]
    assert len(shortfalls(_table(0, 0, 0, 0))) == 2  # nothing measured is no pass
    assert len(shortfalls(_table(85, 15, 0, 0))) == 1  # no safe file: no figure
