"""The JavaScript/TypeScript front end of the taint engine: what it follows, what
stops it, and what it reports, on small programs written for each flow."""

from __future__ import annotations

import textwrap
from functools import cache

import pytest

from genguard.rules import CompiledRules, load_rules
from genguard.syntax.languages import new_parser
from genguard.taint.javascript import module_name


@cache
def compiled() -> CompiledRules:
    return CompiledRules(load_rules(packs=["security"]))


def findings(code: str, language: str = "javascript") -> list[tuple[str, int, str]]:
    """(rule, line, severity) of each taint finding in ``code``."""
    source = textwrap.dedent(code).encode()
    tree = new_parser(language).parse(source)
    out = []
    for m in compiled().matcher_for(language).run(source, tree):
        if m.rule.taint is not None:
            out.append((m.rule.id, source[: m.start].count(b"\n") + 1, m.rule.severity))
    return sorted(out)


def test_module_names_become_dotted_names() -> None:
    assert module_name("node:fs/promises") == "fs.promises"
    assert module_name("escape-html") == "escape_html"
    assert module_name("@koa/router") == "koa.router"


@pytest.mark.parametrize("language", ["javascript", "typescript", "tsx"])
def test_an_express_handler_passed_inline_is_followed(language: str) -> None:
    code = """\
        const { exec } = require("child_process");
        app.get("/ping", (req, res) => {
          const { host = "localhost" } = req.query;
          const cmd = `ping -c 1 ${host}`;
          exec(cmd, (err, out) => res.send(out));
        });
        """
    assert ("js-child-process-exec", 5, "error") in findings(code, language)


def test_module_bindings_resolve_the_sink() -> None:
    code = """\
        const cp = require("node:child_process");
        import { execSync as run } from "child_process";
        const util = require("util");
        const execAsync = util.promisify(cp.exec);
        app.post("/a", async (req, res) => {
          cp.exec("ls " + req.body.dir);
          run("ls " + req.body.dir);
          await execAsync("ls " + req.body.dir);
          require("child_process").exec("ls " + req.body.dir);
          child.exec("ls " + req.body.dir);
        });
        """
    lines = [line for rule, line, _ in findings(code) if rule == "js-child-process-exec"]
    assert lines == [6, 7, 8, 9]  # child.exec: not the child_process module


def test_closures_destructuring_containers_and_callbacks() -> None:
    code = """\
        app.post("/q", (req, res) => {
          const body = { ...req.body };
          const [first] = body.items;
          const parts = [];
          parts.push(first);
          db.query("SELECT * FROM t WHERE a = " + parts.join(","), (err, rows) => {
            db.query(`DELETE FROM t WHERE b = '${body.name}'`);
          });
          req.body.ids.forEach((id) => db.query("SELECT " + id));
          const constant = { a: "x", b: req.body.b };
          db.query("SELECT " + constant.a);
        });
        """
    lines = [line for rule, line, _ in findings(code) if rule == "js-sql-injection"]
    assert lines == [6, 7, 9]  # constant.a is a constant


def test_constant_folding_and_dead_branches() -> None:
    code = """\
        const DEBUG = false;
        const LIMIT = 3 * 5;
        app.get("/x", (req, res) => {
          if (DEBUG) eval(req.query.code);
          const expr = LIMIT + 2 > 10 ? "1 + 1" : req.query.expr;
          eval(expr);
          const mode = "safe";
          switch (mode) {
            case "unsafe": eval(req.query.other); break;
            default: eval("2 + 2");
          }
          eval(DEBUG && req.query.code);
        });
        """
    # the switch joins its cases: a case not taken by a constant is still may-flow
    assert [line for rule, line, _ in findings(code) if rule == "js-eval"] == [9]


