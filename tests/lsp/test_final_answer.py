"""One answer per edit, the final one: in a large file every publishDiagnostics is
the whole-tree result for the version it names, never one later withdrawn, never
one for a version older than a diagnostic already published, and the ledger holds
only findings that stand."""

from __future__ import annotations

import json
from pathlib import Path

from lsprotocol import types
from pytest_lsp import LanguageClient
from tests.lsp.editor import Editor
from tests.security.rpc import RawServer, frame

METHOD = types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS
METHOD_CHANGE = types.TEXT_DOCUMENT_DID_CHANGE
FILE_PROVENANCE = "genguard/fileProvenance"
UNREVIEWED = "genguard.unreviewed-ai"

SERVICE = '''

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
'''

TARGETS = '''

def describe(user_input):
    """Evaluate an expression the user gives.

    """
    return len(user_input)


def fetch(url, headers):
    resp = requests.get(url,
                        headers=headers)
    return resp.json()


def make_reset_token(user):
    value = user.id
    return str(value)
'''


def large_source(lines: int = 4000) -> str:
    """A several-thousand-line module with the edit targets in its middle."""
    parts = ["import random\nimport requests\n"]
    n = 0
    while sum(p.count("\n") for p in parts) < lines:
        if n == 60:
            parts.append(TARGETS)
        parts.append(SERVICE.format(n=n))
        n += 1
    return "".join(parts)


def record_publishes(client: LanguageClient) -> list[types.PublishDiagnosticsParams]:
    """Every publishDiagnostics the server sends, in order (the client keeps only the last)."""
    seen: list[types.PublishDiagnosticsParams] = []
    features = client.protocol.fm.features
    original = features[METHOD]

    def record(params: types.PublishDiagnosticsParams) -> None:
        seen.append(params)
        original(params)

    features[METHOD] = record
    return seen


def findings(params: types.PublishDiagnosticsParams) -> list[str]:
    return [str(d.code) for d in params.diagnostics if d.code != UNREVIEWED]


def ledger(repo: Path) -> list[dict]:
    path = repo / ".git" / "genguard" / "ledger.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines()]


def finding_events(repo: Path) -> list[dict]:
    return [e for e in ledger(repo) if e["event"].startswith("finding.")]


def at_line_end(ed: Editor, needle: str) -> int:
    return ed.text.index("\n", ed.text.index(needle))


async def test_code_like_text_in_a_docstring_never_shows_a_finding(editor_for, client, repo):
    seen = record_publishes(client)
    ed = editor_for("big.py", large_source())
    await ed.provenance()
    at = ed.text.index('user gives.\n\n    """') + len("user gives.\n")
    example = (
        "    Example: eval(user_input) or exec(compile(src, 'x', 'exec'))\n"
        "    and os.system('rm -rf ' + path), subprocess.call(cmd, shell=True)\n"
    )
    for _ in range(3):  # several rounds, as the issue saw them
        ed.insert(at, example)
        at += len(example)
    prov = await ed.provenance()
    assert prov["chunks"], "the pasted lines are an AI chunk, so rules do run on them"
    mine = [p for p in seen if p.uri == ed.uri]
    assert mine and mine[-1].version == ed.version
    assert [findings(p) for p in mine if findings(p)] == []
    assert finding_events(repo) == []


async def test_verify_false_inside_an_open_call_ends_with_its_finding(editor_for, client, repo):
    seen = record_publishes(client)
    ed = editor_for("big.py", large_source())
    at = ed.text.index("headers=headers)") + len("headers=headers")
    ed.insert(at, ",\n                        verify=False,\n                        timeout=5")
    ed.declare_ai("verify=False,\n                        timeout=5", "copilot")
    await ed.provenance()
    last = [p for p in seen if p.uri == ed.uri][-1]
    assert last.version == ed.version
    assert "py-requests-verify-false" in findings(last)
    assert any(e["event"] == "finding.raised" for e in finding_events(repo))


