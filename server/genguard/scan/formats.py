"""Scan reports: text for people, JSON for scripts, SARIF 2.1.0 for code scanning.

No report ever contains matched text: a finding is described by its rule, its
position and a fingerprint that masks secret matches, so a report can be shared
or uploaded without leaking what a secret rule found.

JSON positions are 0-based ``line`` / ``character`` (UTF-16 code units), exactly
as the editor's diagnostics; SARIF regions are 1-based with UTF-16 columns, as
SARIF's default ``columnKind`` says.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from genguard import __version__
from genguard.rules import Rule
from genguard.rules.model import INCOMPLETE_ID, Cut
from genguard.scan.runner import ScanFinding, ScanResult

if TYPE_CHECKING:  # rich is imported when text is rendered: JSON and SARIF skip it
    from rich.console import Console

    from genguard.notes.decisions import Decision, Review

FORMATS: tuple[str, ...] = ("text", "json", "sarif")

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SARIF_VERSION = "2.1.0"
SRCROOT = "%SRCROOT%"
FALLBACK_INFORMATION_URI = "https://pypi.org/project/genguard/"

SARIF_LEVELS = {"error": "error", "warning": "warning", "info": "note", "hint": "note"}
# GitHub ranks security-severity as critical > 9.0, high 7.0-8.9, medium 4.0-6.9, low < 4.0.
DEFAULT_SECURITY_SEVERITY = {"error": 7.5, "warning": 5.0, "info": 3.0, "hint": 1.0}
SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan", "hint": "dim"}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def incomplete_text(cuts: Iterable[Cut]) -> str:
    """``not fully checked: taint analysis stopped at ...; findings may be missing``."""
    return "not fully checked: " + "; ".join(map(str, cuts)) + "; findings may be missing"


# -- JSON -------------------------------------------------------------------------


def _position(pos: tuple[int, int]) -> dict[str, int]:
    return {"line": pos[0], "character": pos[1]}


def finding_to_json(f: ScanFinding) -> dict[str, Any]:
    out: dict[str, Any] = {
        "path": f.path,
        "range": {"start": _position(f.start), "end": _position(f.end)},
        "rule": f.rule.id,
        "severity": f.severity,
        "message": f.message,
        "cwe": list(f.rule.cwe),
        "controls": {k: list(v) for k, v in f.rule.controls.items()},
        "handling": f.handling,
    }
    if f.reason is not None:
        out["reason"] = f.reason
    if f.related:
        out["related"] = [
            {"range": {"start": _position(r.start), "end": _position(r.end)}, "message": r.message}
            for r in f.related
        ]
    return out


def decision_to_json(d: Decision) -> dict[str, Any]:
    """Where a suppression came from: who, when, why, and the commit whose note holds it."""
    return {
        "source": "commit-note",
        "by": d.by,
        "when": d.when,
        "reason": d.reason,
        "commit": d.commit,
        "signed": d.signed,
        "origin": {"path": d.path, "line": d.line},
    }


def review_to_json(r: Review) -> dict[str, Any]:
    return {"reviewer": r.reviewer, "tool": r.tool, "model": r.model, "commit": r.commit}


def _with_review(result: ScanResult, f: ScanFinding) -> dict[str, Any]:
    out = finding_to_json(f)
    review = result.reviews.get((f.path, f.start[0]))
    if review is not None:
        out["review"] = review_to_json(review)
    return out


def _suppressed_to_json(f: ScanFinding) -> dict[str, Any]:
    out = finding_to_json(f)
    if f.decision is not None:
        out["suppression"] = decision_to_json(f.decision)
    return out


def incomplete_to_json(result: ScanResult) -> list[dict[str, Any]]:
    """The files whose check was cut short, each with the checks that were and why."""
    return [
        {"path": path, "cut": [{"check": c.check, "reason": c.reason} for c in cuts]}
        for path, cuts in sorted(result.incomplete.items())
    ]


def to_json(result: ScanResult) -> dict[str, Any]:
    return {
        "findings": [_with_review(result, f) for f in result.findings],
        "suppressed": [_suppressed_to_json(f) for f in result.suppressed_findings],
        "summary": {
            "files_scanned": result.files_scanned,
            "complete": result.complete,
            "files_incomplete": incomplete_to_json(result),
            "files_skipped": [{"path": s.path, "reason": s.reason} for s in result.skipped],
            "findings_by_severity": result.by_severity(),
            "duration_ms": result.duration_ms,
            "cached_files": result.cached_files,
            "suppressed": result.suppressed,
            "suppressed_by_notes": sum(1 for f in result.suppressed_findings if f.decision),
            "encodings_guessed": dict(sorted(result.guessed_encodings.items())),
            "files_excluded": len(result.excluded),
            "excluded_by": result.exclude_source,
            "excluded_but_checked": list(result.kept),
        },
    }


# -- SARIF ------------------------------------------------------------------------


def information_uri() -> str:
    """The project's home page from the installed package metadata, if it names one."""
    from importlib.metadata import PackageNotFoundError, metadata  # only SARIF needs it

    try:
        meta = metadata("genguard")
    except PackageNotFoundError:
        return FALLBACK_INFORMATION_URI
    for entry in meta.get_all("Project-URL") or []:
        _, _, url = entry.partition(",")
        if url.strip().startswith("https://"):
            return url.strip()
    home = meta.get("Home-page")
    return home if home and home.startswith("https://") else FALLBACK_INFORMATION_URI


