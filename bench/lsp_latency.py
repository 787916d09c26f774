"""Latency of the editor path, over a real stdio pipe, against peers in the same run.

Figures printed:
  * AI insertion -> diagnostics: from sending the didChange of a 5-line AI block
    containing ``eval(`` into a 10k-line Python file to receiving the
    publishDiagnostics that reports it (p50 / p95 / max), and to the moment the
    confirming check on the incrementally reparsed whole tree has run;
  * cost per keystroke: 440 single-character changes, then a request, divided by 440;
  * server memory (RSS) with that file open;
  * peers on the same file: bandit (whole-file scan, as CI tools do), a full
    tree-sitter parse (what a full-sync server pays per change) and ``ast.parse``.

Usage: python bench/lsp_latency.py [--lines 10000] [--runs 60]
"""

from __future__ import annotations

import argparse
import ast
import asyncio
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
'''


def make_source(lines: int) -> str:
    out = ["import os\nimport json\n"]
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


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


async def measure(source: str, runs: int, workdir: Path) -> dict[str, float]:
    path = workdir / "big.py"
    path.write_text(source)
    uri = path.as_uri()
    client = LanguageClient("genguard-bench", "0")
    waiter: dict[str, object] = {}

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params: types.PublishDiagnosticsParams) -> None:
        want = waiter.get("line")
        fut = waiter.get("future")
        if want is None or fut is None or fut.done():
            return
        for d in params.diagnostics:
            if d.range.start.line == want and d.code != "genguard.unreviewed-ai":
                fut.set_result(time.perf_counter())
                return

    @client.feature(types.WINDOW_LOG_MESSAGE)
    def on_log(params: types.LogMessageParams) -> None:
        pass

    @client.feature(types.WINDOW_SHOW_MESSAGE)
    def on_show(params: types.ShowMessageParams) -> None:
        pass

    await client.start_io(
        sys.executable, "-m", "genguard", "serve", "--cache-dir", str(workdir / "cache")
    )
    pid = client._server.pid  # the server process, for its memory
    await client.initialize_async(
        types.InitializeParams(capabilities=types.ClientCapabilities(), root_uri=workdir.as_uri())
    )
    client.initialized(types.InitializedParams())
    version = 1
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="python", version=1, text=source
            )
        )
    )

    async def barrier() -> None:
        await client.protocol.send_request_async(
            "genguard/fileProvenance", {"textDocument": {"uri": uri}}
        )

    await barrier()
    line_count = source.count("\n")
    loop = asyncio.get_running_loop()

    latencies: list[float] = []
    confirmed: list[float] = []
    for i in range(runs + 5):
        at_line = 40 + (i * 7919) % (line_count - 100)
        # insert at the start of a line between two methods' statements
        block = ai_block(i)
        fut = loop.create_future()
        waiter["line"] = at_line + 2
        waiter["future"] = fut
        version += 1
        change = types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(
                        start=types.Position(line=at_line, character=0),
                        end=types.Position(line=at_line, character=0),
                    ),
                    text=block,
                )
            ],
        )
        t0 = time.perf_counter()
        client.text_document_did_change(change)
        t1 = await asyncio.wait_for(fut, timeout=10)
        await barrier()  # answered after the confirming whole-tree check has run
        t2 = time.perf_counter()
        if i >= 5:  # warm-up
            latencies.append((t1 - t0) * 1000)
            confirmed.append((t2 - t0) * 1000)
        waiter["future"] = None
        # take it out again (an undo), so the file stays 10k lines
        version += 1
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[
                    types.TextDocumentContentChangePartial(
                        range=types.Range(
                            start=types.Position(line=at_line, character=0),
                            end=types.Position(line=at_line + 5, character=0),
                        ),
                        text="",
                    )
                ],
            )
        )
        await barrier()

    # keystrokes: type 440 characters into a human-written method
    await barrier()
    line = 200
    text = "total = sum(values) + offset  # typed by hand " * 10
    text = text[:440]
    t0 = time.perf_counter()
    for k, ch in enumerate(text):
        version += 1
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[
                    types.TextDocumentContentChangePartial(
                        range=types.Range(
                            start=types.Position(line=line, character=k),
                            end=types.Position(line=line, character=k),
                        ),
                        text=ch,
                    )
                ],
            )
        )
    await barrier()
    typing_ms = (time.perf_counter() - t0) * 1000

    # the same request alone, to separate round-trip cost from keystroke cost
    t0 = time.perf_counter()
    for _ in range(20):
        await barrier()
    request_ms = (time.perf_counter() - t0) * 1000 / 20
    memory = rss_kb(pid)

    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return {
        "p50": statistics.median(latencies),
        "p95": pct(latencies, 0.95),
        "max": max(latencies),
        "confirmed_p50": statistics.median(confirmed),
        "confirmed_p95": pct(confirmed, 0.95),
        "keystroke": max(0.0, typing_ms - request_ms) / len(text),
        "typing_total": typing_ms,
        "request": request_ms,
        "rss_mb": memory / 1024,
    }


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
    args = ap.parse_args()
    console = Console()
    source = make_source(args.lines)
    with tempfile.TemporaryDirectory(prefix="genguard-bench-") as tmp:
        workdir = Path(tmp)
        subprocess.run(["git", "init", "-q"], cwd=workdir, check=True)
        figures = asyncio.run(measure(source, args.runs, workdir))
        peer = peers(source, workdir)

    n = source.count("\n")
    title = f"genguard editor path, {n} lines of Python, stdio pipe"
    table = Table(title=title, title_justify="left")
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_column("target", justify="right")
    table.add_row("AI insertion -> diagnostics p50", f"{figures['p50']:.1f} ms", "<= 30 ms")
    table.add_row("AI insertion -> diagnostics p95", f"{figures['p95']:.1f} ms", "<= 80 ms")
    table.add_row("AI insertion -> diagnostics max", f"{figures['max']:.1f} ms", "")
    table.add_row(
        "confirmed on the full tree p50 / p95",
        f"{figures['confirmed_p50']:.1f} / {figures['confirmed_p95']:.1f} ms",
        "",
    )
    table.add_row("cost per keystroke (440 changes)", f"{figures['keystroke']:.2f} ms", "<= 2 ms")
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
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
