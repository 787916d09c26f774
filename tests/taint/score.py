"""Score the installed ``genguard scan`` against the hand-written taint corpora.

There is one corpus per language (``CORPORA``), each scored on its own. A vulnerable file counts
as found (TP) when a finding whose CWE is in the file's family lies within +-2 lines of the
manifest's sink line (or one of its ``alt_lines``); otherwise it is a miss (FN). A safe file is a
false alarm (FP) when any finding of its family appears anywhere in it; otherwise it is a true
negative (TN). Findings of other families are ignored.

Usage::

    python tests/taint/score.py [--json] [--variants] [--lang L ...] [--genguard CMD]

The corpora are copied to one temporary directory (a folder per language) and scanned there in
one run with ``--no-cache``, so the repository's own configuration, ignore files and cache cannot
change the figures. This is a measuring tool: it exits 0 whenever the scan ran (whatever it
found) and 2 when the scan itself failed or did not check every file. It gates nothing.
"""

from __future__ import annotations

import argparse
import json
import shlex
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import metamorphic  # noqa: E402  (a sibling module, importable however this file is run)
import metamorphic_ts  # noqa: E402

TOLERANCE = 2

# One corpus per language: its folder beside this file, holding the files and a manifest.json.
CORPORA: dict[str, Path] = {
    "python": HERE / "corpus",
    "javascript": HERE / "corpus-js",
    "go": HERE / "corpus-go",
    "java": HERE / "corpus-java",
}

# CWE families: a finding of any member counts for a file of any member.
FAMILIES: dict[str, frozenset[int]] = {
    "22 path traversal": frozenset({22}),
    "78 command injection": frozenset({78}),
    "79 XSS": frozenset({79}),
    "89 SQL injection": frozenset({89}),
    "90 LDAP injection": frozenset({90}),
    "94/95 code injection": frozenset({94, 95}),
    "501 trust boundary": frozenset({501}),
    "502 deserialisation": frozenset({502}),
    "601 open redirect": frozenset({601}),
    "611 XXE": frozenset({611}),
    "643 XPath injection": frozenset({643}),
    "918 SSRF": frozenset({918}),
    "330 weak random": frozenset({330}),
    "614/1004 cookie flags": frozenset({614, 1004}),
    "327/328/916 weak hash": frozenset({327, 328, 916}),
    "943 NoSQL injection": frozenset({943}),
    "1321 prototype pollution": frozenset({1321}),
}


SEVERITIES = ("error", "warning", "info", "hint")  # most severe first


class ScanFailed(Exception):
    """genguard could not be run, or its report does not cover the corpus."""


def family_of(cwe: int) -> str:
    for name, members in FAMILIES.items():
        if cwe in members:
            return name
    raise KeyError(f"CWE-{cwe} is in no family")


def _cwe_numbers(finding: dict) -> set[int]:
    out = set()
    for c in finding.get("cwe") or []:
        digits = str(c).upper().removeprefix("CWE-")
        if digits.isdigit():
            out.add(int(digits))
    return out


def genguard_command(override: str | None) -> list[str]:
    """The installed CLI: --genguard, else the one beside this interpreter, else PATH."""
    if override:
        return shlex.split(override)
    beside = Path(sys.executable).parent / "genguard"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("genguard")
    if found:
        return [found]
    return [sys.executable, "-m", "genguard.cli.main"]


def run_scan(
    cmd: list[str], root: Path, expected_files: int, min_severity: str = "hint"
) -> dict[str, list[dict]]:
    """Scan every file under ``root``; return findings at or above ``min_severity``, grouped
    by path relative to ``root``."""
    keep = set(SEVERITIES[: SEVERITIES.index(min_severity) + 1])
    argv = [*cmd, "scan", "--format", "json", "--fail-on", "never", "--no-cache", "."]
    try:
        proc = subprocess.run(argv, cwd=root, capture_output=True, text=True, timeout=1800)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ScanFailed(f"could not run {shlex.join(argv)}: {exc}") from exc
    if proc.returncode not in (0, 1):
        raise ScanFailed(f"genguard scan exited {proc.returncode}: {proc.stderr.strip()[-2000:]}")
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        raise ScanFailed(f"genguard scan did not print JSON: {exc}") from exc
    summary = report.get("summary", {})
    scanned = summary.get("files_scanned", 0)
    skipped = summary.get("files_skipped") or []
    if scanned < expected_files or skipped:
        raise ScanFailed(
            f"genguard scanned {scanned} of {expected_files} files (skipped: {skipped[:5]})"
        )
    by_path: dict[str, list[dict]] = {}
    for f in report.get("findings", []):
        if f.get("severity") not in keep:
            continue
        path = Path(f["path"])
        rel = path.relative_to(root) if path.is_absolute() else path
        by_path.setdefault(rel.as_posix(), []).append(f)
    return by_path