def security_severity(rule: Rule) -> str:
    """The rule's own 0-10 score when it has one, else one derived from its severity."""
    score = rule.security_severity
    if not isinstance(score, int | float) or isinstance(score, bool) or not 0 <= score <= 10:
        score = DEFAULT_SECURITY_SEVERITY.get(rule.severity, 5.0)
    return f"{float(score):.1f}"


def _cwe_number(cwe: str) -> str:
    number = cwe.removeprefix("CWE-")
    return f"{int(number):03d}" if number.isdigit() else number


def rule_tags(rule: Rule) -> list[str]:
    """Tags GitHub code scanning understands (``external/cwe/cwe-078``) plus the pack."""
    tags = [rule.pack or "security"]
    tags += [f"external/cwe/cwe-{_cwe_number(c)}" for c in rule.cwe]
    tags += [f"external/owasp/{o}" for o in rule.owasp]
    tags += [f"external/owasp-llm/{o}" for o in rule.owasp_llm]
    return list(dict.fromkeys(tags))


def _help_markdown(rule: Rule) -> str:
    lines = [f"**{rule.name}**", "", rule.message]
    if rule.cwe:
        links = ", ".join(
            f"[{c}](https://cwe.mitre.org/data/definitions/{c.removeprefix('CWE-')}.html)"
            for c in rule.cwe
        )
        lines += ["", f"Weaknesses: {links}"]
    if rule.controls:
        controls = "; ".join(f"{k}: {', '.join(v)}" for k, v in sorted(rule.controls.items()))
        lines += ["", f"Controls: {controls}"]
    if rule.url:
        lines += ["", f"More: <{rule.url}>"]
    return "\n".join(lines)


def reportable_rules(rules: Iterable[Rule]) -> list[Rule]:
    """Rules that can produce findings (governance ``check`` rules never match code)."""
    return sorted((r for r in rules if not r.check), key=lambda r: r.id)


def sarif_rule(rule: Rule) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "tags": rule_tags(rule),
        "security-severity": security_severity(rule),
        "precision": "high" if rule.query is not None else "medium",
    }
    if rule.cwe:
        properties["cwe"] = list(rule.cwe)
    if rule.controls:
        properties["controls"] = {k: list(v) for k, v in rule.controls.items()}
    descriptor: dict[str, Any] = {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.name},
        "fullDescription": {"text": rule.message},
        "help": {
            "text": rule.message + (f" See {rule.url}" if rule.url else ""),
            "markdown": _help_markdown(rule),
        },
        "defaultConfiguration": {"level": SARIF_LEVELS.get(rule.severity, "warning")},
        "properties": properties,
    }
    if rule.url and rule.url.startswith(("https://", "http://")):
        descriptor["helpUri"] = rule.url
    return descriptor


def _artifact(path: str) -> dict[str, Any]:
    return {"uri": quote(path, safe="/"), "uriBaseId": SRCROOT}


def _region(f: ScanFinding) -> dict[str, int]:
    return _region_of(f.start, f.end)


def _region_of(start: tuple[int, int], end: tuple[int, int]) -> dict[str, int]:
    (sl, sc), (el, ec) = start, end
    return {"startLine": sl + 1, "startColumn": sc + 1, "endLine": el + 1, "endColumn": ec + 1}


def _fingerprints(findings: Iterable[ScanFinding]) -> list[str]:
    """``hash:n``, n counting equal hashes within a file (GitHub's own convention)."""
    seen: dict[tuple[str, str], int] = {}
    out = []
    for f in findings:
        n = seen.get((f.path, f.line_hash), 0) + 1
        seen[(f.path, f.line_hash)] = n
        out.append(f"{f.line_hash}:{n}")
    return out


