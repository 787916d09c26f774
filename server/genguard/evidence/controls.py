"""``controls.json``: for each control, how genguard evidences it and an honest status.

The crosswalk from rules and features to SOC 2, NIST AI RMF and ISO/IEC 42001
is :func:`genguard.controls.crosswalk` when that module is installed; it is
imported lazily so the evidence bundle does not depend on it being there.
Without it, :func:`fallback_crosswalk` builds the same kind of entries from the
rules' own ``controls`` metadata and a short table of what genguard's features
record. Either way each entry then gets what the period actually shows
(``observed``), and a control that depends on commit notes becomes ``Gap`` for
a period in which genguard saw no commit at all.

Statuses: ``Covered`` (genguard's records are sufficient evidence on their
own), ``Partial`` (they are part of the evidence; the rest must come from
elsewhere, and ``gaps`` says what), ``Gap`` (genguard provides nothing).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from genguard.evidence.collect import FRAMEWORKS
from genguard.evidence.figures import Figures

STATUSES: tuple[str, ...] = ("Covered", "Partial", "Gap")
SOURCE_CROSSWALK = "genguard.controls.crosswalk"
SOURCE_FALLBACK = "rule metadata and the evidence feature table (genguard.controls not installed)"


@dataclass(slots=True)
class ControlEntry:
    framework: str
    control: str
    title: str
    status: str
    how: str = ""
    gaps: str = ""
    evidence: list[Any] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    needs_notes: bool = True
    observed: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "framework": self.framework,
            "control": self.control,
            "title": self.title,
            "status": self.status,
            "how": self.how,
            "gaps": self.gaps,
            "evidence": list(self.evidence),
            "rules": list(self.rules),
            "observed": dict(self.observed),
        }


_CSV = "changes.csv"
_HTML = "report.html"

#: What genguard's features record, per control (framework, id, title, status, how, gaps,
#: where in the bundle). Statuses are what genguard alone can show, never more.
FEATURES: tuple[tuple[str, str, str, str, str, str, tuple[str, ...]], ...] = (
    (
        "SOC 2",
        "CC8.1",
        "Changes are authorized, designed, developed, tested, approved and implemented",
        "Partial",
        "Every commit carries a genguard note: which lines AI wrote (tool, model), whether "
        "each AI chunk was reviewed in the editor and by whom, the policy checks the "
        "pre-commit gate ran on the AI lines and how each finding was handled (fixed, "
        "suppressed with a reason by a named person, or open); commits made with "
        "--no-verify are flagged in the note and in the ledger.",
        "Approval by someone other than the author before merge is not recorded: genguard "
        "records review in the editor (often by the author), not pull-request approval. "
        "Tests, deployment records and the follow-up review of emergency changes come from "
        "the code host and CI.",
        (
            f"{_CSV}: reviewed, reviewers, findings_detail, bypass, note",
            f"{_HTML}#review",
            f"{_HTML}#bypasses",
        ),
    ),
    (
        "SOC 2",
        "CC7.1",
        "Detection and monitoring procedures identify vulnerabilities and configuration changes",
        "Partial",
        "Policy rules (CWE-mapped) check AI-written code as it lands in the editor and again "
        "at commit; every finding and its handling is in the commit's note.",
        "Pattern rules over AI-written lines (scope 'ai' by default), not a full static "
        "analysis or dependency scan; human-written code is checked only with scope 'all'.",
        (f"{_CSV}: findings_detail", f"{_HTML}#findings"),
    ),
    (
        "SOC 2",
        "CC6.8",
        "Controls prevent or detect unauthorized or malicious software",
        "Partial",
        "The tools and models that wrote code are recorded per line; approved_tools, "
        "approved_models and banned_imports raise findings when configured.",
        "Only when those settings are configured; code inserted without a declaration is "
        "attributed to tool 'unknown' by a heuristic.",
        (f"{_CSV}: tools", f"{_HTML}#ai-share"),
    ),
    (
        "SOC 2",
        "CC4.1",
        "Ongoing and separate evaluations ascertain whether controls are present and functioning",
        "Partial",
        "AI share, review coverage, findings and bypasses per week over the period, from "
        "the commit notes; the ledger's hash chain is verified.",
        "Who evaluated these figures, and when, is not recorded.",
        (f"{_HTML}#ai-share", f"{_HTML}#review", "manifest.json: ledger"),
    ),
    (
        "SOC 2",
        "CC5.3",
        "Control activities are deployed through policies and procedures",
        "Partial",
        "The policy is data (rule packs and .genguard.toml); the hash of the policy in force "
        "is recorded in every commit note and in this bundle.",
        "The written policy, its approval and its communication to staff are outside genguard.",
        ("manifest.json: policy_hash, policy_hashes_in_notes", f"{_CSV}: policy_hash"),
    ),
    (
        "NIST AI RMF",
        "GOVERN 1.6",
        "Mechanisms are in place to inventory AI systems",
        "Partial",
        "Every AI tool and model that wrote committed code in the period, with line counts.",
        "Undeclared insertions are attributed to tool 'unknown'; tools that neither declare "
        "their edits nor run through an agent hook are not seen.",
        (f"{_CSV}: tools", f"{_HTML}#ai-share"),
    ),
    (
        "NIST AI RMF",
        "GOVERN 1.4",
        "Risk management is established through transparent policies, procedures and controls",
        "Partial",
        "Policy as versioned data, its hash recorded per commit; findings and their handling.",
        "Organisational policies and procedures beyond the rule set.",
        ("manifest.json: policy_hash", f"{_HTML}#findings"),
    ),
    (
        "NIST AI RMF",
        "MAP 3.5",
        "Processes for human oversight are defined, assessed and documented",
        "Partial",
        "Review status and reviewer of every AI chunk; require_review can warn or block "
        "commits of unreviewed AI code.",
        "Review in the editor is self-review unless the reviewer is someone else; "
        "pull-request review is not recorded.",
        (f"{_CSV}: reviewed, reviewers", f"{_HTML}#review"),
    ),
    (
        "NIST AI RMF",
        "MEASURE 2.8",
        "Risks associated with transparency and accountability are examined and documented",
        "Partial",
        "Per-line provenance (tool, model, prompt hash, author, reviewer) in commit notes "
        "backed by a hash-chained ledger; optional SSH signatures on notes and on this bundle.",
        "Commits without a note (genguard not running) have no provenance; heuristic "
        "attribution may miss or over-count AI lines.",
        (f"{_CSV}: note, note_signed", "statement.intoto.json"),
    ),
    (
        "NIST AI RMF",
        "MANAGE 4.1",
        "Post-deployment monitoring plans are implemented",
        "Gap",
        "",
        "genguard stops at the commit; deployed systems are not monitored.",
        (),
    ),
    (
        "ISO/IEC 42001",
        "A.6.2.8",
        "AI system recording of event logs",
        "Partial",
        "An append-only, hash-chained ledger of every AI chunk, review, finding, suppression "
        "and commit; its head is recorded in every note and in this bundle.",
        "The ledger lives in each developer's clone and is never pushed: the chain shows "
        "alteration of recorded events, not the deletion of a whole ledger.",
        ("manifest.json: ledger", f"{_HTML}#integrity"),
    ),
    (
        "ISO/IEC 42001",
        "A.7.5",
        "Data provenance",
        "Partial",
        "Provenance of AI-written code: tool, model, prompt hash and generation time per chunk.",
        "Provenance of the data the models were trained on is outside genguard.",
        (f"{_CSV}: tools", f"{_HTML}#files"),
    ),
    (
        "ISO/IEC 42001",
        "A.10.3",
        "Suppliers",
        "Partial",
        "Which suppliers' AI tools and models produced committed code; approved_tools and "
        "approved_models findings when configured.",
        "Supplier assessment and agreements are outside genguard.",
        (f"{_CSV}: tools",),
    ),
)


def fallback_crosswalk(ruleset: Any) -> list[ControlEntry]:
    """Controls from genguard's feature table plus every control a loaded rule maps to.

    A control reached only through detection rules is ``Partial``: a rule finds a
    kind of weakness in AI-written code, which is never the whole control.
    """
    entries: dict[tuple[str, str], ControlEntry] = {}
    for framework, control, title, status, how, gaps, where in FEATURES:
        entries[(framework, control)] = ControlEntry(
            framework, control, title, status, how, gaps, list(where)
        )
    by_control: defaultdict[tuple[str, str], list[str]] = defaultdict(list)
    for rule in getattr(ruleset, "rules", ()):
        for key, ids in rule.controls.items():
            for control in ids:
                by_control[(FRAMEWORKS.get(key, key), control)].append(rule.id)
    for (framework, control), rule_ids in by_control.items():
        entry = entries.get((framework, control))
        if entry is None:
            entry = entries[(framework, control)] = ControlEntry(
                framework,
                control,
                "",
                "Partial",
                "Policy rules mapped to this control check AI-written code in the editor and "
                "at commit; findings and how each was handled are in the commit notes.",
                "Detection rules find some weaknesses in AI-written code; the rest of the "
                "control is evidenced elsewhere.",
                [f"{_CSV}: findings_detail", f"{_HTML}#findings"],
            )
        entry.rules = sorted(set(entry.rules) | set(rule_ids))
    return sorted(entries.values(), key=_order)


def _order(e: ControlEntry) -> tuple[int, str, str]:
    frameworks = list(FRAMEWORKS.values())
    rank = frameworks.index(e.framework) if e.framework in frameworks else len(frameworks)
    return rank, e.framework, e.control


def _get(obj: Any, *names: str, default: Any = None) -> Any:
    for name in names:
        value = obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)
        if value is not None:
            return value
    return default


def _plain(value: Any) -> Any:
    """Whatever the crosswalk returns, as JSON-ready data."""
    if hasattr(value, "to_dict"):
        return _plain(value.to_dict())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _plain(dataclasses.asdict(value))
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)


def _framework(name: str) -> str:
    """``SOC 2`` for ``soc2``, ``NIST AI RMF`` for ``nist-ai-rmf`` or ``nist_ai_rmf``."""
    return FRAMEWORKS.get(name.replace("-", "_"), name)


def _how(evidence: list[Any]) -> tuple[str, list[str]]:
    """A one-line account of the crosswalk's evidence items, and the rule ids among them."""
    features = [str(_get(e, "id", default="")) for e in evidence if _get(e, "kind") == "feature"]
    rules = [str(_get(e, "id", default="")) for e in evidence if _get(e, "kind") == "rule"]
    parts = []
    if features:
        parts.append("genguard features: " + ", ".join(features))
    if rules:
        parts.append(f"{len(rules)} policy rule{'s' if len(rules) != 1 else ''}")
    return "; ".join(parts), sorted(rules)