def test_sanitizers_and_checks_clean_only_where_they_hold() -> None:
    code = """\
        const ALLOWED = new Set(["a", "b"]);
        const path = require("path");
        const fs = require("fs");
        app.get("/f", (req, res) => {
          const name = req.query.name;
          if (ALLOWED.has(name)) {
            fs.readFileSync(name);
          } else {
            fs.readFileSync(name);
          }
          fs.readFileSync(path.basename(req.query.other));
          const full = path.resolve(ROOT, req.query.p);
          if (!full.startsWith(ROOT + path.sep)) return res.sendStatus(403);
          fs.readFileSync(full);
          const n = Number(req.query.n);
          fs.readFileSync(`/data/${n}.json`);
          if (req.query.kind === "report") fs.readFileSync(req.query.kind);
        });
        """
    assert [line for rule, line, _ in findings(code) if rule == "js-path-traversal"] == [9]


def test_helpers_in_the_same_file_carry_their_summary() -> None:
    code = """\
        function runQuery(sql) {
          return pool.query(sql);
        }
        function clean(v) {
          return parseInt(v, 10);
        }
        app.get("/u", (req, res) => {
          runQuery("SELECT * FROM u WHERE id = " + req.query.id);
          runQuery("SELECT * FROM u WHERE id = " + clean(req.query.id));
          runQuery("SELECT 1");
        });
        """
    # the finding lands on the helper's sink, reached from the handler
    assert findings(code) == [("js-sql-injection", 2, "error")]


def test_class_methods_and_this() -> None:
    code = """\
        class Repo {
          find(name) {
            return this.db.query(`SELECT * FROM t WHERE name = '${name}'`);
          }
          handle(req, res) {
            return this.find(req.params.name);
          }
        }
        """
    assert ("js-sql-injection", 3, "error") in findings(code)


def test_typescript_route_parameters_and_type_syntax() -> None:
    code = """\
        @Controller("users")
        export class UsersController {
          @Get(":id")
          async findOne(@Param("id") id: string): Promise<User> {
            const key = id as string;
            return this.db.query(`SELECT * FROM users WHERE id = ${key!}`);
          }
          async count(@Query("n") n: string) {
            return this.db.query(`SELECT * FROM users LIMIT ${parseInt(n, 10)}`);
          }
        }
        """
    assert findings(code, "typescript") == [("js-sql-injection", 6, "error")]


def test_severity_follows_the_evidence() -> None:
    code = """\
        function calc(expr) {
          return eval(expr);
        }
        eval("1 + 1");
        eval(process.env.SNIPPET);
        """
    assert findings(code) == [("js-eval", 2, "warning"), ("js-eval", 5, "warning")]


def test_browser_sources_and_assignment_sinks() -> None:
    code = """\
        const params = new URLSearchParams(window.location.search);
        const next = params.get("next");
        document.querySelector("#m").innerHTML = `<b>${params.get("msg")}</b>`;
        document.querySelector("#m").textContent = params.get("msg");
        window.location.href = next;
        window.location.href = "/home?from=" + encodeURIComponent(next);
        window.addEventListener("message", (event) => {
          document.body.insertAdjacentHTML("beforeend", event.data);
        });
        """
    assert findings(code) == [
        ("js-inner-html", 3, "error"),
        ("js-inner-html", 8, "error"),
        ("js-open-redirect", 5, "error"),
    ]


def test_options_objects_are_keyword_arguments() -> None:
    code = """\
        const { spawn } = require("child_process");
        app.get("/s", (req, res) => {
          spawn(req.query.cmd, [], { shell: true });
          spawn(req.query.cmd, []);
          res.sendFile(req.query.file, { root: PUBLIC });
          res.sendFile(req.query.file);
        });
        """
    assert findings(code) == [
        ("js-child-process-exec", 3, "error"),
        ("js-path-traversal", 6, "error"),
    ]


def test_json_responses_are_not_html() -> None:
    code = """\
        app.get("/h", (req, res) => {
          res.send({ name: req.query.name });
          res.send([req.query.name]);
          res.json({ name: req.query.name });
          res.send(req.query.name);
        });
        """
    assert findings(code) == [("js-reflected-xss", 5, "error")]


