"""The crosswalk: which rules and features evidence which control, and how far.

Generated, never hand-kept: each rule's ``controls`` metadata plus the catalogue's
feature mappings. The status is the catalogue's honest ceiling for the control when
at least one loaded rule or available feature evidences it, and ``Gap`` when
nothing does — so switching rules off can only lower a claim, never raise one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from genguard.controls.catalogue import (
    FRAMEWORKS,
    Catalogue,
    framework_name,
    load_catalogue,
)
from genguard.rules.model import Rule

UNCATALOGUED_NOTE = (
    "Mapped by a rule but not in genguard's control catalogue: check that the id is "
    "right before relying on it."
)
NO_EVIDENCE_NOTE = "Nothing genguard runs here evidences this control."


@dataclass(frozen=True, slots=True)
class Evidence:
    """One thing that evidences a control: a rule (by id) or a genguard feature."""

    kind: str  # "rule" | "feature"
    id: str
    description: str

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "id": self.id, "description": self.description}


@dataclass(frozen=True, slots=True)
class ControlEntry:
    """One control of one framework and what evidences it.

    ``framework`` is ``soc2``, ``nist-ai-rmf`` or ``iso42001``; ``status`` is
    ``Covered``, ``Partial`` or ``Gap``; ``note`` says what is missing (always set
    for Partial and Gap).
    """

    framework: str
    id: str
    title: str
    status: str
    evidence: tuple[Evidence, ...] = field(default_factory=tuple)
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "framework": self.framework,
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "evidence": [e.to_dict() for e in self.evidence],
            "note": self.note,
        }


def _rules(ruleset: Any) -> list[Rule]:
    rules = getattr(ruleset, "rules", ruleset)
    return list(rules or ())


def _rule_description(rule: Rule) -> str:
    text = rule.name or rule.message
    cwe = f" ({', '.join(rule.cwe)})" if rule.cwe else ""
    return f"{' '.join(text.split())}{cwe}"


def _control_key(cid: str) -> tuple[Any, ...]:
    """Natural order for ids a rule maps but the catalogue lacks (CC6.1 < CC10.1)."""
    return tuple(
        (1, int(part)) if part.isdigit() else (0, part) for part in re.split(r"(\d+)", cid)
    )


def crosswalk(
    ruleset: Any,
    framework: str | None = None,
    *,
    catalogue: Catalogue | None = None,
) -> list[ControlEntry]:
    """Every catalogued control (of ``framework``, or of all three) with its evidence.

    ``ruleset`` is a ``RuleSet`` or any iterable of rules: the rules in force, so a
    disabled rule evidences nothing. ``framework`` accepts ``soc2``,
    ``nist-ai-rmf`` (or ``nist_ai_rmf``) and ``iso42001``. Controls that a rule
    maps but the catalogue lacks are listed too (as Partial, with a note).
    """
    wanted = None if framework is None else framework_name(framework)
    cat = catalogue or load_catalogue()
    evidence: dict[tuple[str, str], list[Evidence]] = {}
    for rule in sorted(_rules(ruleset), key=lambda r: r.id):
        for key, ids in rule.controls.items():
            try:
                name = framework_name(key)
            except ValueError:
                continue  # a framework genguard does not report on
            for cid in dict.fromkeys(ids):
                evidence.setdefault((name, cid), []).append(
                    Evidence("rule", rule.id, _rule_description(rule))
                )
    for feature in cat.features:
        if not feature.available:
            continue
        for name, ids in feature.controls.items():
            for cid in ids:
                evidence.setdefault((name, cid), []).append(
                    Evidence("feature", feature.id, feature.description)
                )

    entries: list[ControlEntry] = []
    seen: set[tuple[str, str]] = set()
    for control in cat.controls:
        key = (control.framework, control.id)
        seen.add(key)
        found = evidence.get(key, [])
        if found and control.status != "Gap":
            status, note = control.status, control.note
        elif control.status == "Gap":
            status, note = "Gap", control.note
        else:
            status = "Gap"
            note = f"{NO_EVIDENCE_NOTE} When evidenced: {control.note}".strip()
        entries.append(
            ControlEntry(
                control.framework, control.id, control.title, status, _features_first(found), note
            )
        )
    extra = sorted(
        (key for key in evidence if key not in seen), key=lambda k: (k[0], _control_key(k[1]))
    )
    for name, cid in extra:
        found = evidence[(name, cid)]
        entries.append(
            ControlEntry(name, cid, "", "Partial", _features_first(found), UNCATALOGUED_NOTE)
        )
    if wanted is not None:
        entries = [e for e in entries if e.framework == wanted]
    order = list(FRAMEWORKS)
    entries.sort(key=lambda e: order.index(e.framework))  # stable: catalogue order within
    return entries


def _features_first(found: Iterable[Evidence]) -> tuple[Evidence, ...]:
    items = list(found)
    return tuple([e for e in items if e.kind == "feature"] + [e for e in items if e.kind == "rule"])


def summary(entries: Iterable[ControlEntry]) -> dict[str, dict[str, int]]:
    """Counts of Covered / Partial / Gap per framework."""
    out: dict[str, dict[str, int]] = {}
    for e in entries:
        counts = out.setdefault(e.framework, {"Covered": 0, "Partial": 0, "Gap": 0})
        counts[e.status] = counts.get(e.status, 0) + 1
    return out
