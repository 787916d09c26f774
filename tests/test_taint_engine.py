"""The taint engine on Python: flows it must follow, flows it must not invent.

Each case is a small realistic function run through the real rule packs and the
real matcher (the same path the editor, the scan and the gate take), so a case
fails when the engine, the models in ``rules/security/python-taint.yaml`` or
the matcher integration is wrong.
"""

from __future__ import annotations

import textwrap
import time
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from genguard.rules import CompiledRules, load_rules
from genguard.rules.loader import RuleSet
from genguard.syntax.languages import new_parser
from genguard.taint.spec import SpecError, parse_spec


@cache
def compiled() -> CompiledRules:
    return CompiledRules(load_rules(packs=["security"]))


def findings(code: str, ranges: list[tuple[int, int]] | None = None) -> list[tuple[str, str, int]]:
    """(rule id, severity, 1-based line) of every taint finding in ``code``."""
    source = textwrap.dedent(code).encode()
    tree = new_parser("python").parse(source)
    matcher = compiled().matcher_for("python")
    if ranges is not None:  # as the editor checks an edit: where its data flows
        _, found = matcher.run_edited(source, tree, ranges)
    else:
        found = matcher.run(source, tree)
    out = []
    for m in found:
        if m.rule.taint is not None:
            out.append((m.rule.id, m.rule.severity, source[: m.start].count(b"\n") + 1))
    return out


def rules_at(code: str) -> set[str]:
    return {rule for rule, _, _ in findings(code)}


HEAD = """
from flask import Flask, request
import os, subprocess
app = Flask(__name__)
"""


def route(body: str) -> str:
    return HEAD + '@app.route("/x")\ndef view():\n' + textwrap.indent(textwrap.dedent(body), "    ")


FLOWS = {
    "assignment chain": "a = request.args['q']\nb = a\nc = b\nos.system(c)\n",
    "augmented assignment": "cmd = 'ls '\ncmd += request.args['q']\nos.system(cmd)\n",
    "tuple unpacking": "a, b = 'x', request.args['q']\nos.system(b)\n",
    "f-string": "q = request.args['q']\nos.system(f'ls {q}')\n",
    "percent": "q = request.args['q']\nos.system('ls %s' % q)\n",
    "format": "q = request.args['q']\nos.system('ls {}'.format(q))\n",
    "concatenation": "q = request.args['q']\nos.system('ls ' + q)\n",
    "join": "q = request.args['q']\nos.system(' '.join(['ls', q]))\n",
    "slicing": "q = request.args['q']\nos.system(q[1:10])\n",
    "string methods": "q = request.args['q']\nos.system(q.strip().lower().replace('a', 'b'))\n",
    "list append": "parts = ['ls']\nparts.append(request.args['q'])\nos.system(' '.join(parts))\n",
    "list extend": "parts = []\nparts.extend([request.args['q']])\nos.system(parts[0])\n",
    "dict get": "d = {}\nd['k'] = request.args['q']\nos.system(d.get('k'))\n",
    "dict pop": "d = {'k': request.args['q']}\nos.system(d.pop('k'))\n",
    "list index": "l = ['a', request.args['q']]\nos.system(l[1])\n",
    "comprehension": "xs = [x.strip() for x in request.args.getlist('q')]\nos.system(xs[0])\n",
    "with as": "with open(request.args['p']) as fh:\n    data = fh.read()\nos.system(data)\n",
    "conditional expression": (
        "q = request.args['q']\nc = q if len(q) > 3 else 'ls'\nos.system(c)\n"
    ),
    "if else may-flow": (
        "if request.args.get('a'):\n    c = request.args['q']\nelse:\n    c = 'ls'\nos.system(c)\n"
    ),
    "loop": "c = 'ls'\nfor part in request.args.getlist('q'):\n    c = c + part\nos.system(c)\n",
    "while loop": "c = ''\nwhile len(c) < 10:\n    c += request.args['q']\nos.system(c)\n",
    "attribute of tainted": "f = request.files['doc']\nos.system('file ' + f.filename)\n",
    "attribute store": "class C: pass\no = C()\no.cmd = request.args['q']\nos.system(o.cmd)\n",
    "walrus": "if (q := request.args.get('q')):\n    os.system(q)\n",
    "try body": "try:\n    q = request.args['q']\nexcept KeyError:\n    q = 'ls'\nos.system(q)\n",
    "await": "q = request.args['q']\nos.system(str(q))\n",
    "base64 round trip": (
        "import base64\n"
        "q = base64.b64decode(base64.b64encode(request.args['q'].encode())).decode()\n"
        "os.system(q)\n"
    ),
    "unknown import propagates": (
        "from helpers import normalise\nos.system(normalise(request.args['q']))\n"
    ),
    "a check of a view made before the value changed": (
        "q = request.args['q']\nparts = urlsplit(q)\nq = request.args['other']\n"
        "if parts.hostname not in ALLOWED:\n    abort(400)\nos.system('curl ' + q)\n"
    ),
}


