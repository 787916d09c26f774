"""Inline suppression comments: parsing, placement, reasons, and how the session records them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from genguard.rules.suppression import (
    AI_WRITTEN_ID,
    UNJUSTIFIED_ID,
    Suppression,
    apply_suppressions,
    parse_line,
)
from genguard.session.session import Session

Item = tuple[str, int, int]


def finding(source: str, needle: str, rule: str = "py-eval-exec") -> Item:
    data = source.encode()
    start = data.index(needle.encode())
    return (rule, start, start + len(needle))


def split(source: str, items: list[Item], language: str | None = "python", **kw):
    return apply_suppressions(items, source.encode(), language, key=lambda i: i, **kw)


# -- parsing one line ---------------------------------------------------------------


def test_parse_marker_with_ids_and_reason() -> None:
    [m] = parse_line(
        b"x = f()  # genguard: ignore[py-eval-exec, js-eval] input is constant", 4, "python"
    )
    assert m == Suppression(
        ("py-eval-exec", "js-eval"), "input is constant", 4, "ignore", m.start, m.end
    )
    assert m.covers("js-eval") and not m.covers("py-pickle")


@pytest.mark.parametrize(
    ("line", "language", "reason"),
    [
        (b"eval(x); // genguard: ignore[js-eval] sandboxed", "javascript", "sandboxed"),
        (b"eval(x); /* genguard: ignore[js-eval] sandboxed */", "javascript", "sandboxed"),
        (b"select 1 -- genguard: ignore[sql-x] fixed query", None, "fixed query"),
        (b"run() # genguard:ignore[sh-x]: reviewed by ops", "bash", "reviewed by ops"),
        (b"x # genguard: ignore[r] - trusted input", None, "trusted input"),
    ],
)
def test_comment_styles(line: bytes, language: str | None, reason: str) -> None:
    [m] = parse_line(line, 0, language)
    assert m.reason == reason and m.kind == "ignore"


def test_marker_outside_a_comment_is_not_a_marker() -> None:
    assert parse_line(b'msg = "genguard: ignore[py-eval-exec] not a comment"', 0, "python") == []
    # '#' does not open a comment in JavaScript
    assert parse_line(b"a # genguard: ignore[js-eval] why", 0, "javascript") == []
    assert parse_line(b"# genguard: ignore[] empty list", 0, "python") == []


def test_missing_or_empty_reason() -> None:
    assert parse_line(b"# genguard: ignore[py-eval-exec]", 0, "python")[0].reason == ""
    assert parse_line(b"# genguard: ignore[py-eval-exec]  --- ", 0, "python")[0].reason == ""
    assert parse_line(b"/* genguard: ignore[js-eval] */", 0, "javascript")[0].reason == ""


def test_nosec_forms() -> None:
    [bare] = parse_line(b"subprocess.call(cmd, shell=True)  # nosec", 0, "python")
    assert bare.kind == "nosec" and bare.reason == "nosec" and bare.rule_ids == ()
    assert bare.covers("anything")
    [ids] = parse_line(b"x = eval(s)  #nosec B307, B102", 0, "python")
    assert ids.reason == "B307, B102"
    [text] = parse_line(b"x = eval(s)  # nosec: constant expression", 0, "python")
    assert text.reason == "constant expression"
    assert parse_line(b"eval(x) // nosec", 0, "javascript") == []  # nosec is Python's


# -- deciding which findings are suppressed -----------------------------------------


def test_same_line_and_line_above() -> None:
    src = (
        "a = 1\n"
        "# genguard: ignore[py-eval-exec] the expression is a literal\n"
        "b = eval('1 + 1')\n"
        "c = eval(s)  # genguard: ignore[py-eval-exec] s is validated above\n"
        "d = eval(t)\n"
    )
    items = [finding(src, "eval('1 + 1')"), finding(src, "eval(s)"), finding(src, "eval(t)")]
    result = split(src, items)
    assert result.kept == [items[2]]
    reasons = {item: m.reason for item, m in result.suppressed}
    assert reasons == {
        items[0]: "the expression is a literal",
        items[1]: "s is validated above",
    }
    assert result.suppressed[0][1].line == 1


def test_trailing_marker_on_the_line_above_only_covers_its_own_line() -> None:
    src = "a = eval(x)  # genguard: ignore[py-eval-exec] x is a constant\nb = eval(y)\n"
    items = [finding(src, "eval(x)"), finding(src, "eval(y)")]
    result = split(src, items)
    assert result.kept == [items[1]]


def test_two_lines_above_is_too_far_and_other_rules_are_untouched() -> None:
    src = (
        "# genguard: ignore[py-eval-exec] far away\n"
        "\n"
        "v = eval(s)\n"
        "w = pickle.loads(b)  # genguard: ignore[py-eval-exec] wrong rule\n"
    )
    items = [finding(src, "eval(s)"), finding(src, "pickle.loads(b)", "py-pickle")]
    assert split(src, items).kept == items


def test_multiple_ids() -> None:
    src = "x = pickle.loads(eval(s))  # genguard: ignore[py-pickle, py-eval-exec] test fixture\n"
    items = [finding(src, "pickle.loads(eval(s))", "py-pickle"), finding(src, "eval(s)")]
    result = split(src, items)
    assert result.kept == [] and len(result.suppressed) == 2


def test_marker_without_reason_does_not_suppress_and_is_reported_once() -> None:
    src = "x = eval(a) + eval(b)  # genguard: ignore[py-eval-exec]\n"
    items = [finding(src, "eval(a)"), finding(src, "eval(b)")]
    result = split(src, items)
    assert result.kept == items
    assert len(result.unjustified) == 1
    marker, item = result.unjustified[0]
    assert item == items[0] and src.encode()[marker.start : marker.end].startswith(b"genguard:")


def test_nosec_only_on_its_own_line() -> None:
    src = "# nosec\nx = eval(a)\ny = eval(b)  # nosec B307\n"
    items = [finding(src, "eval(a)"), finding(src, "eval(b)")]
    result = split(src, items)
    assert result.kept == [items[0]]
    assert result.suppressed[0][1].reason == "B307"


def test_multiline_finding_honours_a_marker_on_its_last_line() -> None:
    src = "x = run(\n    cmd, shell=True)  # genguard: ignore[py-shell] cmd is fixed\n"
    items = [("py-shell", 4, src.index(")") + 1)]
    assert split(src, items).kept == []


def test_other_comment_styles_in_context() -> None:
    js = "// genguard: ignore[js-eval] sandboxed worker\nconst v = eval(code);\n"
    assert split(js, [finding(js, "eval(code)", "js-eval")], "javascript").kept == []
    sql = "SELECT * FROM t WHERE id = $1 -- genguard: ignore[sql-star] report query\n"
    assert split(sql, [finding(sql, "SELECT *", "sql-star")], None).kept == []
    c = "/* genguard: ignore[c-gets] legacy, tracked in #12 */\ngets(buf);\n"
    result = split(c, [finding(c, "gets(buf)", "c-gets")], "c")
    assert result.suppressed[0][1].reason == "legacy, tracked in #12"


def test_allowed_predicate_refuses_markers() -> None:
    src = "x = eval(s)  # nosec\n"
    item = finding(src, "eval(s)")
    result = split(src, [item], allowed=lambda m: False)
    assert result.kept == [item] and len(result.refused) == 1


def test_windows_line_endings() -> None:
    src = "# genguard: ignore[py-eval-exec] ok here\r\nx = eval(s)\r\n"
    result = split(src, [finding(src, "eval(s)")])
    assert result.kept == [] and result.suppressed[0][1].reason == "ok here"


# -- in the session -------------------------------------------------------------------

BLOCK = "def evaluate_expression(source):\n    result = eval(source)\n    return result\n"


def _records(repo: Path) -> list[dict]:
    path = repo / ".git" / "genguard" / "ledger.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()]


def _type(session: Session, uri: str, line: int, col: int, text: str, version: int) -> int:
    for i, ch in enumerate(text):
        version += 1
        session.change(uri, version, [(((line, col + i), (line, col + i)), ch)])
        session.check(session.get(uri))
    return version


def test_session_hides_suppressed_finding_and_records_it_once_on_save(
    repo: Path, tmp_path: Path
) -> None:
    session = Session(repo, cache_dir=tmp_path / "cache")
    uri = (repo / "calc.py").as_uri()
    doc = session.open(uri, "python", 1, "import os\n")
    session.change(uri, 2, [(((1, 0), (1, 0)), BLOCK)])
    session.check(doc)
    assert "py-eval-exec" in [d.code for d in session.diagnostics(doc)]

    col = len(doc.buffer.line_bytes(2))
    marker = "  # genguard: ignore[py-eval-exec]"
    session.change(uri, 3, [(((2, col), (2, col)), marker)])
    session.check(doc)
    version = 3
    codes = [d.code for d in session.diagnostics(doc)]
    assert "py-eval-exec" in codes and UNJUSTIFIED_ID in codes  # no reason yet

    col = len(doc.buffer.line_bytes(2))
    _type(session, uri, 2, col, " source is a literal", version)
    codes = [d.code for d in session.diagnostics(doc)]
    assert "py-eval-exec" not in codes and UNJUSTIFIED_ID not in codes
    assert "py-eval-exec" not in session.provenance(uri).chunks[0].findings

    session.save(uri)
    session.save(uri)
    suppressed = [r for r in _records(repo) if r["event"] == "finding.suppressed"]
    assert len(suppressed) == 1
    data = suppressed[0]["data"]
    assert data["rule"] == "py-eval-exec" and data["source"] == "inline"
    assert data["reason"] == "source is a literal" and data["by"] == "dev@example.com"
    assert data["cwe"] == ["CWE-95"] and data["file"] == "calc.py"
    assert "eval(source)" not in json.dumps(data)  # hashes of code only
    events = [r["event"] for r in _records(repo)]
    assert "finding.resolved" not in events  # suppressed is not fixed


def test_a_suppression_written_by_the_ai_is_not_honoured_until_reviewed(
    repo: Path, tmp_path: Path
) -> None:
    session = Session(repo, cache_dir=tmp_path / "cache")
    uri = (repo / "calc.py").as_uri()
    doc = session.open(uri, "python", 1, "import os\n")
    block = BLOCK.replace("eval(source)", "eval(source)  # nosec")
    session.change(uri, 2, [(((1, 0), (1, 0)), block)])
    session.check(doc)
    codes = [d.code for d in session.diagnostics(doc)]
    assert "py-eval-exec" in codes and AI_WRITTEN_ID in codes

    chunk = doc.tracker.live()[0]
    session.mark_reviewed(uri, chunk.id)
    codes = [d.code for d in session.diagnostics(doc)]
    assert "py-eval-exec" not in codes and AI_WRITTEN_ID not in codes
    session.close(uri)
    [record] = [r for r in _records(repo) if r["event"] == "finding.suppressed"]
    assert record["data"]["reason"] == "nosec" and record["data"]["kind"] == "nosec"
