"""``genguard scan`` over real repositories: walking, reports, exit codes, git modes, cache."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from tests.conftest import git

from genguard.cli.main import main
from genguard.gitio.notes import write_note
from genguard.notes.format import AiRange, FileEntry, Note
from genguard.scan.walker import walk
from genguard.session.session import Session

SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
EVAL = "result = eval(input())\n"
# assembled at run time so no key-shaped literal sits in this file
FAKE_KEY = "AKIA" + "Q3EGRJ7XVNPT2M5W"


def scan(
    capsys: pytest.CaptureFixture[str], root: Path, cache: Path, *args: str
) -> tuple[int, dict[str, Any]]:
    """Run ``genguard scan --format json`` in-process; (exit code, report)."""
    code = main(["scan", str(root), "--format", "json", "--cache-dir", str(cache), *args])
    out = capsys.readouterr().out
    return code, json.loads(out)


def where(report: dict[str, Any]) -> list[tuple[str, int, str]]:
    """(path, 1-based line, rule) of every finding."""
    return [(f["path"], f["range"]["start"]["line"] + 1, f["rule"]) for f in report["findings"]]


def write(root: Path, rel: str, text: str | bytes) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def commit_all(root: Path, message: str = "commit") -> str:
    git(root, "add", "-A")
    git(root, "commit", "-qm", message)
    return git(root, "rev-parse", "HEAD").strip()


# -- walking ---------------------------------------------------------------------------


def test_walk_honours_gitignore_excludes_and_skips_binary_and_huge(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    write(repo, ".gitignore", "build/\n*.log\n")
    write(
        repo, ".genguard.toml", '[scan]\nexclude = ["vendor/", "*.gen.py"]\nmax_file_bytes = 400\n'
    )
    write(repo, "app.py", EVAL)
    write(repo, "build/out.py", EVAL)  # ignored directory
    write(repo, "debug.log", EVAL)  # ignored by pattern
    write(repo, "pkg/.gitignore", "local.py\n!keep.log\n")  # nested, with a negation
    write(repo, "pkg/local.py", EVAL)
    write(repo, "pkg/keep.log", f"key {FAKE_KEY}\n")  # re-included below the root's *.log
    write(repo, "pkg/mod.py", EVAL)
    write(repo, "vendor/lib.py", EVAL)  # configured exclude
    write(repo, "api.gen.py", EVAL)
    write(repo, "blob.bin", b"\x00\x01" + EVAL.encode())
    write(repo, "big.py", EVAL + "x = 1\n" * 100)
    write(repo, "notes.txt", f"aws = {FAKE_KEY}\n")  # no grammar: still gets regex rules
    write(repo, ".git/hooks/evil.py", EVAL)

    code, report = scan(capsys, repo, tmp_path / "cache")
    assert code == 1
    assert sorted({p for p, _, _ in where(report)}) == [
        "app.py",
        "notes.txt",
        "pkg/keep.log",
        "pkg/mod.py",
    ]
    skipped = {s["path"]: s["reason"] for s in report["summary"]["files_skipped"]}
    assert skipped.keys() == {"blob.bin", "big.py"}
    assert skipped["blob.bin"] == "binary"
    assert "max_file_bytes" in skipped["big.py"]
    # .gitignore files are text too, and are scanned with the rest
    assert report["summary"]["files_scanned"] == 7

    listed = {f.rel for f in walk(repo, [repo / "pkg"], max_file_bytes=10_000).files}
    assert listed == {"pkg/.gitignore", "pkg/keep.log", "pkg/mod.py"}


# -- report formats ---------------------------------------------------------------------


def test_json_report_shape_and_utf16_positions(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    write(repo, "src/app.py", 'import hashlib\nlabel = "é😀"; digest = hashlib.md5(password)\n')
    code, report = scan(capsys, repo, tmp_path / "cache")
    assert code == 0  # a warning only; the default --fail-on is error
    assert set(report) == {"findings", "suppressed", "summary"}
    assert report["suppressed"] == []
    (finding,) = report["findings"]
    assert finding["handling"] == "open" and "reason" not in finding
    assert set(finding) >= {"path", "range", "rule", "severity", "message", "cwe", "controls"}
    assert finding["path"] == "src/app.py"
    assert finding["rule"] == "py-weak-hash"
    assert finding["severity"] == "warning"
    assert "CWE-328" in finding["cwe"]
    assert finding["controls"]["soc2"]
    # 0-based line; UTF-16 character: 'é' is one code unit, '😀' two
    start = 'label = "é😀"; digest = '
    assert finding["range"]["start"] == {"line": 1, "character": len(start) + 1}
    summary = report["summary"]
    assert set(summary) >= {
        "files_scanned",
        "files_skipped",
        "findings_by_severity",
        "duration_ms",
        "cached_files",
    }
    assert summary["findings_by_severity"] == {"error": 0, "warning": 1, "info": 0, "hint": 0}
    assert summary["files_scanned"] == 1 and summary["cached_files"] == 0


def test_sarif_is_valid_for_code_scanning_and_never_holds_a_secret(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    write(repo, "app.py", "import os\n\nos.system('ls ' + path)\n" + EVAL)
    write(repo, "my dir/conf.py", f"KEY = '{FAKE_KEY}'\n")
    out = tmp_path / "report.sarif"
    args = ["--format", "sarif", "--output", str(out), "--cache-dir", str(tmp_path / "c")]
    assert main(["scan", str(repo), *args]) == 1
    text = out.read_text(encoding="utf-8")
    assert FAKE_KEY not in text
    sarif = json.loads(text)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator(
        schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(sarif), key=str)
    assert not errors, errors[0]

    run = sarif["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "genguard" and driver["version"] and driver["informationUri"]
    rules = driver["rules"]
    results = run["results"]
    assert {r["ruleId"] for r in results} == {
        "py-os-system",
        "py-eval-exec",
        "secret-aws-access-key-id",
    }
    for result in results:
        rule = rules[result["ruleIndex"]]
        assert rule["id"] == result["ruleId"]
        assert rule["help"]["text"] and rule["help"]["markdown"]
        props = rule["properties"]
        assert isinstance(props["security-severity"], str)
        assert 0.0 <= float(props["security-severity"]) <= 10.0
        assert props["precision"] in ("very-high", "high", "medium", "low")
        assert any(t.startswith("external/cwe/cwe-") for t in props["tags"])
        fingerprint = result["partialFingerprints"]["primaryLocationLineHash"]
        assert fingerprint.rsplit(":", 1)[1].isdigit()
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    by_rule = {r["ruleId"]: r["locations"][0]["physicalLocation"] for r in results}
    system = by_rule["py-os-system"]
    assert system["artifactLocation"]["uri"] == "app.py"
    assert system["region"] == {"startLine": 3, "startColumn": 1, "endLine": 3, "endColumn": 24}
    assert by_rule["secret-aws-access-key-id"]["artifactLocation"]["uri"] == "my%20dir/conf.py"

    # the same secret through the other formats
    assert main(["scan", str(repo), "--cache-dir", str(tmp_path / "c")]) == 1
    assert FAKE_KEY not in capsys.readouterr().out
    scan(capsys, repo, tmp_path / "c")
    assert FAKE_KEY not in json.dumps(scan(capsys, repo, tmp_path / "c")[1])


# -- exit codes -------------------------------------------------------------------------


def test_fail_on_sets_the_exit_code(repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    cache = tmp_path / "cache"
    write(repo, "a.py", "import hashlib\nh = hashlib.md5(password)\n")  # a warning
    assert scan(capsys, repo, cache)[0] == 0
    assert scan(capsys, repo, cache, "--fail-on", "warning")[0] == 1
    assert scan(capsys, repo, cache, "--fail-on", "hint")[0] == 1
    write(repo, "b.py", EVAL)  # an error
    assert scan(capsys, repo, cache)[0] == 1
    assert scan(capsys, repo, cache, "--fail-on", "never")[0] == 0
    (repo / "a.py").unlink()
    write(repo, "b.py", "x = 1\n")
    assert scan(capsys, repo, cache, "--fail-on", "hint")[0] == 0


def test_broken_config_and_bad_usage_exit_2(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    write(repo, "a.py", EVAL)
    write(repo, ".genguard.toml", 'scope = "all"\n\n[scan\nexclude = []\n')
    env = {**os.environ, "GENGUARD_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.run(
        [sys.executable, "-m", "genguard", "scan"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    assert ".genguard.toml:3:" in proc.stderr
    assert proc.stdout == ""

    cache = ["--cache-dir", str(tmp_path / "cache")]
    (repo / ".genguard.toml").write_text("[scan]\nmax_file_bytes = 0\n")
    assert main(["scan", str(repo), *cache]) == 2
    assert ".genguard.toml:2:" in capsys.readouterr().err

    (repo / ".genguard.toml").unlink()
    elsewhere = tmp_path / "elsewhere.py"
    elsewhere.write_text(EVAL)
    (tmp_path / "plain").mkdir()
    for args in (
        [str(repo), str(elsewhere)],  # outside the repository
        [str(repo / "missing.py")],
        [str(tmp_path / "plain"), "--staged"],  # not a repository
        [str(repo), "--jobs", "0"],
    ):
        assert main(["scan", *args, *cache]) == 2, args
        captured = capsys.readouterr()
        assert "genguard scan:" in captured.err and captured.out == ""
    with pytest.raises(SystemExit) as exc:
        main(["scan", str(repo), "--format", "xml"])
    assert exc.value.code == 2


# -- git modes --------------------------------------------------------------------------


def test_staged_reports_only_added_lines_of_the_staged_content(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    write(repo, "app.py", "import os\n" + EVAL)
    commit_all(repo)  # an old finding on line 2
    write(repo, "app.py", "import os\nx = 1\n" + EVAL + "y = eval(input(a))\n")
    write(repo, "new.py", "z = eval(input(b))\n")
    write(repo, "tricky.py", "v = 1\n")
    git(repo, "add", "app.py", "new.py", "tricky.py")
    # after staging: unstaged edits must not count, in app.py or elsewhere
    write(repo, "app.py", "w = eval(input(c))\n" + (repo / "app.py").read_text())
    write(repo, "tricky.py", "v = eval(input(d))\n")
    write(repo, "untracked.py", EVAL)

    code, report = scan(capsys, repo, tmp_path / "cache", "--staged")
    assert code == 1
    # line numbers are those of the staged content; the committed eval (now line 3) is old
    assert where(report) == [("app.py", 4, "py-eval-exec"), ("new.py", 1, "py-eval-exec")]
    assert report["summary"]["files_scanned"] == 3

    git(repo, "commit", "-qm", "second")
    code, report = scan(capsys, repo, tmp_path / "cache", "--staged")
    assert (code, report["findings"], report["summary"]["files_scanned"]) == (0, [], 0)


def test_ai_only_reports_findings_on_ai_lines_from_the_ledger(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    human = "import os\nold = eval(input(typed_by_hand))\n"
    block = (
        "def run(cmd):\n"
        "    value = eval(input(cmd))\n"
        "    os.system('echo ' + value)  # genguard: ignore[py-os-system] cmd is trusted\n"
    )
    session = Session(repo, cache_dir=tmp_path / "session-cache")
    uri = (repo / "a.py").as_uri()
    session.open(uri, "python", 1, human)
    session.change(uri, 2, [(((2, 0), (2, 0)), block)])  # one AI-shaped insertion
    doc = session.get(uri)
    assert len(doc.tracker.live()) == 1
    write(repo, "a.py", doc.buffer.text)
    write(repo, "b.py", EVAL)  # never seen by the editor

    cache = tmp_path / "cache"
    _, everything = scan(capsys, repo, cache)
    assert len(everything["findings"]) == 5
    code, report = scan(capsys, repo, cache, "--ai-only")
    assert code == 1
    # the AI wrote its own suppression: not honoured until a person reviews the chunk
    assert where(report) == [
        ("a.py", 4, "py-eval-exec"),
        ("a.py", 5, "py-os-system"),
        ("a.py", 5, "genguard.suppression-by-ai"),
    ]


def test_ai_only_reads_commit_notes_through_blame(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    write(repo, "a.py", "import os\nx = eval(input(a))\ny = eval(input(b))\n")
    head = commit_all(repo)
    note = Note(
        commit=head,
        created="2026-11-27T00:00:00Z",
        files={"a.py": FileEntry(added_lines=3, ai_lines=1, ranges=[AiRange(3, 3, "c1", "t")])},
    )
    note.compute_totals()
    write_note(repo, head, note)
    # a later human line above moves the AI line down; blame still knows where it came from
    write(repo, "a.py", "# header\n" + (repo / "a.py").read_text())
    code, report = scan(capsys, repo, tmp_path / "cache", "--ai-only")
    assert (code, where(report)) == (1, [("a.py", 4, "py-eval-exec")])


# -- suppressions, cache, workers --------------------------------------------------------


def test_inline_suppressions_need_a_reason(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    write(
        repo,
        "a.py",
        "import hashlib\n"
        "pw = hashlib.md5(password)  # genguard: ignore[py-weak-hash] legacy, rehashed at login\n"
        "token = hashlib.md5(secret)  # genguard: ignore[py-weak-hash]\n",
    )
    code, report = scan(capsys, repo, tmp_path / "cache")
    assert code == 0  # warnings only
    assert where(report) == [
        ("a.py", 3, "py-weak-hash"),
        ("a.py", 3, "genguard.suppression-without-reason"),
    ]
    assert report["summary"]["suppressed"] == 1


def test_second_scan_is_answered_from_the_cache(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    cache = tmp_path / "cache"
    for i in range(5):
        write(repo, f"m{i}.py", f"v{i} = eval(input(x))\n")
    _, first = scan(capsys, repo, cache)
    assert first["summary"]["cached_files"] == 0
    _, second = scan(capsys, repo, cache)
    assert second["summary"]["cached_files"] == 5
    assert second["findings"] == first["findings"]
    write(repo, "m0.py", "v0 = eval(input(y))\n")
    _, third = scan(capsys, repo, cache)
    assert third["summary"]["cached_files"] == 4
    _, uncached = scan(capsys, repo, cache, "--no-cache")
    assert uncached["summary"]["cached_files"] == 0


def test_files_the_editor_checked_are_cache_hits(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    write(repo, ".genguard.toml", 'scope = "all"\n')
    text = "import os\n" + EVAL
    write(repo, "a.py", text)
    cache = tmp_path / "cache"
    session = Session(repo, cache_dir=cache)
    doc = session.open((repo / "a.py").as_uri(), "python", 1, text)
    session.check(doc)
    assert session.cache is not None
    session.cache.close()
    _, report = scan(capsys, repo, cache)
    assert report["summary"]["cached_files"] == 1  # a.py; .genguard.toml was never open
    assert where(report) == [("a.py", 2, "py-eval-exec")]


def test_worker_processes_find_what_a_single_process_finds(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    filler = "def f{n}(a, b):\n    return a + b * {n}\n\n"
    for i in range(24):  # ~330 KB: enough to be split among worker processes
        body = "".join(filler.format(n=n) for n in range(300))
        write(repo, f"pkg/m{i:02}.py", body + f"r = eval(input(v{i}))\n")
    _, one = scan(capsys, repo, tmp_path / "c1", "--jobs", "1")
    _, two = scan(capsys, repo, tmp_path / "c2", "--jobs", "2")
    assert len(one["findings"]) == 24
    assert one["findings"] == two["findings"]
    assert two["summary"]["files_scanned"] == 24


def test_text_report_and_output_file(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    write(repo, "a.py", EVAL)
    write(repo, "b.bin", b"\x00")
    assert main(["scan", str(repo), "--cache-dir", str(tmp_path / "c")]) == 1
    out = capsys.readouterr().out
    assert "a.py:1:10: error [py-eval-exec]" in out
    assert "Not scanned: 1 binary (--verbose lists them)" in out
    assert "1 finding (1 error) in 1 file scanned" in out
    assert main(["scan", str(repo), "-v", "--cache-dir", str(tmp_path / "c")]) == 1
    out = capsys.readouterr().out
    assert "b.bin" in out and "binary" in out
    report = tmp_path / "report.txt"
    assert main(["scan", str(repo), "-o", str(report), "--cache-dir", str(tmp_path / "c")]) == 1
    assert "a.py:1:10: error" in report.read_text()
    missing = tmp_path / "no" / "such" / "dir" / "r.json"
    assert main(["scan", str(repo), "-o", str(missing), "--cache-dir", str(tmp_path / "c")]) == 2


def test_a_scan_that_checked_nothing_exits_3_with_a_clear_line(repo: Path, tmp_path: Path):
    """Every file skipped (binary, too large) or none there is not a clean result."""
    (repo / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(64))
    (repo / "big.py").write_text("x = 1\n" * 200)
    (repo / ".genguard.toml").write_text("[scan]\nmax_file_bytes = 1024\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "assets")
    env = {**os.environ, "GENGUARD_CACHE_DIR": str(tmp_path / "cache")}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "genguard", "scan", *args],
            cwd=repo, env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip

    proc = run("logo.png", "big.py")
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert "nothing was checked: all 2 selected files were skipped" in proc.stderr
    assert "1 binary" in proc.stderr and "not a clean result" in proc.stderr
    assert run("--format", "json", "logo.png").returncode == 3
    (repo / "ok.py").write_text("x = 1\n")
    assert run().returncode == 0  # one file checked: a clean result
    (repo / "ok.py").unlink()
    assert run("--staged").returncode == 0  # nothing staged: nothing to check, truthfully
    empty = tmp_path / "empty"
    empty.mkdir()
    git(empty, "init", "-q")
    proc = subprocess.run(
        [sys.executable, "-m", "genguard", "scan"],
        cwd=empty, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 3 and "no file to scan was found" in proc.stderr


def test_a_latin_1_file_is_checked_and_the_guess_is_said(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    text = '# café crème\npassword = "sécrèt-héllö-wörld-2024"\n'
    (repo / "legacy.py").write_bytes(text.encode("latin-1"))
    (repo / "modern.py").write_bytes(text.encode("utf-8"))
    code, report = scan(capsys, repo, tmp_path / "cache")
    assert code == 1
    assert ("legacy.py", 2, "secret-generic-assignment") in where(report)
    assert ("modern.py", 2, "secret-generic-assignment") in where(report)
    assert report["summary"]["encodings_guessed"] == {"legacy.py": "cp1252"}
    main(["scan", str(repo), "--cache-dir", str(tmp_path / "cache")])
    err = capsys.readouterr().err
    assert "legacy.py: not UTF-8; checked as cp1252 (the encoding is a guess)" in err
    # the staged content too
    git(repo, "add", "legacy.py")
    code, report = scan(capsys, repo, tmp_path / "cache", "--staged")
    assert ("legacy.py", 2, "secret-generic-assignment") in where(report)


def test_vendored_and_minified_code_is_left_out_by_default_and_counted(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    write(repo, "app.py", EVAL)
    write(repo, "node_modules/pkg/index.js", "eval(userInput);\n")
    write(repo, "vendor/lib/x.py", EVAL)
    write(repo, "static/app.min.js", "eval(userInput);\n")
    write(repo, "static/bundle.js", ("var a=1;" * 700 + "eval(userInput);") * 3 + "\n")
    for n in range(30):
        (repo / f"img{n}.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(32))
    code, report = scan(capsys, repo, tmp_path / "cache")
    assert code == 1 and [f["path"] for f in report["findings"]] == ["app.py"]
    skipped = {s["path"]: s["reason"] for s in report["summary"]["files_skipped"]}
    assert skipped["node_modules/"] == skipped["vendor/"] == "vendored or minified"
    assert skipped["static/app.min.js"] == skipped["static/bundle.js"] == "vendored or minified"
    assert "node_modules/pkg/index.js" not in skipped  # a directory is one entry

    # text: one line of counts; --verbose lists every file
    main(["scan", str(repo), "--cache-dir", str(tmp_path / "cache")])
    out = capsys.readouterr().out
    assert "Not scanned: 30 binary, 4 vendored or minified (--verbose lists them)" in out
    assert "img7.png" not in out
    main(["scan", str(repo), "--verbose", "--cache-dir", str(tmp_path / "cache")])
    assert "img7.png" in capsys.readouterr().out

    # a staged vendored file is counted too; and the option turns it all off
    git(repo, "add", "-A")
    code, report = scan(capsys, repo, tmp_path / "cache", "--staged")
    assert code == 1 and [f["path"] for f in report["findings"]] == ["app.py"]
    assert "node_modules/pkg/index.js" in {s["path"] for s in report["summary"]["files_skipped"]}
    write(repo, ".genguard.toml", "[scan]\nskip_vendored = false\n")
    _code, report = scan(capsys, repo, tmp_path / "cache")
    paths = {f["path"] for f in report["findings"]}
    assert {"node_modules/pkg/index.js", "static/app.min.js", "static/bundle.js"} <= paths


def test_vendored_paths_are_matched_as_gitignore_reads_the_globs():
    """The walker matches VENDORED_GLOBS without pathspec; pathspec is the reference."""
    from pathspec import GitIgnoreSpec

    from genguard.scan.walker import VENDORED_GLOBS, vendored_path

    spec = GitIgnoreSpec.from_lines(VENDORED_GLOBS)
    names = ["node_modules", "vendor", "bower_components", "a.min.js", "b.min.mjs", "c.min.css"]
    names += ["src", "vendors", "my_vendor", "node_modules2", "x.min.jsx", "min.js", ".min.js"]
    names += ["app.js", "Vendor", "NODE_MODULES", "a.MIN.JS", "a.min.js.map", "lib"]
    paths = [*names, *(f"{a}/{b}" for a in names for b in names)]
    paths += [f"{a}/{b}/{c}" for a in ("src", "vendor", "x.min.css") for b in names for c in names]
    for rel in paths:
        for is_dir in (False, True):
            expected = spec.match_file(rel + "/" if is_dir else rel)
            assert vendored_path(rel, is_dir=is_dir) == expected, (rel, is_dir)


# -- taint paths ------------------------------------------------------------------------

TAINTED = (
    "from flask import Flask, request\n"
    "import os\n"
    "app = Flask(__name__)\n"
    "\n"
    '@app.route("/ping")\n'
    "def ping():\n"
    '    host = request.args.get("host", "")\n'
    "    target = host.strip()\n"
    '    return str(os.system("ping -c 1 " + target))\n'
    "\n"
    "def helper(cmd):\n"
    "    return os.system(cmd)\n"
)


def test_taint_findings_show_their_path_in_every_format(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    write(repo, "app.py", TAINTED)
    cache = tmp_path / "cache"
    for attempt in ("cold", "from the cache"):
        _code, report = scan(capsys, repo, cache)
        found = {(f["range"]["start"]["line"] + 1, f["severity"]): f for f in report["findings"]}
        assert set(found) == {(9, "error"), (12, "warning")}, attempt  # evidence decides
        related = found[(9, "error")]["related"]
        assert related[0]["message"] == "request.args"
        assert related[0]["range"]["start"]["line"] + 1 == 7
        assert [r["range"]["start"]["line"] + 1 for r in related[1:]] == [8]
    assert main(["scan", str(repo), "--cache-dir", str(cache)]) == 1
    text = capsys.readouterr().out
    assert "from request.args at line 7, via line 8" in text
    out = tmp_path / "report.sarif"
    main(["scan", str(repo), "--format", "sarif", "--output", str(out), "--cache-dir", str(cache)])
    sarif = json.loads(out.read_text(encoding="utf-8"))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator(schema)
    assert not sorted(validator.iter_errors(sarif), key=str)
    [result] = [r for r in sarif["runs"][0]["results"] if r["level"] == "error"]
    steps = result["codeFlows"][0]["threadFlows"][0]["locations"]
    lines = [s["location"]["physicalLocation"]["region"]["startLine"] for s in steps]
    assert lines == [7, 8, 9] and steps[0]["location"]["message"]["text"] == "request.args"


def test_a_scan_with_everything_cached_never_loads_the_rules(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    """The rules come from the one rule cache (genguard.cache.rules) the hooks use too."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    write(repo, "app.py", EVAL)
    code, first = scan(capsys, repo, tmp_path / "cache")
    assert code == 1 and first["summary"]["cached_files"] == 0
    assert list((tmp_path / "xdg" / "genguard" / "hook-rules").glob("*.json"))

    def refuse(*_args: object) -> None:
        raise AssertionError("the rules were loaded again")

    monkeypatch.setattr("genguard.rules.workspace.load_workspace_rules", refuse)
    code, second = scan(capsys, repo, tmp_path / "cache")
    assert code == 1 and second["summary"]["cached_files"] == 1
    assert second["findings"] == first["findings"]


