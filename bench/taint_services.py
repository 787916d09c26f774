"""Taint rules on real web code in Go, Java and JavaScript: findings and time against parsing.

Each project comes from its ecosystem's packages, fetched once into a cache directory
and reused by later runs:

  * ``deb:PACKAGE[:SUBDIR]``: a Debian binary package (``apt-get download``, then
    ``dpkg-deb -x``); Go libraries ship their source under ``usr/share/gocode``;
  * ``debsrc:PACKAGE:SUBDIR``: the upstream tarball of a Debian source package (its pool
    path and checksum read from the archive's ``Sources.xz``), only ``SUBDIR`` kept;
  * ``npm:NAME@VERSION``: the package's published tarball (``npm pack``).

For each project, figures of one run (the machine is shared: the load average is printed):

  * ``genguard scan`` of the tree with the default packs, cold (an empty cache) and warm
    (the same scan again): wall and CPU seconds, findings by severity;
  * the floor: parsing every file with tree-sitter and nothing else, one process per
    core (as ``bench/scan_vs_peers.py`` does for Python), and the cold scan's ratio to it;
  * in one process: parsing alone, then the taint analysis alone on the parsed trees.

A project that cannot be fetched (no network, no ``apt-get``/``npm``) is skipped with the
reason; the others still run.

Usage: python bench/taint_services.py [--cache DIR] [--projects SPEC ...]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import lzma
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

from bytecode import compile_genguard
from rich.console import Console
from rich.table import Table
from scan_vs_peers import Timing, timed

DEFAULT = (
    "deb:golang-github-gin-gonic-gin-dev:usr/share/gocode/src/github.com/gin-gonic/gin",
    "debsrc:libspring-java:spring-webmvc/src/main/java",
    "npm:express@4",
)
DEBIAN = "http://deb.debian.org/debian"
SUITE = "bookworm"
SUFFIXES = {
    ".go": "go",
    ".java": "java",
    ".js": "javascript",
    ".cjs": "javascript",
    ".mjs": "javascript",
    ".ts": "typescript",
}


class Unavailable(Exception):
    """A project could not be fetched (offline, a tool missing): its row is skipped."""


def _run(cmd: list[str], cwd: Path) -> str:
    if shutil.which(cmd[0]) is None:
        raise Unavailable(f"{cmd[0]} is not installed")
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        said = (proc.stderr.strip() or proc.stdout.strip())[-300:] or f"exit {proc.returncode}"
        raise Unavailable(f"{' '.join(cmd[:3])} failed: {said}")
    return proc.stdout


def fetch_deb(package: str, subdir: str, cache: Path) -> Path:
    """A Debian binary package's files under ``subdir`` (downloaded and unpacked once)."""
    target = cache / f"deb-{package}"
    if not target.is_dir():
        work = Path(tempfile.mkdtemp(prefix="deb-", dir=cache))
        try:
            _run(["apt-get", "download", package], work)
            debs = list(work.glob("*.deb"))
            if not debs:
                raise Unavailable(f"apt-get download {package} gave no package")
            _run(["dpkg-deb", "-x", str(debs[0]), str(work / "root")], work)
            (work / "root").rename(target)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return target / subdir


def _sources_index(cache: Path) -> bytes:
    index = cache / f"Sources-{SUITE}.xz"
    if not index.is_file():
        url = f"{DEBIAN}/dists/{SUITE}/main/source/Sources.xz"
        try:
            with urllib.request.urlopen(url, timeout=60) as resp:
                index.write_bytes(resp.read())
        except OSError as exc:
            raise Unavailable(f"cannot read the Debian source index: {exc}") from exc
    return lzma.decompress(index.read_bytes())


def _orig_tarball(package: str, cache: Path) -> tuple[str, str, str]:
    """(pool directory, upstream tarball name, its MD5) of a source package."""
    for stanza in _sources_index(cache).split(b"\n\n"):
        if not stanza.startswith(f"Package: {package}\n".encode()):
            continue
        directory, orig, in_files = "", None, False
        for line in stanza.decode("utf-8", "replace").splitlines():
            if line.startswith("Directory: "):
                directory = line.split(": ", 1)[1]
            in_files = line == "Files:" or (in_files and line.startswith(" "))
            if in_files and ".orig.tar." in line:
                md5, _size, name = line.split()
                orig = (name, md5)
        if not directory or orig is None:
            raise Unavailable(f"{package}: no upstream tarball in the source index")
        return directory, *orig
    raise Unavailable(f"{package}: not in Debian {SUITE}")


