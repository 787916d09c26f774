"""The taint corpora, their manifests, the metamorphic variants and the scorer are well-formed.

These tests do not depend on what genguard detects: they check the measuring instrument, so a
recall figure computed with it means what it says.
"""

from __future__ import annotations

import ast
import io
import json
import subprocess
import sys
import tokenize
from collections import Counter
from pathlib import Path

import pytest
import tree_sitter
import tree_sitter_go
import tree_sitter_java
import tree_sitter_javascript
import tree_sitter_typescript

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import metamorphic  # noqa: E402
import metamorphic_ts  # noqa: E402
import score  # noqa: E402

CORPUS = HERE / "corpus"
MANIFEST = metamorphic.load_manifest()
FILES = sorted(p.name for p in CORPUS.glob("*.py"))
# Words that would give the answer away (or silence a finding) if they appeared in a comment.
TELLTALE = ("vuln", "cwe", "sink", "nosec", "genguard", "insecure", "exploit", "taint")
# The families each language's corpus must cover (what its models are meant to find).
REQUIRED_FAMILIES = {
    "python": {
        "22 path traversal",
        "78 command injection",
        "79 XSS",
        "89 SQL injection",
        "90 LDAP injection",
        "94/95 code injection",
        "501 trust boundary",
        "502 deserialisation",
        "601 open redirect",
        "611 XXE",
        "643 XPath injection",
        "918 SSRF",
        "330 weak random",
        "614/1004 cookie flags",
        "327/328/916 weak hash",
    },
    "javascript": {
        "78 command injection",
        "94/95 code injection",
        "89 SQL injection",
        "79 XSS",
        "22 path traversal",
        "601 open redirect",
        "918 SSRF",
        "1321 prototype pollution",
        "943 NoSQL injection",
    },
    "go": {
        "78 command injection",
        "89 SQL injection",
        "79 XSS",
        "22 path traversal",
        "601 open redirect",
        "918 SSRF",
    },
    "java": {
        "78 command injection",
        "89 SQL injection",
        "79 XSS",
        "22 path traversal",
        "601 open redirect",
        "502 deserialisation",
        "611 XXE",
        "643 XPath injection",
        "90 LDAP injection",
        "918 SSRF",
        "501 trust boundary",
        "614/1004 cookie flags",
        "330 weak random",
    },
}


def _call_name(node: ast.AST) -> str:
    if isinstance(node, ast.Await):
        node = node.value
    if isinstance(node, ast.Call):
        f = node.func
        return f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "?")
    return type(node).__name__


def test_corpus_size_and_balance():
    assert len(FILES) >= 150
    vulnerable = sum(e["vulnerable"] for e in MANIFEST.values())
    assert abs(vulnerable - len(MANIFEST) / 2) <= len(MANIFEST) * 0.05
    per_family = Counter((score.family_of(e["cwe"]), e["vulnerable"]) for e in MANIFEST.values())
    assert {f for f, _ in per_family} == REQUIRED_FAMILIES["python"]
    for family in REQUIRED_FAMILIES["python"]:
        bad, good = per_family[(family, True)], per_family[(family, False)]
        assert bad + good >= 8, family
        assert abs(bad - good) <= 2, family


def test_manifest_covers_exactly_the_corpus():
    assert sorted(MANIFEST) == FILES


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_manifest_entry_is_well_formed(name):
    entry = MANIFEST[name]
    assert set(entry) <= {"vulnerable", "cwe", "line", "alt_lines", "description"}
    assert isinstance(entry["vulnerable"], bool)
    score.family_of(entry["cwe"])  # raises for a CWE outside the measured families
    assert entry["description"].strip() and "\n" not in entry["description"]
    lines = (CORPUS / name).read_text(encoding="utf-8").splitlines()
    for ln in [entry["line"], *entry.get("alt_lines", [])]:
        assert 1 <= ln <= len(lines) and lines[ln - 1].strip(), (name, ln)


@pytest.mark.parametrize("name", FILES)
def test_file_parses_and_marks_a_call_return_or_store(name):
    text = (CORPUS / name).read_text(encoding="utf-8")
    compile(text, name, "exec")
    src = metamorphic.Source(text)
    target = metamorphic.sink_target(src, MANIFEST[name]["line"])
    assert isinstance(target, ast.Call | ast.expr | ast.Assign | ast.AugAssign)
    line = src.lines[MANIFEST[name]["line"] - 1]
    assert "return" in line or "(" in line or "=" in line