async def test_random_inside_a_token_function_ends_with_its_finding(editor_for, client, repo):
    seen = record_publishes(client)
    ed = editor_for("big.py", large_source())
    at = at_line_end(ed, "    value = user.id") + 1
    # a sink only because the function it lands in (outside the chunk) makes a token
    line = "    if user.legacy:\n        return '%032x' % random.getrandbits(128)\n"
    ed.insert(at, line)
    ed.declare_ai(line[4:-1], "copilot")
    await ed.provenance()
    last = [p for p in seen if p.uri == ed.uri][-1]
    assert last.version == ed.version
    assert "py-insecure-random" in findings(last)


async def test_a_burst_never_publishes_an_older_version_after_a_newer(editor_for, client):
    seen = record_publishes(client)
    ed = editor_for("big.py", large_source())
    block = "".join(
        f"def pasted_{i}(data):\n    return eval(data)  # {i}\n\n" for i in range(66)
    )
    assert block.count("\n") >= 198
    at = at_line_end(ed, "    return str(value)") + 1
    ed.insert(at, "\n" + block)
    # 50 fast keystrokes: the first eval( becomes safe_eval(, then a comment is typed
    first = ed.text.index("eval(data)  # 0")
    ed.type(first, "safe_")
    ed.type(at_line_end(ed, "# 1"), "  typed by hand, one key at a time, quickly!!")
    assert ed.version == 1 + 1 + 50
    await ed.provenance()
    versions = [p.version for p in seen if p.uri == ed.uri]
    assert versions == sorted(versions), versions
    assert versions[-1] == ed.version
    final = [p for p in seen if p.uri == ed.uri][-1]
    evals = [d for d in final.diagnostics if d.code == "py-eval-exec"]
    assert len(evals) == 65  # the one renamed to safe_eval( no longer counts
    lines = {d.range.start.line for d in evals}
    safe_line = ed.text[: ed.text.index("safe_eval(")].count("\n")
    assert safe_line not in lines
    assert all("eval(data)" in ed.text.splitlines()[n] for n in lines)


def _did_change(uri: str, version: int, line: int, column: int, text: str) -> bytes:
    position = {"line": line, "character": column}
    params = {
        "textDocument": {"uri": uri, "version": version},
        "contentChanges": [{"range": {"start": position, "end": position}, "text": text}],
    }
    return frame(json.dumps({"jsonrpc": "2.0", "method": METHOD_CHANGE, "params": params}).encode())


def test_keystrokes_already_superseded_are_not_checked(repo: Path, tmp_path: Path):
    """Keystrokes that arrive together are applied in order, but only the newest
    version is checked and published: an older one is superseded before its check
    could start. The request after them sees that final answer."""
    server = RawServer(repo, tmp_path / "cache")
    try:
        server.initialize(repo)
        path = repo / "big.py"
        path.write_text(large_source(1000))
        server.open(path, path.read_text())
        uri = path.as_uri()
        block = "def evaluate(expr):\n    value = eval(expr, {'limit': 3})\n    return value\n"
        server.send(_did_change(uri, 2, 20, 0, block))
        server.request(FILE_PROVENANCE, {"textDocument": {"uri": uri}})
        before = len(server.notifications(METHOD))
        # 40 keystrokes inside the AI chunk, before its eval( (so each one moves the
        # finding), and a request, in one write to the pipe
        typed = "typed_by_hand_quickly_one_after_another_"
        column = len("    ")
        burst = b"".join(
            _did_change(uri, 3 + k, 21, column + k, ch) for k, ch in enumerate(typed)
        )
        probe = {
            "jsonrpc": "2.0",
            "id": 999,
            "method": FILE_PROVENANCE,
            "params": {"textDocument": {"uri": uri}},
        }
        server.send(burst + frame(json.dumps(probe).encode()))
        prov = server.reply(999)["result"]
        assert prov["chunks"], "the typing is inside an AI chunk, so it is checked"
        after = [p["params"] for p in server.notifications(METHOD)[before:]]
        assert after, "the final version is published"
        assert after[-1]["version"] == 2 + len(typed)
        # each keystroke moves the finding, so a check per keystroke would publish each
        # version; superseded ones are not checked at all
        assert len(after) <= 3, [p["version"] for p in after]
        codes = [d.get("code") for d in after[-1]["diagnostics"]]
        assert "py-eval-exec" in codes
    finally:
        server.close()