def test_nosql_filters_from_the_body_but_not_route_parameters() -> None:
    code = """\
        app.post("/login", async (req, res) => {
          await User.findOne({ user: req.body.user });
          await User.findOne({ user: String(req.body.user) });
          await User.findOne({ _id: req.params.id });
          const { token } = req.body;
          if (typeof token !== "string") return res.sendStatus(400);
          await User.findOne({ token });
        });
        """
    assert findings(code) == [("js-nosql-injection", 2, "error")]


def test_a_hostile_file_stays_within_its_budget() -> None:
    nested = "x = (" * 300 + "req.query.a" + ")" * 300
    deep = "if (a) {" * 200 + "eval(req.query.b);" + "}" * 200
    chain = "\n".join(f"const v{i} = v{i - 1} + req.query.x{i};" for i in range(1, 2000))
    for code in (nested, deep, "const v0 = 1;\n" + chain + "\neval(v1999);"):
        findings(code)  # returns (partial results at worst) without raising


def test_containment_checks_through_path_relative_and_helpers() -> None:
    code = """\
        const path = require("path");
        function isInside(child, parent) {
          const rel = path.relative(parent, child);
          return !!rel && !rel.startsWith("..") && !path.isAbsolute(rel);
        }
        app.get("/a", (req, res) => {
          const target = path.resolve(BASE, req.query.f);
          const rel = path.relative(BASE, target);
          if (rel.startsWith("..") || path.isAbsolute(rel)) return res.sendStatus(403);
          res.sendFile(target);
        });
        app.get("/b", (req, res) => {
          const target = path.resolve(BASE, req.query.f);
          if (!isInside(target, BASE)) return res.sendStatus(403);
          res.sendFile(target);
        });
        app.get("/c", (req, res) => {
          const target = path.resolve(BASE, req.query.f);
          const rel = path.relative(BASE, target);
          if (!rel.startsWith("..")) return res.sendStatus(403);
          res.sendFile(target);
        });
        app.get("/d", (req, res) => {
          const target = path.resolve(BASE, req.query.f);
          if (isInside(target, BASE)) return res.sendStatus(403);
          res.sendFile(target);
        });
        """
    # the checks hold on the way to /a's and /b's sinks; /c and /d test the opposite
    assert findings(code) == [
        ("js-path-traversal", 21, "error"),
        ("js-path-traversal", 26, "error"),
    ]


def test_a_check_that_one_of_two_literals_matched_pins_the_value() -> None:
    code = """\
        const { exec } = require("child_process");
        app.get("/x", (req, res) => {
          const mode = req.query.mode;
          if (mode !== "fast" && mode !== "slow") return res.sendStatus(400);
          exec("run --" + mode);
          const other = req.query.other;
          if (other !== "a" || req.query.z) return;
          exec("run --" + other);
          if (req.query.y === "a" || req.query.w === "b") exec("run " + req.query.y);
        });
        """
    assert findings(code) == [("js-child-process-exec", 9, "error")]


def test_an_edit_at_the_top_level_rechecks_the_rest_of_the_module() -> None:
    from genguard.taint.run import affected, analyse

    code = (
        b'const { exec } = require("child_process");\n'
        b"function helper(x) { return x.trim(); }\n"
        b'app.get("/a", (req, res) => {\n'
        b"  const host = req.query.host;\n"
        b'  exec("ping " + helper(host));\n'
        b"});\n"
        b"function unrelated() { return 1; }\n"
    )
    model = compiled().matcher_for("javascript").taint
    tree = new_parser("javascript").parse(code)
    at = code.index(b"req.query.host")
    spans = affected(analyse(model, "javascript", code, tree), [(at, at + 1)])
    assert any(s <= code.index(b"exec(") and e == len(code) for s, e in spans)
    inside = code.index(b"x.trim")  # a helper the top level calls: the module again
    spans = affected(analyse(model, "javascript", code, tree), [(inside, inside + 1)])
    assert any(s == 0 and e == len(code) for s, e in spans)
    other = code.index(b"return 1")
    spans = affected(analyse(model, "javascript", code, tree), [(other, other + 1)])
    assert all(e - s < 40 for s, e in spans)  # only the function itself


