"""``genguard rules``: test rule examples and list the rule catalogue.

``genguard rules test [PATH]`` runs every rule's examples (each ``bad`` one
must fire, each ``good`` one must stay quiet) for the built-in packs, or for the
rules in PATH: a directory or one file, such as a repository's
``.genguard/rules``. PATH rules load as the server loads repository rules
(untrusted) unless ``--trusted`` is given, so a rule that passes here also loads
in the editor. Exit 0 when everything holds, 1 when an example fails, a rule is
invalid (reported as file:line) or no rule was found.

``genguard rules list`` prints the catalogue: the built-in packs plus the
workspace's repository rules.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from genguard.cli.grammar import add_repo, hidden
from genguard.cli.output import SafeConsole
from genguard.rules import CompiledRules, Rule, RuleSet, builtin_rules_dir, load_rules
from genguard.rules.workspace import load_repository_rules, load_rules_at, repository_rules_dir
from genguard.syntax.languages import new_parser

EXIT_OK = 0
EXIT_FAILED = 1
PIPE_WIDTH = 200

ExampleKind = Literal["bad", "good"]


@dataclass(frozen=True, slots=True)
class ExampleFailure:
    """One example that did not behave: a ``bad`` one that missed, a ``good`` one that fired."""

    rule: Rule
    kind: ExampleKind
    index: int
    language: str | None
    problem: str


@dataclass(frozen=True, slots=True)
class ExampleReport:
    rules: int  # rules with examples (matched by a query or a regex)
    examples: int
    failures: tuple[ExampleFailure, ...]
    skipped: tuple[str, ...]  # languages whose grammar is not installed
    checks: int = 0  # rules implemented in code (governance, agent-risk): no examples to run


def run_examples(ruleset: RuleSet) -> ExampleReport:
    """Run each rule's examples in every language it lists (``*``: as plain text)."""
    compiled = CompiledRules(ruleset)
    failures: list[ExampleFailure] = []
    skipped: set[str] = set()
    rules = examples = checks = 0
    for rule in ruleset.rules:
        if rule.query is None and rule.regex is None and getattr(rule, "taint", None) is None:
            checks += 1  # a check rule: implemented in code, it has no examples
            continue
        rules += 1
        languages: list[str | None] = [None] if rule.any_language else list(rule.languages)
        for kind, snippets in (("bad", rule.examples_bad), ("good", rule.examples_good)):
            for index, snippet in enumerate(snippets):
                for language in languages:
                    source = snippet.encode("utf-8")
                    tree = None
                    if language is not None:
                        parser = new_parser(language)
                        if parser is None:
                            skipped.add(language)
                            continue
                        tree = parser.parse(source)
                    examples += 1
                    hits = compiled.matcher_for(language).run(source, tree)
                    fired = any(m.rule.id == rule.id for m in hits)
                    if kind == "bad" and not fired:
                        problem = "bad example did not fire"
                    elif kind == "good" and fired:
                        problem = "good example fired"
                    else:
                        continue
                    failures.append(ExampleFailure(rule, kind, index, language, problem))
    return ExampleReport(rules, examples, tuple(failures), tuple(sorted(skipped)), checks)


def _inside(path: Path, parent: Path) -> bool:
    try:
        path.resolve().relative_to(parent.resolve())
    except (ValueError, OSError):
        return False
    return True


def _load_for_test(path: Path | None, trusted: bool) -> RuleSet:
    if path is None:
        return load_rules()
    if trusted or _inside(path, builtin_rules_dir()):
        return load_rules_at(path, trusted=True)
    return load_repository_rules(path)


def _where(rule: Rule) -> str:
    return f"{rule.source}:{rule.line}"


def _console() -> Console:
    """Terminal width on a terminal; wide when piped, so rows stay whole for grep and CI logs."""
    probe = SafeConsole()
    return SafeConsole(highlight=False, width=None if probe.is_terminal else PIPE_WIDTH)


def _run_test(args: argparse.Namespace) -> int:
    out = _console()
    path: Path | None = args.path
    ruleset = _load_for_test(path, args.trusted)
    report = run_examples(ruleset)
    label = escape(str(path)) if path is not None else "built-in packs"

    for e in ruleset.errors:  # file:line first, so terminals and editors can jump to it
        out.print(f"[red]invalid[/] {escape(str(e))}", soft_wrap=True)
    if report.failures:
        table = Table(title="Failing examples", title_justify="left")
        table.add_column("Rule")
        table.add_column("Example")
        table.add_column("Language")
        table.add_column("Problem")
        table.add_column("Where", overflow="fold")
        for f in report.failures:
            table.add_row(
                escape(f.rule.id),
                f"{f.kind}[{f.index}]",
                f.language or "text",
                f.problem,
                escape(_where(f.rule)),
            )
        out.print(table)
    for language in report.skipped:
        out.print(f"[yellow]![/] no grammar installed for {language}; its examples were skipped")

    failed = len(report.failures)
    invalid = len(ruleset.errors)
    summary = (
        f"{label}: {report.rules + report.checks} rules ({report.rules} with examples, "
        f"{report.checks} checks implemented in code), {report.examples} example runs, "
        f"{failed} failed, {invalid} invalid"
    )
    if report.rules == 0 and not invalid:
        out.print(f"[red]✗[/] {label}: no rules with examples found")
        return EXIT_FAILED
    if failed or invalid:
        out.print(f"[red]✗[/] {summary}")
        return EXIT_FAILED
    out.print(f"[green]✓[/] {summary}")
    return EXIT_OK