@pytest.mark.parametrize("name", FILES)
def test_no_comment_gives_the_answer_away(name):
    text = (CORPUS / name).read_text(encoding="utf-8")
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok.type == tokenize.COMMENT:
            low = tok.string.lower()
            assert not any(w in low for w in TELLTALE), (name, tok.start[0], tok.string)
    first = text.splitlines()[0]
    assert not first.startswith('"""'), "a module docstring could describe the answer"


@pytest.fixture(scope="module")
def variants(tmp_path_factory):
    out = tmp_path_factory.mktemp("variants")
    return out, metamorphic.generate(out)


def test_every_transformation_applies_broadly(variants):
    _, manifests = variants
    applied = {t: sum(e["applied"] for e in m.values()) for t, m in manifests.items()}
    n = len(MANIFEST)
    assert applied["original"] == 0
    assert applied["comments"] == n
    assert applied["rename"] >= 0.95 * n
    assert applied["helper"] >= 0.95 * n
    assert applied["intermediate"] >= 0.75 * n
    assert applied["wrap-str"] >= 0.8 * n
    assert applied["wrap-strip"] >= 0.75 * n
    assert applied["restyle"] >= 50


def test_variant_manifests_are_written(variants):
    out, manifests = variants
    for tname, entries in manifests.items():
        on_disk = json.loads((out / tname / "manifest.json").read_text(encoding="utf-8"))
        assert on_disk["transform"] == tname
        assert on_disk["files"] == entries
        assert sorted(entries) == FILES


def test_every_variant_parses_and_its_sink_line_maps(variants):
    out, manifests = variants
    problems = []
    for tname, entries in manifests.items():
        for name, entry in entries.items():
            original = metamorphic.Source((CORPUS / name).read_text(encoding="utf-8"))
            text = (out / tname / name).read_text(encoding="utf-8")
            try:
                variant = metamorphic.Source(text)
            except SyntaxError as exc:
                problems.append(f"{tname}/{name}: does not parse: {exc}")
                continue
            for ln in entry.get("alt_lines", []):
                if not 1 <= ln <= len(variant.lines):
                    problems.append(f"{tname}/{name}: alt line {ln} out of range")
            before = metamorphic.sink_target(original, MANIFEST[name]["line"])
            try:
                after = metamorphic.sink_target(variant, entry["line"])
            except metamorphic.NotApplicable as exc:
                problems.append(f"{tname}/{name}:{entry['line']}: {exc}")
                continue
            if tname == "restyle" or not isinstance(before, ast.Call):
                continue
            if tname == "rename" and not isinstance(before.func, ast.Attribute):
                continue  # a local callable was renamed with everything else
            if _call_name(after) != _call_name(before):
                problems.append(
                    f"{tname}/{name}:{entry['line']}: sink {_call_name(before)} became "
                    f"{_call_name(after)}"
                )
    assert not problems, "\n".join(problems)


def test_layout_preserving_variants_keep_the_program(variants):
    """Comments change no code; wrappers and renames keep the statement structure."""
    out, _ = variants
    for name in FILES:
        original = ast.parse((CORPUS / name).read_text(encoding="utf-8"))
        commented = ast.parse((out / "comments" / name).read_text(encoding="utf-8"))
        assert ast.dump(original) == ast.dump(commented), name
        for tname in ("rename", "wrap-str", "wrap-strip", "restyle"):
            changed = ast.parse((out / tname / name).read_text(encoding="utf-8"))
            kinds = [type(n).__name__ for n in ast.walk(original) if isinstance(n, ast.stmt)]
            kinds2 = [type(n).__name__ for n in ast.walk(changed) if isinstance(n, ast.stmt)]
            assert kinds == kinds2, (tname, name)


def test_comment_variant_keeps_the_sink_text(variants):
    out, manifests = variants
    for name, entry in manifests["comments"].items():
        old = (CORPUS / name).read_text(encoding="utf-8").splitlines()[MANIFEST[name]["line"] - 1]
        new = (out / "comments" / name).read_text(encoding="utf-8").splitlines()[entry["line"] - 1]
        assert old == new, name


