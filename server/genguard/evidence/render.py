"""``report.html`` and ``changes.csv`` from the collected evidence.

The report is one file that opens offline: the CSS is inline, the charts are
inline SVG drawn by :mod:`.charts`, there is no script, and a Content Security
Policy forbids loading anything at all. Text from the repository (subjects,
paths, reasons) goes through jinja2's autoescaping; only the SVG that
:mod:`.charts` builds with its own escaping is marked safe.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from genguard.evidence import charts
from genguard.evidence.collect import ChangeRow, Evidence
from genguard.evidence.controls import ControlEntry
from genguard.evidence.figures import HANDLINGS, Figures, by_week_and_tool, reviewers
from genguard.evidence.period import iso

#: The columns of ``changes.csv``, in order (documented in docs/evidence.md).
CSV_COLUMNS: tuple[str, ...] = (
    "commit",
    "date",
    "author_name",
    "author_email",
    "subject",
    "added_lines",
    "ai_lines",
    "tools",
    "reviewed",
    "reviewed_ai_lines",
    "reviewers",
    "findings",
    "open_findings",
    "findings_detail",
    "bypass",
    "bypass_source",
    "note",
    "note_signed",
    "policy_hash",
)
MAX_TOOL_SERIES = 7
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """A cell a spreadsheet shows as text: a leading ``= + - @`` gets a ``'`` (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_row(row: ChangeRow) -> dict[str, str]:
    values: dict[str, Any] = {
        "commit": row.commit,
        "date": iso(row.date),
        "author_name": row.author_name,
        "author_email": row.author_email,
        "subject": row.subject,
        "added_lines": row.added_lines,
        "ai_lines": row.ai_lines,
        "tools": row.tools_text(),
        "reviewed": row.reviewed,
        "reviewed_ai_lines": row.reviewed_ai_lines,
        "reviewers": "; ".join(row.reviewers),
        "findings": len(row.findings),
        "open_findings": row.open_findings,
        "findings_detail": " | ".join(f.describe() for f in row.findings),
        "bypass": "yes" if row.bypass else "no",
        "bypass_source": row.bypass_source,
        "note": row.note,
        "note_signed": row.signature if row.signed else "no",
        "policy_hash": row.policy_hash or "",
    }
    return {k: csv_cell(values[k]) for k in CSV_COLUMNS}


