"""``genguard gate``: OPA Rego over the staged change and over revision ranges, for real."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from tests.conftest import git
from tests.policy.conftest import (
    ai_write,
    cli,
    configure,
    git_commit,
    human_write,
    initial_commit,
    review,
)

import genguard.policy
from genguard.gitio.run import Git
from genguard.hooks.install import install_hooks
from genguard.policy import FactError, PolicyError, evaluate, parse_facts, staged_input

POLICY = str(
    Path(__file__).resolve().parents[2] / "rules" / "policies" / "soc2-change-control.rego"
)
PACKS = '[rules]\npacks = ["security"]\n'
EVAL = "import subprocess\n\ndef run(cmd):\n    return eval(cmd or input())\n"


SCHEMA = json.loads(
    (Path(genguard.policy.__file__).with_name("input.schema.json")).read_text(encoding="utf-8")
)


def printed_input(repo: Path, capsys, *args: str) -> dict:
    """``--print-input``, checked against the input's JSON Schema."""
    assert cli("gate", "--print-input", "-C", str(repo), *args) == 0
    doc = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    errors = [e.message for e in jsonschema.Draft202012Validator(SCHEMA).iter_errors(doc)]
    assert not errors, errors
    return doc


def test_staged_ai_code_unreviewed_with_an_open_finding_is_refused(repo: Path, capsys) -> None:
    initial_commit(repo, PACKS + '[governance]\nprotected_paths = ["infra/"]\n')
    (chunk,) = ai_write(repo, "app.py", EVAL, tool="copilot", model="gpt-4.1")
    ai_write(repo, "infra/deploy.sh", "echo deploying the service now\nexit 0\n")
    human_write(repo, "notes.txt", "written by a person\n")

    doc = printed_input(repo, capsys)
    assert doc["schema"] == "genguard/gate-input/1" and doc["mode"] == "staged"
    assert doc["repository"]["name"] == "repo" and doc["repository"]["branch"] == "main"
    files = {f["path"]: f for f in doc["files"]}
    assert set(files) == {"app.py", "infra/deploy.sh", "notes.txt"}
    assert files["notes.txt"] == {
        "path": "notes.txt",
        "added_lines": 1,
        "ai_lines": 0,
        "reviewed_ai_lines": 0,
        "unreviewed_ai_lines": 0,
        "protected": None,
        "ai": [],
    }
    app = files["app.py"]
    assert app["added_lines"] == 4 and app["ai_lines"] == 3
    first = app["ai"][0]
    assert {k: first[k] for k in ("chunk", "tool", "model", "method", "kind", "status")} == {
        "chunk": chunk,
        "tool": "copilot",
        "model": "gpt-4.1",
        "method": "declared",
        "kind": "agent",
        "status": "unreviewed",
    }
    assert files["infra/deploy.sh"]["protected"] == "infra/"
    assert doc["protected_paths"] == {
        "patterns": ["infra/"],
        "touched": [
            {
                "path": "infra/deploy.sh",
                "pattern": "infra/",
                "ai_lines": 2,
                "unreviewed_ai_lines": 2,
            }
        ],
    }
    assert doc["tools"] == ["claude-code", "copilot"]
    assert doc["models"] == ["gpt-4.1", "opus-4"]
    assert doc["review"]["status"] == "unreviewed"
    finding, protected = doc["findings"]  # ordered by file
    assert protected["rule"] == "governance-protected-path"
    assert protected["file"] == "infra/deploy.sh" and protected["handling"] == "open"
    assert finding["rule"] == "py-eval-exec" and finding["cwe"] == ["CWE-95"]
    assert finding["severity"] == "error" and finding["handling"] == "open"
    assert finding["security_severity"] >= 7 and finding["tool"] == "copilot"
    assert "CC8.1" in finding["controls"]["soc2"]
    assert doc["totals"]["ai_lines"] == 5 and doc["totals"]["added_lines"] == 7
    assert doc["policy_hash"].startswith("sha256:")
    assert doc["incomplete"] == []  # every check ran to its end
    assert "eval(cmd or input())" not in json.dumps(doc)  # no code in the input

    assert cli("gate", "--policy", POLICY, "-C", str(repo)) == 1
    out = capsys.readouterr().out
    assert "app.py:4: open error finding py-eval-exec (CWE-95) in AI-written code" in out
    assert "app.py:1-1: AI-written code from copilot is not reviewed" in out
    assert "infra/deploy.sh:1-2: AI-written code from claude-code is not reviewed" in out