def test_rename_leaves_no_original_local_name():
    text = (CORPUS / "workspace_cleanup.py").read_text(encoding="utf-8")
    entry = MANIFEST["workspace_cleanup.py"]
    variant = metamorphic.make_variant("rename", text, entry)
    assert variant is not None
    for old in ("name", "target", "workspace_dir", "WORKSPACES"):
        assert old not in {
            n.id for n in ast.walk(ast.parse(variant.source)) if isinstance(n, ast.Name)
        }
    assert "request.form" in variant.source and "@app.route" in variant.source


def test_helper_moves_the_sink_out_of_the_handler():
    text = (CORPUS / "ping_tool.py").read_text(encoding="utf-8")
    variant = metamorphic.make_variant("helper", text, MANIFEST["ping_tool.py"])
    assert variant is not None
    tree = ast.parse(variant.source)
    helper = next(f for f in tree.body if isinstance(f, ast.FunctionDef) and not f.decorator_list)
    assert helper.lineno < variant.line <= helper.end_lineno
    assert "os.system" in variant.source.splitlines()[variant.line - 1]
    call_site = variant.source.splitlines()[variant.alt_lines[0] - 1]
    assert helper.name + "(host)" in call_site


def test_restyle_switches_every_style():
    cases = {
        'x = f"a{b}c"\n': "'a{}c'.format(b)",
        'x = "a%sc" % b\n': 'f"a{b}c"',
        'x = "a{}c".format(b)\n': "('a%sc' % (b,))",
        'x = "a" + b + "c"\n': 'f"a{b}c"',
    }
    for before, after in cases.items():
        variant = metamorphic.make_variant("restyle", before, {"line": 1})
        assert variant is not None and after in variant.source, (before, variant)
        assert variant.line == 1


# ------------------------------------------------------------- the other languages' corpora

GRAMMARS = {
    ".js": tree_sitter_javascript.language,
    ".jsx": tree_sitter_javascript.language,
    ".ts": tree_sitter_typescript.language_typescript,
    ".tsx": tree_sitter_typescript.language_tsx,
    ".go": tree_sitter_go.language,
    ".java": tree_sitter_java.language,
}
OTHER = {lang: path for lang, path in score.CORPORA.items() if lang != "python"}
OTHER_MANIFESTS = {lang: score.load_manifest(lang) for lang in OTHER}
OTHER_FILES = [(lang, name) for lang, m in OTHER_MANIFESTS.items() for name in sorted(m)]
COMMENT_NODES = {"comment", "line_comment", "block_comment"}


def _parse(lang: str, name: str) -> tuple[bytes, tree_sitter.Tree]:
    data = (OTHER[lang] / name).read_bytes()
    grammar = GRAMMARS[Path(name).suffix]
    return data, tree_sitter.Parser(tree_sitter.Language(grammar())).parse(data)


def _nodes(node: tree_sitter.Node):
    yield node
    for child in node.children:
        yield from _nodes(child)


def test_every_language_has_a_required_family_list():
    assert set(score.CORPORA) == set(REQUIRED_FAMILIES)
    assert set().union(*REQUIRED_FAMILIES.values()) == set(score.FAMILIES)


@pytest.mark.parametrize("lang", sorted(OTHER))
def test_other_corpus_size_and_balance(lang):
    manifest = OTHER_MANIFESTS[lang]
    assert len(manifest) >= 60
    vulnerable = sum(e["vulnerable"] for e in manifest.values())
    assert abs(vulnerable - len(manifest) / 2) <= len(manifest) * 0.05
    per_family = Counter((score.family_of(e["cwe"]), e["vulnerable"]) for e in manifest.values())
    assert {f for f, _ in per_family} == REQUIRED_FAMILIES[lang]
    for family in REQUIRED_FAMILIES[lang]:
        bad, good = per_family[(family, True)], per_family[(family, False)]
        assert bad >= 3 and good >= 3, (family, bad, good)
        assert abs(bad - good) <= 2, family