def fetch_debsrc(package: str, subdir: str, cache: Path) -> Path:
    """``subdir`` of a Debian source package's upstream tarball (fetched once)."""
    target = cache / f"debsrc-{package}"
    if not target.is_dir():
        directory, name, md5 = _orig_tarball(package, cache)
        archive = cache / name
        if not archive.is_file():
            try:
                with urllib.request.urlopen(f"{DEBIAN}/{directory}/{name}", timeout=300) as resp:
                    data = resp.read()
            except OSError as exc:
                raise Unavailable(f"cannot download {name}: {exc}") from exc
            if hashlib.md5(data).hexdigest() != md5:
                raise Unavailable(f"{name}: checksum differs from the source index")
            archive.write_bytes(data)
        work = Path(tempfile.mkdtemp(prefix="src-", dir=cache))
        with tarfile.open(archive) as tar:
            members = [m for m in tar.getmembers() if f"/{subdir}/" in f"/{m.name}/"]
            tar.extractall(work, members=members, filter="data")
        work.rename(target)
    found = [p for p in target.glob(f"*/{subdir}") if p.is_dir()]
    found += [target / subdir] if (target / subdir).is_dir() else []
    if not found:
        raise Unavailable(f"{package}: no {subdir} in its upstream tarball")
    return found[0]


def fetch_npm(spec: str, cache: Path) -> Path:
    """The extracted tarball of an npm package (packed once)."""
    target = cache / ("npm-" + spec.replace("/", "_").replace("@", "-"))
    if not target.is_dir():
        packed = _run(["npm", "pack", spec, "--silent", "--pack-destination", str(cache)], cache)
        with tarfile.open(cache / packed.split()[-1]) as tar:
            tar.extractall(target, filter="data")
    return target


def fetch(spec: str, cache: Path) -> Path:
    kind, _, rest = spec.partition(":")
    cache.mkdir(parents=True, exist_ok=True)
    if kind == "deb":
        package, _, subdir = rest.partition(":")
        return fetch_deb(package, subdir, cache)
    if kind == "debsrc":
        package, _, subdir = rest.partition(":")
        return fetch_debsrc(package, subdir, cache)
    if kind == "npm":
        return fetch_npm(rest, cache)
    raise SystemExit(f"unknown project kind in {spec!r} (deb:, debsrc: or npm:)")


def source_files(tree: Path) -> list[tuple[Path, str]]:
    return [
        (p, SUFFIXES[p.suffix])
        for p in sorted(tree.rglob("*"))
        if p.suffix in SUFFIXES and p.is_file() and not p.name.endswith(".d.ts")
    ]


def scans(tree: Path, work: Path) -> tuple[Timing, Timing, dict]:
    """Cold and warm ``genguard scan`` of ``tree``; the cold run's report."""
    cmd = [sys.executable, "-P", "-m", "genguard", "scan", str(tree), "--format", "json"]
    cmd += ["--fail-on", "never", "--cache-dir", str(work / f"cache-{tree.name}")]
    cold, out = timed(cmd, cwd=tree)
    warm, _ = timed(cmd, cwd=tree)
    return cold, warm, json.loads(out)


# Parse every file with tree-sitter and nothing else, one process per core: the least
# any tree-sitter scan of the files can cost here.
_PARSE_ONLY = """
import importlib, os, sys
from concurrent.futures import ProcessPoolExecutor
import tree_sitter
GRAMMARS = {grammars!r}
def parse(items):
    parsers = {{}}
    for path, lang in items:
        if lang not in parsers:
            module, attr = GRAMMARS[lang]
            grammar = getattr(importlib.import_module(module), attr)()
            parsers[lang] = tree_sitter.Parser(tree_sitter.Language(grammar))
        with open(path, "rb") as f:
            parsers[lang].parse(f.read())
    return len(items)
if __name__ == "__main__":
    items = [line.split("\\t") for line in open(sys.argv[1]).read().splitlines()]
    n = os.cpu_count() or 1
    with ProcessPoolExecutor(n) as pool:
        print(sum(pool.map(parse, [items[i::n] for i in range(n)])))
"""