FLOWS = '''

class Handler{n}:
    """Routes of part {n}."""

    @app.route("/run{n}")
    def run(self):
        cmd = request.args.get("cmd", "")
        return launch(cmd)

    def fetch(self, url):
        resp = requests.get(url,
                            timeout=5)
        return resp.json()
'''


def _found(params: types.PublishDiagnosticsParams) -> list[tuple]:
    return sorted(
        (
            str(d.code),
            d.range.start.line,
            d.range.start.character,
            d.range.end.line,
            d.severity,
            d.message,
            len(d.related_information or ()),
        )
        for d in params.diagnostics
    )


async def test_each_edit_ends_where_a_fresh_check_of_the_same_text_does(
    client, repo: Path, editor_for
):
    """Checks after each edit reuse what the last one knew (rule findings, the taint
    tables); after each run of edits the answer is that of a fresh check of the text."""
    (repo / ".genguard.toml").write_text('scope = "all"\nunreviewed_diagnostic = false\n')
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[
                types.FileEvent(
                    uri=(repo / ".genguard.toml").as_uri(), type=types.FileChangeType.Changed
                )
            ]
        )
    )
    head = (
        "from flask import Flask, request\nimport os\nimport requests\n"
        "app = Flask(__name__)\n\n\ndef launch(command):\n    return 1\n"
    )
    text = head + "".join(FLOWS.format(n=n) for n in range(40)) + large_source(600)
    seen = record_publishes(client)
    ed = editor_for("flows.py", text)
    checked: list[list[tuple]] = []

    async def same_as_fresh() -> None:
        await ed.provenance()
        final = [p for p in seen if p.uri == ed.uri][-1]  # unchanged answers are not re-sent
        fresh = editor_for(f"fresh{len(checked)}.py", ed.text)
        await fresh.provenance()
        again = [p for p in seen if p.uri == fresh.uri][-1]
        assert _found(final) == _found(again), f"after edit {len(checked)}"
        checked.append(_found(final))
        client.text_document_did_close(
            types.DidCloseTextDocumentParams(
                text_document=types.TextDocumentIdentifier(uri=fresh.uri)
            )
        )

    await same_as_fresh()
    assert not [d for d in ed.diagnostics() if d.code == "py-os-system"]
    # the helper becomes a sink that the routes' request data reaches
    at = ed.text.index("    return 1\n")
    ed.replace(at, at + len("    return 1\n"), '    return os.system("run " + command)\n')
    await same_as_fresh()
    [flow] = [d for d in ed.diagnostics() if d.code == "py-os-system"]
    assert flow.related_information, "a data flow from a route's request, with its path"
    # a class header broken, typed back; a method moved between classes
    at = ed.text.index("class Handler3:")
    ed.replace(at, at + len("class "), "")
    await same_as_fresh()
    ed.type(at, "class ")
    method = ed.text.index("    def fetch(self, url):", ed.text.index("class Handler7:"))
    end = ed.text.index("return resp.json()\n", method) + len("return resp.json()\n")
    block = ed.text[method:end]
    ed.replace(method, end, "")
    into = ed.text.index("class Handler20:")
    into = ed.text.index("\n\n", into) + 2
    ed.insert(into, block + "\n")
    await same_as_fresh()
    # the helper renamed in place (every span stays): no route calls it any more; then
    # one route calls it by the new name
    at = ed.text.index("def launch(")
    ed.replace(at + 4, at + 10, "runcmd")
    await same_as_fresh()
    at = ed.text.index("return launch(cmd)", ed.text.index("class Handler11:"))
    ed.replace(at + 7, at + 13, "runcmd")
    await same_as_fresh()
    assert checked[1] != checked[0]