@pytest.mark.parametrize("name", sorted(FLOWS))
def test_flow_is_followed(name: str) -> None:
    got = findings(route(FLOWS[name]))
    assert ("py-os-system", "error") in {(r, s) for r, s, _ in got}, (name, got)


SAFE = {
    "constant": "os.system('ls -la')\n",
    "constant folded": "n = 2\nc = 'ls' if 3 * 5 + n > 10 else request.args['q']\nos.system(c)\n",
    "dead branch": "if 1 > 2:\n    os.system(request.args['q'])\n",
    "dead while": "while False:\n    os.system(request.args['q'])\n",
    "int sanitizer": "n = int(request.args['n'])\nos.system(f'seq {n}')\n",
    "shlex quote": "import shlex\nos.system('ls ' + shlex.quote(request.args['q']))\n",
    "allow-list dominates": (
        "q = request.args['q']\nif q not in ALLOWED:\n    return 'no'\nos.system('ls ' + q)\n"
    ),
    "allow-list branch": "q = request.args['q']\nif q in {'a', 'b'}:\n    os.system('ls ' + q)\n",
    "allow-list abort": (
        "q = request.args['q']\nif q not in ALLOWED:\n    abort(400)\nos.system(q)\n"
    ),
    "popped element": "l = [request.args['q'], 'ls']\nl.pop(0)\nos.system(l[0])\n",
    "other dict key": "d = {'a': request.args['q'], 'b': 'ls'}\nos.system(d['b'])\n",
    "overwritten": "c = request.args['q']\nc = 'ls'\nos.system(c)\n",
    "tuple other element": "a, b = request.args['q'], 'ls'\nos.system(b)\n",
    "length only": "q = request.args['q']\nos.system('echo %d' % len(q))\n",
    "comment mentioning allow-list": "# ALLOWED_HOSTS checked upstream\nos.system('uptime')\n",
    "allow-list check of a parsed view": (
        "q = request.args['q']\nparts = urlsplit(q)\nhost = parts.hostname\n"
        "if host not in ALLOWED:\n    abort(400)\nos.system('curl ' + q)\n"
    ),
    "database record looked up by the request's key": (
        "user = User.query.filter_by(name=request.args['u']).first()\n"
        "os.system('id ' + user.login)\n"
    ),
}


@pytest.mark.parametrize("name", sorted(SAFE))
def test_safe_flow_is_quiet(name: str) -> None:
    got = findings(route(SAFE[name]))
    assert not got, (name, got)


def test_allow_list_on_one_branch_only_is_no_sanitizer() -> None:
    code = route(
        "q = request.args['q']\n"
        "if q in ALLOWED:\n"
        "    os.system('ls ' + q)\n"
        "else:\n"
        "    os.system('cat ' + q)\n"
    )
    got = findings(code)
    lines = sorted(line for rule, _, line in got if rule == "py-os-system")
    assert len(lines) == 1 and "cat" in code.splitlines()[lines[0] - 1]


def test_severity_follows_the_evidence() -> None:
    code = HEAD + textwrap.dedent(
        """
        @app.route("/a")
        def a():
            eval(request.args["x"])

        def b(expr):
            eval(expr)

        def c():
            eval(os.environ["EXPR"])

        def d():
            eval("1 + 1")
        """
    )
    got = {(line, sev) for rule, sev, line in findings(code) if rule == "py-eval-exec"}
    lines = code.splitlines()
    by_text = {lines[line - 1].strip(): sev for line, sev in got}
    assert by_text == {
        'eval(request.args["x"])': "error",
        "eval(expr)": "warning",
        'eval(os.environ["EXPR"])': "warning",
    }