def sarif_suppression(d: Decision) -> dict[str, Any]:
    """A suppression recorded in a commit note, as SARIF's ``external`` suppression."""
    return {
        "kind": "external",
        "status": "accepted",
        "justification": d.reason or "",
        "properties": {"source": "commit-note", **decision_to_json(d)},
    }


def _code_flow(f: ScanFinding) -> list[dict[str, Any]]:
    """A data-flow path as a SARIF codeFlow: the source, the steps, then the sink."""
    places = [(r.start, r.end, r.message) for r in f.related]
    places.append((f.start, f.end, f"reaches {f.rule.id}"))
    return [
        {
            "threadFlows": [
                {
                    "locations": [
                        {
                            "location": {
                                "physicalLocation": {
                                    "artifactLocation": _artifact(f.path),
                                    "region": _region_of(a, b),
                                },
                                "message": {"text": message},
                            }
                        }
                        for a, b, message in places
                    ]
                }
            ]
        }
    ]


def _related_locations(f: ScanFinding) -> dict[str, Any]:
    """The places that explain a finding (a data-flow path), as SARIF relatedLocations
    and, for a taint rule's path, a codeFlow code scanning shows step by step."""
    if not f.related:
        return {}
    flows = {"codeFlows": _code_flow(f)} if f.rule.taint is not None else {}
    return {
        **flows,
        "relatedLocations": [
            {
                "id": i,
                "message": {"text": r.message},
                "physicalLocation": {
                    "artifactLocation": _artifact(f.path),
                    "region": _region_of(r.start, r.end),
                },
            }
            for i, r in enumerate(f.related)
        ],
    }


def to_sarif(result: ScanResult) -> dict[str, Any]:
    rules = reportable_rules(result.rules)
    index = {r.id: i for i, r in enumerate(rules)}
    results = []
    noted = [f for f in result.suppressed_findings if f.decision is not None]
    reported = [*result.findings, *noted]
    for f, fingerprint in zip(reported, _fingerprints(reported), strict=True):
        if f.rule.id not in index:  # built-in rules about suppression markers
            index[f.rule.id] = len(rules)
            rules.append(f.rule)
        results.append(
            {
                "ruleId": f.rule.id,
                "ruleIndex": index[f.rule.id],
                "level": SARIF_LEVELS.get(f.severity, "warning"),
                "message": {"text": f.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": _artifact(f.path),
                            "region": _region(f),
                        }
                    }
                ],
                "partialFingerprints": {"primaryLocationLineHash": fingerprint},
                **_related_locations(f),
                **({} if f.decision is None else {"suppressions": [sarif_suppression(f.decision)]}),
            }
        )
    notifications = [
        {
            "level": "note",
            "message": {"text": f"not scanned: {s.reason}"},
            "locations": [{"physicalLocation": {"artifactLocation": _artifact(s.path)}}],
        }
        for s in result.skipped
    ]
    for path, cuts in sorted(result.incomplete.items()):
        notifications.append(
            {
                "descriptor": {"id": INCOMPLETE_ID},
                "level": "warning",
                "message": {"text": incomplete_text(cuts)},
                "locations": [{"physicalLocation": {"artifactLocation": _artifact(path)}}],
            }
        )
    for line in exclude_lines(result):
        notifications.append({"level": "warning", "message": {"text": line}})
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "genguard",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": information_uri(),
                        "rules": [sarif_rule(r) for r in rules],
                    }
                },
                "originalUriBaseIds": {SRCROOT: {"uri": result.root.as_uri().rstrip("/") + "/"}},
                "columnKind": "utf16CodeUnits",
                "invocations": [
                    {
                        "executionSuccessful": True,
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "results": results,
            }
        ],
    }


# -- text -------------------------------------------------------------------------


def _by_notes(result: ScanResult) -> str:
    n = sum(1 for f in result.suppressed_findings if f.decision is not None)
    return f" ({n} by commit notes)" if n else ""


def _incomplete_part(result: ScanResult) -> str:
    n = len(result.incomplete)
    return f" ({n} not fully checked)" if n else ""


def summary_line(result: ScanResult) -> str:
    counts = result.by_severity()
    parts = [f"{n} {sev}" for sev, n in counts.items() if n]
    detail = f" ({', '.join(parts)})" if parts else ""
    return (
        f"{_plural(len(result.findings), 'finding')}{detail} in "
        f"{_plural(result.files_scanned, 'file')} scanned"
        f"{_incomplete_part(result)}; {len(result.skipped)} skipped, "
        f"{result.suppressed} suppressed{_by_notes(result)}, "
        f"{result.cached_files} from cache, "
        f"{result.duration_ms / 1000:.2f} s"
    )


