"""``genguard controls``: the crosswalk from rules and features to SOC 2, NIST AI RMF and
ISO/IEC 42001 controls, with an honest Covered / Partial / Gap per control.

The rules are the workspace's (``load_workspace_rules``), so a rule switched off in
the configuration evidences nothing. Exit status: 0, or 2 when the configuration,
the rules' catalogue or an argument is unusable.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from rich.markup import escape
from rich.table import Table

from genguard.cli.grammar import add_repo
from genguard.cli.output import SafeConsole

EXIT_OK = 0
EXIT_USAGE = 2
FRAMEWORK_CHOICES = ("soc2", "nist-ai-rmf", "iso42001")
_STYLE = {"Covered": "green", "Partial": "yellow", "Gap": "red"}


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "controls",
        help="which controls (SOC 2, NIST AI RMF, ISO 42001) genguard evidences, and how far",
        description=(
            "Print the crosswalk from the rules in force and genguard's features to "
            "SOC 2 Trust Services Criteria, NIST AI RMF subcategories and ISO/IEC 42001 "
            "Annex A controls. A control is Covered or Partial only when a rule or feature "
            "evidences it; Partial and Gap say what is missing."
        ),
    )
    parser.add_argument("--framework", choices=FRAMEWORK_CHOICES, help="only this framework")
    parser.add_argument("--format", choices=("table", "json"), default="table")
    add_repo(parser)
    parser.set_defaults(run=run)
    return parser


def _workspace_rules(root: Path) -> tuple[Any, list[str]]:
    from genguard.config import load_settings
    from genguard.gitio import repo_root
    from genguard.rules.workspace import load_workspace_rules

    top = repo_root(root) or root.resolve()
    result = load_settings(top)
    problems = [str(p) for p in result.problems if p.severity == "error"]
    return load_workspace_rules(top, result.settings), problems


def _evidence_cell(entry: Any) -> str:
    features = [e.id for e in entry.evidence if e.kind == "feature"]
    rules = [e.id for e in entry.evidence if e.kind == "rule"]
    parts = []
    if features:
        parts.append(", ".join(features))
    if rules:
        shown = ", ".join(rules[:3]) + (f" +{len(rules) - 3}" if len(rules) > 3 else "")
        parts.append(f"{len(rules)} rule{'s' if len(rules) != 1 else ''}: {shown}")
    return "\n".join(parts) or "-"


def run(args: argparse.Namespace) -> int:
    from genguard.controls import CatalogueError, crosswalk, summary

    err = SafeConsole(stderr=True, highlight=False, soft_wrap=True)
    try:
        ruleset, problems = _workspace_rules(args.repo)
        entries = crosswalk(ruleset, args.framework)
    except (CatalogueError, OSError) as exc:
        err.print(f"[red]genguard controls:[/] {escape(str(exc))}")
        return EXIT_USAGE
    for problem in problems:
        err.print(f"[yellow]genguard controls: configuration:[/] {escape(problem)}")
    if args.format == "json":
        doc = {
            "schema": "genguard/controls/1",
            "summary": summary(entries),
            "controls": [e.to_dict() for e in entries],
        }
        sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    out = SafeConsole(highlight=False, width=max(SafeConsole().width, 140))
    table = Table(show_lines=True)
    for column in ("framework", "control", "status", "evidence", "note"):
        table.add_column(column, overflow="fold")
    for e in entries:
        title = f"{e.id}\n[dim]{escape(e.title)}[/]" if e.title else e.id
        table.add_row(
            e.framework,
            title,
            f"[{_STYLE[e.status]}]{e.status}[/]",
            escape(_evidence_cell(e)),
            escape(e.note),
        )
    out.print(table)
    for framework, counts in summary(entries).items():
        out.print(
            f"{framework}: {counts['Covered']} covered, {counts['Partial']} partial, "
            f"{counts['Gap']} gap"
        )
    return EXIT_OK