def test_reviewed_and_suppressed_with_a_reason_passes(repo: Path, capsys) -> None:
    initial_commit(repo)
    (chunk,) = ai_write(repo, "app.py", EVAL)
    review(repo, chunk, "app.py")
    human_write(
        repo,
        "app.py",
        "import subprocess\n\ndef run(cmd):\n"
        "    # genguard: ignore[py-eval-exec] input is a constant from our own table\n"
        "    return eval(cmd or input())\n",
    )
    doc = printed_input(repo, capsys)
    (finding,) = doc["findings"]
    assert finding["handling"] == "suppressed"
    assert finding["reason"] == "input is a constant from our own table"
    assert doc["review"] == {
        "status": "reviewed",
        "reviewers": ["lead@example.com"],
        "require_review": "warn",
    }
    assert cli("gate", "--policy", POLICY, "-C", str(repo)) == 0
    assert "passes the policy" in capsys.readouterr().err
    # CI facts are enforced by the same policy
    assert cli("gate", "--policy", POLICY, "--fact", "tests_passed=false", "-C", str(repo)) == 1
    assert "tests did not pass" in capsys.readouterr().out
    args = ["--fact", "coverage=81.5", "--fact", "min_coverage=85"]
    assert cli("gate", "--policy", POLICY, *args, "--json", "-C", str(repo)) == 1
    decision = json.loads(capsys.readouterr().out)
    assert decision["allowed"] is False
    assert decision["deny"] == ["test coverage 81.5 is below the minimum 85"]


def test_a_check_cut_short_is_in_the_input_and_a_policy_can_refuse_it(
    repo: Path, tmp_path: Path, capsys
) -> None:
    from tests.cutshort import nested_loops

    initial_commit(repo)
    ai_write(repo, "views.py", nested_loops())
    doc = printed_input(repo, capsys)
    [entry] = doc["incomplete"]
    assert entry["what"] == "cut-short" and entry["file"] == "views.py"
    assert entry["commit"] is None
    assert entry["detail"].startswith("taint analysis stopped at its")
    assert doc["findings"] == []  # the flow to os.system was not reached
    policies = tmp_path / "policies"
    policies.mkdir()
    (policies / "complete.rego").write_text(
        "package genguard\nimport rego.v1\n"
        'deny contains e.detail if { some e in input.incomplete; e.what == "cut-short" }\n'
    )
    assert cli("gate", "--policy", str(policies), "-C", str(repo)) == 1
    assert "taint analysis stopped at its" in capsys.readouterr().out


def test_facts_are_typed_and_nested() -> None:
    facts = parse_facts(
        [
            "tests_passed=true",
            "coverage=87.5",
            "runs=12",
            "branch=main",
            "ci.job=build",
            "ci.attempt=2",
            "flaky=null",
            "label=TRUE story",
        ]
    )
    assert facts == {
        "tests_passed": True,
        "coverage": 87.5,
        "runs": 12,
        "branch": "main",
        "ci": {"job": "build", "attempt": 2},
        "flaky": None,
        "label": "TRUE story",
    }
    for bad, why in (
        ("nothing", "expected key=value"),
        ("=1", "the key must be"),
        ("a b=1", "the key must be"),
    ):
        with pytest.raises(FactError, match=why):
            parse_facts([bad])
    with pytest.raises(FactError, match="already a value"):
        parse_facts(["ci=1", "ci.job=x"])
    with pytest.raises(FactError, match="already a group"):
        parse_facts(["ci.job=x", "ci=1"])


