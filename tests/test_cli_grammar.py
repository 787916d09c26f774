"""One grammar over every command: git's `-C REPO`, `--format`, `-o/--output`; the old
spellings still parse (hidden) for one release."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from pathlib import Path

import pytest
from tests.conftest import git

from genguard.cli.main import COMMANDS, main

#: Commands that do not work on a repository: the server, the demo, the hook runner.
NO_REPO = {"serve", "demo", "hook"}
#: Commands with machine-readable output: `--format`.
FORMATTED = {
    "verify", "scan", "blame", "stats", "import", "review", "controls", "gate", "sbom",
    "evidence", "rules list",
}  # fmt: skip
#: Commands that write a file: `-o/--output`.
WRITING = {"scan", "export", "sbom", "evidence"}
OLD_SPELLINGS = ("--json", "--out ", "--root", "--require-signature ", "--require-signature\n")


def help_of(words: list[str]) -> str:
    out = io.StringIO()
    with redirect_stdout(out), pytest.raises(SystemExit) as exc:
        main([*words, "--help"])
    assert exc.value.code == 0
    return out.getvalue() + "\n"


def every_command() -> list[str]:
    names = [c for c in COMMANDS if c != "rules"]
    return [*names, "rules list", "rules test"]


@pytest.mark.parametrize("command", every_command())
def test_every_help_speaks_one_grammar(command: str):
    text = help_of(command.split())
    if command not in NO_REPO:
        assert "-C REPO" in text, text
    if command in FORMATTED:
        assert "--format" in text, text
    if command in WRITING:
        assert "-o" in text and "--output" in text, text
    for old in OLD_SPELLINGS:
        assert old not in text, f"{command} --help still shows {old.strip()}"


def test_old_spellings_still_parse(repo: Path, capsys: pytest.CaptureFixture[str]):
    (repo / "a.py").write_text("x = 1\n")
    git(repo, "add", "a.py")
    git(repo, "commit", "-qm", "one")
    assert main(["stats", "-C", str(repo), "--json"]) == 0
    old = json.loads(capsys.readouterr().out)
    assert main(["stats", "-C", str(repo), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == old
    # -C runs the command in REPO, as git does; the caller's directory is kept
    here = Path.cwd()
    assert main(["blame", "-C", str(repo), "a.py", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["path"] == "a.py"
    assert Path.cwd() == here
    assert main(["rules", "list", "--root", str(repo), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)
    assert main(["blame", "-C", str(repo / "nope"), "a.py"]) == 2
    assert "-C" in capsys.readouterr().err
