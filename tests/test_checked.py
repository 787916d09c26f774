"""The findings of a check cut short carry their cut wherever they go (Checked)."""

from __future__ import annotations

import operator
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest
from tests.cutshort import MATCH_LIMIT_RULE, long_block

from genguard.assess import Policy, Snapshot, assess, rule_findings
from genguard.config import Settings
from genguard.rules.workspace import load_workspace_rules


def test_an_assessment_takes_its_cut_from_the_findings_it_is_given(repo: Path) -> None:
    """A repository rule meets its match limit: the findings say so, and an assessment
    of them is incomplete without being told twice; no slice or sum of them can make a
    list that no longer knows it is partial."""
    rules = repo / ".genguard" / "rules" / "acme.yaml"
    rules.parent.mkdir(parents=True)
    rules.write_text(MATCH_LIMIT_RULE)
    settings = Settings.default()
    policy = Policy.build(settings, load_workspace_rules(repo, settings), root=None)
    text = long_block().replace("    return q", "    eval(q)\n    return q").encode()
    snapshot = Snapshot("long.py", "python", text)

    found = rule_findings(snapshot, policy)
    assert [str(c) for c in found.cut] == [
        "rule queries hit the match limit (32 matches in progress)"
    ]
    assert "py-eval-exec" in [f.rule.id for f in found]
    assessment = assess(snapshot, policy, scope="all", findings=found)
    assert assessment.cut == found.cut and not assessment.complete
    assert "py-eval-exec" in [a.rule.id for a in assessment.open]

    for part in (lambda f: f[1:], lambda f: operator.add(f, []), len):
        with pytest.raises(TypeError):
            part(found)
    with pytest.raises(FrozenInstanceError):
        found.cut = ()  # type: ignore[misc]
