"""The control crosswalk: generated from rule metadata and the catalogue, and honest."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from tests.policy.conftest import cli

from genguard.cli import main as cli_main
from genguard.config import Settings
from genguard.controls import (
    CATALOGUE_FILE,
    FRAMEWORKS,
    STATUSES,
    CatalogueError,
    crosswalk,
    load_catalogue,
    parse_catalogue,
)
from genguard.rules.loader import load_rules
from genguard.rules.workspace import load_workspace_rules

REGISTERED = cli_main.COMMANDS


@pytest.fixture(scope="module")
def shipped():
    """Every built-in rule, whatever the configuration turns on."""
    ruleset = load_rules()
    assert ruleset.errors == ()
    return ruleset


def test_new_commands_are_registered() -> None:
    assert {"controls", "gate", "sbom", "export"} <= set(REGISTERED)


def test_no_control_is_claimed_without_evidence(shipped) -> None:
    catalogue = load_catalogue()
    features = {f.id for f in catalogue.features}
    rules = {r.id for r in shipped.rules}
    entries = crosswalk(shipped)
    assert entries
    for e in entries:
        assert e.framework in FRAMEWORKS and e.status in STATUSES
        if e.status in ("Covered", "Partial"):
            assert e.evidence, f"{e.framework} {e.id} is {e.status} with no evidence"
        if e.status in ("Partial", "Gap"):
            assert e.note, f"{e.framework} {e.id} is {e.status} without a note"
        for ev in e.evidence:
            assert ev.kind in ("rule", "feature") and ev.description
            assert ev.id in (rules if ev.kind == "rule" else features)
        if e.status == "Gap":  # a gap lists nothing that would pass for evidence
            assert not [ev for ev in e.evidence if ev.kind == "feature"]


def test_every_control_a_shipped_rule_maps_is_in_the_catalogue(shipped) -> None:
    catalogue = load_catalogue()
    known = {(c.framework, c.id) for c in catalogue.controls}
    mapped = {
        (name, cid)
        for r in shipped.rules
        for key, ids in r.controls.items()
        for name in [n for n, k in FRAMEWORKS.items() if k == key]
        for cid in ids
    }
    assert mapped - known == set()
    assert all(e.title for e in crosswalk(shipped))


def test_the_honest_answers(shipped) -> None:
    by_id = {(e.framework, e.id): e for e in crosswalk(shipped)}
    cc81 = by_id[("soc2", "CC8.1")]
    assert cc81.status == "Partial"
    assert "someone other than its author" in cc81.note
    assert {"review", "notes", "ledger", "gate", "signing"} <= {
        e.id for e in cc81.evidence if e.kind == "feature"
    }
    assert by_id[("soc2", "CC6.3")].status == "Gap"
    assert by_id[("soc2", "CC6.1")].status != "Covered"
    assert by_id[("iso42001", "A.6.2.8")].status == "Covered"
    assert by_id[("nist-ai-rmf", "MEASURE 2.7")].evidence[0].kind == "feature"


def test_rules_switched_off_evidence_nothing(shipped) -> None:
    with_rules = {(e.framework, e.id): e for e in crosswalk(shipped)}
    without = {(e.framework, e.id): e for e in crosswalk([])}
    # CC6.7 (transmission) is evidenced by rules only: no rules, no claim
    assert with_rules[("soc2", "CC6.7")].status == "Partial"
    assert without[("soc2", "CC6.7")].status == "Gap"
    assert "Nothing genguard runs here" in without[("soc2", "CC6.7")].note
    # features still evidence change management
    assert without[("soc2", "CC8.1")].status == "Partial"
    assert all(ev.kind == "feature" for e in without.values() for ev in e.evidence)


def test_framework_filter_and_names(shipped) -> None:
    nist = crosswalk(shipped, "nist-ai-rmf")
    assert nist and {e.framework for e in nist} == {"nist-ai-rmf"}
    assert [e.id for e in crosswalk(shipped, "nist_ai_rmf")] == [e.id for e in nist]
    assert nist[0].id.startswith("GOVERN")
    with pytest.raises(ValueError, match="unknown framework"):
        crosswalk(shipped, "pci")


def test_a_control_only_a_repository_rule_maps_is_listed_with_a_warning(shipped) -> None:
    rule = replace(shipped.rules[0], id="acme-x", controls={"soc2": ("CC10.1",)})
    entry = next(e for e in crosswalk([rule], "soc2") if e.id == "CC10.1")
    assert entry.status == "Partial" and entry.title == ""
    assert "not in genguard's control catalogue" in entry.note
    assert [ev.id for ev in entry.evidence] == ["acme-x"]


def test_the_entry_shape_is_stable(shipped) -> None:
    entry = next(e for e in crosswalk(shipped, "soc2") if e.id == "CC7.1")
    data = entry.to_dict()
    assert list(data) == ["framework", "id", "title", "status", "evidence", "note"]
    assert data["framework"] == "soc2"
    assert set(data["evidence"][0]) == {"kind", "id", "description"}
    assert json.loads(json.dumps(data)) == data


def test_a_broken_catalogue_is_refused_with_where(tmp_path: Path) -> None:
    data = yaml.safe_load(CATALOGUE_FILE.read_text())
    del data["frameworks"]["soc2"]["controls"]["CC8.1"]["note"]
    with pytest.raises(CatalogueError, match=r"frameworks\.soc2\.controls\.CC8\.1: .*needs a note"):
        parse_catalogue(data, "catalogue.yaml")
    data = yaml.safe_load(CATALOGUE_FILE.read_text())
    data["features"]["ledger"]["controls"]["soc2"].append("CC99.9")
    with pytest.raises(CatalogueError, match=r"'CC99\.9' is not in the catalogue"):
        parse_catalogue(data)
    bad = tmp_path / "c.yaml"
    bad.write_text("frameworks: [oops\n")
    with pytest.raises(CatalogueError, match=r"c\.yaml:\d+: invalid YAML"):
        load_catalogue(bad)


def test_cli_json_and_table(repo: Path, capsys) -> None:
    (repo / ".genguard.toml").write_text('[rules]\npacks = ["security"]\n')
    assert cli("controls", "--framework", "soc2", "--format", "json", "-C", str(repo)) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["schema"] == "genguard/controls/1"
    assert {c["framework"] for c in doc["controls"]} == {"soc2"}
    expected = crosswalk(load_workspace_rules(repo, _settings(repo)), "soc2")
    assert doc["controls"] == [e.to_dict() for e in expected]
    assert doc["summary"]["soc2"]["Gap"] >= 1

    assert cli("controls", "-C", str(repo)) == 0
    out = capsys.readouterr().out
    assert "CC8.1" in out and "MEASURE 2.7" in out and "A.6.2.8" in out
    assert "soc2:" in out and "partial" in out


def _settings(repo: Path) -> Settings:
    from genguard.config import load_settings

    return load_settings(repo).settings