def path_text(f: ScanFinding) -> str:
    """Where a finding's data came from: ``from request.args at line 12, via line 13``."""
    first, *steps = f.related
    text = f"from {first.message} at line {first.start[0] + 1}"
    if steps:
        text += ", via " + ", ".join(f"line {r.start[0] + 1}" for r in steps)
    return text


def exclude_lines(result: ScanResult) -> list[str]:
    """What ``[scan] exclude`` did, said in every report: excludes are configuration a
    repository commits, and files they hide must never go unmentioned."""
    source = f" ({result.exclude_source})" if result.exclude_source else ""
    out = []
    if result.excluded:
        out.append(f"Excluded by [scan] exclude{source}: {_plural(len(result.excluded), 'file')}")
    if result.kept:
        out.append(
            f"Checked although [scan] exclude or the vendored-code default leaves them out: "
            f"{_plural(len(result.kept), 'file')} with live AI chunks"
        )
    return out


def skipped_kinds(result: ScanResult) -> list[tuple[str, int]]:
    """How many files were skipped for each kind of reason, most first."""
    counts: dict[str, int] = {}
    for s in result.skipped:
        kind = s.reason.split(":")[0].split(" (")[0]  # "binary", "unreadable", ...
        counts[kind] = counts.get(kind, 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def skipped_line(result: ScanResult) -> str:
    """``Not scanned: 1376 binary, 3 vendored or minified`` (one line, whatever the count)."""
    return "Not scanned: " + ", ".join(f"{n} {kind}" for kind, n in skipped_kinds(result))


def render_text(result: ScanResult, console: Console, *, verbose: bool = False) -> None:
    """One line per finding (``path:line:col``, 1-based as editors jump to), then a summary.

    Skipped files are one line by reason; ``verbose`` lists them one by one.
    """
    from rich.markup import escape
    from rich.table import Table

    for f in result.findings:
        style = SEVERITY_STYLE.get(f.severity, "")
        review = result.reviews.get((f.path, f.start[0]))
        reviewed = f" [dim]({escape(review.describe())})[/]" if review is not None else ""
        console.print(
            f"[bold]{escape(f.path)}:{f.start[0] + 1}:{f.start[1] + 1}[/]: "
            f"[{style}]{f.severity}[/] [dim]\\[{escape(f.rule.id)}][/] {escape(f.message)}"
            f"{reviewed}"
        )
        if f.related:
            console.print(f"    [dim]{escape(path_text(f))}[/]")
    noted = [(f, f.decision) for f in result.suppressed_findings if f.decision is not None]
    for f, d in noted:
        console.print(
            f"[dim]{escape(f.path)}:{f.start[0] + 1}:{f.start[1] + 1}: "
            f"\\[{escape(f.rule.id)}] {escape(d.describe())}[/]"
        )
    excludes = exclude_lines(result)
    if (result.skipped or excludes or result.incomplete) and (result.findings or noted):
        console.print()
    for path, cuts in sorted(result.incomplete.items()):
        console.print(f"[yellow]{escape(path)}: {escape(incomplete_text(cuts))}[/]")
    for line in excludes:
        listed = result.excluded if line.startswith("Excluded") else result.kept
        more = ": " + ", ".join(listed) if verbose else " (--verbose lists them)"
        console.print(escape(line + more))
    if result.skipped:
        if verbose:
            table = Table(title="Not scanned", title_justify="left", show_edge=False)
            table.add_column("path")
            table.add_column("reason")
            for s in result.skipped:
                table.add_row(escape(s.path), escape(s.reason))
            console.print(table)
        else:
            console.print(f"{escape(skipped_line(result))} (--verbose lists them)")
    console.print(summary_line(result))


def render(result: ScanResult, fmt: str, *, verbose: bool = False) -> str:
    """The report as a string, for ``--output`` or piping (text without colours)."""
    if fmt == "json":
        return json.dumps(to_json(result), indent=2, ensure_ascii=False) + "\n"
    if fmt == "sarif":
        return json.dumps(to_sarif(result), indent=2, ensure_ascii=False) + "\n"
    from genguard.text.console import SafeConsole

    out = io.StringIO()
    render_text(
        result,
        SafeConsole(file=out, width=200, no_color=True, highlight=False, soft_wrap=True),
        verbose=verbose,
    )
    return out.getvalue()