def test_helper_summaries_parameter_to_sink_and_return() -> None:
    code = HEAD + textwrap.dedent(
        """
        def run(cmd):
            subprocess.run(cmd, shell=True)

        def clean(value):
            return int(value)

        def passthrough(value):
            return value.strip()

        @app.route("/a")
        def a():
            run("ls " + passthrough(request.args["q"]))

        @app.route("/b")
        def b():
            os.system("seq %d" % clean(request.args["n"]))

        def c():
            run("uptime")
        """
    )
    got = findings(code)
    assert [(r, s) for r, s, _ in got] == [("py-subprocess-shell", "error")]
    line = got[0][2]
    assert "subprocess.run(cmd, shell=True)" in code.splitlines()[line - 1]


def test_a_helper_called_only_with_constants_is_quiet() -> None:
    code = "import subprocess\n\ndef run(c):\n    subprocess.run(c, shell=True)\n\nrun('uptime')\n"
    assert findings(code) == []


def test_methods_and_self_calls() -> None:
    code = HEAD + textwrap.dedent(
        """
        class Api:
            def _exec(self, sql):
                self.cursor.execute(sql)

            def search(self, request):
                term = request.GET["q"]
                self._exec(f"SELECT * FROM t WHERE name = '{term}'")
        """
    )
    assert ("py-sql-string-format", "error") in {(r, s) for r, s, _ in findings(code)}


FIELDS = HEAD + textwrap.dedent(
    """
    class Job:
        def __init__(self, req):
            self.cmd = req.args["cmd"]
            self.base = "/srv"

        def setup(self):
            self.name = request.args["name"]
            self.safe = "ls"

        def run(self):
            os.system("echo " + self.name)
            os.system(self.safe)
            os.system("cd " + self.base)
    """
)


def test_self_attributes_flow_across_methods_one_field_at_a_time() -> None:
    lines = FIELDS.splitlines()
    got = [(r, line) for r, _, line in findings(FIELDS)]
    assert got == [("py-os-system", lines.index('        os.system("echo " + self.name)') + 1)]


def test_an_edit_where_a_field_is_stored_rechecks_the_methods_that_read_it() -> None:
    start = FIELDS.index("self.name = ")
    got = findings(FIELDS, ranges=[(start, start + 10)])
    assert [r for r, _, _ in got] == ["py-os-system"]


def test_calls_on_instances_of_the_files_classes_and_star_parameters() -> None:
    code = HEAD + textwrap.dedent(
        """
        class Runner:
            def go(self, opts):
                os.system("zip %(name)s" % opts)

            def quiet(self, opts):
                os.system("uptime")

        RUNNER = Runner()

        def shell(*parts):
            return subprocess.check_output(" ".join(parts), shell=True)

        def flt(**attrs):
            return "".join("({}={})".format(k, v) for k, v in attrs.items())

        @app.route("/a")
        def a():
            RUNNER.go({"name": request.args["n"]})
            RUNNER.quiet({"name": request.args["n"]})

        @app.route("/b")
        def b():
            local = Runner()
            local.go(request.args)
            shell("log", "-n", "5", request.args["branch"])
            shell("status")
            os.system(flt(uid=request.args["u"]))
        """
    )
    lines = code.splitlines()
    got = sorted((r, lines[line - 1].strip()) for r, _, line in findings(code))
    assert got == [
        ("py-os-system", 'os.system("zip %(name)s" % opts)'),
        ("py-os-system", 'os.system(flt(uid=request.args["u"]))'),
        ("py-subprocess-shell", 'return subprocess.check_output(" ".join(parts), shell=True)'),
    ]


def test_http_server_handlers_read_the_request_through_their_bases() -> None:
    code = HEAD + textwrap.dedent(
        """
        import http.server

        class Base(http.server.BaseHTTPRequestHandler):
            pass

        class Handler(Base):
            def do_GET(self):
                os.system("echo " + self.path)

        class Asset:
            def load(self):
                os.system("cat " + self.path)
        """
    )
    lines = code.splitlines()
    got = [(r, lines[line - 1].strip()) for r, _, line in findings(code)]
    assert got == [("py-os-system", 'os.system("echo " + self.path)')]