@pytest.mark.parametrize("lang", sorted(OTHER))
def test_other_manifest_covers_exactly_its_corpus(lang):
    on_disk = sorted(p.name for p in OTHER[lang].iterdir() if p.name != "manifest.json")
    assert sorted(OTHER_MANIFESTS[lang]) == on_disk
    assert all(Path(n).suffix in GRAMMARS for n in on_disk)


@pytest.mark.parametrize(("lang", "name"), OTHER_FILES)
def test_other_file_parses_and_marks_its_sink(lang, name):
    entry = OTHER_MANIFESTS[lang][name]
    assert set(entry) <= {"vulnerable", "cwe", "line", "alt_lines", "description"}
    assert isinstance(entry["vulnerable"], bool)
    score.family_of(entry["cwe"])
    assert entry["description"].strip() and "\n" not in entry["description"]
    data, tree = _parse(lang, name)
    bad = [n for n in _nodes(tree.root_node) if n.type == "ERROR" or n.is_missing]
    assert not bad, [(n.type, n.start_point.row + 1) for n in bad]
    lines = data.decode("utf-8").splitlines()
    assert 15 <= len(lines) <= 80, len(lines)
    for ln in [entry["line"], *entry.get("alt_lines", [])]:
        assert 1 <= ln <= len(lines) and lines[ln - 1].strip(), ln
    sink = lines[entry["line"] - 1]
    assert "return" in sink or any(c in sink for c in "(=`"), sink


def _is_public(node: tree_sitter.Node) -> bool:
    mods = [c for c in node.children if c.type == "modifiers"]
    return bool(mods) and any(c.type == "public" for c in mods[0].children)


@pytest.mark.parametrize("name", sorted(OTHER_MANIFESTS.get("java", {})))
def test_java_file_is_named_after_its_public_class(name):
    data, tree = _parse("java", name)
    public = [
        data[n.child_by_field_name("name").start_byte : n.child_by_field_name("name").end_byte]
        for n in tree.root_node.children
        if n.type == "class_declaration" and _is_public(n)
    ]
    assert public == [Path(name).stem.encode()]


@pytest.mark.parametrize(("lang", "name"), OTHER_FILES)
def test_other_comments_give_nothing_away(lang, name):
    data, tree = _parse(lang, name)
    for node in _nodes(tree.root_node):
        if node.type in COMMENT_NODES:
            low = data[node.start_byte : node.end_byte].decode("utf-8").lower()
            assert not any(w in low for w in TELLTALE), (node.start_point.row + 1, low)


# ------------------------------------------------ the other languages' metamorphic variants


def _callee_names(src: metamorphic_ts.Source, line: int) -> list[str]:
    names = []
    for c in metamorphic_ts.sink_calls(src, line):
        if c.type == "method_invocation":
            fn = c.child_by_field_name("name")
        elif c.type == "object_creation_expression":
            fn = c.child_by_field_name("type")
        else:
            fn = c.child_by_field_name("function") or c.child_by_field_name("constructor")
        names.append(src.seg(fn).rsplit(".", 1)[-1])
    return names


@pytest.fixture(scope="module")
def ts_variants(tmp_path_factory):
    out = tmp_path_factory.mktemp("ts-variants")
    return out, {lang: metamorphic_ts.generate(out / lang, OTHER[lang]) for lang in OTHER}


def test_other_transformations_apply_broadly(ts_variants):
    _, per_lang = ts_variants
    assert set(per_lang) == set(OTHER)
    for lang, manifests in per_lang.items():
        assert set(manifests) == set(metamorphic_ts.TRANSFORMS)
        applied = {t: sum(e["applied"] for e in m.values()) for t, m in manifests.items()}
        n = len(OTHER_MANIFESTS[lang])
        assert applied["original"] == 0, lang
        assert applied["comments"] == n, lang
        assert applied["rename"] >= 0.9 * n, (lang, applied)
        assert applied["intermediate"] >= 0.8 * n, (lang, applied)
        assert applied["wrap-str"] >= 0.55 * n, (lang, applied)
        assert applied["wrap-strip"] == applied["wrap-str"], (lang, applied)
        assert applied["restyle"] >= 8, (lang, applied)


