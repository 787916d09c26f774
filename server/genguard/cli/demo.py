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
from dataclasses import dataclass
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
from genguard.ledger import Ledger
from genguard.ledger.verify import verify
from genguard.lsp.actions import MARK_REVIEWED, SUPPRESS

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
SHELL_RULE = "py-subprocess-shell"
JUSTIFICATION = "demo: the path is checked before backup() is called"

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


def _indented(console: Console, text: str, indent: int = 2) -> None:
    """``text`` wrapped between words, every line indented (continuations too)."""
    from rich.padding import Padding

    console.print(Padding(text, (0, 0, 0, indent)))


def _lines(chunk: dict[str, Any]) -> str:
    r = chunk["range"]
    return f"{r['start']['line'] + 1}-{r['end']['line'] + (1 if r['end']['character'] else 0)}"


def _show_chunks(console: Console, prov: dict[str, Any], title: str) -> None:
    """One line per chunk, then its findings: text that wraps between words, where a
    table of eight columns would cut them at 80 columns."""
    console.print(f"[bold]{title}[/]")
    for c in prov["chunks"]:
        lines = _lines(c)
        tool = c["tool"] + (f":{c['model']}" if c["model"] else "")
        how = "declared" if c["method"] == "declared" else f"{c['method']}, inferred"
        kind = "" if c["kind"] in ("", "unknown") else f" {c['kind']}"
        status = c["status"] + (f" by {c['reviewer']}" if c["reviewer"] else "")
        _indented(console, f"lines {lines}: {tool} ({how}{kind}), {status} [dim]chunk {c['id']}[/]")
        if c["findings"]:
            _indented(console, f"findings: {', '.join(c['findings'])}", 4)
    if not prov["chunks"]:
        console.print("  [dim](no AI chunks)[/]")
    console.print(f"AI share of the file: [bold]{prov['aiShare']:.0%}[/] of its lines\n")


@dataclass(frozen=True)
class Offered:
    """One code action as the editor lists it: its title and the command it runs."""

    title: str
    command: str | None = None
    arguments: tuple[Any, ...] = ()


async def _actions_at(client: LanguageClient, editor: DemoEditor, line: int) -> list[Offered]:
    """The code actions the server offers on ``line`` (0-based), asked as an editor asks:
    with the diagnostics shown on that line in the request. Read as plain JSON: pygls's
    client would turn a CodeAction carrying a command into a Command."""
    on_line = [d for d in editor.diagnostics if d.range.start.line <= line <= d.range.end.line]
    params = types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=editor.uri),
        range=types.Range(
            start=types.Position(line=line, character=0),
            end=types.Position(line=line, character=0),
        ),
        context=types.CodeActionContext(diagnostics=on_line),
    )
    protocol = client.protocol
    typed = protocol.get_result_type
    protocol.get_result_type = lambda method: (  # type: ignore[method-assign]
        None if method == types.TEXT_DOCUMENT_CODE_ACTION else typed(method)
    )
    try:
        found = _plain(await protocol.send_request_async(types.TEXT_DOCUMENT_CODE_ACTION, params))
    finally:
        del protocol.get_result_type
    offered = []
    for item in found or []:
        cmd = item.get("command")
        if isinstance(cmd, dict):  # a CodeAction that runs a command
            offered.append(
                Offered(item["title"], cmd["command"], tuple(cmd.get("arguments") or ()))
            )
        else:  # a bare Command, or an action with an edit
            offered.append(Offered(item["title"], cmd, tuple(item.get("arguments") or ())))
    return offered


def _show_actions(console: Console, actions: list[Offered], line: int) -> None:
    console.print(f"The editor offers on line {line + 1}:")
    for action in actions:
        console.print(f"  [green]action[/] {action.title}")


def _pick(actions: list[Offered], command: str, *args: str) -> Offered:
    """The offered action running ``command`` whose arguments after the URI start with
    ``args``: the demo runs what the server offered, not a command of its own making."""
    for action in actions:
        if action.command == command and list(action.arguments[1 : 1 + len(args)]) == list(args):
            return action
    raise RuntimeError(f"the server offered no {command} action for {', '.join(args)}")


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

    @client.feature("genguard/settings")
    def _settings(params: Any) -> None:
        pass  # what the workspace's settings are: an editor shows them in its status bar

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
    load = next(c for c in prov["chunks"] if c["tool"] == "copilot")
    first, last = (int(n) for n in _lines(load).split("-"))
    console.print("The developer accepts a Copilot suggestion (gpt-4.1); the editor declares it:")
    console.print(Syntax(editor.text, "python", line_numbers=True, line_range=(first, last)))
    _show_diagnostics(console, editor, "Diagnostics")
    _show_chunks(console, prov, "Attribution with the declared completion")

    console.rule("[bold]4. Code actions: a review and a suppression")
    backup = next(c for c in prov["chunks"] if c["tool"] == "unknown")
    at_load = editor.text.split("\n").index("    return yaml.load(blob)")
    offered = await _actions_at(client, editor, at_load)
    _show_actions(console, offered, at_load)
    review = _pick(offered, MARK_REVIEWED, load["id"])
    console.print(
        f"[bold]runs[/] Mark AI chunk as reviewed on the completion (lines {_lines(load)}):"
        " the developer has read it; genguard records who reviewed it."
    )
    await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=MARK_REVIEWED, arguments=list(review.arguments))
    )
    at_shell = editor.text.split("\n").index("    subprocess.call(cmd, shell=True)")
    offered = await _actions_at(client, editor, at_shell)
    _show_actions(console, offered, at_shell)
    suppress = _pick(offered, SUPPRESS, backup["id"], SHELL_RULE)
    console.print(
        f"[bold]runs[/] Suppress {SHELL_RULE} on line {at_shell + 1}: the developer judges"
        " the shell call safe here and the editor asks why; the justification given is"
        f' "{JUSTIFICATION}". It is recorded in the ledger and travels in the commit\'s'
        " note."
    )
    await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=SUPPRESS, arguments=[*suppress.arguments, JUSTIFICATION])
    )
    console.print(
        "[bold]leaves[/] the other findings open (the hard-coded key, yaml.load): errors the"
        " commit gate blocks until they are fixed."
    )
    prov = await editor.provenance()
    _show_diagnostics(console, editor, "Diagnostics after the actions")
    _show_chunks(console, prov, "Attribution after the actions")

    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()

    console.rule("[bold]5. The ledger: hashes only, chained")
    ledger = Ledger.for_workspace(repo)
    for rec in ledger.records():
        console.print(f"[bold]{rec['seq']:>2}[/] {rec['event']} [dim]by {rec['actor']}[/]")
        _indented(console, _summary(rec["data"]), 3)
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
