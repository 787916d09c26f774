"""Latency of the editor path, over a real stdio pipe, against peers in the same run.

Figures printed:
  * time to the final answer, per insertion context, into a 10k-line Python file:
    from sending the didChange to the last publishDiagnostics for that version
    (p50 / p95), for a new top-level function with ``eval(``, lines with ``eval(``
    inside an existing method body, code-like text inside a docstring (final: no
    finding) and a declared ``verify=False`` completion inside an open
    ``requests.get(`` call (final: its finding);
  * the server's CPU time per edit, from sending it to its final answer (from
    /proc, in clock ticks: a mean over many edits), steadier than wall time on a
    loaded machine;
  * flicker: findings published for an edit's version that its final publish no
    longer holds (shown, then withdrawn), over all edits;
  * cost per keystroke: single-character changes, then a request, divided by their
    number, outside AI chunks and inside one;
  * server memory (RSS) with that file open;
  * peers on the same file: bandit (whole-file scan, as CI tools do), a full
    tree-sitter parse (what a full-sync server pays per change) and ``ast.parse``.

Usage: python bench/lsp_latency.py [--lines 10000] [--runs 60] [--only CONTEXT]
                                  [--profile out.prof]

``--profile`` runs the server under cProfile (writing its stats when it exits), and
``--only`` measures one insertion context, so a profile shows where that one's time
goes; the figures of a profiled run are slower than a plain one.
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import tree_sitter_python
from lsprotocol import types
from pygls.lsp.client import LanguageClient
from rich.console import Console
from rich.table import Table
from tree_sitter import Language, Parser

TEMPLATE = '''

class Service{n}:
    """Service number {n}."""

    def __init__(self, name, retries=3):
        self.name = name
        self.retries = retries
        self.items = []

    def add(self, item):
        if item is None:
            raise ValueError("item is required")
        self.items.append(item)
        return len(self.items)

    def total(self):
        return sum(i.get("amount", 0) for i in self.items if isinstance(i, dict))

    def fetch(self, url):
        resp = requests.get(url,
                            timeout=self.retries)
        return resp.json()
'''


def make_source(lines: int) -> str:
    out = ["import os\nimport json\nimport requests\n"]
    n = 0
    while sum(s.count("\n") for s in out) < lines:
        out.append(TEMPLATE.format(n=n))
        n += 1
    return "".join(out)


def ai_block(i: int) -> str:
    return (
        f"def evaluate_{i}(expr):\n"
        f"    context = {{'limit': {i}}}\n"
        "    value = eval(expr, context)\n"
        f"    print('evaluated', value, {i})\n"
        "    return value\n"
    )


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def cpu_ms(pid: int) -> float:
    """CPU time (user + system) the process has used so far: steadier than wall time
    on a loaded machine."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


UNREVIEWED = "genguard.unreviewed-ai"
CONTEXTS = ("new top-level function", "lines in a method body", "docstring", "completion in a call")
DOCSTRING_TEXT = (
    "\n    Example: eval(user_input) and os.system(cmd),\n"
    "    or subprocess.call(cmd, shell=True).\n    "
)
COMPLETION = "verify=False,\n                            "


def body_lines(i: int) -> str:
    """Two new lines for a method body. None may repeat a line of :func:`ai_block`:
    that block was inserted and taken out again just before, so a repeated line is
    a move of its AI line, and the line pasted beside a moved one is judged as glue
    (a person's) and left unchecked under scope ``ai``."""
    return f"        value = eval(item, {{'limit': {i}}})\n        self.log('added', value, {i})\n"


def end_of(line: int, char: int, text: str) -> tuple[int, int]:
    """Where ``text`` inserted at (line, char) ends (ASCII text: UTF-16 = characters)."""
    parts = text.split("\n")
    if len(parts) == 1:
        return line, char + len(text)
    return line + len(parts) - 1, len(parts[-1])


