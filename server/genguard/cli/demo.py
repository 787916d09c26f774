"""``genguard demo``: a scripted editor session against the real server.

It makes a throwaway git repository, starts ``genguard serve`` over stdio, and
plays what an editor would send: a human typing, an AI block pasted in, a
declared inline completion, a review. It prints what the editor would show and
what the ledger holds, so a new user sees the whole loop in one command.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.client import LanguageClient
from rich.console import Console
from rich.panel import Panel
from rich.syntax import Syntax
from rich.table import Table

from genguard import __version__
from genguard.cli.output import SafeConsole
from genguard.ledger import Ledger, verify

HUMAN_START = "import os\n\n\ndef workdir():\n    return os.getcwd()\n"
TYPED = "\n\ndef greet(name):\n    return f'hello {name}'\n"
# the fake key is built at run time so no key-shaped literal sits in the source
AI_BLOCK = (
    "\n\ndef backup(user_path):\n"
    "    import subprocess\n"
    "    aws_key = '" + "AKIA" + "Q3EGRJ7XVNPT2M5W" + "'\n"
    "    cmd = 'tar czf /tmp/backup.tgz ' + user_path\n"
    "    subprocess.call(cmd, shell=True)\n"
    "    return aws_key\n"
)
COMPLETION = "\n\ndef load(blob):\n    import yaml\n    return yaml.load(blob)\n"

SEVERITY_STYLE = {1: "bold red", 2: "yellow", 3: "cyan", 4: "dim"}
SEVERITY_NAME = {1: "error", 2: "warning", 3: "info", 4: "hint"}


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="play an editor session against the real server")
    p.add_argument("--keep", action="store_true", help="keep the throwaway repository")
    p.set_defaults(run=run)


class DemoEditor:
    """Keeps the text in sync with the server, like an editor does."""

    def __init__(self, client: LanguageClient, path: Path) -> None:
        self.client = client
        self.uri = path.as_uri()
        self.text = ""
        self.version = 0
        self.diagnostics: list[types.Diagnostic] = []

    def _pos(self, index: int) -> types.Position:
        before = self.text[:index]
        line = before.count("\n")
        col = before[before.rfind("\n") + 1 :]
        return types.Position(line=line, character=len(col.encode("utf-16-le")) // 2)

    def open(self, text: str) -> None:
        self.text = text
        self.version = 1
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=self.uri, language_id="python", version=1, text=text
                )
            )
        )

    def insert(self, index: int, new: str) -> None:
        rng = types.Range(start=self._pos(index), end=self._pos(index))
        self.text = self.text[:index] + new + self.text[index:]
        self.version += 1
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=self.uri, version=self.version
                ),
                content_changes=[types.TextDocumentContentChangePartial(range=rng, text=new)],
            )
        )

    def range_of(self, needle: str) -> dict[str, Any]:
        i = self.text.index(needle.strip("\n"))
        s, e = self._pos(i), self._pos(i + len(needle.strip("\n")))
        return {
            "start": {"line": s.line, "character": s.character},
            "end": {"line": e.line, "character": e.character},
        }

    async def provenance(self) -> dict[str, Any]:
        result = await self.client.protocol.send_request_async(
            "genguard/fileProvenance", {"textDocument": {"uri": self.uri}}
        )
        return _plain(result)


def _plain(obj: Any) -> Any:
    if hasattr(obj, "_asdict"):
        return {k: _plain(v) for k, v in obj._asdict().items()}
    if isinstance(obj, list | tuple):
        return [_plain(v) for v in obj]
    return obj


def _git(cwd: Path, *args: str) -> None:
    """git in the demo's scratch repository, never one an enclosing hook names."""
    from genguard.gitio.run import run_git

    run_git(cwd, *args, hook_env=False)


def _short(value: object) -> str:
    text = str(value)
    if text.startswith("sha256:"):
        return text[:15] + "…"
    return text