def parse_floor(files: list[tuple[Path, str]], work: Path) -> Timing:
    from genguard.syntax.languages import _GRAMMARS

    grammars = {lang: _GRAMMARS[lang] for _, lang in files}
    script = work / "parse_only.py"
    script.write_text(_PARSE_ONLY.format(grammars=grammars))
    listing = work / "files.tsv"
    listing.write_text("".join(f"{p}\t{lang}\n" for p, lang in files))
    timing, _ = timed([sys.executable, "-P", str(script), str(listing)], cwd=work)
    return timing


def engine(files: list[tuple[Path, str]]) -> tuple[float, float]:
    """Parse seconds and taint seconds (CPU, in this process)."""
    from genguard.rules import CompiledRules, load_rules
    from genguard.rules.budget import SCAN
    from genguard.syntax.languages import new_parser
    from genguard.taint.run import taint_matches

    compiled = CompiledRules(load_rules(packs=["security"]))
    sources = [(p.read_bytes(), lang) for p, lang in files]
    parsers = {lang: new_parser(lang) for _, lang in files}
    start = time.process_time()
    trees = [parsers[lang].parse(source) for source, lang in sources]
    parsed = time.process_time() - start
    start = time.process_time()
    for (source, lang), tree in zip(sources, trees, strict=True):
        model = compiled.matcher_for(lang).taint
        if model is not None:
            taint_matches(model, lang, source, tree, budget=SCAN.taint)
    return parsed, time.process_time() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "genguard-bench-services"
    )
    parser.add_argument("--projects", nargs="+", default=list(DEFAULT))
    args = parser.parse_args(argv)
    console = Console(highlight=False, width=200)
    console.print(compile_genguard())
    load_before = os.getloadavg()[0]
    table = Table(title="genguard taint on real web code (default packs)", title_justify="left")
    columns = ["project", "files", "lines", "cold wall / CPU", "warm wall / CPU"]
    columns += ["error", "warning", "info", "floor wall / CPU", "cold / floor (wall, CPU)"]
    columns += ["parse CPU", "taint CPU"]
    for col in columns:
        table.add_column(col, justify="left" if col == "project" else "right")
    skipped: list[str] = []
    by_rule: dict[str, Counter[str]] = {}
    with tempfile.TemporaryDirectory(prefix="genguard-bench-") as tmp:
        work = Path(tmp)
        for spec in args.projects:
            try:
                tree = fetch(spec, args.cache)
            except Unavailable as exc:
                skipped.append(f"{spec}: skipped, {exc}")
                continue
            files = source_files(tree)
            if not files:
                skipped.append(f"{spec}: skipped, no Go, Java or JavaScript files in {tree}")
                continue
            cold, warm, report = scans(tree, work)
            found = Counter(f["severity"] for f in report["findings"])
            by_rule[spec] = Counter(f"{f['rule']} ({f['severity']})" for f in report["findings"])
            floor = parse_floor(files, work)
            parse_cpu, taint_cpu = engine(files)
            lines = sum(p.read_bytes().count(b"\n") for p, _ in files)
            table.add_row(
                spec.split(":")[1],
                str(len(files)),
                f"{lines:,}",
                f"{cold.wall:.2f} / {cold.cpu:.2f} s",
                f"{warm.wall:.2f} / {warm.cpu:.2f} s",
                str(found["error"]),
                str(found["warning"]),
                str(found["info"]),
                f"{floor.wall:.2f} / {floor.cpu:.2f} s",
                f"{cold.wall / floor.wall:.1f}x / {cold.cpu / floor.cpu:.1f}x",
                f"{parse_cpu:.2f} s",
                f"{taint_cpu:.2f} s",
            )
    console.print(table)
    console.print(
        f"load average before / after: {load_before:.2f} / {os.getloadavg()[0]:.2f} "
        f"on {os.cpu_count()} cores; target: cold within 2x of the floor"
    )
    for spec, counts in by_rule.items():
        console.print(
            f"{spec.split(':')[1]} findings by rule: "
            + (", ".join(f"{k} {n}" for k, n in counts.most_common()) or "none")
        )
    for line in skipped:
        console.print(f"[yellow]{line}[/]")
    if not by_rule:
        console.print("[red]nothing was measured: every project was skipped[/]")
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