class Editor:
    """One document open in the server, changed as an editor changes it."""

    def __init__(self, client: LanguageClient, uri: str) -> None:
        self.client, self.uri, self.version = client, uri, 1

    @classmethod
    async def open(
        cls,
        client: LanguageClient,
        workdir: Path,
        uri: str,
        source: str,
        prefix: tuple[str, ...] = (),
    ) -> Editor:
        """Start the server (after ``prefix``: python's own options, e.g. cProfile's),
        initialise it for ``workdir`` and open ``source`` as ``uri``."""
        await client.start_io(
            sys.executable,
            *prefix,
            "-m",
            "genguard",
            "serve",
            "--cache-dir",
            str(workdir / "cache"),
        )
        await client.initialize_async(
            types.InitializeParams(
                capabilities=types.ClientCapabilities(), root_uri=workdir.as_uri()
            )
        )
        client.initialized(types.InitializedParams())
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id="python", version=1, text=source
                )
            )
        )
        return cls(client, uri)

    async def barrier(self) -> None:
        """A request: answered once every edit before it is checked and published."""
        await self.client.protocol.send_request_async(
            "genguard/fileProvenance", {"textDocument": {"uri": self.uri}}
        )

    def change(self, start: tuple[int, int], end: tuple[int, int], text: str) -> int:
        """Replace ``start``-``end`` (line, UTF-16 column) by ``text``: the new version."""
        self.version += 1
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=self.uri, version=self.version
                ),
                content_changes=[
                    types.TextDocumentContentChangePartial(
                        range=types.Range(
                            start=types.Position(line=start[0], character=start[1]),
                            end=types.Position(line=end[0], character=end[1]),
                        ),
                        text=text,
                    )
                ],
            )
        )
        return self.version


