"""The report's figures, each a plain sum over the period's commit rows.

Kept apart from the rendering so that the numbers in the charts, in the tables
behind them and in ``changes.csv`` are computed once and cannot disagree.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from genguard.evidence.collect import ChangeRow, Evidence, FindingRow
from genguard.evidence.period import bucket_label, bucket_of

HANDLINGS: tuple[str, ...] = ("fixed", "suppressed", "open")
SEVERITY_ORDER: tuple[str, ...] = ("error", "warning", "info", "hint")
UNMAPPED = "(no control mapped)"
TOP_FILES = 10


def share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


@dataclass(slots=True)
class Week:
    """One stretch of the time series: a week, a month or a quarter (see Period.bucket)."""

    label: str
    start: str  # ISO date of its first day
    commits: int = 0
    added_lines: int = 0
    ai_lines: int = 0
    reviewed_ai_lines: int = 0
    tools: dict[str, int] = field(default_factory=dict)

    @property
    def ai_share(self) -> float:
        return share(self.ai_lines, self.added_lines)


@dataclass(slots=True)
class Breakdown:
    """Findings counted under one key (a severity, a CWE, a control), split by handling."""

    key: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(HANDLINGS, 0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(slots=True)
class ToolReview:
    key: str
    ai_lines: int = 0
    reviewed_ai_lines: int = 0
    commits: int = 0


@dataclass(slots=True)
class FileFigure:
    path: str
    ai_lines: int = 0
    added_lines: int = 0
    commits: int = 0


@dataclass(slots=True)
class Figures:
    commits: int
    noted: int
    unnoted: int
    malformed: int
    signed: int
    verified: int  # signed by a key in the user's or organisation's allowed signers
    unverified: int  # signed, but not verifiably so: their claims are the signer's word
    added_lines: int
    noted_added_lines: int
    ai_lines: int
    reviewed_ai_lines: int
    weeks: list[Week]
    tools: list[str]
    severity: list[Breakdown]
    cwe: list[Breakdown]
    controls: list[Breakdown]
    review: list[ToolReview]
    files: list[FileFigure]
    findings: list[FindingRow]
    bypasses: list[ChangeRow]
    handling: dict[str, int]
    bucket: str = "week"  # what one entry of ``weeks`` spans: week, month or quarter

    @property
    def ai_share(self) -> float:
        return share(self.ai_lines, self.added_lines)

    @property
    def coverage(self) -> float:
        """Share of added lines that genguard saw (commits with a note)."""
        return share(self.noted_added_lines, self.added_lines)

    @property
    def reviewed_share(self) -> float:
        return share(self.reviewed_ai_lines, self.ai_lines)

    def summary(self) -> dict[str, Any]:
        return {
            "commits": self.commits,
            "noted_commits": self.noted,
            "unnoted_commits": self.unnoted,
            "malformed_notes": self.malformed,
            "signed_notes": self.signed,
            "verified_notes": self.verified,
            "unverified_notes": self.unverified,
            "added_lines": self.added_lines,
            "ai_lines": self.ai_lines,
            "ai_share": self.ai_share,
            "coverage": self.coverage,
            "reviewed_ai_lines": self.reviewed_ai_lines,
            "reviewed_share": self.reviewed_share,
            "findings": {"raised": len(self.findings), **self.handling},
            "bypassed_commits": len(self.bypasses),
        }


def _breakdowns(
    findings: list[FindingRow], keys_of: Any, order: tuple[str, ...] = ()
) -> list[Breakdown]:
    table: dict[str, Breakdown] = {}
    for f in findings:
        for key in keys_of(f):
            b = table.setdefault(key, Breakdown(key))
            b.counts[f.handling] = b.counts.get(f.handling, 0) + 1
    rank = {k: i for i, k in enumerate(order)}
    return sorted(table.values(), key=lambda b: (rank.get(b.key, len(rank)), -b.total, b.key))


def compute(evidence: Evidence) -> Figures:
    rows = evidence.rows
    # only stretches with commits: a wide period must not list every empty week
    bucket = evidence.period.bucket
    weeks: dict[date, Week] = {}
    tool_totals: Counter[str] = Counter()
    review: dict[str, ToolReview] = {}
    files: dict[str, FileFigure] = {}
    findings: list[FindingRow] = []
    for row in rows:
        start = bucket_of(row.date, bucket)
        week = weeks.setdefault(start, Week(bucket_label(start, bucket), start.isoformat()))
        week.commits += 1
        week.added_lines += row.added_lines
        week.ai_lines += row.ai_lines
        week.reviewed_ai_lines += row.reviewed_ai_lines
        for key, n in row.tools.items():
            week.tools[key] = week.tools.get(key, 0) + n
            tool_totals[key] += n
            t = review.setdefault(key, ToolReview(key))
            t.ai_lines += n
            t.reviewed_ai_lines += row.tools_reviewed.get(key, 0)
            t.commits += 1
        findings.extend(row.findings)
        for path, (added, ai) in row.files.items():
            fig = files.setdefault(path, FileFigure(path))
            fig.ai_lines += ai
            fig.added_lines += added
            fig.commits += 1
    handling = Counter(f.handling for f in findings)
    return Figures(
        commits=len(rows),
        noted=sum(1 for r in rows if r.note == "present"),
        unnoted=sum(1 for r in rows if r.note != "present"),
        malformed=sum(1 for r in rows if r.note == "malformed"),
        signed=sum(1 for r in rows if r.signed),
        verified=sum(1 for r in rows if r.note == "present" and r.signature == "verified"),
        unverified=sum(1 for r in rows if r.note == "present" and r.signature == "unverified"),
        added_lines=sum(r.added_lines for r in rows),
        noted_added_lines=sum(r.added_lines for r in rows if r.note == "present"),
        ai_lines=sum(r.ai_lines for r in rows),
        reviewed_ai_lines=sum(r.reviewed_ai_lines for r in rows),
        weeks=[weeks[k] for k in sorted(weeks)],
        tools=[k for k, _ in sorted(tool_totals.items(), key=lambda kv: (-kv[1], kv[0]))],
        severity=_breakdowns(findings, lambda f: [f.severity], SEVERITY_ORDER),
        cwe=_breakdowns(findings, lambda f: f.cwe or ["(no CWE)"]),
        controls=_breakdowns(findings, lambda f: f.controls or [UNMAPPED]),
        review=sorted(review.values(), key=lambda t: (-t.ai_lines, t.key)),
        files=sorted(
            (f for f in files.values() if f.ai_lines),
            key=lambda f: (-f.ai_lines, f.path),
        )[:TOP_FILES],
        findings=findings,
        bypasses=[r for r in rows if r.bypass],
        handling={h: handling.get(h, 0) for h in HANDLINGS},
        bucket=bucket,
    )


def by_week_and_tool(figures: Figures) -> list[dict[str, Any]]:
    """Rows of the AI-share-per-week table (one column per tool/model)."""
    out = []
    for w in figures.weeks:
        row: dict[str, Any] = {
            "week": w.label,
            "start": w.start,
            "commits": w.commits,
            "added_lines": w.added_lines,
            "ai_lines": w.ai_lines,
            "ai_share": w.ai_share,
        }
        row["tools"] = {t: w.tools.get(t, 0) for t in figures.tools}
        out.append(row)
    return out


def reviewers(rows: list[ChangeRow]) -> dict[str, int]:
    """Who reviewed AI code in the period, by number of commits."""
    seen: defaultdict[str, int] = defaultdict(int)
    for row in rows:
        for r in row.reviewers:
            seen[r] += 1
    return dict(sorted(seen.items(), key=lambda kv: (-kv[1], kv[0])))