def changes_csv(rows: list[ChangeRow]) -> str:
    """One row per commit of the period, oldest first: the population an auditor samples."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(csv_row(row))
    return buf.getvalue()


def _pct(x: float) -> str:
    return f"{x:.0%}" if x in (0, 1) else f"{x:.1%}"


def _tool_series(figures: Figures) -> tuple[list[charts.Series], list[str]]:
    """One series per tool/model; beyond the palette, the rest are summed as "other"."""
    shown = figures.tools[:MAX_TOOL_SERIES]
    rest = figures.tools[MAX_TOOL_SERIES:]
    colours = charts.tool_colours(shown)
    series = [
        charts.Series(t, colours[t], [w.tools.get(t, 0) for w in figures.weeks]) for t in shown
    ]
    if rest:
        series.append(
            charts.Series(
                "other",
                charts.PALETTE[-1],
                [sum(w.tools.get(t, 0) for t in rest) for w in figures.weeks],
            )
        )
    return series, rest


def _stretch(bucket: str) -> str:
    return "ISO week" if bucket == "week" else bucket


def chart_markup(figures: Figures) -> dict[str, str]:
    """Every chart of the report as SVG markup, keyed by section."""
    series, _ = _tool_series(figures)
    weeks = figures.weeks
    handling = [(h, charts.HANDLING_COLOURS[h]) for h in HANDLINGS]

    def breakdown(chart_id: str, title: str, desc: str, items: list[Any]) -> str:
        return charts.bars(
            chart_id,
            title,
            desc,
            [(b.key, [b.counts.get(h, 0) for h in HANDLINGS]) for b in items],
            handling,
            unit="findings",
            empty="No findings in the period",
        )

    review_rows = [
        (t.key, [t.reviewed_ai_lines, t.ai_lines - t.reviewed_ai_lines]) for t in figures.review
    ]
    review_labels = [
        f"{_pct(t.reviewed_ai_lines / t.ai_lines if t.ai_lines else 0)} of {t.ai_lines}"
        for t in figures.review
    ]
    if figures.review:
        review_rows.insert(
            0,
            (
                "all tools",
                [figures.reviewed_ai_lines, figures.ai_lines - figures.reviewed_ai_lines],
            ),
        )
        review_labels.insert(0, f"{_pct(figures.reviewed_share)} of {figures.ai_lines}")
    return {
        "ai_share": charts.columns(
            "chart-ai-share",
            f"AI-written lines per {figures.bucket}, by tool and model",
            f"Stacked columns: AI-written lines committed each {_stretch(figures.bucket)} of the "
            "period that has commits, one colour per tool and model; the label above each "
            f"column is the AI share of all added lines that {figures.bucket}. The table below "
            "the chart holds the same numbers.",
            [w.label for w in weeks],
            series,
            [f"{_pct(w.ai_share)}" if w.added_lines else "" for w in weeks],
            unit="AI lines",
            empty="No AI-written lines in the period",
        ),
        "severity": breakdown(
            "chart-severity",
            "Findings by severity",
            "Horizontal bars: findings in the period's commit notes per severity, split into "
            "fixed, suppressed and open; the label is the total.",
            figures.severity,
        ),
        "cwe": breakdown(
            "chart-cwe",
            "Findings by CWE",
            "Horizontal bars: findings per CWE weakness, split into fixed, suppressed and open.",
            figures.cwe,
        ),
        "control": breakdown(
            "chart-control",
            "Findings by control",
            "Horizontal bars: findings per control their rule maps to (SOC 2, NIST AI RMF, "
            "ISO/IEC 42001), split into fixed, suppressed and open.",
            figures.controls,
        ),
        "review": charts.bars(
            "chart-review",
            "Review coverage of AI-written lines",
            "Horizontal bars: AI-written lines reviewed in the editor and not reviewed, for all "
            "tools and per tool and model; the label is the reviewed share.",
            review_rows,
            list(charts.REVIEW_COLOURS.items()),
            unit="AI lines",
            value_label=review_labels,
            empty="No AI-written lines in the period",
        ),
        "files": charts.bars(
            "chart-files",
            "Files with the most AI-written lines",
            "Horizontal bars: AI-written lines committed in the period per file, the ten largest.",
            [(f.path, [f.ai_lines]) for f in figures.files],
            [("AI lines", charts.PALETTE[0])],
            unit="AI lines",
            empty="No AI-written lines in the period",
        ),
    }


def _environment() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=PackageLoader("genguard.evidence", "templates"),
        autoescape=select_autoescape(["html", "j2"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pct"] = _pct
    env.filters["short"] = lambda sha: (sha or "")[:10]
    env.filters["iso"] = iso
    return env


def render_report(
    evidence: Evidence,
    figures: Figures,
    controls: list[ControlEntry],
    controls_source: str,
    signing: dict[str, Any],
) -> str:
    from markupsafe import Markup

    svg = {k: Markup(v) for k, v in chart_markup(figures).items()}
    _, other_tools = _tool_series(figures)
    template = _environment().get_template("report.html.j2")
    return template.render(
        ev=evidence,
        fig=figures,
        summary=figures.summary(),
        svg=svg,
        weeks=by_week_and_tool(figures),
        bucket=figures.bucket,
        stretch=_stretch(figures.bucket),
        other_tools=other_tools,
        reviewers=reviewers(evidence.rows),
        controls=controls,
        controls_source=controls_source,
        signing=signing,
        handlings=HANDLINGS,
        open_findings=[f for f in figures.findings if f.handling == "open"],
        attention=[r for r in evidence.rows if r.note != "present"],
    )