async def measure(
    source: str,
    runs: int,
    workdir: Path,
    contexts: tuple[str, ...] = CONTEXTS,
    profile: Path | None = None,
) -> dict[str, float]:
    path = workdir / "big.py"
    path.write_text(source)
    uri = path.as_uri()
    client = LanguageClient("genguard-bench", "0")
    # every publish for the file: (time received, version, findings as (rule, line))
    published: list[tuple[float, int | None, frozenset[tuple[str, int]]]] = []

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params: types.PublishDiagnosticsParams) -> None:
        if params.uri == uri:
            keys = frozenset(
                (str(d.code), d.range.start.line)
                for d in params.diagnostics
                if d.code != UNREVIEWED
            )
            published.append((time.perf_counter(), params.version, keys))

    @client.feature(types.WINDOW_LOG_MESSAGE)
    def on_log(params: types.LogMessageParams) -> None:
        pass

    @client.feature(types.WINDOW_SHOW_MESSAGE)
    def on_show(params: types.ShowMessageParams) -> None:
        pass

    prefix = ("-m", "cProfile", "-o", str(profile)) if profile else ()
    doc = await Editor.open(client, workdir, uri, source, prefix)
    pid = client._server.pid  # the server process, for its memory
    barrier, change = doc.barrier, doc.change

    def declare(start: tuple[int, int], end: tuple[int, int]) -> None:
        client.protocol.notify(
            "genguard/aiEdit",
            {
                "textDocument": {"uri": uri, "version": doc.version},
                "range": {
                    "start": {"line": start[0], "character": start[1]},
                    "end": {"line": end[0], "character": end[1]},
                },
                "tool": "copilot",
            },
        )

    await barrier()
    lines = source.splitlines()
    line_count = len(lines)
    docstrings = [n for n, t in enumerate(lines) if t.startswith('    """Service number')]
    appends = [n for n, t in enumerate(lines) if t.strip() == "self.items.append(item)"]
    calls = [n for n, t in enumerate(lines) if t.strip() == "timeout=self.retries)"]

    final_ms: dict[str, list[float]] = {c: [] for c in contexts}
    cpu: dict[str, float] = {c: 0.0 for c in contexts}  # server CPU, timed edits
    flicker = 0  # findings published for an edit, then withdrawn by a later publish of it
    wrong = 0  # final answers that miss the expected finding or show one that is not there
    for i in range(runs + 5):
        for context in contexts:
            if context == "new top-level function":
                n = 40 + (i * 7919) % (line_count - 100)
                while lines[n - 1].endswith(","):  # not between the lines of an open call
                    n += 1
                at, text = (n, 0), ai_block(i)
                expect = ("py-eval-exec", at[0] + 2)
            elif context == "lines in a method body":
                at, text = (appends[(i * 31) % len(appends)], 0), body_lines(i)
                expect = ("py-eval-exec", at[0])
            elif context == "docstring":
                n = docstrings[(i * 37) % len(docstrings)]
                at, text = (n, len(lines[n]) - 3), DOCSTRING_TEXT
                expect = None
            else:
                at, text = (calls[(i * 41) % len(calls)], 28), COMPLETION
                expect = ("py-requests-verify-false", at[0])
            end = end_of(*at, text)
            seen = len(published)
            c0 = cpu_ms(pid)
            t0 = time.perf_counter()
            v = change(at, at, text)
            if expect and expect[0] == "py-requests-verify-false":
                declare(at, (at[0], at[1] + len("verify=False,")))
            await barrier()
            mine = [(t, keys) for t, pv, keys in published[seen:] if pv == v]
            final = mine[-1][1] if mine else frozenset()
            flicker += len(frozenset().union(*(k for _, k in mine)) - final)
            inserted = {(rule, ln) for rule, ln in final if at[0] <= ln <= end[0]}
            if (expect is None and inserted) or (expect is not None and expect not in final):
                wrong += 1
                want = f"{expect[0]} on line {expect[1] + 1}" if expect else "no finding"
                got = sorted(inserted) if expect is None else sorted(final)
                print(f"final answer wrong ({context}): want {want}, got {got}", file=sys.stderr)
            if i >= 5 and mine:  # warm-up
                final_ms[context].append((mine[-1][0] - t0) * 1000)
                cpu[context] += cpu_ms(pid) - c0
            change(at, end, "")  # take it out again (an undo), so the file stays the same
            await barrier()

    async def typing(line: int, column: int, text: str) -> float:
        await barrier()
        t0 = time.perf_counter()
        for k, ch in enumerate(text):
            change((line, column + k), (line, column + k), ch)
        await barrier()
        return (time.perf_counter() - t0) * 1000

    # keystrokes: 440 characters into a human-written method, then 320 inside an AI chunk
    text = ("total = sum(values) + offset  # typed by hand " * 10)[:440]
    typing_ms = await typing(200, 0, text)
    change((300, 0), (300, 0), ai_block(0))
    inside_text = ("  # typed by hand inside the generated block" * 10)[:320]
    inside_ms = await typing(302, len("    value = eval(expr, context)"), inside_text)

    # the same request alone, to separate round-trip cost from keystroke cost
    t0 = time.perf_counter()
    for _ in range(20):
        await barrier()
    request_ms = (time.perf_counter() - t0) * 1000 / 20
    memory = rss_kb(pid)

    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    figures: dict[str, float] = {
        "flicker": flicker,
        "wrong": wrong,
        "edits": (runs + 5) * len(contexts),
        "keystroke": max(0.0, typing_ms - request_ms) / len(text),
        "keystroke_inside": max(0.0, inside_ms - request_ms) / len(inside_text),
        "request": request_ms,
        "rss_mb": memory / 1024,
    }
    for context, values in final_ms.items():
        figures[f"{context} cpu"] = cpu[context] / max(1, len(values))
        figures[f"{context} p50"] = statistics.median(values)
        figures[f"{context} p95"] = pct(values, 0.95)
    figures["p50"] = figures[f"{contexts[0]} p50"]
    return figures


REAL_CONTEXTS = ("new top-level function", "lines in a method body")
REAL_FILES = (
    ("stdlib", "_pydecimal.py"),
    ("django==5.0.6", "django/db/models/query.py"),
    ("django==5.0.6", "tests/admin_views/tests.py"),
)
"""Files nobody here wrote, in which the same insertions are timed: a module of many
methods calling one another, and a test module of some 650 calls that name sinks."""