def _summary(data: dict[str, Any]) -> str:
    """One line per ledger record: where, who, and which hashes stand in for code."""
    parts = []
    if "file" in data:
        lines = data.get("lines")
        where = f"{data['file']}:{lines[0]}-{lines[1]}" if lines else data["file"]
        parts.append(where)
    if "chunk" in data:
        parts.append(f"chunk {data['chunk']}")
    for key in ("tool", "model", "method", "kind", "rule", "reason", "reviewer", "severity"):
        if data.get(key):
            parts.append(f"{key}={data[key]}")
    if data.get("cwe"):
        parts.append("/".join(data["cwe"]))
    for key in ("content_hash", "match_hash", "prompt_hash"):
        if data.get(key):
            parts.append(f"{key}={_short(data[key])}")
    if data.get("line_hashes"):
        parts.append(f"{len(data['line_hashes'])} line hashes")
    return ", ".join(parts)


def _show_diagnostics(console: Console, editor: DemoEditor, title: str) -> None:
    table = Table(title=title, title_justify="left", expand=True)
    table.add_column("line", justify="right", style="bold")
    table.add_column("severity")
    table.add_column("code")
    table.add_column("message", ratio=1)
    for d in sorted(editor.diagnostics, key=lambda d: (d.range.start.line, str(d.code))):
        sev = int(d.severity or 2)
        table.add_row(
            str(d.range.start.line + 1),
            f"[{SEVERITY_STYLE[sev]}]{SEVERITY_NAME[sev]}[/]",
            str(d.code),
            d.message,
        )
    if not editor.diagnostics:
        table.add_row("", "", "", "[dim](no diagnostics)[/]")
    console.print(table)


def _show_chunks(console: Console, prov: dict[str, Any], title: str) -> None:
    table = Table(title=title, title_justify="left", expand=True)
    for col in ("chunk", "lines", "tool", "model", "method", "kind", "status", "findings"):
        table.add_column(col)
    for c in prov["chunks"]:
        r = c["range"]
        table.add_row(
            c["id"],
            f"{r['start']['line'] + 1}-{r['end']['line'] + (1 if r['end']['character'] else 0)}",
            c["tool"],
            c["model"] or "-",
            c["method"],
            c["kind"],
            c["status"] + (f" by {c['reviewer']}" if c["reviewer"] else ""),
            ", ".join(c["findings"]) or "-",
        )
    if not prov["chunks"]:
        table.add_row("[dim](no AI chunks)[/]", "", "", "", "", "", "", "")
    console.print(table)
    console.print(f"AI share of the file: [bold]{prov['aiShare']:.0%}[/] of its lines\n")