@dataclass
class Outcome:
    """How one corpus file was judged."""

    file: str
    family: str
    vulnerable: bool
    verdict: str  # TP, FN, FP, TN
    line: int
    rules: list[str] = field(default_factory=list)  # rule ids that decided a TP or FP
    near: list[str] = field(default_factory=list)  # for a miss: family findings elsewhere


def judge(name: str, entry: dict, findings: list[dict]) -> Outcome:
    """Decide TP/FN/FP/TN for one file from its manifest entry and its findings."""
    family = family_of(entry["cwe"])
    members = FAMILIES[family]
    relevant = [f for f in findings if _cwe_numbers(f) & members]
    lines = [entry["line"], *entry.get("alt_lines", [])]

    def at(f: dict) -> int:
        return f["range"]["start"]["line"] + 1  # the JSON report is 0-based (LSP style)

    if entry["vulnerable"]:
        hits = [f for f in relevant if any(abs(at(f) - ln) <= TOLERANCE for ln in lines)]
        if hits:
            return Outcome(
                name, family, True, "TP", entry["line"], sorted({f["rule"] for f in hits})
            )
        near = sorted({f"{f['rule']}@{at(f)}" for f in relevant})
        return Outcome(name, family, True, "FN", entry["line"], near=near)
    if relevant:
        rules = sorted({f"{f['rule']}@{at(f)}" for f in relevant})
        return Outcome(name, family, False, "FP", entry["line"], rules)
    return Outcome(name, family, False, "TN", entry["line"])


def tally(outcomes: list[Outcome]) -> dict[str, dict]:
    """Per-family and total counts with recall, false-alarm rate and Youden index."""
    groups: dict[str, list[Outcome]] = {name: [] for name in FAMILIES}
    for o in outcomes:
        groups[o.family].append(o)
    groups["TOTAL"] = list(outcomes)
    table = {}
    for name, group in groups.items():
        if not group:
            continue
        c = {v: sum(o.verdict == v for o in group) for v in ("TP", "FN", "FP", "TN")}
        pos, neg = c["TP"] + c["FN"], c["FP"] + c["TN"]
        recall = c["TP"] / pos if pos else None
        far = c["FP"] / neg if neg else None
        youden = recall - far if recall is not None and far is not None else None
        table[name] = {
            "files": len(group),
            **c,
            "recall": recall,
            "false_alarm": far,
            "youden": youden,
        }
    return table


def score_dir(
    root: Path, manifest: dict[str, dict], findings: dict[str, list[dict]], prefix: str = ""
) -> list[Outcome]:
    return [
        judge(name, entry, findings.get(prefix + name, []))
        for name, entry in sorted(manifest.items())
    ]


def _pct(x: float | None) -> str:
    return "   -" if x is None else f"{100 * x:3.0f}%"


def format_table(table: dict[str, dict]) -> str:
    head = (
        f"{'family':26s} {'files':>5s} {'TP':>4s} {'FN':>4s} {'FP':>4s} {'TN':>4s} "
        f"{'recall':>7s} {'f.alarm':>7s} {'youden':>7s}"
    )
    rows = [head, "-" * len(head)]
    for name, r in table.items():
        if name == "TOTAL":
            rows.append("-" * len(head))
        youden = "    -" if r["youden"] is None else f"{r['youden']:+.2f}"
        rows.append(
            f"{name:26s} {r['files']:5d} {r['TP']:4d} {r['FN']:4d} {r['FP']:4d} "
            f"{r['TN']:4d} {_pct(r['recall']):>7s} {_pct(r['false_alarm']):>7s} "
            f"{youden:>7s}"
        )
    return "\n".join(rows)