TAINTED_JS = (
    'const { exec } = require("child_process");\n'
    "\n"
    'app.get("/ping", (req, res) => {\n'
    "  const host = req.query.host;\n"
    "  const cmd = `ping -c 1 ${host}`;\n"
    "  exec(cmd, (err, out) => res.json({ out }));\n"
    "});\n"
)


@pytest.mark.parametrize("name", ["ping.js", "ping.ts"])
def test_javascript_taint_findings_show_their_path(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
):
    write(repo, name, TAINTED_JS)
    cache = tmp_path / "cache"
    _code, report = scan(capsys, repo, cache)
    [found] = [f for f in report["findings"] if f["rule"] == "js-child-process-exec"]
    assert found["severity"] == "error" and found["range"]["start"]["line"] + 1 == 6
    related = found["related"]
    assert related[0]["message"] == "req.query"
    assert [r["range"]["start"]["line"] + 1 for r in related] == [4, 5]
    assert main(["scan", str(repo), "--cache-dir", str(cache)]) == 1
    assert "from req.query at line 4, via line 5" in capsys.readouterr().out
    out = tmp_path / "report.sarif"
    main(["scan", str(repo), "--format", "sarif", "--output", str(out), "--cache-dir", str(cache)])
    sarif = json.loads(out.read_text(encoding="utf-8"))
    [result] = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "js-child-process-exec"]
    steps = result["codeFlows"][0]["threadFlows"][0]["locations"]
    assert [s["location"]["physicalLocation"]["region"]["startLine"] for s in steps] == [4, 5, 6]