def test_a_policy_of_ones_own_sees_the_input_and_its_messages_survive(
    repo: Path, tmp_path: Path, capsys
) -> None:
    initial_commit(repo)
    ai_write(repo, "lib.py", "def add(a, b):\n    return a + b\n", tool="cursor", model="o3")
    policies = tmp_path / "policies"
    policies.mkdir()
    (policies / "models.rego").write_text(
        "package genguard\nimport rego.v1\n"
        "deny contains msg if {\n"
        "  some m in input.models\n"
        "  not m in input.facts.approved\n"
        '  msg := sprintf("model %s is not approved", [m])\n'
        "}\n"
    )
    (policies / "quotes.rego").write_text(
        "package genguard\nimport rego.v1\n"
        'deny contains concat("", ["say no to ", input.tools[0], input.facts.tail]) if {\n'
        "  input.facts.strict == true\n"
        "}\n"
    )
    assert cli("gate", "--policy", str(policies), "--fact", "strict=false", "-C", str(repo)) == 1
    assert "model o3 is not approved" in capsys.readouterr().out
    # quotes and backslashes in values from the input arrive intact
    doc = staged_input(repo, {"strict": True, "approved": ["o3"], "tail": ' \\ "ok"'})
    decision = evaluate([policies], doc)
    assert decision.deny == ('say no to cursor \\ "ok"',)
    assert [Path(p).name for p in decision.policies] == ["models.rego", "quotes.rego"]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("package genguard\nimport rego.v1\ndeny contains msg if { msg := }\n", "bad.rego:3"),
        ("package other\nimport rego.v1\nx := 1\n", "is undefined"),
        ('package genguard\ndeny[msg] { msg := "old style" }\n', "not a set of messages"),
    ],
)
def test_policy_errors_exit_2_with_a_clear_message(
    repo: Path, tmp_path: Path, capsys, source: str, expected: str
) -> None:
    initial_commit(repo)
    bad = tmp_path / "bad.rego"
    bad.write_text(source)
    assert cli("gate", "--policy", str(bad), "-C", str(repo)) == 2
    err = capsys.readouterr()
    assert err.out == ""
    assert "genguard gate:" in err.err
    assert expected in err.err, err.err
    with pytest.raises(PolicyError):
        evaluate([bad], {})


def test_usage_errors(repo: Path, tmp_path: Path, capsys) -> None:
    initial_commit(repo)
    assert cli("gate", "-C", str(repo)) == 2
    assert "--policy" in capsys.readouterr().err
    assert cli("gate", "--policy", str(tmp_path / "missing.rego"), "-C", str(repo)) == 2
    assert "no such policy file" in capsys.readouterr().err
    assert cli("gate", "--policy", POLICY, "--fact", "oops", "-C", str(repo)) == 2
    assert "expected key=value" in capsys.readouterr().err
    assert cli("gate", "--staged", "HEAD", "--policy", POLICY, "-C", str(repo)) == 2
    assert cli("gate", "--policy", POLICY, "nope..HEAD", "-C", str(repo)) == 2
    assert "bad revision range" in capsys.readouterr().err
    outside = tmp_path / "plain"
    outside.mkdir()
    assert cli("gate", "--policy", POLICY, "-C", str(outside)) == 2
    # a policy genguard ships can be named without its path
    assert cli("gate", "--policy", "soc2-change-control", "-C", str(repo)) == 0


def test_a_range_is_judged_from_its_notes(repo: Path, capsys) -> None:
    base = initial_commit(repo)
    configure(repo, "[rules]\npacks = []\n")
    git(repo, "commit", "-qam", "rules off for the hooks")
    assert install_hooks(Git(repo)).ok
    (chunk,) = ai_write(repo, "tool.py", "def double(x):\n    return x * 2\n", model="opus-4")
    review(repo, chunk, "tool.py")
    proc = git_commit(repo, "-qm", "reviewed AI change")
    assert proc.returncode == 0, proc.stderr
    ai_write(repo, "more.py", "def triple(x):\n    return x * 3\n")
    proc = git_commit(repo, "-q", "--no-verify", "-m", "skipped the gate")
    assert proc.returncode == 0, proc.stderr
    head = git(repo, "rev-parse", "HEAD").strip()

    doc = printed_input(repo, capsys, f"{base}..HEAD")
    assert doc["mode"] == "range" and doc["range"] == f"{base}..HEAD"
    commits = {c["commit"]: c for c in doc["commits"]}
    assert len(commits) == 3
    assert commits[head]["bypass"] is True and commits[head]["noted"] is True
    unnoted = [c for c in commits.values() if not c["noted"]]
    assert len(unnoted) == 1 and unnoted[0]["added_lines"] == 1  # made before the hooks
    files = {f["path"]: f for f in doc["files"]}
    assert files["tool.py"]["ai"][0]["status"] == "reviewed"
    assert files["tool.py"]["ai"][0]["commit"] != head
    assert files["more.py"]["unreviewed_ai_lines"] == 2

    assert cli("gate", "--policy", POLICY, f"{base}..HEAD", "-C", str(repo)) == 1
    out = capsys.readouterr().out
    assert f"commit {head} was made with --no-verify" in out
    assert "more.py:1-2: AI-written code from claude-code is not reviewed" in out
    assert "tool.py" not in out
    assert cli("gate", "--policy", POLICY, f"{base}..HEAD~1", "-C", str(repo)) == 0