def test_other_variants_parse_and_keep_their_sink(ts_variants):
    out, per_lang = ts_variants
    problems = []
    for lang, manifests in per_lang.items():
        for tname, entries in manifests.items():
            for name, entry in entries.items():
                suffix = Path(name).suffix
                text = (out / lang / tname / name).read_text(encoding="utf-8")
                if metamorphic_ts.has_error(metamorphic_ts.parse(text, suffix)):
                    problems.append(f"{lang}/{tname}/{name}: does not parse")
                    continue
                variant = metamorphic_ts.Source(text, suffix)
                for ln in [entry["line"], *entry.get("alt_lines", [])]:
                    if not 1 <= ln <= len(variant.lines) or not variant.lines[ln - 1].strip():
                        problems.append(f"{lang}/{tname}/{name}: line {ln} is empty or outside")
                if tname == "restyle":
                    continue  # a format call may become a concatenation on the marked line
                original_text = (OTHER[lang] / name).read_text(encoding="utf-8")
                original = metamorphic_ts.Source(original_text, suffix)
                before = _callee_names(original, OTHER_MANIFESTS[lang][name]["line"])
                after = _callee_names(variant, entry["line"])
                if not before or (after and after[0] == before[0]):
                    continue
                if tname == "rename" and after and after[0].startswith("v"):
                    continue  # a local callable was renamed with everything else
                problems.append(f"{lang}/{tname}/{name}: sink {before[0]} became {after[:1]}")
    assert not problems, "\n".join(problems)


def test_other_comment_variant_keeps_the_sink_text(ts_variants):
    out, per_lang = ts_variants
    for lang, manifests in per_lang.items():
        for name, entry in manifests["comments"].items():
            old = (OTHER[lang] / name).read_text(encoding="utf-8").splitlines()
            new = (out / lang / "comments" / name).read_text(encoding="utf-8").splitlines()
            sink = old[OTHER_MANIFESTS[lang][name]["line"] - 1]
            assert new[entry["line"] - 1].startswith(sink), name  # a claim may trail it


def _variant(tname: str, text: str, suffix: str, line: int, cwe: int = 79):
    variant = metamorphic_ts.make_variant(tname, text, suffix, {"line": line, "cwe": cwe})
    assert variant is not None, (tname, text)
    return variant


def test_rename_keeps_members_and_expands_shorthand():
    js = "const { name, dir } = req.body;\nconst target = dir + name;\nsave({ target, dir });\n"
    v = _variant("rename", js, ".js", 3)
    assert "req.body" in v.source and "target:" in v.source and "dir:" in v.source
    assert "const target" not in v.source and "name:" in v.source
    java = (
        'class A { String f(@RequestParam String q) { String sql = "x" + q;'
        " return db.sql(sql); } }\n"
    )
    v = _variant("rename", java, ".java", 1)
    assert "db.sql(v1)" in v.source and "String q" in v.source


def test_intermediate_stages_the_data_not_the_response_writer():
    go = (
        "package m\n\nfunc h(w http.ResponseWriter, r *http.Request) {\n"
        '\tnext := r.FormValue("next")\n\thttp.Redirect(w, r, next, 302)\n}\n'
    )
    v = _variant("intermediate", go, ".go", 5)
    assert "staged1 := next\n\thttp.Redirect(w, r, staged1, 302)" in v.source
    assert v.line == 6


def test_other_restyle_switches_every_style():
    cases = [
        ("const s = `a${b}c`;\n", ".js", '("a" + (b) + "c")'),
        ('const s = "a" + b + "c";\n', ".js", "`a${b}c`"),
        (
            'package m\n\nimport "fmt"\n\nvar s = fmt.Sprintf("a%sc", b)\n',
            ".go",
            '("a" + (b) + "c")',
        ),
        ('package m\n\nimport "fmt"\n\nvar s = "a%" + b\n', ".go", 'fmt.Sprintf("a%%%s", b)'),
        ('class A { String s = String.format("a%dc", n); }\n', ".java", '("a" + (n) + "c")'),
        ('class A { String s = "a" + n; }\n', ".java", 'String.format("a%s", n)'),
    ]
    for text, suffix, expected in cases:
        assert expected in _variant("restyle", text, suffix, 1).source, (text, expected)
    go = _variant("restyle", cases[2][0], ".go", 5)
    assert "var _ = fmt.Sprint" in go.source  # the fmt import stays used


