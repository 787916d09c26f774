"""``genguard evidence``: the bundle from a real repository, and its offline verification."""

from __future__ import annotations

import base64
import csv
import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from tests.evidence.conftest import ME, SINCE, UNTIL, History, build, git

from genguard.cli import main as cli_main
from genguard.gitio.notes import read_note
from genguard.ledger.store import Ledger, ledger_path

FILES = {"report.html", "changes.csv", "controls.json", "manifest.json", "statement.intoto.json"}
IN_PERIOD = ["initial", "Add calculators", "Write notes", "Add runner", "Skip the gate"]
needs_ssh_keygen = pytest.mark.skipif(
    shutil.which("ssh-keygen") is None, reason="ssh-keygen is not installed"
)


def verify(directory: Path, *extra: str) -> int:
    # -C outside any repository: no allowed-signers file is picked up from configuration
    return cli_main.main(["evidence", "verify", str(directory), "-C", str(directory), *extra])


def verify_json(directory: Path, capsys: pytest.CaptureFixture, *extra: str) -> tuple[int, dict]:
    capsys.readouterr()
    code = verify(directory, "--json", *extra)
    return code, json.loads(capsys.readouterr().out)


@pytest.fixture
def copy(bundle: Path, tmp_path: Path) -> Path:
    """A copy of the bundle that a test may tamper with."""
    return Path(shutil.copytree(bundle, tmp_path / "copy"))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def statement_of(directory: Path) -> tuple[dict, dict]:
    envelope = json.loads((directory / "statement.intoto.json").read_text())
    return envelope, json.loads(base64.b64decode(envelope["payload"]))


def rewrite_statement(directory: Path, envelope: dict, statement: dict) -> None:
    payload = json.dumps(statement, sort_keys=True, separators=(",", ":")).encode()
    envelope["payload"] = base64.b64encode(payload).decode()
    (directory / "statement.intoto.json").write_text(json.dumps(envelope))


def test_bundle_holds_five_files_and_the_manifest_hashes_them(history: History, bundle: Path):
    assert {p.name for p in bundle.iterdir()} == FILES
    manifest = json.loads((bundle / "manifest.json").read_text())
    assert {f["name"] for f in manifest["files"]} == {"report.html", "changes.csv", "controls.json"}
    for f in manifest["files"]:
        assert f["sha256"] == sha256(bundle / f["name"])
        assert f["bytes"] == (bundle / f["name"]).stat().st_size
    assert manifest["period"] == {
        "since": "2026-11-01T00:00:00Z",
        "until": "2026-11-30T23:59:59.999Z",
    }
    shas = history.commits
    assert manifest["range"] == {
        "revrange": "HEAD",
        "commits": 5,
        "commits_in_revrange": 6,
        "first": shas["initial"],
        "last": shas["Skip the gate"],
    }
    assert manifest["ledger"]["head"] == Ledger(ledger_path(history.repo)).head()
    assert manifest["ledger"]["chain_ok"] is True
    note = read_note(history.repo, shas["Add runner"])
    assert note is not None and note.policy_hash
    assert manifest["policy_hash"] == note.policy_hash
    assert manifest["policy_hashes_in_notes"] == {note.policy_hash: 4}
    assert manifest["genguard_version"]
    assert manifest["signing"]["signed"] is False
    assert manifest["summary"]["findings"] == {"raised": 2, "fixed": 0, "suppressed": 1, "open": 1}
    envelope, statement = statement_of(bundle)
    assert envelope["payloadType"] == "application/vnd.in-toto+json"
    assert envelope["signatures"] == []
    assert statement["_type"] == "https://in-toto.io/Statement/v1"
    assert statement["predicateType"] == "https://genguard.dev/evidence/v1"
    subjects = {s["name"]: s["digest"]["sha256"] for s in statement["subject"]}
    assert subjects == {n: sha256(bundle / n) for n in FILES - {"statement.intoto.json"}}
    assert statement["predicate"]["manifest"]["sha256"] == sha256(bundle / "manifest.json")
    assert statement["predicate"]["ledger"]["head"] == manifest["ledger"]["head"]