def _from_crosswalk(items: Iterable[Any]) -> list[ControlEntry]:
    out: list[ControlEntry] = []
    for item in items:
        data = _plain(item)
        if not isinstance(data, dict):
            continue
        evidence = data.get("evidence") or []
        how, rules = _how(evidence if isinstance(evidence, list) else [])
        out.append(
            ControlEntry(
                framework=_framework(str(_get(data, "framework", default=""))),
                control=str(_get(data, "id", "control_id", "control", default="")),
                title=str(_get(data, "title", default="")),
                status=str(_get(data, "status", default="Partial")),
                how=how,
                gaps=str(_get(data, "note", "gaps", default="")),
                evidence=evidence if isinstance(evidence, list) else [evidence],
                rules=rules,
                needs_notes=bool(evidence),
            )
        )
    return out


def control_entries(ruleset: Any) -> tuple[list[ControlEntry], str]:
    """(entries, where they came from): the crosswalk when installed, else the fallback."""
    try:
        from genguard.controls import crosswalk
    except ImportError:
        return fallback_crosswalk(ruleset), SOURCE_FALLBACK
    try:
        return _from_crosswalk(crosswalk(ruleset)), SOURCE_CROSSWALK
    except Exception as exc:  # a broken catalogue must not cost the whole bundle
        return fallback_crosswalk(ruleset), f"{SOURCE_FALLBACK}; the crosswalk failed: {exc}"