def test_route_parameters_and_django_url_kwargs_are_sources() -> None:
    code = textwrap.dedent(
        """
        import os
        from fastapi import FastAPI, Depends
        app = FastAPI()

        @app.get("/ping/{host}")
        def ping(host: str, db=Depends(get_db)):
            db.execute("SELECT 1")
            return {"ok": os.system("ping -c 1 " + host) == 0}

        def view(request, name):
            return open("/srv/" + name).read()
        """
    )
    got = {(r, s) for r, s, _ in findings(code)}
    assert ("py-os-system", "error") in got
    assert ("py-path-traversal", "error") in got
    assert not any(r == "py-sql-string-format" for r, _ in got)


def test_a_summary_is_not_reused_across_a_decorator_added_or_removed() -> None:
    """A function's summary is kept for the next analysis with the same text (the next
    edit, the next file of a scan); a route decorator changes what it finds without a
    change inside the function, in either order."""
    plain = (
        "from flask import Flask, request\napp = Flask(__name__)\n\n"
        "def view(cmd):\n    return eval(cmd)\n"
    )
    routed = plain.replace("def view", "@app.route('/x/<cmd>')\ndef view")
    model = compiled().matcher_for("python").taint
    assert model is not None
    for first, then in ((plain, routed), (routed, plain), (plain, routed)):
        assert findings(first) and findings(then)  # (and the summaries are kept between)
        assert findings(routed) == [("py-eval-exec", "error", 6)]
        assert findings(plain) == [("py-eval-exec", "warning", 5)]


def test_each_match_carries_its_path() -> None:
    source = route(
        "name = request.args.get('name')\nlabel = name.strip()\nos.system('echo ' + label)\n"
    ).encode()
    tree = new_parser("python").parse(source)
    [m] = [x for x in compiled().matcher_for("python").run(source, tree) if x.rule.taint]
    lines = [source[: r.start].count(b"\n") + 1 for r in m.related]
    assert m.related[0].message == "request.args"
    assert source[m.related[0].start : m.related[0].end] == b"request.args"
    assert lines == sorted(lines) and len(m.related) >= 2
    assert m.related[1].message.startswith("label = ")


def test_only_functions_touching_the_ranges_are_analysed() -> None:
    code = HEAD + textwrap.dedent(
        """
        @app.route("/a")
        def a():
            os.system(request.args["q"])

        @app.route("/b")
        def b():
            os.system(request.args["r"])
        """
    )
    source = code.encode()
    b_start = source.index(b"def b")
    whole = findings(code)
    ranged = findings(code, [(b_start, b_start + 5)])
    assert len(whole) == 2 and len(ranged) == 1 and ranged[0][2] > whole[0][2]


def test_a_callers_finding_is_found_when_only_the_helper_changes() -> None:
    code = HEAD + textwrap.dedent(
        """
        def run(cmd):
            subprocess.run(cmd, shell=True)

        @app.route("/a")
        def a():
            run(request.args["q"])
        """
    )
    source = code.encode()
    at = source.index(b"subprocess.run")
    assert findings(code, [(at, at + 3)]) == [("py-subprocess-shell", "error", 7)]


def test_hostile_input_is_bounded() -> None:
    deep = "x = " + "(" * 400 + "request.args['q']" + ")" * 400 + "\nos.system(x)\n"
    many = "".join(f"v{i} = v{i - 1} + 'a'\n" for i in range(1, 3000))
    started = time.monotonic()
    findings(route(deep))
    findings(route("v0 = request.args['q']\n" + many + "os.system(v2999)\n"))
    assert time.monotonic() - started < 20