def test_changes_csv_has_one_row_per_commit_of_the_period(history: History, bundle: Path):
    with (bundle / "changes.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["commit"] for r in rows] == [history.commits[s] for s in IN_PERIOD]
    log = git(history.repo, "log", "--reverse", "--format=%H|%ae|%an|%s", "HEAD").splitlines()
    expected = {
        sha: (email, name, subject)
        for sha, email, name, subject in (line.split("|") for line in log)
    }
    for r in rows:
        assert (r["author_email"], r["author_name"], r["subject"]) == expected[r["commit"]]
    by = {r["subject"]: r for r in rows}
    assert by["initial"]["date"] == "2026-11-02T09:00:00Z"
    assert (by["initial"]["note"], by["initial"]["ai_lines"], by["initial"]["added_lines"]) == (
        "missing",
        "0",
        "5",  # git's own count: README.md and .genguard.toml
    )
    calc = by["Add calculators"]
    assert (calc["ai_lines"], calc["added_lines"], calc["tools"]) == (
        "4",
        "7",
        "copilot/gpt-4.1: 4",
    )
    assert (calc["reviewed"], calc["reviewers"], calc["bypass"]) == ("yes", ME, "no")
    assert (by["Write notes"]["ai_lines"], by["Write notes"]["reviewed"]) == ("0", "n/a")
    runner = by["Add runner"]
    assert (runner["tools"], runner["reviewed"], runner["findings"], runner["open_findings"]) == (
        "claude-code/opus-4: 3",
        "no",
        "1",
        "0",
    )
    assert runner["findings_detail"] == (
        "py-eval-exec run.py:6 [error; CWE-95] suppressed by dev@example.com: "
        "only called with constants"
    )
    gate = by["Skip the gate"]
    assert (gate["bypass"], gate["bypass_source"], gate["open_findings"]) == (
        "yes",
        "note+ledger",
        "1",
    )
    assert gate["findings_detail"] == "py-eval-exec danger.py:5 [error; CWE-95] open"
    assert [r["subject"] for r in rows if r["bypass"] == "yes"] == ["Skip the gate"]
    assert all(r["note"] == "present" for r in rows if r["subject"] != "initial")


def test_report_and_controls_say_what_the_period_shows(history: History, bundle: Path):
    html = (bundle / "report.html").read_text()
    manifest = json.loads((bundle / "manifest.json").read_text())
    assert manifest["ledger"]["head"] in html and manifest["policy_hash"] in html
    assert "not signed" in html
    assert history.commits["Skip the gate"][:10] in html
    assert "only called with constants" in html
    assert "<script" not in html.lower()
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html), "loads nothing"
    assert "default-src 'none'" in html
    controls = json.loads((bundle / "controls.json").read_text())
    entries = {(c["framework"], c["control"]): c for c in controls["controls"]}
    cc81 = entries[("SOC 2", "CC8.1")]
    assert cc81["status"] == "Partial"
    assert "approv" in cc81["gaps"].lower()
    assert cc81["observed"]["bypassed_commits"] == 1
    assert {c["status"] for c in controls["controls"]} <= {"Covered", "Partial", "Gap"}
    # no code anywhere: not the AI blocks, not the suppressed eval line
    for name in FILES:
        text = (bundle / name).read_text()
        assert "eval(cmd or input())" not in text
        assert "x * 2" not in text and "import os" not in text


def test_verify_holds_then_names_the_changed_file(copy: Path, capsys: pytest.CaptureFixture):
    assert verify(copy) == 0
    out = capsys.readouterr().out
    assert "holds" in out and "not signed" in out
    data = bytearray((copy / "changes.csv").read_bytes())
    data[200] ^= 0x01
    (copy / "changes.csv").write_bytes(bytes(data))
    assert verify(copy) == 1
    out = capsys.readouterr().out
    assert "changes.csv: has been changed: its sha256 is" in out
    assert "does not hold" in out
    code, doc = verify_json(copy, capsys)
    assert code == 1 and doc["ok"] is False
    assert {p["file"] for p in doc["problems"]} == {"changes.csv"}
    assert len(doc["problems"]) == 2  # against the manifest and against the statement