def catalogue(root: Path | None, pack: str | None = None) -> tuple[list[dict[str, Any]], RuleSet]:
    """Every built-in rule (all packs) and the workspace's repository rules, as plain data."""
    builtin = load_rules()
    rules = list(builtin.rules)
    errors = list(builtin.errors)
    if root is not None and repository_rules_dir(root).is_dir():
        repo = load_repository_rules(repository_rules_dir(root))
        rules.extend(repo.rules)
        errors.extend(repo.errors)
    if pack is not None:
        rules = [r for r in rules if r.pack == pack]
    rows = [
        {
            "id": r.id,
            "pack": r.pack,
            "languages": list(r.languages),
            "severity": r.severity,
            "security_severity": r.security_severity,
            "cwe": list(r.cwe),
            "owasp": list(r.owasp),
            "owasp_llm": list(r.owasp_llm),
            "controls": {k: list(v) for k, v in sorted(r.controls.items())},
            "check": r.check,
            "source": _where(r),
        }
        for r in sorted(rules, key=lambda r: (r.pack, r.id))
    ]
    return rows, RuleSet(rules=tuple(rules), errors=tuple(errors), version="")


def _run_list(args: argparse.Namespace) -> int:
    rows, ruleset = catalogue(args.repo, args.pack)
    err = SafeConsole(stderr=True, highlight=False, soft_wrap=True)
    for e in ruleset.errors:
        err.print(f"[yellow]![/] {escape(str(e))} (rule skipped)")
    if args.format == "json":
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return EXIT_OK
    packs: dict[str, int] = {}
    for row in rows:
        packs[row["pack"]] = packs.get(row["pack"], 0) + 1
    by_pack = ", ".join(f"{p} {n}" for p, n in sorted(packs.items(), key=lambda kv: -kv[1]))
    table = Table(title=f"genguard rules ({len(rows)}: {by_pack})", title_justify="left")
    for name in (
        "id",
        "pack",
        "languages",
        "severity",
        "sec. sev.",
        "cwe",
        "owasp",
        "owasp llm",
        "controls",
    ):
        table.add_column(name, overflow="fold")
    for row in rows:
        sec = row["security_severity"]
        table.add_row(
            escape(row["id"]),
            escape(row["pack"]),
            escape(", ".join(row["languages"])),
            row["severity"],
            "" if sec is None else f"{sec:g}",
            escape(", ".join(row["cwe"])),
            escape(", ".join(row["owasp"])),
            escape(", ".join(row["owasp_llm"])),
            escape("; ".join(f"{k}: {', '.join(v)}" for k, v in row["controls"].items())),
        )
    _console().print(table)
    return EXIT_OK


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "rules",
        help="test rule examples, list the rule catalogue",
        description="Test rule examples and list the rule catalogue.",
    )
    sub = parser.add_subparsers(dest="rules_command", metavar="ACTION")
    test = sub.add_parser(
        "test",
        help="run rule examples: bad ones must fire, good ones must stay quiet",
        description=(
            "Run every rule's examples for the built-in packs, or for the rules in PATH "
            "(a directory or a file, e.g. .genguard/rules). Exit 0 when all hold, 1 when "
            "an example fails, a rule is invalid or no rule is found."
        ),
    )
    test.add_argument("path", nargs="?", type=Path, metavar="PATH", help="rule directory or file")
    test.add_argument(
        "--trusted",
        action="store_true",
        help="load PATH as a trusted pack (the server loads repository rules untrusted)",
    )
    add_repo(test, chdir=True)
    test.set_defaults(run=_run_test)
    listing = sub.add_parser(
        "list",
        help="list rules with their CWE, OWASP and control mappings",
        description="List the built-in rules and the workspace's repository rules.",
    )
    listing.add_argument("--format", choices=("table", "json"), default="table")
    listing.add_argument("--pack", metavar="NAME", help="only rules of this pack")
    add_repo(listing)
    hidden(listing, "--root", dest="repo", type=Path)
    listing.set_defaults(run=_run_list)
    parser.set_defaults(run=lambda args: _usage(parser))
    return parser


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2