def test_spec_validation_names_the_problem() -> None:
    with pytest.raises(SpecError, match="sinks"):
        parse_spec({"sources": ["input"], "sinks": []})
    with pytest.raises(SpecError, match="unknown key"):
        parse_spec({"sources": ["input"], "sinks": ["eval"], "extra": 1})
    with pytest.raises(SpecError, match="not a valid RE2"):
        parse_spec({"sources": [{"identifier": "("}], "sinks": ["eval"]})
    with pytest.raises(SpecError, match="segment"):
        parse_spec({"sources": ["request.args[0]"], "sinks": ["eval"]})
    with pytest.raises(SpecError, match="at most"):
        parse_spec({"sources": ["x"] * 300, "sinks": ["eval"]}, trusted=False)
    with pytest.raises(SpecError, match="bases"):
        parse_spec({"sources": [{"identifier": "x", "bases": ["B"]}], "sinks": ["eval"]})
    with pytest.raises(SpecError, match="when_match"):
        parse_spec({"sources": ["input"], "sinks": [{"name": "eval", "when_match": {0: "("}}]})
    spec = parse_spec({"sources": ["input"], "sinks": [{"name": "eval", "args": 0}]})
    assert spec.sinks[0].args == (0,)
    with pytest.raises(SpecError, match="no source of this rule has the label"):
        parse_spec({"sources": ["input"], "sinks": [{"name": "p", "when_from": {1: "made"}}]})
    with pytest.raises(SpecError, match="'when' applies to name sources only"):
        parse_spec({"sources": [{"identifier": "x", "when": {"a": True}}], "sinks": ["eval"]})
    shared = [{"name": "input"}]  # a YAML anchor spliced into a longer list
    spec = parse_spec(
        {
            "sources": [shared, {"name": "mk", "when": {"on": True}, "label": "made"}],
            "sinks": [{"name": "p", "args": [0], "when_from": {"receiver": "made"}}],
        }
    )
    assert [s.names[0].text for s in spec.sources] == ["input", "mk"]
    assert spec.sources[1].when == (("on", (True,)),)


def test_repository_taint_rule_loads_and_fires(tmp_path: Path) -> None:
    rules = tmp_path / ".genguard" / "rules"
    rules.mkdir(parents=True)
    (rules / "acme.yaml").write_text(
        textwrap.dedent(
            """
            rules:
              - id: acme-run-job
                languages: [python]
                severity: error
                message: job names from the queue reach the job runner
                taint:
                  sources: [{name: queue.receive}]
                  sinks: [{name: jobs.run, args: [0]}]
                  sanitizers: [{name: jobs.known}]
                examples:
                  bad: ["def f():\\n    jobs.run(queue.receive())\\n"]
                  good: ["def f():\\n    jobs.run(jobs.known(queue.receive()))\\n"]
              - id: acme-broken
                languages: [ruby]
                severity: error
                message: no Ruby front end
                taint: {sources: [x], sinks: [y]}
            """
        )
    )
    ruleset: RuleSet = load_rules([rules], trusted=False)
    assert [r.id for r in ruleset.rules] == ["acme-run-job"]
    assert "taint rules run on " in str(ruleset.errors[0])
    assert "not ruby" in str(ruleset.errors[0])
    matcher = CompiledRules(ruleset).matcher_for("python")
    bad = b"def f():\n    jobs.run(queue.receive())\n"
    good = b"def f():\n    jobs.run(jobs.known(queue.receive()))\n"
    parser = new_parser("python")
    assert [m.rule.id for m in matcher.run(bad, parser.parse(bad))] == ["acme-run-job"]
    assert matcher.run(good, parser.parse(good)).items == ()


def test_summaries_are_reused_by_function_content(monkeypatch: pytest.MonkeyPatch) -> None:
    from genguard.taint import python as front

    analysed: list[str] = []
    real = front._Interp.run_function

    def counting(self, *, report: bool):  # type: ignore[no-untyped-def]
        analysed.append(self.fn.name)
        return real(self, report=report)

    monkeypatch.setattr(front._Interp, "run_function", counting)
    helper = "import subprocess\n\ndef run(cmd):\n    subprocess.run(cmd, shell=True)\n\n"
    view = '@app.route("/a")\ndef view():\n    run(request.args["{}"])\n'
    first = HEAD + helper + view.format("q")
    assert [r for r, _, _ in findings(first)] == ["py-subprocess-shell"]
    analysed.clear()
    edited = HEAD + "# a comment that moves everything down\n" + helper + view.format("cmd")
    assert [r for r, _, _ in findings(edited)] == ["py-subprocess-shell"]
    assert analysed == ["view"]  # the helper's summary came from the cache, moved with it