def test_verify_fails_on_a_tampered_statement(copy: Path, capsys: pytest.CaptureFixture):
    envelope, statement = statement_of(copy)
    for s in statement["subject"]:
        if s["name"] == "report.html":
            s["digest"]["sha256"] = "0" * 64
    rewrite_statement(copy, envelope, statement)
    code, doc = verify_json(copy, capsys)
    assert code == 1
    assert doc["problems"] == [
        {
            "file": "report.html",
            "reason": "does not match the statement: its sha256 is "
            f"{sha256(copy / 'report.html')}, the statement's subject records {'0' * 64}",
        }
    ]
    (copy / "statement.intoto.json").write_text(
        '{"payloadType": "application/vnd.in-toto+json", '
        '"payload": "not base64!", "signatures": []}'
    )
    code, doc = verify_json(copy, capsys)
    assert code == 1 and doc["problems"][0]["file"] == "statement.intoto.json"
    assert "not base64-encoded JSON" in doc["problems"][0]["reason"]


def test_verify_names_extra_and_missing_files(copy: Path, capsys: pytest.CaptureFixture):
    (copy / "extra.txt").write_text("slipped in\n")
    (copy / "controls.json").unlink()
    code, doc = verify_json(copy, capsys)
    assert code == 1
    problems = {(p["file"], p["reason"]) for p in doc["problems"]}
    assert ("extra.txt", "is in the bundle but not listed in the manifest") in problems
    assert ("controls.json", "is listed in the manifest but missing from the bundle") in problems


def test_bad_input_is_refused_and_loses_nothing(history: History, tmp_path: Path, capsys):
    out = tmp_path / "taken"
    out.mkdir()
    (out / "keep.txt").write_text("mine\n")
    assert build(history, out) == 2
    assert "already holds files" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    assert (out / "keep.txt").read_text() == "mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]  # no half bundle left

    fresh = tmp_path / "fresh"
    argv = ["evidence", "-C", str(history.repo), "--out", str(fresh)]
    assert cli_main.main([*argv, "--since", "2026-13-01", "--until", UNTIL]) == 2
    assert "is not a date" in capsys.readouterr().err
    assert cli_main.main([*argv, "--since", UNTIL, "--until", SINCE]) == 2
    assert "is before" in capsys.readouterr().err
    assert cli_main.main([*argv, "--since", SINCE, "--until", UNTIL, "no-such-branch"]) == 2
    assert "bad revision range" in capsys.readouterr().err
    assert cli_main.main(["evidence", "-C", str(history.repo)]) == 2
    assert "-o/--output required" in capsys.readouterr().err
    assert not fresh.exists()
    assert cli_main.main(["evidence", "verify", str(tmp_path / "nowhere")]) == 2


def test_revrange_and_json_output(history: History, tmp_path: Path, capsys):
    shas = history.commits
    capsys.readouterr()
    out = tmp_path / "range"
    code = build(history, out, "--no-sign", "--json", f"{shas['Write notes']}..HEAD")
    assert code == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["range"]["commits"] == 2 and doc["range"]["commits_in_revrange"] == 3
    assert doc["signing"] == {"signed": False, "reason": "signing was turned off (--no-sign)"}
    assert set(doc["files"]) == FILES
    with (out / "changes.csv").open(newline="") as f:
        assert [r["subject"] for r in csv.DictReader(f)] == ["Add runner", "Skip the gate"]