def real_files(cache: Path) -> list[Path]:
    """The files of :data:`REAL_FILES` (the sdists fetched once with pip, as
    bench/taint.py does) that can be timed; each one left out is named, with why
    (offline, or a file that is not Python with a place for each insertion), and the
    other figures are still printed."""
    from taint import fetch  # bench/taint.py

    out = []
    for spec, rel in REAL_FILES:
        try:
            path = Path(ast.__file__).parent / rel if spec == "stdlib" else fetch(spec, cache) / rel
            spots = real_spots(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, SyntaxError, subprocess.CalledProcessError) as exc:
            print(f"skipped {rel}: {exc}", file=sys.stderr)
            continue
        if not all(spots.values()):
            print(f"skipped {rel}: no place for one of {REAL_CONTEXTS}", file=sys.stderr)
            continue
        out.append(path)
    return out


def real_spots(source: str) -> dict[str, list[tuple[int, int]]]:
    """Where each insertion of :data:`REAL_CONTEXTS` goes in ``source``: before a
    top-level statement, and before a statement (after the first) of a function body,
    at its indentation."""
    tree = ast.parse(source)
    lines = source.splitlines()
    top = [(n.lineno - 1 - len(getattr(n, "decorator_list", ())), 0) for n in tree.body[1:]]
    body = [
        (st.lineno - 1, st.col_offset)
        for fn in ast.walk(tree)
        if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef)
        for st in fn.body[1:]
        if not lines[st.lineno - 1][: st.col_offset].strip()
    ]
    return {REAL_CONTEXTS[0]: top, REAL_CONTEXTS[1]: body}


async def measure_real(path: Path, runs: int, workdir: Path) -> dict[str, float]:
    """Time to the final answer for :data:`REAL_CONTEXTS` in a copy of ``path``."""
    source = path.read_text(encoding="utf-8")
    copy = workdir / f"real_{path.name}"
    copy.write_text(source, encoding="utf-8")
    uri = copy.as_uri()
    client = LanguageClient("genguard-bench", "0")
    published: list[tuple[float, int | None, frozenset[tuple[str, int]]]] = []

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params: types.PublishDiagnosticsParams) -> None:
        if params.uri == uri:
            keys = frozenset((str(d.code), d.range.start.line) for d in params.diagnostics)
            published.append((time.perf_counter(), params.version, keys))

    for method in (types.WINDOW_LOG_MESSAGE, types.WINDOW_SHOW_MESSAGE):
        client.feature(method)(lambda params: None)
    doc = await Editor.open(client, workdir, uri, source)
    barrier, change = doc.barrier, doc.change
    await barrier()
    spots = real_spots(source)
    pick = random.Random(7)
    final_ms: dict[str, list[float]] = {c: [] for c in REAL_CONTEXTS}
    wrong = 0
    for i in range(runs + 5):
        for context in REAL_CONTEXTS:
            line, column = pick.choice(spots[context])
            if context == REAL_CONTEXTS[0]:
                text, at = ai_block(i) + "\n\n", (line, 0)
            else:  # body_lines at the statement's indentation, then the statement's
                text = body_lines(i).replace(" " * 8, " " * column)[column:] + " " * column
                at = (line, column)
            expect = at[0] + (2 if context == REAL_CONTEXTS[0] else 0)
            end = end_of(*at, text)
            seen = len(published)
            t0 = time.perf_counter()
            v = change(at, at, text)
            await barrier()
            mine = [(t, keys) for t, pv, keys in published[seen:] if pv == v]
            if not mine or ("py-eval-exec", expect) not in mine[-1][1]:
                wrong += 1
            elif i >= 5:
                final_ms[context].append((mine[-1][0] - t0) * 1000)
            change(at, end, "")
            await barrier()
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    out: dict[str, float] = {"lines": source.count("\n"), "wrong": wrong}
    for context, values in final_ms.items():
        out[f"{context} p50"] = statistics.median(values) if values else float("nan")
        out[f"{context} p95"] = pct(values, 0.95) if values else float("nan")
    return out