def test_a_helpers_returned_dict_keeps_its_keys_at_the_call() -> None:
    code = HEAD + textwrap.dedent(
        """
        def options(name):
            return {"cmd": name, "mode": "fast"}

        @app.route("/o")
        def o():
            opts = options(request.args["n"])
            os.system("run " + opts["mode"])
            os.system("run " + opts["cmd"])
        """
    )
    lines = code.splitlines()
    got = [(r, lines[line - 1].strip()) for r, _, line in findings(code)]
    assert got == [("py-os-system", 'os.system("run " + opts["cmd"])')]


def test_xxe_needs_untrusted_xml_and_a_parser_made_to_resolve_entities() -> None:
    code = HEAD + textwrap.dedent(
        """
        from lxml import etree
        import xml.sax
        from xml.sax.handler import feature_external_ges

        def loose():
            return etree.XMLParser(resolve_entities=True)

        def parse(data, parser):
            return etree.fromstring(data, parser)

        def parse_body(parser):
            return etree.XML(request.data, parser)

        def never_called(parser):
            return etree.XML(request.data, parser)

        @app.post("/a")
        def a():
            etree.fromstring(request.data, loose())
            etree.fromstring(request.data, etree.XMLParser(resolve_entities=False))
            etree.fromstring(open("bundled.xml").read(), loose())

        @app.post("/b")
        def b():
            parse(request.data, loose())
            parse(request.data, etree.XMLParser(no_network=True))
            parse_body(loose())
            parse_body(etree.XMLParser())

        @app.post("/c")
        def c():
            p = xml.sax.make_parser()
            p.parse(request.files["x"])
            p.setFeature(feature_external_ges, True)
            p.parse(request.files["y"])
        """
    )
    lines = code.splitlines()
    got = sorted((r, lines[line - 1].strip()) for r, _, line in findings(code) if "xxe" in r)
    assert got == [
        ("py-xxe", "etree.fromstring(request.data, loose())"),
        ("py-xxe", 'p.parse(request.files["y"])'),
        ("py-xxe", "return etree.XML(request.data, parser)"),
        ("py-xxe", "return etree.fromstring(data, parser)"),
    ]
    assert len([r for r, _, _ in findings(code) if r == "py-xxe"]) == 4


def test_constructor_arguments_stored_in_self_reach_the_methods_that_read_them() -> None:
    code = HEAD + textwrap.dedent(
        """
        class Job:
            def __init__(self, cmd, label):
                self.cmd = cmd
                self.label = label

            def run(self):
                os.system("run " + self.cmd)

            def show(self):
                os.system("echo " + self.label)

            def go(self):
                self.run()

        class Boot:
            def __init__(self, cmd):
                subprocess.run(cmd, shell=True)

        @app.route("/a")
        def a():
            job = Job(request.args["c"], "fixed")
            job.show()

        @app.route("/b")
        def b():
            Job("ls", request.args["l"]).run()
            Job(request.args["c"], "x").go()
            Boot(request.args["c"])
            Boot("uptime")
        """
    )
    lines = code.splitlines()
    got = sorted((r, lines[line - 1].strip()) for r, _, line in findings(code))
    assert got == [
        ("py-os-system", 'os.system("run " + self.cmd)'),
        ("py-subprocess-shell", "subprocess.run(cmd, shell=True)"),
    ]
    # an edit of an __init__ still finds the flows through the instances made from it
    for edited, rule in (
        ("subprocess.run(cmd", "py-subprocess-shell"),
        ("self.cmd = ", "py-os-system"),
    ):
        start = code.index(edited)
        assert rule in {r for r, _, _ in findings(code, ranges=[(start, start + 5)])}
    # a method nothing in the file calls reads fields of unknown origin: no finding
    quiet = HEAD + textwrap.dedent(
        """
        class Job:
            def __init__(self, cmd):
                self.cmd = cmd

            def run(self):
                os.system("run " + self.cmd)
        """
    )
    assert findings(quiet) == []