def format_errors(outcomes: list[Outcome]) -> str:
    out = []
    misses = [o for o in outcomes if o.verdict == "FN"]
    alarms = [o for o in outcomes if o.verdict == "FP"]
    out.append(f"misses ({len(misses)}):")
    for o in misses:
        extra = f"  (family findings elsewhere: {', '.join(o.near)})" if o.near else ""
        out.append(f"  {o.file}:{o.line}  [{o.family}]{extra}")
    out.append(f"false alarms ({len(alarms)}):")
    for o in alarms:
        out.append(f"  {o.file}:{o.line}  [{o.family}]  {', '.join(o.rules)}")
    return "\n".join(out)


def load_manifest(language: str) -> dict[str, dict]:
    """A language's manifest: file name -> {vulnerable, cwe, line, alt_lines?, description}."""
    return metamorphic.load_manifest(CORPORA[language] / "manifest.json")


def score_corpora(
    cmd: list[str], languages: list[str], min_severity: str = "hint"
) -> dict[str, tuple[list[Outcome], dict[str, dict]]]:
    """Scan every chosen corpus in one run; score each language on its own."""
    manifests = {lang: load_manifest(lang) for lang in languages}
    with tempfile.TemporaryDirectory(prefix="taint-corpus-") as tmp:
        root = Path(tmp)
        for lang, manifest in manifests.items():
            (root / lang).mkdir()
            for name in manifest:
                shutil.copy2(CORPORA[lang] / name, root / lang / name)
        total = sum(len(m) for m in manifests.values())
        findings = run_scan(cmd, root, total, min_severity)
    result = {}
    for lang, manifest in manifests.items():
        outcomes = score_dir(root, manifest, findings, f"{lang}/")
        result[lang] = (outcomes, tally(outcomes))
    return result


def score_corpus(
    cmd: list[str], min_severity: str = "hint"
) -> tuple[list[Outcome], dict[str, dict]]:
    """The Python corpus alone."""
    return score_corpora(cmd, ["python"], min_severity)["python"]


def generate_variants(language: str, out_dir: Path) -> dict[str, dict[str, dict]]:
    """Every metamorphic variant of one language's corpus, written under ``out_dir``."""
    if language == "python":
        return metamorphic.generate(out_dir)
    return metamorphic_ts.generate(out_dir, CORPORA[language])


def score_variants(
    cmd: list[str], languages: list[str], min_severity: str = "hint"
) -> dict[str, dict[str, dict]]:
    """Scan every variant of every chosen corpus in one run; score each language's
    transformations on their own."""
    with tempfile.TemporaryDirectory(prefix="taint-variants-") as tmp:
        root = Path(tmp)
        manifests = {lang: generate_variants(lang, root / lang) for lang in languages}
        for lang, per_transform in manifests.items():
            for tname in per_transform:
                (root / lang / tname / "manifest.json").unlink()
        total = sum(len(m) for per in manifests.values() for m in per.values())
        findings = run_scan(cmd, root, total, min_severity)
    result: dict[str, dict[str, dict]] = {}
    for lang, per_transform in manifests.items():
        original = per_transform["original"]
        base = {o.file: o for o in score_dir(root, original, findings, f"{lang}/original/")}
        result[lang] = {}
        for tname, manifest in per_transform.items():
            outcomes = score_dir(root, manifest, findings, f"{lang}/{tname}/")
            applied = {n for n, e in manifest.items() if e.get("applied")}
            flips = [
                o
                for o in outcomes
                if o.verdict != base[o.file].verdict and (tname == "original" or o.file in applied)
            ]
            result[lang][tname] = {
                "applied": len(applied),
                "table": tally(outcomes),
                "lost": sorted(o.file for o in flips if o.verdict == "FN"),
                "new_alarms": sorted(o.file for o in flips if o.verdict == "FP"),
                "gained": sorted(o.file for o in flips if o.verdict in ("TP", "TN")),
            }
    return result