def observe(entries: list[ControlEntry], figures: Figures) -> None:
    """Attach the period's figures to each control; no notes at all makes a control a Gap."""
    summary = figures.summary()
    common = {
        "commits": summary["commits"],
        "noted_commits": summary["noted_commits"],
        "coverage": summary["coverage"],
    }
    extra: dict[str, dict[str, Any]] = {
        "CC8.1": {
            "ai_lines": summary["ai_lines"],
            "reviewed_share": summary["reviewed_share"],
            "bypassed_commits": summary["bypassed_commits"],
            "findings": summary["findings"],
        },
        "CC7.1": {"findings": summary["findings"]},
        "MAP 3.5": {"reviewed_share": summary["reviewed_share"]},
        "GOVERN 1.6": {"tools": figures.tools},
        "A.10.3": {"tools": figures.tools},
        "MEASURE 2.8": {"signed_notes": summary["signed_notes"]},
    }
    for entry in entries:
        entry.observed = {**common, **extra.get(entry.control, {})}
        if entry.rules:
            hits = [f for f in figures.findings if f.rule in set(entry.rules)]
            entry.observed["findings_from_mapped_rules"] = len(hits)
        if entry.needs_notes and entry.status != "Gap" and figures.commits and figures.noted == 0:
            entry.status = "Gap"
            entry.gaps = (
                "No commit in the period carries a genguard note, so genguard shows nothing "
                "for it in this period. " + entry.gaps
            ).strip()


def controls_document(entries: list[ControlEntry], source: str) -> dict[str, Any]:
    counts = {s: sum(1 for e in entries if e.status == s) for s in STATUSES}
    return {
        "schema": "genguard/evidence-controls/1",
        "source": source,
        "statuses": {
            "Covered": "genguard's records are sufficient evidence on their own",
            "Partial": "genguard's records are part of the evidence; 'gaps' says what else "
            "is needed",
            "Gap": "genguard provides no evidence for this control",
        },
        "counts": counts,
        "controls": [e.to_dict() for e in entries],
    }