def test_a_sink_name_is_a_mention_only_where_it_is_called() -> None:
    """``self.raw`` (an attribute) names no call of ``*.raw``: a file of such reads has no
    sink to analyse for, while a call, even with a comment before its arguments, keeps
    its finding."""
    from genguard.taint.run import analyse

    model = compiled().matcher_for("python").taint
    assert model is not None
    quiet = textwrap.dedent(
        """
        class Reader:
            def read(self, n):
                return self.raw.read(n)

            def peek(self):
                return self.raw
        """
    ).encode()
    analysis = analyse(model, "python", quiet, new_parser("python").parse(quiet))
    assert analysis._candidates() is None  # no sink named: nothing is analysed
    assert rules_at(
        """
        def find(cursor, name):
            return cursor.raw  (  # the manager's raw query
                "SELECT * FROM users WHERE name = '%s'" % name
            )
        """
    ) == {"py-sql-string-format"}


@pytest.mark.parametrize(
    ("language", "folder", "suffix"),
    [
        ("python", "corpus", ".py"),
        ("go", "corpus-go", ".go"),
        ("java", "corpus-java", ".java"),
        ("javascript", "corpus-js", ".js"),
    ],
)
def test_the_function_around_a_byte_is_the_innermost_one_the_tree_has_there(
    language: str, folder: str, suffix: str
) -> None:
    """``enclosing`` finds the function around a byte from the functions' spans; the
    tree's ancestors of the byte (``_around``) say the same at every byte of every file
    of the language's corpus, nested functions, methods and lambdas among them."""
    from genguard.taint.run import analyse

    model = compiled().matcher_for(language).taint
    assert model is not None
    parser = new_parser(language)
    checked = 0
    for path in sorted((Path(__file__).parent / "taint" / folder).glob(f"*{suffix}")):
        source = path.read_bytes()
        analysis = analyse(model, language, source, parser.parse(source))
        for pos in range(-1, len(source) + 2):
            around = analysis._around(pos)
            want = analysis.spans[around[0]][2] if around else None
            assert analysis.enclosing(pos) is want, (path.name, pos)
            checked += want is not None
    assert checked > 1000


def test_a_summary_that_depends_on_nothing_under_way_is_not_run_again_to_report_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``run_cmd``'s summary is computed while ``main`` runs; its own run to report
    would be the same and report nothing, so it is not run again. ``ping`` mentions no
    sink and is wanted only as ``pong``'s caller, so it waits for its helpers; its
    summary, computed while ``pong`` (which it calls back) was under way, depends on
    that, and ``pong``'s parameter sink makes it run again; the findings stay."""
    from genguard.taint import core

    code = textwrap.dedent(
        """
        import os, subprocess

        def main():
            run_cmd("ls " + os.environ.get("DIR", "."))
            ping(3)

        def run_cmd(cmd):
            subprocess.run(cmd, shell=True)

        def ping(n):
            return pong(n)

        def pong(n):
            if n:
                return ping(n - 1)
            os.system(n)
        """
    ).encode()
    runs, analysis, found = _counted(monkeypatch, code)
    by_name = {fn.name: fn.node.id for fn in analysis.functions}
    run_cmd = by_name["run_cmd"]
    assert analysis._summary_anchors[run_cmd] == core.PURE and run_cmd in analysis._quiet
    assert runs.count("run_cmd") == 1
    assert runs.count("ping") == 2
    assert runs.count("pong") == 1
    assert {(m.rule.id, code[: m.start].count(b"\n") + 1) for m in found} == {
        ("py-subprocess-shell", 9)  # pong's os.system is given only constants
    }


def _counted(monkeypatch: pytest.MonkeyPatch, source: bytes) -> tuple[list[str], Any, list[Any]]:
    """The functions the analysis of ``source`` ran (by name, once per run), the
    analysis and its findings, with no summary kept from an earlier test."""
    from genguard.taint import core
    from genguard.taint.run import analyse, taint_matches

    model = compiled().matcher_for("python").taint
    assert model is not None
    model.summaries.clear()  # no summary from an earlier test
    runs: list[str] = []
    original = core.InterpCore.__init__

    def counted(self, fa, fn, env) -> None:  # type: ignore[no-untyped-def]
        if fn is not None:
            runs.append(fn.name)
        original(self, fa, fn, env)

    monkeypatch.setattr(core.InterpCore, "__init__", counted)
    tree = new_parser("python").parse(source)
    analysis = analyse(model, "python", source, tree)
    return runs, analysis, list(taint_matches(model, "python", source, tree, analysis=analysis))


