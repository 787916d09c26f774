"""Whole-repository scan speed: ``genguard scan`` against bandit and semgrep, in one run.

The corpus is the top-level ``*.py`` files of the running Python's standard
library (about 130k lines), copied to a temporary directory so every tool sees
the same flat tree. Figures printed (wall-clock and CPU seconds of the run with
the best wall time of ``--repeat``; CPU counts every process a tool starts):

  * genguard cold: an empty cache directory (rules loaded and compiled, every
    file parsed and matched, on all cores);
  * genguard warm: the same scan again (every file answered from the cache);
  * genguard's start-up, best CPU of five runs each: the bare interpreter, importing
    the scan command, and a warm scan of a one-file folder (what every scan pays
    before it checks anything);
  * where a cold scan's checking goes, in this process (CPU seconds): parsing every
    file, all the built-in rules on the parsed trees, and the taint analysis alone,
    with the number of nodes its interpreter evaluated;
  * bandit with all its checks (installed with pip when missing);
  * a floor for reference: parsing every file with tree-sitter and nothing
    else, one process per core (what any tree-sitter scan must at least pay);
  * semgrep, offline (``--metrics=off``, no version check), with
    ``bench/semgrep-rules.yml``: one semgrep rule for every genguard rule that runs
    on a Python file, with the same id: the pattern rules written by hand, the
    taint rules as ``mode: taint`` rules generated from the same sources, sinks and
    sanitizers (``bench/semgrep_taint.py``); semgrep's own defaults otherwise
    (``--timeout 5`` s per rule and file, ``-j`` one per core). The files and rules
    on which semgrep gave up (time-outs, errors) are counted and printed: a
    time-out makes semgrep faster and its report thinner.

The table also shows how many rules each tool ran on these files: genguard's
rules for Python (query, taint and the ``*`` regex rules), bandit's loaded tests,
and the rules in the semgrep file. The load average before and after the run is
printed: the machine is shared, and the wall ratios are only comparable within
one run.

genguard's bytecode is compiled first (``compileall``), as ``pip install`` does
for bandit and semgrep: otherwise, with ``PYTHONDONTWRITEBYTECODE`` set or an
editable install whose sources just changed, each run would also time the
compilation of genguard's own modules.

Targets: cold within 2x of the parse-only floor, warm at least 4x faster than
cold, and cold at least 10x faster than semgrep with the equivalent rules.

Usage: python bench/scan_vs_peers.py [--repeat 1] [--skip-peers]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bytecode import compile_genguard
from rich.console import Console
from rich.table import Table

HERE = Path(__file__).resolve().parent
SEMGREP_RULES = HERE / "semgrep-rules.yml"


def make_corpus(into: Path) -> tuple[int, int]:
    """Copy the stdlib's top-level modules into ``into``; (files, lines)."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    into.mkdir(parents=True)
    files = lines = 0
    for src in sorted(stdlib.glob("*.py")):
        data = src.read_bytes()
        (into / src.name).write_bytes(data)
        files += 1
        lines += data.count(b"\n")
    return files, lines


def ensure_tool(command: str, package: str, console: Console) -> str | None:
    """Path of ``command``, installing ``package`` with pip into this environment if needed."""
    found = shutil.which(command)
    if found:
        return found
    console.print(f"[dim]{command} not found: pip install {package}[/]")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", package],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        console.print(f"[red]could not install {package}:[/] {proc.stderr.strip()[-400:]}")
        return None
    return shutil.which(command) or str(Path(sys.executable).parent / command)


@dataclass(frozen=True)
class Timing:
    """Wall-clock seconds, and CPU seconds of the process and everything it waited for."""

    wall: float
    cpu: float

    @staticmethod
    def best(runs: list[Timing]) -> Timing:
        return min(runs, key=lambda t: t.wall)


