"""Inline SVG charts, written by hand so the report opens offline with no script at all.

Every chart is an ``<svg role="img">`` with a ``<title>`` and ``<desc>`` (read
by screen readers), a tooltip ``<title>`` on every bar, and the value printed
beside each bar or column (``class="data-label"``), so the figure can be read
without hovering, printed in black and white, and checked by a test. The report
puts the same numbers in a table under each chart.

Colours are the Okabe-Ito palette, distinguishable with the common forms of
colour blindness.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

#: Okabe-Ito, most distinct first; black last (used for "other").
PALETTE: tuple[str, ...] = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
)
HANDLING_COLOURS: dict[str, str] = {"fixed": "#009E73", "suppressed": "#E69F00", "open": "#D55E00"}
REVIEW_COLOURS: dict[str, str] = {"reviewed": "#0072B2", "not reviewed": "#BBBBBB"}

WIDTH = 880
_FONT = 12


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    colour: str
    values: Sequence[float]


def _num(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _nice_step(value: float) -> float:
    """A tick step of 1, 2 or 5 times a power of ten, at least 1 (counts are whole)."""
    if value <= 1:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(m * power for m in (1, 2, 5, 10) if value <= m * power)


def _open(chart_id: str, title: str, desc: str, height: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id={quoteattr(chart_id)} '
        f'data-chart={quoteattr(chart_id)} viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]


def _legend(series: Sequence[tuple[str, str]], y: int) -> list[str]:
    out = ['<g class="legend" aria-hidden="true">']
    x = 8
    for name, colour in series:
        out.append(
            f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{colour}" '
            'stroke="#333" stroke-width="0.5"/>'
        )
        out.append(f'<text x="{x + 16}" y="{y}" font-size="{_FONT}">{escape(name)}</text>')
        x += 16 + 7 * len(name) + 22
    out.append("</g>")
    return out


def _empty(chart_id: str, title: str, desc: str, message: str) -> str:
    parts = _open(chart_id, title, desc, 60)
    parts.append(
        f'<text class="empty" x="{WIDTH // 2}" y="34" text-anchor="middle" '
        f'font-size="{_FONT + 1}" fill="#555">{escape(message)}</text>'
    )
    parts.append("</svg>")
    return "\n".join(parts)


def columns(
    chart_id: str,
    title: str,
    desc: str,
    categories: Sequence[str],
    series: Sequence[Series],
    top_labels: Sequence[str],
    *,
    unit: str = "lines",
    empty: str = "Nothing in the period",
) -> str:
    """Stacked columns, one per category (e.g. week), with a label above each column."""
    totals = [sum(s.values[i] for s in series) for i in range(len(categories))]
    if not categories or not any(totals):
        return _empty(chart_id, title, desc, empty)
    top, left, right, bottom, legend_h = 26, 56, 12, 44, 26
    plot_h = 240
    height = top + plot_h + bottom + legend_h
    plot_w = WIDTH - left - right
    step = _nice_step(max(totals) / 4)
    ymax = step * 4
    slot = plot_w / len(categories)
    bar_w = max(2.0, min(48.0, slot * 0.7))
    parts = _open(chart_id, title, desc, height)
    parts.append('<g class="axis" font-size="11" fill="#333">')
    for i in range(5):
        value = ymax * i / 4
        y = top + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{left}" x2="{WIDTH - right}" y1="{y:.1f}" y2="{y:.1f}" '
            'stroke="#ddd" stroke-width="1"/>'
        )
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{_num(value)}</text>')
    mid = f"{top + plot_h / 2:.0f}"
    parts.append(
        f'<text x="12" y="{mid}" transform="rotate(-90 12 {mid})" text-anchor="middle">'
        f"{escape(unit)}</text>"
    )
    every = max(1, math.ceil(len(categories) / 14))
    for i, cat in enumerate(categories):
        if i % every == 0:
            x = left + slot * (i + 0.5)
            parts.append(
                f'<text x="{x:.1f}" y="{top + plot_h + 16}" text-anchor="middle">'
                f"{escape(cat)}</text>"
            )
    parts.append("</g>")
    parts.append('<g class="bars">')
    for i, cat in enumerate(categories):
        x = left + slot * i + (slot - bar_w) / 2
        y = top + plot_h
        for s in series:
            v = s.values[i]
            if not v:
                continue
            h = plot_h * v / ymax
            y -= h
            parts.append(
                f'<rect class="bar" data-series={quoteattr(s.name)} data-category={quoteattr(cat)} '
                f'data-value="{_num(v)}" x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" '
                f'height="{h:.1f}" fill="{s.colour}">'
                f"<title>{escape(f'{cat}, {s.name}: {_num(v)} {unit}')}</title></rect>"
            )
        if totals[i] or top_labels[i]:
            parts.append(
                f'<text class="data-label" x="{x + bar_w / 2:.1f}" y="{y - 5:.1f}" '
                f'text-anchor="middle" font-size="11">{escape(top_labels[i])}</text>'
            )
    parts.append("</g>")
    parts.extend(_legend([(s.name, s.colour) for s in series], height - 8))
    parts.append("</svg>")
    return "\n".join(parts)


def bars(
    chart_id: str,
    title: str,
    desc: str,
    rows: Sequence[tuple[str, Sequence[float]]],
    segments: Sequence[tuple[str, str]],
    *,
    unit: str = "",
    value_label: Sequence[str] | None = None,
    empty: str = "Nothing in the period",
) -> str:
    """Horizontal stacked bars, one per row, each labelled with its total (or ``value_label``)."""
    totals = [sum(values) for _, values in rows]
    if not rows or not any(totals):
        return _empty(chart_id, title, desc, empty)
    label_w = min(300, max(90, 7 * max(len(label) for label, _ in rows) + 12))
    top, right, bar_h, gap, legend_h = 8, 120, 20, 8, 28
    height = top + len(rows) * (bar_h + gap) + legend_h
    plot_w = WIDTH - label_w - right
    xmax = max(totals)
    parts = _open(chart_id, title, desc, height)
    for i, (label, values) in enumerate(rows):
        y = top + i * (bar_h + gap)
        shown = label if len(label) <= 42 else "…" + label[-41:]
        parts.append(
            f'<text class="row-label" x="{label_w - 8}" y="{y + bar_h * 0.7:.1f}" '
            f'text-anchor="end" font-size="{_FONT}">{escape(shown)}</text>'
        )
        x = float(label_w)
        for (name, colour), v in zip(segments, values, strict=True):
            if not v:
                continue
            w = plot_w * v / xmax
            parts.append(
                f'<rect class="bar" data-series={quoteattr(name)} data-category={quoteattr(label)} '
                f'data-value="{_num(v)}" x="{x:.1f}" y="{y}" width="{max(w, 1):.1f}" '
                f'height="{bar_h}" fill="{colour}">'
                f"<title>{escape(f'{label}, {name}: {_num(v)} {unit}'.rstrip())}</title></rect>"
            )
            x += w
        text = value_label[i] if value_label is not None else _num(totals[i])
        parts.append(
            f'<text class="data-label" x="{x + 6:.1f}" y="{y + bar_h * 0.7:.1f}" '
            f'font-size="{_FONT}">{escape(text)}</text>'
        )
    if len(segments) > 1:
        parts.extend(_legend(segments, height - 8))
    parts.append("</svg>")
    return "\n".join(parts)


def tool_colours(tools: Sequence[str]) -> dict[str, str]:
    """A stable colour per tool/model (the most used get the most distinct colours)."""
    return {t: PALETTE[i % (len(PALETTE) - 1)] for i, t in enumerate(tools)}
