"""Taint findings in the editor: the path is shown, and an edit of the flow re-judges it."""

from __future__ import annotations

VIEW = (
    "from flask import Flask, request\n"
    "import os\n"
    "app = Flask(__name__)\n"
    "\n"
    "\n"
    '@app.route("/ping")\n'
    "def ping():\n"
    '    host = request.args.get("host", "")\n'
    '    return str(os.system("ping -c 1 " + host))\n'
)


async def test_taint_finding_points_at_its_source_and_clears_when_sanitised(editor_for):
    ed = editor_for("views.py", "")
    ed.insert(0, VIEW)  # a paste: AI code, checked as it lands
    await ed.provenance()
    [diag] = ed.diagnostics("py-os-system")
    assert diag.range.start.line == 8
    [source] = diag.related_information or []
    assert source.message == "request.args"
    assert source.location.range.start.line == 7
    assert source.location.uri == ed.uri

    # an edit on the source line only, above the sink: the flow is judged again
    at = ed.text.index('request.args.get("host", "")')
    ed.insert(at, "shlex.quote(")
    ed.insert(ed.text.index('"")', at) + 3, ")")
    await ed.provenance()
    assert ed.diagnostics("py-os-system") == []


PING_JS = (
    'const { exec } = require("child_process");\n'
    'app.get("/ping", (req, res) => {\n'
    "  const host = req.query.host;\n"
    '  exec("ping -c 1 " + host);\n'
    "});\n"
)


async def test_javascript_taint_finding_points_at_its_source(editor_for):
    ed = editor_for("ping.js", "", "javascript")
    ed.insert(0, PING_JS)
    await ed.provenance()
    [diag] = ed.diagnostics("js-child-process-exec")
    assert diag.range.start.line == 3
    [source] = diag.related_information or []
    assert source.message == "req.query" and source.location.range.start.line == 2

    at = ed.text.index("req.query.host")  # an allow-list check on the source line
    ed.insert(at, "ALLOWED.includes(req.query.host) ? ")
    ed.insert(ed.text.index(";", at), ' : "localhost"')
    await ed.provenance()
    assert ed.diagnostics("js-child-process-exec") == []


SCRIPT = (
    "import os\n"
    "import sys\n"
    "\n"
    "cmd = sys.argv[1]\n"
    "print('running', cmd)\n"
    "os.system('ls ' + cmd)\n"
)


async def test_a_script_finding_follows_edits_away_from_its_sink(editor_for):
    """A sink outside every function: lines typed above move its path with it, and
    its source made a constant, two lines above the sink, clears it (the edit never
    touches the sink's line)."""
    ed = editor_for("tool.py", "")
    ed.insert(0, SCRIPT)  # a paste: AI code
    await ed.provenance()
    [diag] = ed.diagnostics("py-os-system")
    assert diag.range.start.line == 5
    [source] = diag.related_information or []
    assert source.location.range.start.line == 3

    ed.type(0, "# t\n")  # typed by hand above it all
    await ed.provenance()
    [diag] = ed.diagnostics("py-os-system")
    assert diag.range.start.line == 6
    [source] = diag.related_information or []
    assert source.location.range.start.line == 4  # the path moved with the finding

    at = ed.text.index("sys.argv[1]")
    ed.replace(at, at + len("sys.argv[1]"), '"."')
    await ed.provenance()
    assert ed.diagnostics("py-os-system") == []

    ed.replace(at, at + len('"."'), "sys.argv[1]")  # and back: found again
    await ed.provenance()
    assert [d.range.start.line for d in ed.diagnostics("py-os-system")] == [6]
