"""What the command line says agrees with itself: one message for a broken
configuration, and the same rule counts in `rules list`, `rules test` and the README."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def genguard(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "genguard", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "GENGUARD_CACHE_DIR": str(cwd / ".cache")},
        timeout=300,
    )


def test_invalid_toml_is_one_message_and_exit_2(tmp_path: Path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / ".genguard.toml").write_text("[scan\nexclude = []\n")
    proc = genguard(tmp_path, "scan")
    assert proc.returncode == 2
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert ".genguard.toml:1: invalid TOML" in lines[0]
    assert "using default settings" not in proc.stderr  # it does not go on with defaults
    assert "fix the configuration, then run the scan again" in lines[0]
    assert proc.stdout == ""


def test_rule_counts_agree_between_list_test_and_readme(tmp_path: Path):
    listed = json.loads(genguard(tmp_path, "rules", "list", "--format", "json").stdout)
    packs: dict[str, int] = {}
    for row in listed:
        packs[row["pack"]] = packs.get(row["pack"], 0) + 1
    tested = genguard(tmp_path, "rules", "test")
    assert tested.returncode == 0, tested.stdout
    m = re.search(r"built-in packs: (\d+) rules \((\d+) with examples, (\d+) checks", tested.stdout)
    assert m is not None, tested.stdout
    total, with_examples, checks = map(int, m.groups())
    assert total == len(listed) == with_examples + checks
    table = genguard(tmp_path, "rules", "list").stdout
    assert f"genguard rules ({len(listed)}: " in table
    readme = README.read_text()
    assert f"{len(listed)} rules in four packs" in readme and len(packs) == 4
    assert f"runs the examples of the {with_examples} matched" in readme.replace("\n", " ")
    assert f"the other {checks} are checks" in readme.replace("\n", " ")
    assert f"`security`: {packs['security']} rules" in readme
