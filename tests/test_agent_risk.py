"""The agent-risk pack: per-check units, the session and ``genguard record`` wiring, and
the corpus that measures recall and false alarms per check.

``tests/corpus/agent-risk/<check>/{bad,good}/*.yaml`` hold realistic AI edits: the
text an edit replaced (``before``), the text it inserted (``after``), the file it
landed in, and for dependency cases the project's manifests (``project``); for
checkpoint cases the files one agent checkpoint touched (``files``). Every bad case
must raise one of its check's rules (a file's ``expect`` narrows them); every good
case must raise no agent-risk rule at all (a file's ``allow`` names rules that fire
there by design, e.g. the guard-rail review on a CI edit that weakens nothing). The
figures per check are printed as a table (also in the terminal summary).
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.detection import Detection

from genguard.agentrisk import (
    BROAD_CHANGE,
    BROAD_CHECKPOINT,
    GUARDRAIL_PATH,
    PACK,
    SILENCED_TOOL,
    WEAKENED_TEST,
    AgentRiskPolicy,
    EditFacts,
    changed_lines,
    evaluate,
    evaluate_checkpoint,
)
from genguard.agentrisk.deps import load_project, parse_manifest, undeclared_imports
from genguard.agentrisk.guardrail import ci_weakening, is_ci_file
from genguard.agentrisk.silence import markers, unexplained_new
from genguard.agentrisk.stdlib import is_go_std, is_java_platform, is_node_builtin, python_stdlib
from genguard.agentrisk.stubs import find_stubs
from genguard.agentrisk.testdiff import is_test_file, weakened
from genguard.config.settings import DEFAULT_GUARDRAIL_GLOBS
from genguard.rules import CompiledRules, RuleSet, load_rules
from genguard.rules.model import AGENT_RISK_CHECKS, ALL_CHECKS, CHECKS
from genguard.session.session import Session
from genguard.syntax.languages import language_for_path, new_parser

CORPUS = Path(__file__).parent / "corpus" / "agent-risk"
MIN_RECALL = 0.90
MAX_FALSE_ALARMS = 0.05
MIN_CASES = 15  # per kind (bad / good) and check

# corpus directory -> the rules that count as catching its bad cases
CATEGORIES: dict[str, tuple[str, ...]] = {
    "undeclared-dependency": ("agent-undeclared-dependency",),
    "weakened-test": ("agent-weakened-test",),
    "silenced-tool": ("agent-silenced-tool",),
    "guardrail-edit": ("agent-guardrail-edit", "agent-ci-weakened"),
    "over-broad": ("agent-broad-change", "agent-broad-checkpoint"),
    "swallowed-error": (
        "agent-swallowed-error-py",
        "agent-swallowed-error-js",
        "agent-swallowed-error-java",
        "agent-swallowed-error-go",
    ),
    "secret-logging": (
        "agent-secret-logged-py",
        "agent-secret-logged-js",
        "agent-secret-logged-java",
        "agent-secret-logged-go",
    ),
    "placeholder": ("agent-placeholder",),
    "stub-implementation": ("agent-stub-implementation",),
}


@cache
def pack() -> RuleSet:
    return load_rules(packs=[PACK])


@cache
def compiled() -> CompiledRules:
    return CompiledRules(pack())


@cache
def rule_for_check() -> dict[str, str]:
    return {r.check: r.id for r in pack().rules if r.check}


# -- the corpus ---------------------------------------------------------------------------


@dataclass
class Case:
    category: str
    kind: str  # "bad" | "good"
    source: str
    name: str
    file: str
    after: str = ""
    before: str | None = ""
    project: dict[str, str] = field(default_factory=dict)
    files: list[str] | None = None
    config: dict[str, Any] = field(default_factory=dict)
    expect: tuple[str, ...] = ()
    allow: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return f"{self.category}/{self.kind}/{self.source}:{self.name}"


def load_cases() -> list[Case]:
    cases = []
    for path in sorted(CORPUS.glob("*/*/*.yaml")):
        category, kind = path.parent.parent.name, path.parent.name
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert set(data) <= {"cases", "expect", "allow"}, f"{path}: unknown keys"
        expect = tuple(data.get("expect") or CATEGORIES[category])
        allow = tuple(data.get("allow") or ())
        for raw in data["cases"]:
            unknown = set(raw) - {"name", "file", "before", "after", "project", "files", "config"}
            assert not unknown, f"{path}: {raw.get('name')}: unknown keys {unknown}"
            cases.append(
                Case(
                    category=category,
                    kind=kind,
                    source=path.stem,
                    name=raw["name"],
                    file=raw["file"],
                    after=raw.get("after", ""),
                    before=raw.get("before", ""),
                    project=raw.get("project", {}),
                    files=raw.get("files"),
                    config=raw.get("config", {}),
                    expect=expect,
                    allow=allow,
                )
            )
    return cases


def write_project(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def policy_for(case: Case, root: Path) -> AgentRiskPolicy:
    return AgentRiskPolicy.build(
        guardrail_globs=DEFAULT_GUARDRAIL_GLOBS,
        max_changed_lines=case.config.get("max_chunk_lines", 300),
        size_by_governance=False,
        max_files_per_checkpoint=case.config.get("max_files_per_checkpoint", 10),
        root=root,
    )


def fired(case: Case, root: Path) -> set[str]:
    """Agent-risk rule ids the case raises: checks through the pure API, patterns by the
    matcher, both on the inserted text as the editor would see it."""
    write_project(root, case.project)
    policy = policy_for(case, root)
    ids = rule_for_check()
    if case.files is not None:
        return {ids[v.check] for v in evaluate_checkpoint(case.files, policy)}
    language = language_for_path(case.file)
    facts = EditFacts(
        file=case.file,
        language=language,
        after=case.after.encode(),
        before=case.before.encode() if case.before is not None else None,
        tool="claude-code",
        kind="agent",
    )
    out = {ids[v.check] for v in evaluate(facts, policy)}
    source = case.after.encode()
    tree = new_parser(language).parse(source) if language else None
    out |= {m.rule.id for m in compiled().matcher_for(language).run(source, tree)}
    return out


def measure(tmp: Path) -> dict[str, Detection]:
    results = {c: Detection() for c in CATEGORIES}
    for i, case in enumerate(load_cases()):
        assert case.category in CATEGORIES, f"unknown corpus directory {case.category}"
        root = tmp / f"p{i}"
        root.mkdir()
        hits = fired(case, root)
        fig = results[case.category]
        if case.kind == "bad":
            (fig.caught if hits & set(case.expect) else fig.missed).append(case.id)
        elif hits - set(case.allow):
            fig.noisy[case.id] = sorted(hits - set(case.allow))
        else:
            fig.quiet.append(case.id)
    return results


def table(results: dict[str, Detection]) -> str:
    head = f"{'check':<24} {'bad':>4} {'caught':>6} {'recall':>7}"
    lines = [f"{head} {'good':>5} {'alarms':>6} {'FA rate':>7}"]
    for name, f in results.items():
        bad, good = len(f.caught) + len(f.missed), len(f.quiet) + len(f.noisy)
        lines.append(
            f"{name:<24} {bad:>4} {len(f.caught):>6} {f.recall:>7.1%} {good:>5}"
            f" {len(f.noisy):>6} {f.false_alarm_rate:>7.1%}"
        )
    return "\n".join(lines)


def test_corpus_recall_and_false_alarms(
    tmp_path: Path, record_property: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    results = measure(tmp_path)
    text = table(results)
    record_property("genguard_agent_risk_table", text)
    with capsys.disabled():
        print("\n" + text)
    problems = []
    for name, f in results.items():
        bad, good = len(f.caught) + len(f.missed), len(f.quiet) + len(f.noisy)
        if bad < MIN_CASES or good < MIN_CASES:
            problems.append(f"{name}: {bad} bad / {good} good cases, need {MIN_CASES} each")
        if f.recall < MIN_RECALL:
            problems.append(f"{name}: recall {f.recall:.1%} < {MIN_RECALL:.0%}; missed {f.missed}")
        if f.false_alarm_rate > MAX_FALSE_ALARMS:
            problems.append(f"{name}: false alarms {f.false_alarm_rate:.1%}; {f.noisy}")
    assert not problems, "\n".join(problems)


def test_corpus_covers_several_languages() -> None:
    by_category: dict[str, set[str]] = {}
    for case in load_cases():
        language = language_for_path(case.file) or case.file.rsplit("/", 1)[-1]
        by_category.setdefault(case.category, set()).add(language)
    for category, languages in by_category.items():
        assert len(languages) >= 3, (category, languages)
    for case in load_cases():
        if case.category in ("weakened-test", "silenced-tool") and case.files is None:
            assert case.before is not None, case.id
        if case.category == "undeclared-dependency":
            assert case.project or case.kind == "good", case.id


def test_session_runs_every_corpus_case_like_the_editor(tmp_path: Path) -> None:
    """The diff-aware corpus through the real session: open the file with the replaced
    text, let the AI replace it, declare the chunk, and read the diagnostics."""
    misses, alarms = [], []
    chunk_categories = ("weakened-test", "silenced-tool", "guardrail-edit", "stub-implementation")
    cases = [c for c in load_cases() if c.category in chunk_categories and c.files is None]
    root = tmp_path / "w"
    root.mkdir()
    session = Session(root, cache_dir=tmp_path / "cache")  # these cases need no manifests
    for case in cases:
        path = root / case.file
        uri = path.as_uri()
        before = case.before or ""
        doc = session.open(uri, None, 1, before)
        end = doc.lsp_range(len(doc.buffer), len(doc.buffer))[1]
        session.change(uri, 2, [(((0, 0), end), case.after)])
        new_end = doc.lsp_range(len(doc.buffer), len(doc.buffer))[1]
        session.declare_ai(uri, 2, ((0, 0), new_end), tool="claude-code", kind="agent")
        session.check(doc)
        codes = {d.code for d in session.diagnostics(doc)}
        risk = {c for c in codes if c.startswith("agent-")}
        if case.kind == "bad" and not risk & set(case.expect):
            misses.append(case.id)
        if case.kind == "good" and risk - set(case.allow):
            alarms.append((case.id, sorted(risk)))
        session.close(uri)
    bad = sum(c.kind == "bad" for c in cases)
    good = len(cases) - bad
    assert len(misses) <= 0.1 * bad, misses
    assert len(alarms) <= 0.05 * good, alarms


# -- units ----------------------------------------------------------------------------------


def test_pack_has_one_rule_per_check_with_mappings() -> None:
    rules = pack().rules
    checks = sorted(r.check for r in rules if r.check)
    assert checks == sorted(AGENT_RISK_CHECKS)
    assert set(ALL_CHECKS) == set(CHECKS) | set(AGENT_RISK_CHECKS)
    for rule in rules:
        assert rule.pack == PACK and rule.message and rule.id.startswith("agent-"), rule.id
        assert {"soc2", "nist_ai_rmf", "iso42001"} <= set(rule.controls), rule.id
        assert rule.owasp_llm, rule.id
        if rule.check is None:
            assert rule.cwe and len(rule.examples_bad) >= 2 and len(rule.examples_good) >= 2
    assert pack().errors == ()


def test_stdlib_lists() -> None:
    names = python_stdlib()
    assert {"json", "asyncio", "tomllib", "distutils", "imp", "asynchat", "annotationlib"} <= names
    assert "requests" not in names and "yaml" not in names
    assert set(sys.stdlib_module_names) <= names
    assert is_node_builtin("fs") and is_node_builtin("node:fs/promises")
    assert is_node_builtin("node:test") and not is_node_builtin("test")
    assert not is_node_builtin("express")
    assert is_go_std("net/http") and is_go_std("C") and not is_go_std("github.com/x/y")
    assert is_java_platform("java.util.List") and is_java_platform("javax.crypto.Cipher")
    assert not is_java_platform("com.google.common.collect.Lists")


def test_manifests_are_read_without_running_anything() -> None:
    assert parse_manifest("requirements-dev.txt", "pytest>=8\n-e .\n# c\nblack[jupyter]==24\n")[
        "python"
    ] == ["black", "pytest"]
    pyproject = (
        '[project]\ndependencies = ["PyYAML>=6", "Django~=5.0"]\n'
        '[project.optional-dependencies]\ntest = ["pytest"]\n'
        '[dependency-groups]\ndev = ["ruff"]\n'
    )
    assert parse_manifest("pyproject.toml", pyproject)["python"] == [
        "django",
        "pytest",
        "pyyaml",
        "ruff",
    ]
    setup_py = "import os\nos.system('boom')\nsetup(install_requires=['attrs'])\n"
    assert parse_manifest("setup.py", setup_py)["python"] == ["attrs"]  # parsed, never run
    pkg = (
        '{"dependencies": {"a": "1"}, "devDependencies": {"b": "1"},'
        ' "peerDependencies": {"c": "1"}}'
    )
    assert parse_manifest("package.json", pkg)["node"] == ["a", "b", "c"]
    gomod = (
        "module x.io/m\nrequire (\n\tgithub.com/a/b v1.0.0\n"
        "\tgolang.org/x/text v0.14.0 // indirect\n)\n"
    )
    assert parse_manifest("go.mod", gomod)["go"] == ["github.com/a/b", "golang.org/x/text"]
    assert parse_manifest("pyproject.toml", "[tool.black]\nline-length = 1\n")["python"] is None
    with pytest.raises(ValueError, match=r"package\.json"):
        parse_manifest("package.json", "{oops")
    with pytest.raises(ValueError, match="not a manifest"):
        parse_manifest("Cargo.toml", "")


def test_broken_manifest_keeps_the_check_quiet_for_that_ecosystem(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text("{broken")
    (tmp_path / "requirements.txt").write_text("requests\n")
    deps = load_project(tmp_path, "src/app.js")
    assert deps.node is None and deps.problems and "package.json" in deps.problems[0]
    assert undeclared_imports(b"import x from 'leftpad-plus';\n", "javascript", deps) == []
    found = undeclared_imports(b"import requests\nimport flask\n", "python", deps)
    assert [u.package for u in found] == ["flask"]


def test_manifest_changes_are_picked_up(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("requests\n")
    code = b"import httpx\n"
    assert [u.package for u in undeclared_imports(code, "python", load_project(tmp_path, "a.py"))]
    (tmp_path / "requirements.txt").write_text("requests\nhttpx>=0.27\n")
    assert undeclared_imports(code, "python", load_project(tmp_path, "a.py")) == []


def test_weakened_test_signals() -> None:
    before = "def test_x():\n    assert f() == 3\n    assert g() == 4\n"
    kinds = {w.kind for w in weakened(before, "def test_x():\n    assert f() == 3\n", "python")}
    assert kinds == {"fewer-asserts"}
    tautology = weakened(before, before.replace("g() == 4", "g() == g()"), "python")
    assert [w.kind for w in tautology] == ["tautology"] and tautology[0].line == 2
    # unknown replaced text: only what the inserted text shows on its own
    assert [w.kind for w in weakened(None, "@pytest.mark.skip\ndef test_y(): ...\n", "python")] == [
        "skip"
    ]
    assert weakened(before, before, "python") == []
    assert weakened(before, before + "\n\ndef test_z():\n    assert h()\n", "python") == []
    assert is_test_file("tests/test_a.py") and is_test_file("src/a.spec.ts")
    assert is_test_file("pkg/a_test.go") and is_test_file("src/test/java/a/ATest.java")
    assert not is_test_file("src/app.py") and not is_test_file("docs/testing.md")


def test_silence_markers_and_reasons() -> None:
    found = markers(
        "a = 1  # noqa: E501 -- generated\n"
        "b = 2  # noqa: E501\n"
        "c = f()  # type: ignore[attr-defined]  # stubs lag behind\n"
        "s = 'not a # noqa marker'\n"
    )
    assert [(m.kind, m.codes, bool(m.reason)) for m in found] == [
        ("noqa", ": E501", True),
        ("noqa", ": E501", False),
        ("type: ignore", "[attr-defined]", True),
    ]
    before = "x = f()  # type: ignore\n"
    assert unexplained_new(before, "x = f(1)  # type: ignore\n") == []  # carried over
    assert [m.kind for m in unexplained_new(before, before + "y = g()  # type: ignore\n")] == [
        "type: ignore"
    ]
    assert [m.kind for m in unexplained_new("", "foo() //nolint:errcheck\n")] == ["nolint"]
    assert unexplained_new("", "foo() //nolint:errcheck // best effort\n") == []


def test_ci_weakening_and_guardrail_paths() -> None:
    assert is_ci_file(".github/workflows/ci.yml") and is_ci_file(".husky/pre-commit")
    assert not is_ci_file("docs/ci.yml") and not is_ci_file("src/workflows/a.yml")
    before = "steps:\n  - run: ruff check .\n  - run: pytest -q\n"
    [removed] = ci_weakening(before, "steps:\n  - run: pytest -q\n", ".github/workflows/ci.yml")
    assert "ruff" in removed.detail and removed.line == -1
    [added] = ci_weakening(before, before.replace("-q", "-q || true"), ".github/workflows/ci.yml")
    assert "|| true" in added.detail and added.line == 2
    assert ci_weakening(before, before + "  - run: mypy src\n", ".github/workflows/ci.yml") == []
    policy = AgentRiskPolicy.build(guardrail_globs=DEFAULT_GUARDRAIL_GLOBS)
    for hit in ("CODEOWNERS", "src/auth/jwt.py", "yarn.lock", ".genguard.toml", "app/crypto.ts"):
        assert policy.guardrails.match(hit), hit
    for miss in ("src/authors.py", "src/app.py", "docs/CODEOWNERS.md", "lockfile.py"):
        assert policy.guardrails.match(miss) is None, miss


def test_stub_detection_across_languages() -> None:
    py = b'def f(x):\n    """Compute the thing from x."""\n    pass\n\ndef g():\n    pass\n'
    assert [(s.name, s.body) for s in find_stubs(py, "python")] == [("f", "pass")]
    assert find_stubs(py, "python", path="x.pyi") == []
    go = b'package a\n\n// Do does the work.\nfunc Do() {\n\tpanic("not implemented")\n}\n'
    assert [s.name for s in find_stubs(go, "go")] == ["Do"]
    assert find_stubs(b"not code at all", "rust") == []


def test_evaluate_spans_and_settling_by_review(tmp_path: Path) -> None:
    text = b"x = 1\nsubprocess.run(cmd, shell=True)  # nosec\n"
    facts = EditFacts(file="app/auth/x.py", language="python", after=text, start=100)
    policy = AgentRiskPolicy.build(guardrail_globs=DEFAULT_GUARDRAIL_GLOBS, root=tmp_path)
    found = {v.check: v for v in evaluate(facts, policy)}
    assert set(found) == {GUARDRAIL_PATH, SILENCED_TOOL}
    nosec = found[SILENCED_TOOL]
    assert text[nosec.start - 100 : nosec.end - 100] == b"# nosec"
    assert (found[GUARDRAIL_PATH].start, found[GUARDRAIL_PATH].end) == (100, 105)
    reviewed = EditFacts(file="app/auth/x.py", language="python", after=text, reviewed=True)
    assert evaluate(reviewed, policy) == []
    only = AgentRiskPolicy.build(enabled=[WEAKENED_TEST], guardrail_globs=DEFAULT_GUARDRAIL_GLOBS)
    assert evaluate(facts, only) == []


def test_broad_change_counts_removed_and_inserted_lines() -> None:
    old = "".join(f"line_{i} = {i}\n" for i in range(20))
    new = "".join(f"value_{i} = compute({i})\n" for i in range(20))
    assert changed_lines(old, new) == 40
    assert changed_lines(old, old.replace("line_3 = 3", "line_3 = 4")) == 2
    assert changed_lines("", "a\n\n}\n") == 1  # blank lines and braces are not substance
    policy = AgentRiskPolicy.build(max_changed_lines=30, size_by_governance=True)
    facts = EditFacts(file="a.py", language="python", after=new.encode(), before=old.encode())
    assert [v.check for v in evaluate(facts, policy)] == [BROAD_CHANGE]
    grown = EditFacts(file="a.py", language="python", after=(new * 2).encode(), before=b"")
    assert evaluate(grown, policy) == []  # growth alone: governance-chunk-size reports it
    many = [f"src/m{i}.py" for i in range(12)]
    [v] = evaluate_checkpoint(many, AgentRiskPolicy.build(max_files_per_checkpoint=10))
    assert v.check == BROAD_CHECKPOINT and "12 files" in v.detail
    assert evaluate_checkpoint(many, AgentRiskPolicy.build(max_files_per_checkpoint=0)) == []


# -- the session and the ledger ----------------------------------------------------------------


def test_session_reports_diff_aware_findings_and_records_them(repo: Path, tmp_path: Path) -> None:
    (repo / "pyproject.toml").write_text('[project]\nname = "shop"\ndependencies = ["requests"]\n')
    session = Session(repo, cache_dir=tmp_path / "cache")
    assert set(session.agent_risk_rules) == set(AGENT_RISK_CHECKS)
    uri = (repo / "tests" / "test_cart.py").as_uri()
    before = "def test_total():\n    assert total([1, 2]) == 3\n    assert total([]) == 0\n"
    doc = session.open(uri, "python", 1, before)
    after = "import reqeusts\n\n\ndef test_total():\n    assert total([1, 2]) == 3\n"
    session.change(uri, 2, [(((0, 0), (3, 0)), after)])
    chunk = session.declare_ai(uri, 2, ((0, 0), (5, 0)), tool="copilot", kind="chat")
    session.check(doc)
    diags = {d.code: d for d in session.diagnostics(doc)}
    dep = diags["agent-undeclared-dependency"]
    assert dep.range == ((0, 7), (0, 15)) and "did you mean 'requests'" in dep.message
    assert dep.chunk_id == chunk.id and "CWE-1357" in dep.cwe
    weak = diags["agent-weakened-test"]
    assert "removes 1 assertion" in weak.message and weak.severity == "warning"
    # typing elsewhere reuses the stored results; a fix inside the chunk re-evaluates
    session.change(uri, 3, [(((0, 7), (0, 15)), "requests")])
    session.check(doc)
    codes = {d.code for d in session.diagnostics(doc)}
    assert "agent-undeclared-dependency" not in codes and "agent-weakened-test" in codes
    session.save(uri)
    events = [json.loads(x) for x in (repo / ".git" / "genguard" / "ledger.jsonl").open()]
    raised = {e["data"]["rule"] for e in events if e["event"] == "finding.raised"}
    resolved = {e["data"]["rule"] for e in events if e["event"] == "finding.resolved"}
    assert {"agent-undeclared-dependency", "agent-weakened-test"} <= raised
    assert "agent-undeclared-dependency" in resolved


def test_session_guardrail_settles_on_review_and_can_be_disabled(
    repo: Path, tmp_path: Path
) -> None:
    session = Session(repo, cache_dir=tmp_path / "cache")
    uri = (repo / ".github" / "workflows" / "ci.yml").as_uri()
    before = "steps:\n  - run: pytest -q\n"
    doc = session.open(uri, "yaml", 1, before)
    session.change(uri, 2, [(((1, 0), (2, 0)), "  - run: pytest -q || true\n")])
    chunk = session.declare_ai(uri, 2, ((1, 0), (2, 0)), tool="cursor")
    session.check(doc)
    diags = {d.code: d for d in session.diagnostics(doc)}
    assert diags["agent-ci-weakened"].severity == "error"
    assert diags["agent-ci-weakened"].range == ((1, 0), (1, 26))
    assert "agent-guardrail-edit" in diags
    session.mark_reviewed(uri, chunk.id)
    codes = {d.code for d in session.diagnostics(doc)}
    assert "agent-guardrail-edit" not in codes and "agent-ci-weakened" in codes

    (repo / ".genguard.toml").write_text(
        '[rules]\ndisable = ["agent-ci-weakened"]\n[agent_risk]\nguardrail_globs = ["infra/**"]\n'
    )
    session.reload()
    codes = {d.code for d in session.diagnostics(doc)}
    assert not {c for c in codes if c.startswith("agent-")}
    assert "ci-weakening" not in session.agent_risk_rules


def test_packs_without_agent_risk_turn_it_off(repo: Path, tmp_path: Path) -> None:
    (repo / ".genguard.toml").write_text('[rules]\npacks = ["security"]\n')
    session = Session(repo, cache_dir=tmp_path / "cache")
    assert session.agent_risk_rules == {}
    uri = (repo / "a.py").as_uri()
    doc = session.open(uri, "python", 1, "")
    session.change(uri, 2, [(((0, 0), (0, 0)), "import nopkg_xyz  # type: ignore\nx = 1\n")])
    session.check(doc)
    assert not [d for d in session.diagnostics(doc) if d.code.startswith("agent-")]


def test_record_runs_the_checkpoint_checks(repo: Path) -> None:
    (repo / ".genguard.toml").write_text("[agent_risk]\nmax_files_per_checkpoint = 2\n")
    (repo / "requirements.txt").write_text("requests\n")
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(["git", "commit", "-qm", "base"], cwd=repo, check=True)
    (repo / "a.py").write_text("import requests\nimport requestz\n")
    (repo / "b.py").write_text("x = compute()  # type: ignore\n")
    (repo / "c.py").write_text("y = 2\nz = 3\n")
    from genguard.agents.record import Recorder
    from genguard.gitio.run import Git, repo_paths

    git = Git(repo)
    result = Recorder(git, repo_paths(git)).record(
        {"a.py": None, "b.py": None, "c.py": None}, tool="claude-code"
    )
    rules = sorted(f.rule for f in result.findings)
    assert rules == ["agent-broad-checkpoint", "agent-silenced-tool", "agent-undeclared-dependency"]
    events = [json.loads(x) for x in (repo / ".git" / "genguard" / "ledger.jsonl").open()]
    raised = [e["data"] for e in events if e["event"] == "finding.raised"]
    assert {r["rule"] for r in raised} == set(rules)
    dep = next(r for r in raised if r["rule"] == "agent-undeclared-dependency")
    assert dep["file"] == "a.py" and dep["at"] == [2, 2] and dep["chunk"]
    [checkpoint] = [e["data"] for e in events if e["event"] == "checkpoint.recorded"]
    assert {"rule": "agent-broad-checkpoint", "file": "a.py"} in checkpoint["agent_risk"]
    assert "requestz" not in (repo / ".git" / "genguard" / "ledger.jsonl").read_text()
