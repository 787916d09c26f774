"""Taint rules on real projects: findings by severity and time on Flask 3.0 and Django 5.0.

Downloads the projects' source distributions with pip (``pip download --no-deps
--no-binary :all:``; kept in a cache directory between runs), then, for each:

  * ``genguard scan`` of the extracted tree with the default packs, cold (no cache):
    wall time, findings by severity, and the taint rules' findings by rule;
  * in-process over the project's ``*.py`` files: tree-sitter parsing alone, then
    the taint analysis alone on the parsed trees (the engine's own cost).

A library has few sources of request data of its own (it is the framework), so most
taint findings here are of unknown origin (warnings) and a count of errors is a
count of flows from a source the models know.

Usage: python bench/taint.py [--cache DIR] [--projects flask==3.0.3 django==5.0.6]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from pathlib import Path

from bytecode import compile_genguard
from rich.console import Console
from rich.table import Table

DEFAULT = ("flask==3.0.3", "django==5.0.6")


def fetch(spec: str, cache: Path) -> Path:
    """The extracted source tree of ``spec`` (downloaded once into ``cache``)."""
    name, version = spec.split("==")
    tree = cache / f"{name}-{version}"
    if cache.is_dir():  # an sdist may capitalise its name (Django-5.0.6)
        found = [p for p in cache.iterdir() if p.is_dir() and p.name.lower() == tree.name.lower()]
        if found:
            return found[0]
    cache.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "-q",
            "--no-deps",
            "--no-binary",
            ":all:",
            "-d",
            str(cache),
            spec,
        ],
        check=True,
    )
    archive = next(p for p in cache.glob("*.tar.gz") if p.name.lower().startswith(name.lower()))
    with tarfile.open(archive) as tar:
        tar.extractall(cache, filter="data")
    extracted = next(
        p for p in cache.iterdir() if p.is_dir() and p.name.lower() == tree.name.lower()
    )
    return extracted


def scan(tree: Path) -> tuple[float, dict]:
    cmd = [
        sys.executable,
        "-P",
        "-m",
        "genguard",
        "scan",
        str(tree),
        "--format",
        "json",
        "--fail-on",
        "never",
        "--no-cache",
    ]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=tree)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise RuntimeError(proc.stderr[-800:])
    return elapsed, json.loads(proc.stdout)


def engine(tree: Path) -> tuple[int, int, float, float, Counter[str]]:
    """(files, lines, parse seconds, taint seconds, taint findings by severity)."""
    from genguard.rules import CompiledRules, load_rules
    from genguard.rules.budget import SCAN  # a complete report, as the scan's
    from genguard.syntax.languages import new_parser
    from genguard.taint.run import taint_matches

    model = CompiledRules(load_rules(packs=["security"])).matcher_for("python").taint
    assert model is not None
    parser = new_parser("python")
    assert parser is not None
    sources = [p.read_bytes() for p in sorted(tree.rglob("*.py"))]
    start = time.perf_counter()
    trees = [parser.parse(s) for s in sources]
    parsed = time.perf_counter() - start
    counts: Counter[str] = Counter()
    start = time.perf_counter()
    for source, parsed_tree in zip(sources, trees, strict=True):
        for m in taint_matches(model, "python", source, parsed_tree, budget=SCAN.taint):
            counts[m.rule.severity] += 1
    return (
        len(sources),
        sum(s.count(b"\n") for s in sources),
        parsed,
        time.perf_counter() - start,
        counts,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "genguard-bench-sdists"
    )
    parser.add_argument("--projects", nargs="+", default=list(DEFAULT))
    args = parser.parse_args(argv)
    console = Console()
    console.print(compile_genguard())
    from genguard.rules import load_rules

    taint_ids = {r.id for r in load_rules(packs=["security"]).rules if r.taint is not None}
    table = Table(
        title="genguard on real projects (cold scan, default packs)", title_justify="left"
    )
    for col in (
        "project",
        ".py files",
        "lines",
        "scan s",
        "error",
        "warning",
        "info",
        "taint error",
        "taint warning",
        "parse s",
        "taint s",
    ):
        table.add_column(col, justify="right" if col != "project" else "left")
    by_rule: dict[str, Counter[str]] = {}
    for spec in args.projects:
        tree = fetch(spec, args.cache)
        elapsed, report = scan(tree)
        severities = Counter(f["severity"] for f in report["findings"])
        taint = [f for f in report["findings"] if f["rule"] in taint_ids]
        taint_sev = Counter(f["severity"] for f in taint)
        by_rule[spec] = Counter(f"{f['rule']} ({f['severity']})" for f in taint)
        files, lines, parse_s, taint_s, _ = engine(tree)
        table.add_row(
            spec,
            str(files),
            str(lines),
            f"{elapsed:.2f}",
            str(severities["error"]),
            str(severities["warning"]),
            str(severities["info"]),
            str(taint_sev["error"]),
            str(taint_sev["warning"]),
            f"{parse_s:.2f}",
            f"{taint_s:.2f}",
        )
    console.print(table)
    console.print(f"load average after the run: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    for spec, counts in by_rule.items():
        console.print(
            f"[bold]{spec}[/] taint findings by rule: "
            + (", ".join(f"{k}: {v}" for k, v in counts.most_common()) or "none")
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
