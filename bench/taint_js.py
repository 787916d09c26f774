"""JavaScript taint rules on real packages: findings by severity and time on express 4.

Fetches the packages' published tarballs with npm (``npm pack NAME@VERSION``; kept in
a cache directory between runs), then, for each:

  * ``genguard scan`` of the extracted tree with the default packs, cold (no cache):
    wall time and findings by severity;
  * in-process over the package's ``.js``/``.ts`` files: tree-sitter parsing alone (the
    floor), then the taint analysis alone on the parsed trees, and the ratio of the two.

A framework has few sources of request data of its own (it defines ``req.query``), so
most findings on it are of unknown origin (warnings): the interesting figures are the
time against the parse-only floor and how few errors the models raise on code that is
not an application.

Usage: python bench/taint_js.py [--cache DIR] [--packages express@4 ...]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.table import Table

DEFAULT = ("express@4",)
SUFFIXES = {".js": "javascript", ".cjs": "javascript", ".mjs": "javascript", ".ts": "typescript"}


def fetch(spec: str, cache: Path) -> Path:
    """The extracted tarball of ``spec`` (packed once into ``cache``)."""
    target = cache / spec.replace("/", "_").replace("@", "-")
    if target.is_dir():
        return target
    cache.mkdir(parents=True, exist_ok=True)
    packed = subprocess.run(
        ["npm", "pack", spec, "--silent", "--pack-destination", str(cache)],
        capture_output=True,
        text=True,
        check=True,
        cwd=cache,
    ).stdout.split()[-1]
    with tarfile.open(cache / packed) as tar:
        tar.extractall(target, filter="data")
    return target


def scan(tree: Path) -> tuple[float, dict]:
    cmd = [sys.executable, "-P", "-m", "genguard", "scan", str(tree), "--format", "json"]
    cmd += ["--fail-on", "never", "--no-cache"]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=tree)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise RuntimeError(proc.stderr[-800:])
    return elapsed, json.loads(proc.stdout)


def engine(tree: Path) -> tuple[int, int, float, float, Counter[str], Counter[str]]:
    """(files, lines, parse s, taint s, taint findings by severity, by rule)."""
    from genguard.rules import CompiledRules, load_rules
    from genguard.syntax.languages import new_parser
    from genguard.taint.run import taint_matches

    compiled = CompiledRules(load_rules(packs=["security"]))
    files = [
        (p.read_bytes(), SUFFIXES[p.suffix])
        for p in sorted(tree.rglob("*"))
        if p.suffix in SUFFIXES and p.is_file() and not p.name.endswith(".d.ts")
    ]
    parsers = {lang: new_parser(lang) for lang in set(SUFFIXES.values())}
    start = time.perf_counter()
    trees = [parsers[lang].parse(source) for source, lang in files]
    parsed = time.perf_counter() - start
    severities: Counter[str] = Counter()
    rules: Counter[str] = Counter()
    start = time.perf_counter()
    for (source, lang), parsed_tree in zip(files, trees, strict=True):
        model = compiled.matcher_for(lang).taint
        if model is None:
            continue
        for m in taint_matches(model, lang, source, parsed_tree):
            severities[m.rule.severity] += 1
            rules[m.rule.id] += 1
    taint = time.perf_counter() - start
    lines = sum(source.count(b"\n") for source, _ in files)
    return len(files), lines, parsed, taint, severities, rules


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "genguard-bench-npm"
    )
    parser.add_argument("--packages", nargs="+", default=list(DEFAULT))
    args = parser.parse_args(argv)
    console = Console()
    table = Table(title="genguard JavaScript taint on npm packages", title_justify="left")
    for col in (
        "package",
        "files",
        "lines",
        "scan s",
        "error",
        "warning",
        "info",
        "taint error",
        "taint warning",
        "parse s",
        "taint s",
        "taint/parse",
    ):
        table.add_column(col, justify="left" if col == "package" else "right")
    by_rule: dict[str, Counter[str]] = {}
    for spec in args.packages:
        tree = fetch(spec, args.cache)
        elapsed, report = scan(tree)
        found: Counter[str] = Counter(f["severity"] for f in report.get("findings", []))
        files, lines, parsed, taint, severities, rules = engine(tree)
        by_rule[spec] = rules
        table.add_row(
            spec,
            str(files),
            str(lines),
            f"{elapsed:.2f}",
            str(found["error"]),
            str(found["warning"]),
            str(found["info"]),
            str(severities["error"]),
            str(severities["warning"]),
            f"{parsed:.3f}",
            f"{taint:.3f}",
            f"{taint / parsed:.1f}x" if parsed else "-",
        )
    console.print(table)
    for spec, rules in by_rule.items():
        if rules:
            console.print(
                f"{spec} taint findings by rule: "
                + ", ".join(f"{r} {n}" for r, n in rules.most_common())
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