def test_a_file_whose_check_was_cut_short_is_reported_incomplete_and_never_clean(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    """The taint analysis of deep.py stops at its node limit before the flow to
    os.system: no format may show that file as checked clean, the exit status is 4,
    and the cut-short result is not cached as the file's answer."""
    from tests.cutshort import nested_loops

    write(repo, "deep.py", nested_loops())
    write(repo, "ok.py", "x = 1\n")
    cache = tmp_path / "c"
    code, report = scan(capsys, repo, cache)
    assert code == 4
    assert report["findings"] == []
    summary = report["summary"]
    assert summary["complete"] is False and summary["files_scanned"] == 2
    assert summary["files_incomplete"] == [
        {
            "path": "deep.py",
            "cut": [
                {
                    "check": "taint analysis",
                    "reason": "stopped at its limit of 400000 evaluated nodes",
                }
            ],
        }
    ]
    code, again = scan(capsys, repo, cache)  # checked again, not answered from the cache
    assert code == 4 and again["summary"]["files_incomplete"] == summary["files_incomplete"]
    assert again["summary"]["cached_files"] == 1  # ok.py only

    out = tmp_path / "report.sarif"
    assert (
        main(["scan", str(repo), "--format", "sarif", "-o", str(out), "--cache-dir", str(cache)])
        == 4
    )
    sarif = json.loads(out.read_text(encoding="utf-8"))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert not list(jsonschema.Draft4Validator(schema).iter_errors(sarif))
    [notice] = [
        n
        for n in sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        if n.get("descriptor", {}).get("id") == "genguard.check-incomplete"
    ]
    assert notice["level"] == "warning"
    assert notice["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "deep.py"
    assert "taint analysis stopped at its limit" in notice["message"]["text"]

    capsys.readouterr()
    assert main(["scan", str(repo), "--cache-dir", str(cache)]) == 4
    captured = capsys.readouterr()
    assert "deep.py: not fully checked: taint analysis stopped" in captured.out
    assert "(1 not fully checked)" in captured.out
    assert "not a clean result (exit 4)" in captured.err

    write(repo, "app.py", EVAL)  # a failing finding says more than "incomplete"
    code, report = scan(capsys, repo, cache)
    assert code == 1 and report["summary"]["files_incomplete"][0]["path"] == "deep.py"
    assert main(["scan", str(repo), "--fail-on", "never", "--cache-dir", str(cache)]) == 4


def test_a_file_the_editor_could_not_check_whole_is_no_cache_hit(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    """The editor's full check of deep.py is cut short: it must not leave the scan a
    cached answer that would pass for a complete one."""
    from tests.cutshort import nested_loops

    write(repo, ".genguard.toml", 'scope = "all"\n')
    text = nested_loops()
    write(repo, "deep.py", text)
    cache = tmp_path / "cache"
    session = Session(repo, cache_dir=cache)
    doc = session.open((repo / "deep.py").as_uri(), "python", 1, text)
    session.check(doc)
    assert [c.check for c in doc.cut] == ["taint analysis"]
    [notice] = [d for d in session.diagnostics(doc) if d.code == "genguard.check-incomplete"]
    assert notice.severity == "warning" and notice.range[0] == (0, 0)
    assert session.cache is not None
    session.cache.close()
    code, report = scan(capsys, repo, cache)
    assert code == 4 and report["summary"]["cached_files"] == 0
    assert [f["path"] for f in report["summary"]["files_incomplete"]] == ["deep.py"]


def test_a_scan_puts_the_collector_back_as_it_found_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The scan freezes what it built and collects less often while it checks files;
    a process that scans in-process (these tests, a tool embedding the command) gets
    its collector back unchanged."""
    import gc

    write(tmp_path / "repo", "app.py", EVAL)
    before = (gc.get_threshold(), gc.get_freeze_count())
    code, report = scan(capsys, tmp_path / "repo", tmp_path / "cache", "--no-cache")
    assert code == 1 and where(report) == [("app.py", 1, "py-eval-exec")]
    assert (gc.get_threshold(), gc.get_freeze_count()) == before