def peers(source: str, workdir: Path) -> dict[str, float]:
    data = source.encode()
    parser = Parser(Language(tree_sitter_python.language()))
    t0 = time.perf_counter()
    for _ in range(5):
        parser.parse(data)
    full_parse = (time.perf_counter() - t0) * 1000 / 5
    t0 = time.perf_counter()
    ast.parse(source)
    ast_ms = (time.perf_counter() - t0) * 1000
    out = {"ts_full_parse": full_parse, "ast_parse": ast_ms}
    bandit = shutil.which("bandit")
    if bandit:
        path = workdir / "big_bandit.py"
        path.write_text(source + ai_block(0))
        t0 = time.perf_counter()
        subprocess.run([bandit, "-q", str(path)], capture_output=True)
        out["bandit"] = (time.perf_counter() - t0) * 1000
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=60)
    ap.add_argument("--only", choices=CONTEXTS, help="measure this insertion context alone")
    ap.add_argument("--profile", type=Path, help="run the server under cProfile, stats here")
    ap.add_argument(
        "--no-real", action="store_true", help="skip the files nobody here wrote (offline)"
    )
    ap.add_argument(
        "--cache",
        type=Path,
        default=Path(tempfile.gettempdir()) / "genguard-bench-sdists",
        help="where the sdists of the real files are kept",
    )
    args = ap.parse_args()
    contexts = (args.only,) if args.only else CONTEXTS
    profile = args.profile.resolve() if args.profile else None
    console = Console()
    source = make_source(args.lines)
    with tempfile.TemporaryDirectory(prefix="genguard-bench-") as tmp:
        workdir = Path(tmp)
        subprocess.run(["git", "init", "-q"], cwd=workdir, check=True)
        load_before = os.getloadavg()[0]
        figures = asyncio.run(measure(source, args.runs, workdir, contexts, profile))
        load_after = os.getloadavg()[0]
        peer = peers(source, workdir)
        real = []
        if not args.no_real and not args.only and not profile:
            for path in real_files(args.cache):
                real.append((path, asyncio.run(measure_real(path, args.runs // 2, workdir))))

    n = source.count("\n")
    title = (
        f"genguard editor path, {n} lines of Python, stdio pipe"
        f" (load average {load_before:.2f} before, {load_after:.2f} after)"
    )
    if profile:
        title += f", under cProfile ({profile})"
    table = Table(title=title, title_justify="left")
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_column("target", justify="right")
    for context in contexts:
        table.add_row(
            f"time to final: {context}, p50 / p95 (server CPU per edit)",
            f"{figures[f'{context} p50']:.1f} / {figures[f'{context} p95']:.1f} ms"
            f" ({figures[f'{context} cpu']:.1f} ms)",
            "<= 10 / <= 25 ms",
        )
    table.add_row("findings shown then withdrawn", f"{figures['flicker']:.0f}", "0")
    table.add_row("final answers wrong", f"{figures['wrong']:.0f} of {figures['edits']:.0f}", "0")
    table.add_row(
        "cost per keystroke outside / inside an AI chunk",
        f"{figures['keystroke']:.2f} / {figures['keystroke_inside']:.2f} ms",
        "<= 1 ms",
    )
    table.add_row("request round trip", f"{figures['request']:.2f} ms", "")
    table.add_row("server RSS with the file open", f"{figures['rss_mb']:.0f} MB", "")
    console.print(table)

    ptable = Table(title="peers, same file, same run", title_justify="left")
    ptable.add_column("peer")
    ptable.add_column("time", justify="right")
    ptable.add_column("vs genguard p50", justify="right")
    for name, key in (
        ("bandit, whole-file scan", "bandit"),
        ("tree-sitter full parse (full-sync server, per change)", "ts_full_parse"),
        ("ast.parse", "ast_parse"),
    ):
        if key in peer:
            ptable.add_row(name, f"{peer[key]:.1f} ms", f"{peer[key] / figures['p50']:.1f}x")
    console.print(ptable)

    if real:
        rtable = Table(
            title="the same insertions in files nobody here wrote (p50 / p95 to the final answer)",
            title_justify="left",
        )
        rtable.add_column("file")
        for context in REAL_CONTEXTS:
            rtable.add_column(context, justify="right")
        rtable.add_column("final answers wrong", justify="right")
        for path, got in real:
            rtable.add_row(
                f"{path.name} ({got['lines']:.0f} lines)",
                *(f"{got[f'{c} p50']:.1f} / {got[f'{c} p95']:.1f} ms" for c in REAL_CONTEXTS),
                f"{got['wrong']:.0f}",
            )
        console.print(rtable)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