@needs_ssh_keygen
def test_signed_bundle_verifies_against_allowed_signers(
    history: History, tmp_path: Path, capsys: pytest.CaptureFixture
):
    key = tmp_path / "signing"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    other = tmp_path / "other"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(other)], check=True)
    git(history.repo, "config", "gpg.format", "ssh")
    git(history.repo, "config", "user.signingkey", str(key))
    try:
        out = tmp_path / "signed"
        assert build(history, out) == 0
    finally:
        git(history.repo, "config", "--unset", "gpg.format")
        git(history.repo, "config", "--unset", "user.signingkey")
    fingerprint = subprocess.run(
        ["ssh-keygen", "-l", "-f", f"{key}.pub"], capture_output=True, text=True, check=True
    ).stdout.split()[1]
    envelope, _ = statement_of(out)
    assert [s["keyid"] for s in envelope["signatures"]] == [fingerprint]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["signing"] == {
        "signed": True,
        "keyid": fingerprint,
        "source": "user.signingkey",
        "namespace": "genguard",
    }
    assert fingerprint in (out / "report.html").read_text()

    allowed = tmp_path / "allowed_signers"
    allowed.write_text(f'{ME} namespaces="genguard" {(tmp_path / "signing.pub").read_text()}')
    code, doc = verify_json(out, capsys, "--allowed-signers", str(allowed))
    assert code == 0, doc
    assert doc["signatures"] == {"valid": 1, "invalid": 0, "unchecked": 0}
    assert doc["signers"] == [ME]
    # without an allowed-signers file the signature is not checked: said, not failed
    code, doc = verify_json(out, capsys)
    assert code == 0 and doc["signatures"]["unchecked"] == 1 and doc["notices"]
    assert verify(out, "--require-signature") == 1
    # a key that is not allowed
    wrong = tmp_path / "wrong_signers"
    wrong.write_text(f"{ME} {(tmp_path / 'other.pub').read_text()}")
    code, doc = verify_json(out, capsys, "--allowed-signers", str(wrong))
    assert code == 1 and "is not in" in doc["problems"][0]["reason"]

    tampered = Path(shutil.copytree(out, tmp_path / "tampered"))
    envelope, statement = statement_of(tampered)
    statement["predicate"]["period"]["since"] = "2026-11-15T00:00:00Z"
    rewrite_statement(tampered, envelope, statement)
    code, doc = verify_json(tampered, capsys, "--allowed-signers", str(allowed))
    assert code == 1
    assert doc["problems"][0]["file"] == "statement.intoto.json"
    assert "does not verify" in doc["problems"][0]["reason"]

    stripped = Path(shutil.copytree(out, tmp_path / "stripped"))
    envelope, statement = statement_of(stripped)
    envelope["signatures"] = []
    rewrite_statement(stripped, envelope, statement)
    code, doc = verify_json(stripped, capsys)
    assert code == 1 and "the signature was removed" in doc["problems"][0]["reason"]


def test_default_period_runs_from_the_first_note_to_now(history: History, tmp_path: Path, capsys):
    """An auditor's first try (no dates) gets every commit genguard saw, up to now."""
    from genguard.evidence.collect import first_noted, log_commits
    from genguard.gitio.notes import noted_commits

    out = tmp_path / "default"
    code = cli_main.main(["evidence", "-C", str(history.repo), "-o", str(out), "--no-sign",
                          "--format", "json"])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    doc = json.loads(capsys.readouterr().out)
    noted = noted_commits(history.repo)
    first = next(r.date for r in log_commits(history.repo, None) if r.commit in noted)
    assert first_noted(history.repo, None) == first
    assert doc["period"]["since"].startswith(first.strftime("%Y-%m-%dT%H:%M:%S"))
    assert doc["period"]["defaulted"][0].startswith("--since ")
    assert doc["summary"]["noted_commits"] == len(noted)


def test_a_wide_period_is_bucketed_by_quarter_without_empty_stretches(
    history: History, tmp_path: Path, capsys
):
    out = tmp_path / "wide"
    argv = ["evidence", "-C", str(history.repo), "-o", str(out), "--no-sign"]
    assert cli_main.main([*argv, "--since", "2019-01-01", "--until", "2026-12-31"]) == 0
    capsys.readouterr()
    report = (out / "report.html").read_text()
    assert "AI-written lines per quarter" in report
    assert "2026-Q4" in report  # the one quarter with commits
    assert "2019-Q1" not in report and "2026-Q3" not in report  # empty stretches left out
    assert "-W4" not in report  # no week rows