def test_printf_style_formatting_builds_text() -> None:
    code = """\
        const util = require("util");
        app.get("/x", async (req, res) => {
          const sql = util.format("SELECT * FROM t WHERE name = '%s'", req.query.name);
          await pool.query(sql);
          await pool.query(util.format("SELECT * FROM t LIMIT %d", 10));
          await Promise.all([req.query.a].map((x) => x));
          res.status(302).set("Location", req.query.next).end();
        });
        """
    assert findings(code) == [("js-open-redirect", 7, "error"), ("js-sql-injection", 4, "error")]


def test_a_dom_sink_fed_by_a_helper_that_reads_the_page_url() -> None:
    """The function with the sink reads no source itself: its helper does."""
    code = """\
        const box = document.querySelector("#box");
        function fragment() {
          return decodeURIComponent(window.location.hash.slice(1));
        }
        function show() {
          const title = fragment();
          box.innerHTML = "<h2>" + title + "</h2>";
        }
        show();
        """
    assert ("js-inner-html", 7, "error") in findings(code)
    quiet = code.replace('"<h2>" + title', '"<h2>" + encodeURIComponent(title)')
    assert not [f for f in findings(quiet) if f[0] == "js-inner-html"]


def test_a_comparison_of_two_names_keeps_the_value_with_fewer_origins() -> None:
    """``full === base`` on one path of a containment check: what is returned is
    ``base`` there, and the checked path elsewhere."""
    code = """\
        const fs = require("fs");
        const path = require("path");
        function inside(base, name) {
          const full = path.resolve(base, name);
          if (full !== base && !full.startsWith(base + path.sep)) return null;
          return full;
        }
        app.get("/f", (req, res) => {
          const full = inside(ROOT, req.query.f);
          if (full) fs.createReadStream(full).pipe(res);
        });
        """
    assert not [f for f in findings(code) if f[0] == "js-path-traversal"]
    unchecked = code.replace("full !== base && !full.startsWith(base + path.sep)", "!full")
    assert [f for f in findings(unchecked) if f[0] == "js-path-traversal"]


def test_a_timer_callback_sees_no_constant_in_what_it_counts_down() -> None:
    """A callback may run again: ``seconds`` it decrements reaches 0 on a later run."""
    code = """\
        const next = new URLSearchParams(window.location.search).get("next");
        let seconds = 3;
        const timer = setInterval(function () {
          seconds -= 1;
          if (seconds <= 0) {
            clearInterval(timer);
            window.location.href = next;
          }
        }, 1000);
        """
    assert ("js-open-redirect", 7, "error") in findings(code)
    once = code.replace("seconds -= 1;", "")  # 3 <= 0 never holds
    assert not [f for f in findings(once) if f[0] == "js-open-redirect"]


def test_a_method_called_on_an_instance_the_file_makes() -> None:
    """``repo.find(id)`` where ``repo = new Repo(...)``: the class's ``find`` runs."""
    code = """\
        class Repo {
          constructor(db) { this.db = db; }
          find(id) { return this.db.query("SELECT * FROM t WHERE id = " + id); }
        }
        const repo = new Repo(pool);
        app.get("/t", async (req, res) => res.json(await repo.find(req.query.id)));
        """
    assert ("js-sql-injection", 3, "error") in findings(code)
    safe = code.replace("repo.find(req.query.id)", "repo.find(Number(req.query.id))")
    assert not [f for f in findings(safe) if f[0] == "js-sql-injection"]