def _runs(
    monkeypatch: pytest.MonkeyPatch, code: str
) -> tuple[list[str], set[tuple[str, str, int]]]:
    """The functions the analysis of ``code`` ran (by name, once per run) and its
    findings (rule id, severity, line)."""
    source = textwrap.dedent(code).encode()
    runs, _, found = _counted(monkeypatch, source)
    return runs, {(m.rule.id, m.rule.severity, source[: m.start].count(b"\n") + 1) for m in found}


def test_a_source_no_rule_of_the_functions_sinks_reports_starts_no_analysis(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``token`` is a source only of the weak-hash and secret-logging rules; a file
    write reports request and command-line data, so ``save`` is not analysed although
    the file reads ``sys.argv`` elsewhere. When ``save`` opens the path that reading
    returns, it is analysed, and reports."""
    runs, found = _runs(
        monkeypatch,
        """
        import sys

        def save(path, token):
            with open(path, "w") as f:
                f.write(token)

        def given():
            return sys.argv[1]
        """,
    )
    assert runs == [] and found == set()
    runs, found = _runs(
        monkeypatch,
        """
        import sys

        def save(path, token):
            with open(given(), "w") as f:
                f.write(token)

        def given():
            return sys.argv[1]
        """,
    )
    assert runs[0] == "save"
    assert ("py-path-traversal", "error", 5) in found


def test_a_caller_whose_helpers_have_no_parameter_sink_is_not_analysed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``main`` mentions no sink and calls a helper whose shell command is a constant:
    nothing it passes can reach a sink, so only the helper runs. When the helper's
    command is its parameter, ``main`` runs and reports what it passes."""
    runs, found = _runs(
        monkeypatch,
        """
        import subprocess

        def run_fixed():
            subprocess.run("ls", shell=True)

        def main(x):
            run_fixed()
            return helper(x)

        def helper(y):
            return y.strip()
        """,
    )
    assert runs == ["run_fixed"] and found == set()
    runs, found = _runs(
        monkeypatch,
        """
        import subprocess

        def main(x):
            run(helper(x))

        def run(cmd):
            subprocess.run(cmd, shell=True)

        def helper(y):
            return y.strip()
        """,
    )
    assert sorted(set(runs)) == ["helper", "main", "run"]
    assert found == {("py-subprocess-shell", "warning", 8)}


def test_a_summary_holds_each_parameter_sink_once() -> None:
    """A loop run again and both branches reach the same sink with the same parameter:
    the helper's summary holds it once per sink, not once per round or path, and its
    callers still report through it."""
    from genguard.taint.run import analyse, taint_matches

    source = textwrap.dedent(
        """
        import os, sys

        def run_all(cmd, items):
            for x in items:
                for y in items:
                    if x:
                        os.system(cmd)
                    else:
                        os.system(cmd + y)

        def main():
            run_all(sys.argv[1], [1, 2])
        """
    ).encode()
    model = compiled().matcher_for("python").taint
    assert model is not None
    model.summaries.clear()  # no summary from an earlier test
    tree = new_parser("python").parse(source)
    analysis = analyse(model, "python", source, tree)
    found = taint_matches(model, "python", source, tree, analysis=analysis)
    helper = next(fn for fn in analysis.functions if fn.name == "run_all")
    summary = analysis._summaries.get(helper.node.id)
    assert summary is not None
    sinks = [(ps.param, ps.rule, ps.start) for ps in summary.sinks]
    assert len(sinks) == len(set(sinks)) == 3  # cmd at both, y at the second
    assert {(m.rule.id, source[: m.start].count(b"\n") + 1) for m in found} == {
        ("py-os-system", 8),
        ("py-os-system", 10),
    }


def test_an_import_run_inside_a_function_renames_the_calls_after_it() -> None:
    """Names are resolved once per node and remembered, until an import runs: here the
    loop's first round calls ``json.call`` (the file's last ``sp``), its second round,
    after the function's own import, ``subprocess.call``."""
    code = """
    import os


    def run(cmd):
        os.system("true")
        for _ in range(2):
            sp.call(cmd, shell=True)
            import subprocess as sp


    import json as sp
    """
    assert findings(code) == [("py-subprocess-shell", "warning", 8)]