def test_wraps_keep_strings_and_leave_object_input_alone():
    go = (
        'package m\n\nimport "net/http"\n\n'
        'func h(r *http.Request) string {\n\treturn r.FormValue("q")\n}\n'
    )
    strip = _variant("wrap-strip", go, ".go", 6)
    assert 'strings.TrimSpace(r.FormValue("q"))' in strip.source and '"strings"' in strip.source
    js = "db.find({ user: req.body.user });\n"
    assert metamorphic_ts.make_variant("wrap-str", js, ".js", {"line": 1, "cwe": 943}) is None
    assert "String(req.body.user)" in _variant("wrap-str", js, ".js", 1, cwe=89).source


# ----------------------------------------------------------------------------- the scorer


def _finding(line1: int, cwe: str, rule: str = "r") -> dict:
    return {"range": {"start": {"line": line1 - 1, "character": 0}}, "cwe": [cwe], "rule": rule}


def test_judge_counts_a_family_finding_near_the_sink():
    entry = {"vulnerable": True, "cwe": 94, "line": 10}
    assert score.judge("f.py", entry, [_finding(12, "CWE-95")]).verdict == "TP"
    assert score.judge("f.py", entry, [_finding(13, "CWE-95")]).verdict == "FN"
    assert score.judge("f.py", entry, [_finding(10, "CWE-78")]).verdict == "FN"
    with_alt = {**entry, "alt_lines": [20]}
    assert score.judge("f.py", with_alt, [_finding(19, "CWE-94")]).verdict == "TP"


def test_judge_counts_any_family_finding_in_a_safe_file_as_false_alarm():
    entry = {"vulnerable": False, "cwe": 614, "line": 5}
    assert score.judge("f.py", entry, [_finding(40, "CWE-1004")]).verdict == "FP"
    assert score.judge("f.py", entry, [_finding(5, "CWE-79")]).verdict == "TN"
    assert score.judge("f.py", entry, []).verdict == "TN"


def test_tally_rates():
    outcomes = [
        score.Outcome("a", "79 XSS", True, "TP", 1),
        score.Outcome("b", "79 XSS", True, "FN", 1),
        score.Outcome("c", "79 XSS", False, "FP", 1),
        score.Outcome("d", "79 XSS", False, "TN", 1),
        score.Outcome("e", "79 XSS", False, "TN", 1),
    ]
    row = score.tally(outcomes)["79 XSS"]
    assert (row["TP"], row["FN"], row["FP"], row["TN"]) == (1, 1, 1, 2)
    assert row["recall"] == 0.5 and row["false_alarm"] == pytest.approx(1 / 3)
    assert row["youden"] == pytest.approx(0.5 - 1 / 3)


def test_scorer_runs_the_installed_cli_over_every_file():
    proc = subprocess.run(
        [sys.executable, str(HERE / "score.py"), "--json"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)["languages"]
    assert sorted(doc) == sorted(score.CORPORA)
    for lang, result in doc.items():
        manifest = score.load_manifest(lang)
        total = result["families"]["TOTAL"]
        assert total["files"] == len(manifest), lang
        assert sum(total[k] for k in ("TP", "FN", "FP", "TN")) == len(manifest), lang
        judged = {o["file"] for o in result["misses"] + result["false_alarms"]}
        assert judged <= set(manifest), lang


def test_scorer_exits_2_when_the_scan_fails():
    proc = subprocess.run(
        [sys.executable, str(HERE / "score.py"), "--genguard", "false"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert "score:" in proc.stderr


def test_scorer_severity_floor_only_drops_findings():
    def run(*extra):
        proc = subprocess.run(
            [sys.executable, str(HERE / "score.py"), "--json", "--lang", "python", *extra],
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert proc.returncode == 0, proc.stderr
        doc = json.loads(proc.stdout)["languages"]
        assert list(doc) == ["python"]
        return doc["python"]["families"]["TOTAL"]

    every, errors = run(), run("--min-severity", "error")
    assert errors["TP"] <= every["TP"] and errors["FP"] <= every["FP"]
    assert errors["files"] == every["files"] == len(MANIFEST)