async def _session(console: Console, repo: Path) -> int:
    client = LanguageClient("genguard-demo", __version__)
    diagnostics_seen = asyncio.Event()
    editor = DemoEditor(client, repo / "app.py")

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def _diagnostics(params: types.PublishDiagnosticsParams) -> None:
        if params.uri == editor.uri:
            editor.diagnostics = list(params.diagnostics)
            diagnostics_seen.set()

    @client.feature(types.WINDOW_SHOW_MESSAGE)
    def _message(params: types.ShowMessageParams) -> None:
        console.print(f"[yellow]server says:[/] {params.message}")

    @client.feature(types.WINDOW_LOG_MESSAGE)
    def _log(params: types.LogMessageParams) -> None:
        pass  # an editor keeps these in its output panel

    cache = repo.parent / "cache"
    await client.start_io(sys.executable, "-m", "genguard", "serve", "--cache-dir", str(cache))
    await client.initialize_async(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(), root_uri=repo.as_uri(), process_id=None
        )
    )
    client.initialized(types.InitializedParams())

    console.rule("[bold]1. A developer opens app.py and types a function")
    editor.open(HUMAN_START)
    at = len(editor.text)
    for i, ch in enumerate(TYPED):
        editor.insert(at + i, ch)
    prov = await editor.provenance()
    console.print(Syntax(editor.text, "python", line_numbers=True))
    _show_chunks(console, prov, f"Provenance after {len(TYPED)} keystrokes")

    console.rule("[bold]2. An AI block lands in one edit (a chat insert, no declaration)")
    editor.insert(len(editor.text), AI_BLOCK)
    prov = await editor.provenance()
    console.print(Syntax(editor.text, "python", line_numbers=True))
    _show_diagnostics(console, editor, "What the editor shows (publishDiagnostics)")
    _show_chunks(console, prov, "Inferred attribution (method: heuristic)")

    console.rule("[bold]3. The editor declares an accepted inline completion")
    editor.insert(len(editor.text), COMPLETION)
    client.protocol.notify(
        "genguard/aiEdit",
        {
            "textDocument": {"uri": editor.uri, "version": editor.version},
            "range": editor.range_of(COMPLETION),
            "tool": "copilot",
            "model": "gpt-4.1",
            "kind": "inline-completion",
            "promptHash": "sha256:" + "5e" * 32,
        },
    )
    prov = await editor.provenance()
    _show_diagnostics(console, editor, "Diagnostics")
    _show_chunks(console, prov, "Attribution with the declared completion")

    console.rule("[bold]4. Code actions and a review")
    backup = next(c for c in prov["chunks"] if c["tool"] == "unknown")
    r = backup["range"]
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=editor.uri),
            range=types.Range(start=types.Position(**r["start"]), end=types.Position(**r["start"])),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    for action in actions or []:
        console.print(f"  [green]action[/] {action.title}")
    load = next(c for c in prov["chunks"] if c["tool"] == "copilot")
    fixes = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=editor.uri),
            range=types.Range(
                start=types.Position(line=load["range"]["end"]["line"] - 1, character=4),
                end=types.Position(line=load["range"]["end"]["line"] - 1, character=30),
            ),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    for action in fixes or []:
        console.print(f"  [green]action[/] {action.title}")
    await client.workspace_execute_command_async(
        types.ExecuteCommandParams(
            command="genguard.markReviewed", arguments=[editor.uri, load["id"]]
        )
    )
    await client.workspace_execute_command_async(
        types.ExecuteCommandParams(
            command="genguard.suppress",
            arguments=[
                editor.uri,
                backup["id"],
                "py-subprocess-shell",
                "demo: path is validated upstream",
            ],
        )
    )
    prov = await editor.provenance()
    _show_chunks(console, prov, "After review")

    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()

    console.rule("[bold]5. The ledger: hashes only, chained")
    ledger = Ledger.for_workspace(repo)
    table = Table(expand=True)
    for col in ("seq", "event", "actor", "what was recorded"):
        table.add_column(col, overflow="fold")
    for rec in ledger.records():
        table.add_row(str(rec["seq"]), rec["event"], rec["actor"], _summary(rec["data"]))
    console.print(table)
    raw = ledger.path.read_text()
    leaked = "tar czf" in raw or "AKIA" in raw
    result = verify(ledger.path)
    console.print(
        Panel(
            f"ledger: {ledger.path}\n"
            f"records: {result.count}   head: {result.head}\n"
            f"chain: {'[green]holds[/]' if result.ok else f'[red]BROKEN: {result.reason}[/]'}"
            f"   code or secrets in the ledger: {'[red]yes[/]' if leaked else '[green]none[/]'}",
            title="genguard verify",
        )
    )
    return 0 if result.ok and not leaked else 1


def run(args: argparse.Namespace) -> int:
    console = SafeConsole()
    console.print(Panel.fit(f"genguard {__version__}: a guard at the point where AI code is born"))
    tmp = tempfile.TemporaryDirectory(prefix="genguard-demo-")
    repo = Path(tmp.name) / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    _git(repo, "config", "user.email", "dev@example.com")
    _git(repo, "config", "user.name", "Demo Developer")
    try:
        code = asyncio.run(asyncio.wait_for(_session(console, repo), timeout=120))
    finally:
        if args.keep:
            console.print(f"kept {repo}")
        else:
            tmp.cleanup()
    console.print(Panel(NEXT_STEPS, title="next steps", title_align="left"))
    return code


#: What to do after the demo, in a repository of your own.
NEXT_STEPS = (
    "In a repository of your own:\n"
    "  genguard install-hooks     gate commits and write a note on each one\n"
    "  genguard scan              check the whole repository with the same rules\n"
    "  genguard review            review AI chunks from a terminal\n"
    "Editors: VS Code and Neovim set-up in docs/editors.md."
)
