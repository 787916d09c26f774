"""The pure parts of ``genguard evidence``: period, CSV cells, DSSE encoding, charts, controls."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from types import MappingProxyType

import pytest

from genguard.evidence import charts, dsse
from genguard.evidence.collect import safe_remote
from genguard.evidence.controls import (
    SOURCE_FALLBACK,
    control_entries,
    fallback_crosswalk,
    observe,
)
from genguard.evidence.figures import Figures
from genguard.evidence.period import PeriodError, parse_period, week_label
from genguard.evidence.render import csv_cell
from genguard.rules.model import Rule


def test_period_is_inclusive_whole_days_in_utc():
    p = parse_period("2026-11-01", "2026-11-30")
    assert p.to_dict() == {"since": "2026-11-01T00:00:00Z", "until": "2026-11-30T23:59:59.999Z"}
    assert p.contains(datetime(2026, 11, 30, 23, 59, 59, tzinfo=UTC))
    assert not p.contains(datetime(2026, 12, 1, tzinfo=UTC))
    assert [week_label(m) for m in p.weeks()][:2] == ["2026-W44", "2026-W45"]
    assert parse_period("2026-11-01T10:00:00+02:00", "2026-11-02").since.hour == 8
    with pytest.raises(PeriodError, match="is not a date"):
        parse_period("yesterday", "2026-11-02")
    with pytest.raises(PeriodError, match="is before"):
        parse_period("2026-11-02", "2026-11-01")


def test_csv_cells_cannot_become_formulas():
    assert csv_cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert csv_cell("-1+2") == "'-1+2"
    assert csv_cell("@SUM(A1)") == "'@SUM(A1)"
    assert csv_cell("Fix the parser") == "Fix the parser"
    assert csv_cell(3) == "3" and csv_cell(None) == ""


def test_remote_url_loses_its_credentials():
    assert safe_remote("https://user:ghp_secret@github.com/o/r.git") == "https://github.com/o/r.git"
    assert safe_remote("git@github.com:o/r.git") == "git@github.com:o/r.git"
    assert safe_remote(None) is None


def test_pae_and_statement_follow_the_specifications():
    # the DSSE specification's own example
    assert dsse.pae("http://example.com/HelloWorld", b"hello world") == (
        b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"
    )
    doc = dsse.statement({"b.csv": "bb", "a.html": "aa"}, {"x": 1})
    assert doc["_type"] == "https://in-toto.io/Statement/v1"
    assert [s["name"] for s in doc["subject"]] == ["a.html", "b.csv"]
    env = dsse.envelope(b"{}", [])
    assert env == {
        "payloadType": "application/vnd.in-toto+json",
        "payload": base64.b64encode(b"{}").decode(),
        "signatures": [],
    }


def test_armour_round_trip_and_fingerprint_of_a_made_up_blob():
    key = b"\x00\x00\x00\x0bssh-ed25519" + b"\x00\x00\x00\x20" + bytes(range(32))
    blob = b"SSHSIG" + b"\x00\x00\x00\x01" + len(key).to_bytes(4, "big") + key + b"rest"
    assert dsse.dearmor(dsse.armor(blob)) == blob
    assert dsse.key_fingerprint(blob).startswith("SHA256:")
    with pytest.raises(ValueError):
        dsse.key_fingerprint(b"SSHSIG\x00\x00\x00\x01\x00\x00\x01\x00")  # truncated key


def test_charts_escape_labels_and_carry_titles_and_data_labels():
    svg = charts.bars(
        "c1",
        "Findings <by> file",
        "desc & more",
        [("<script>alert(1)</script>.py", [3, 1])],
        [("fixed", "#009E73"), ("open", "#D55E00")],
    )
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert 'role="img"' in svg and 'aria-labelledby="c1-title c1-desc"' in svg
    assert '<title id="c1-title">Findings &lt;by&gt; file</title>' in svg
    assert svg.count('class="bar"') == 2 and 'class="data-label"' in svg
    cols = charts.columns(
        "c2", "t", "d", ["W1", "W2"], [charts.Series("copilot", "#0072B2", [0, 5])], ["", "50%"]
    )
    assert cols.count('class="bar"') == 1 and ">50%</text>" in cols
    assert 'class="empty"' in charts.columns("c3", "t", "d", ["W1"], [], [""])


def _rule(rule_id: str, controls: dict[str, tuple[str, ...]]) -> Rule:
    return Rule(
        id=rule_id,
        name=rule_id,
        languages=("python",),
        severity="error",
        message="m",
        controls=MappingProxyType(controls),
    )


def _figures(commits: int, noted: int) -> Figures:
    return Figures(
        commits=commits,
        noted=noted,
        unnoted=commits - noted,
        malformed=0,
        signed=0,
        verified=0,
        unverified=0,
        added_lines=10,
        noted_added_lines=10 if noted else 0,
        ai_lines=0,
        reviewed_ai_lines=0,
        weeks=[],
        tools=[],
        severity=[],
        cwe=[],
        controls=[],
        review=[],
        files=[],
        findings=[],
        bypasses=[],
        handling={"fixed": 0, "suppressed": 0, "open": 0},
    )


class _RuleSet:
    def __init__(self, *rules: Rule) -> None:
        self.rules = rules


def test_fallback_crosswalk_is_honest():
    ruleset = _RuleSet(
        _rule("r1", {"soc2": ("CC7.1", "CC6.1")}), _rule("r2", {"iso42001": ("A.9.9",)})
    )
    entries = {(e.framework, e.control): e for e in fallback_crosswalk(ruleset)}
    assert entries[("SOC 2", "CC8.1")].status == "Partial"
    assert "approval" in entries[("SOC 2", "CC8.1")].gaps.lower()
    assert entries[("NIST AI RMF", "MANAGE 4.1")].status == "Gap"
    assert entries[("SOC 2", "CC7.1")].rules == ["r1"]
    assert entries[("SOC 2", "CC6.1")].status == "Partial"  # a rule alone is never Covered
    assert entries[("ISO/IEC 42001", "A.9.9")].rules == ["r2"]
    assert all(e.status in ("Covered", "Partial", "Gap") for e in entries.values())


def test_a_period_without_notes_turns_claims_into_gaps():
    entries = fallback_crosswalk(_RuleSet())
    observe(entries, _figures(commits=3, noted=0))
    assert {e.status for e in entries} == {"Gap"}
    assert "No commit in the period carries a genguard note" in entries[0].gaps
    entries = fallback_crosswalk(_RuleSet())
    observe(entries, _figures(commits=3, noted=3))
    assert any(e.status == "Partial" for e in entries)


def test_controls_come_from_the_crosswalk_when_it_is_installed(monkeypatch):
    entries, source = control_entries(_RuleSet(_rule("r1", {"soc2": ("CC8.1",)})))
    try:
        import genguard.controls  # noqa: F401
    except ImportError:
        assert source == SOURCE_FALLBACK
    else:
        assert source == "genguard.controls.crosswalk"
        cc81 = next(e for e in entries if (e.framework, e.control) == ("SOC 2", "CC8.1"))
        assert cc81.status == "Partial" and "r1" in cc81.rules
    monkeypatch.setitem(__import__("sys").modules, "genguard.controls", None)
    entries, source = control_entries(_RuleSet())
    assert source == SOURCE_FALLBACK and entries


def test_bucket_follows_the_period_length_and_labels_it():
    from genguard.evidence.period import bucket_label, bucket_of

    assert parse_period("2026-10-01", "2026-12-31").bucket == "week"
    assert parse_period("2025-01-01", "2026-12-31").bucket == "month"
    assert parse_period("2020-01-01", "2026-12-31").bucket == "quarter"
    moment = datetime(2026, 11, 18, 15, tzinfo=UTC)
    assert [bucket_label(bucket_of(moment, b), b) for b in ("week", "month", "quarter")] == [
        "2026-W47",
        "2026-11",
        "2026-Q4",
    ]