def format_variants(result: dict[str, dict[str, dict]]) -> str:
    head = (
        f"{'transformation':14s} {'changed':>7s} {'recall':>7s} {'f.alarm':>7s} "
        f"{'youden':>7s} {'lost':>5s} {'new FP':>6s} {'gained':>6s}"
    )
    rows: list[str] = []
    for lang, per_transform in result.items():
        rows += [f"== {lang} variants", head, "-" * len(head)]
        for tname, r in per_transform.items():
            t = r["table"]["TOTAL"]
            youden = "    -" if t["youden"] is None else f"{t['youden']:+7.2f}"
            rows.append(
                f"{tname:14s} {r['applied']:7d} {_pct(t['recall']):>7s} "
                f"{_pct(t['false_alarm']):>7s} {youden:>7s} {len(r['lost']):5d} "
                f"{len(r['new_alarms']):6d} {len(r['gained']):6d}"
            )
        for tname, r in per_transform.items():
            if r["lost"] or r["new_alarms"]:
                rows.append(
                    f"{tname}: lost {', '.join(r['lost']) or '-'}; "
                    f"new FP {', '.join(r['new_alarms']) or '-'}"
                )
        rows.append("")
    rows.append(
        "lost = found in the original, missed in the variant; new FP = quiet in the "
        "original, flagged in the variant (only files the transformation changed)."
    )
    return "\n".join(rows)


def format_languages(results: dict[str, tuple[list[Outcome], dict[str, dict]]]) -> str:
    """One summary row per language: the TOTAL line of its table."""
    head = (
        f"{'language':12s} {'files':>5s} {'TP':>4s} {'FN':>4s} {'FP':>4s} {'TN':>4s} "
        f"{'recall':>7s} {'f.alarm':>7s} {'youden':>7s}"
    )
    rows = [head, "-" * len(head)]
    for lang, (_, table) in results.items():
        r = table["TOTAL"]
        youden = "    -" if r["youden"] is None else f"{r['youden']:+.2f}"
        rows.append(
            f"{lang:12s} {r['files']:5d} {r['TP']:4d} {r['FN']:4d} {r['FP']:4d} {r['TN']:4d} "
            f"{_pct(r['recall']):>7s} {_pct(r['false_alarm']):>7s} {youden:>7s}"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument(
        "--variants",
        action="store_true",
        help="also score the metamorphic variants, per language and transformation",
    )
    ap.add_argument(
        "--lang",
        action="append",
        choices=sorted(CORPORA),
        help="score only this language's corpus (repeatable; default: every corpus)",
    )
    ap.add_argument(
        "--genguard", metavar="CMD", help="the genguard command to run (default: the installed one)"
    )
    ap.add_argument(
        "--min-severity",
        choices=SEVERITIES,
        default="hint",
        help="count only findings at or above this severity (default: every finding)",
    )
    args = ap.parse_args(argv)
    cmd = genguard_command(args.genguard)
    languages = [lang for lang in CORPORA if not args.lang or lang in args.lang]
    try:
        results = score_corpora(cmd, languages, args.min_severity)
        variants = score_variants(cmd, languages, args.min_severity) if args.variants else None
    except ScanFailed as exc:
        print(f"score: {exc}", file=sys.stderr)
        return 2
    if args.json:
        doc: dict = {
            "languages": {
                lang: {
                    "families": table,
                    "misses": [o.__dict__ for o in outcomes if o.verdict == "FN"],
                    "false_alarms": [o.__dict__ for o in outcomes if o.verdict == "FP"],
                }
                for lang, (outcomes, table) in results.items()
            }
        }
        if variants is not None:
            doc["variants"] = variants
        print(json.dumps(doc, indent=1))
        return 0
    for lang, (outcomes, table) in results.items():
        print(f"== {lang} ({CORPORA[lang].name}/, {len(outcomes)} files)")
        print(format_table(table))
        print()
        print(format_errors(outcomes))
        print()
    if len(results) > 1:
        print(format_languages(results))
    if variants is not None:
        print()
        print(format_variants(variants))
    return 0


if __name__ == "__main__":
    sys.exit(main())