def timed(cmd: list[str], *, cwd: Path, env: dict[str, str] | None = None) -> tuple[Timing, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd[:3])} exited {proc.returncode}: {proc.stderr[-800:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(elapsed, cpu), proc.stdout


def genguard_rule_count(corpus: Path) -> int:
    """Rules genguard runs on a Python file of ``corpus`` (its default packs)."""
    from genguard.config import load_settings
    from genguard.rules import CompiledRules
    from genguard.rules.workspace import load_workspace_rules

    ruleset = load_workspace_rules(corpus, load_settings(corpus).settings)
    return len(CompiledRules(ruleset).matcher_for("python").rules)


def bandit_test_count(exe: str) -> int:
    """Tests bandit loads (the plugin list its help text prints)."""
    proc = subprocess.run([exe, "--help"], capture_output=True, text=True, check=False)
    return len(re.findall(r"^\s+B\d{3}\s", proc.stdout, flags=re.MULTILINE))


def semgrep_rule_count() -> tuple[int, int]:
    """Rules in the semgrep file: (pattern rules, taint-mode rules)."""
    import yaml

    rules = yaml.safe_load(SEMGREP_RULES.read_text())["rules"]
    taint = sum(1 for r in rules if r.get("mode") == "taint")
    return len(rules) - taint, taint


# Only parse every file with tree-sitter, in one process per core, with nothing else
# imported: the least any tree-sitter scan of the corpus can cost here.
_PARSE_ONLY = """
import os, sys
from concurrent.futures import ProcessPoolExecutor
import tree_sitter, tree_sitter_python
LANG = tree_sitter.Language(tree_sitter_python.language())
def parse(paths):
    parser = tree_sitter.Parser(LANG)
    for path in paths:
        with open(path, "rb") as f:
            parser.parse(f.read())
    return len(paths)
if __name__ == "__main__":
    files = sorted(os.path.join(sys.argv[1], f) for f in os.listdir(sys.argv[1]))
    n = os.cpu_count() or 1
    with ProcessPoolExecutor(n) as pool:
        print(sum(pool.map(parse, [files[i::n] for i in range(n)])))
"""


def parse_floor(corpus: Path, work: Path, repeat: int) -> tuple[Timing, int]:
    """Wall time of parsing the corpus and nothing else (see ``_PARSE_ONLY``)."""
    script = work / "parse_only.py"
    script.write_text(_PARSE_ONLY)
    runs, parsed = [], 0
    for _ in range(repeat):
        timing, out = timed([sys.executable, "-P", str(script), str(corpus)], cwd=work)
        runs.append(timing)
        parsed = int(out.strip() or 0)
    return Timing.best(runs), parsed


def genguard_runs(corpus: Path, work: Path, repeat: int) -> tuple[Timing, Timing, int, dict]:
    """Best cold and warm wall times, the finding count and the warm run's summary."""
    # -P: run from the corpus without putting it on sys.path, as the installed
    # `genguard` script would; the corpus is made of stdlib modules and would
    # otherwise shadow the real ones genguard imports
    base = [sys.executable, "-P", "-m", "genguard", "scan", str(corpus), "--format", "json"]
    base += ["--fail-on", "never"]
    colds, warms = [], []
    findings, summary = 0, {}
    for i in range(repeat):
        cache = work / f"cache-{i}"
        cold, out = timed([*base, "--cache-dir", str(cache)], cwd=corpus)
        report = json.loads(out)
        findings = len(report["findings"])
        warm, out = timed([*base, "--cache-dir", str(cache)], cwd=corpus)
        summary = json.loads(out)["summary"]
        colds.append(cold)
        warms.append(warm)
    return Timing.best(colds), Timing.best(warms), findings, summary


def startup_figures(work: Path, runs: int = 5) -> tuple[float, float, float]:
    """Best CPU seconds of: the bare interpreter, importing the scan command, and a warm
    ``genguard scan`` of a folder holding one small file (its rules and result cached)."""
    folder = work / "one-file"
    folder.mkdir()
    (folder / "app.py").write_text("import os\n\nprint(os.getcwd())\n")
    scan = [sys.executable, "-P", "-m", "genguard", "scan", str(folder), "--format", "json"]
    scan += ["--fail-on", "never", "--cache-dir", str(work / "cache-one-file")]
    timed(scan, cwd=folder)  # fills the result cache (the rule cache too, if need be)
    commands = (
        [sys.executable, "-P", "-c", "pass"],
        [sys.executable, "-P", "-c", "import genguard.cli.scan"],
        scan,
    )
    return tuple(  # type: ignore[return-value]
        min(timed(cmd, cwd=folder)[0].cpu for _ in range(runs)) for cmd in commands
    )


def engine_breakdown(corpus: Path) -> tuple[float, float, float, int]:
    """CPU seconds, in this process, of parsing every file, running all the built-in
    rules on the parsed trees (the taint analysis among them), and the taint analysis
    alone; and the nodes the taint interpreter evaluated."""
    from genguard.rules import CompiledRules, load_rules
    from genguard.rules.budget import SCAN
    from genguard.syntax.languages import new_parser
    from genguard.taint.run import analyse, taint_matches

    matcher = CompiledRules(load_rules()).matcher_for("python")
    parser = new_parser("python")
    assert matcher is not None and matcher.taint is not None and parser is not None
    model = matcher.taint
    sources = [path.read_bytes() for path in sorted(corpus.glob("*.py"))]
    start = time.process_time()
    trees = [parser.parse(source) for source in sources]
    parsed = time.process_time() - start
    start = time.process_time()
    for source, tree in zip(sources, trees, strict=True):
        matcher.run(source, tree, budget=SCAN)
    rules = time.process_time() - start
    model.summaries.clear()  # summaries the run above kept would be reused
    nodes = 0
    start = time.process_time()
    for source, tree in zip(sources, trees, strict=True):
        analysis = analyse(model, "python", source, tree)
        taint_matches(model, "python", source, tree, analysis=analysis, budget=SCAN.taint)
        nodes += analysis.visits
    return parsed, rules, time.process_time() - start, nodes


def bandit_run(corpus: Path, work: Path, exe: str, repeat: int) -> tuple[Timing, int]:
    runs = []
    findings = 0
    for _ in range(repeat):
        out = work / "bandit.json"
        timing, _ = timed([exe, "-q", "-r", str(corpus), "-f", "json", "-o", str(out)], cwd=work)
        runs.append(timing)
        findings = len(json.loads(out.read_text())["results"])
    return Timing.best(runs), findings


def semgrep_version(exe: str) -> str:
    proc = subprocess.run([exe, "--version"], capture_output=True, text=True, check=False)
    return proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else "?"


def semgrep_run(corpus: Path, work: Path, exe: str, repeat: int) -> tuple[Timing, int, Counter]:
    """Best wall time, the finding count and what semgrep gave up on (error type ->
    count: ``Timeout`` is one rule on one file)."""
    env = {**os.environ, "SEMGREP_SEND_METRICS": "off", "SEMGREP_ENABLE_VERSION_CHECK": "0"}
    cmd = [exe, "scan", "--config", str(SEMGREP_RULES), "--metrics=off"]
    cmd += ["--disable-version-check", "--quiet", "--json", "-j", str(os.cpu_count() or 1)]
    runs = []
    findings = 0
    errors: Counter = Counter()
    for _ in range(repeat):
        timing, out = timed([*cmd, str(corpus)], cwd=work, env=env)
        runs.append(timing)
        report = json.loads(out)
        findings = len(report["results"])
        errors = Counter(str(e.get("type", "error")) for e in report.get("errors", []))
    return Timing.best(runs), findings, errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs per tool; the best counts")
    parser.add_argument("--skip-peers", action="store_true", help="time genguard only")
    args = parser.parse_args()
    console = Console(highlight=False)
    if importlib.util.find_spec("genguard") is None:
        console.print("[red]genguard is not installed: pip install -e .[/]")
        return 2

    notes: list[str] = []
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    with tempfile.TemporaryDirectory(prefix="genguard-bench-") as tmp:
        work = Path(tmp)
        corpus = work / "corpus"
        files, lines = make_corpus(corpus)
        console.print(
            f"corpus: {files} files, {lines:,} lines (stdlib of Python "
            f"{sys.version.split()[0]}), {os.cpu_count()} cores"
        )
        console.print(compile_genguard())
        cold, warm, g_findings, summary = genguard_runs(corpus, work, args.repeat)
        bare, imported, one_file = startup_figures(work)
        parsed_cpu, rules_cpu, taint_cpu, nodes = engine_breakdown(corpus)
        g_rules = genguard_rule_count(corpus)
        rows = [
            ("genguard scan, cold (empty cache)", g_rules, cold, g_findings, None),
            (
                "genguard scan, warm (cached)",
                g_rules,
                warm,
                g_findings,
                ("cold / warm", cold.wall / warm.wall),
            ),
        ]
        floor, parsed = parse_floor(corpus, work, args.repeat)
        rows.append(
            (
                f"floor: tree-sitter parse only ({parsed} files, no rules)",
                0,
                floor,
                0,
                ("cold / floor", cold.wall / floor.wall),
            )
        )
        if not args.skip_peers:
            bandit = ensure_tool("bandit", "bandit", console)
            if bandit:
                t, n = bandit_run(corpus, work, bandit, args.repeat)
                rows.append(
                    (
                        "bandit -r (all checks)",
                        bandit_test_count(bandit),
                        t,
                        n,
                        ("bandit / cold", t.wall / cold.wall),
                    )
                )
            semgrep = ensure_tool("semgrep", "semgrep", console)
            if semgrep:
                t, n, gave_up = semgrep_run(corpus, work, semgrep, args.repeat)
                plain, taint = semgrep_rule_count()
                rows.append(
                    (
                        f"semgrep {semgrep_version(semgrep)}, equivalent rules "
                        f"({plain} pattern + {taint} taint), offline",
                        plain + taint,
                        t,
                        n,
                        ("semgrep / cold", t.wall / cold.wall),
                    )
                )
                notes.append(
                    "semgrep gave up on: "
                    + (", ".join(f"{k} x{v}" for k, v in gave_up.most_common()) or "nothing")
                )

    table = Table(title=f"Scan of {lines:,} lines, best of {args.repeat}", title_justify="left")
    table.add_column("tool")
    table.add_column("rules", justify="right")
    table.add_column("wall", justify="right")
    table.add_column("CPU", justify="right")
    table.add_column("findings", justify="right")
    table.add_column("wall ratio", justify="right")
    for name, rules, timing, findings, ratio in rows:
        shown = f"{ratio[0]} = {ratio[1]:.1f}x" if ratio else ""
        table.add_row(
            name, str(rules), f"{timing.wall:.2f} s", f"{timing.cpu:.2f} s", str(findings), shown
        )
    console.print(table)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    console.print(
        f"load average before / after the run: {load_before:.2f} / {load:.2f} "
        f"on {os.cpu_count()} cores"
    )
    for note in notes:
        console.print(note)
    console.print(
        f"start-up, best CPU of 5: interpreter {bare:.3f} s, importing the scan command "
        f"{imported:.3f} s, a warm scan of one file {one_file:.3f} s"
    )
    console.print(
        f"in one process, CPU: parsing {parsed_cpu:.2f} s; all rules on the trees "
        f"{rules_cpu:.2f} s, of which the taint analysis {taint_cpu:.2f} s "
        f"({taint_cpu / parsed_cpu:.1f}x parsing, {nodes:,} nodes evaluated)"
    )
    console.print(
        f"warm run: {summary.get('cached_files')} of {summary.get('files_scanned')} files "
        f"from the cache, {summary.get('duration_ms')} ms inside the scan"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
