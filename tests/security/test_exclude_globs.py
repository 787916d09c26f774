"""Low finding: 3,000 ``[scan] exclude`` globs crashed RE2's set compilation (a
traceback from ``scan``). Too many globs, or globs too complex to compile together,
are now a configuration error on the key's line; the rest of the file applies."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from tests.security.conftest import GENGUARD

from genguard.config import parse_settings

MANY = ", ".join(f'"vendor{i}/**/*.min.js"' for i in range(3000))
COMPLEX = ", ".join(f'"**/dir{i}*x*y*/**/*.{i}min.js"' for i in range(1000))


@pytest.mark.parametrize(("globs", "why"), [(MANY, "at most 1000"), (COMPLEX, "too complex")])
def test_scan_reports_the_globs_instead_of_crashing(
    repo: Path, isolated_git: None, globs: str, why: str
) -> None:
    (repo / ".genguard.toml").write_text(f'scope = "all"\n[scan]\nexclude = [{globs}]\n')
    (repo / "a.py").write_text("x = 1\n")
    proc = subprocess.run([*GENGUARD, "scan", "."], cwd=repo, capture_output=True, text=True)
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 2, proc.stderr  # the scan says what to fix
    assert ".genguard.toml:3: scan.exclude" in proc.stderr and why in proc.stderr


@pytest.mark.parametrize("globs", [MANY, COMPLEX])
def test_the_rest_of_the_file_still_applies(globs: str, tmp_path: Path) -> None:
    text = (
        f'scope = "all"\n[scan]\nexclude = [{globs}]\n[governance]\nprotected_paths = [{globs}]\n'
    )
    result = parse_settings(text, tmp_path / ".genguard.toml")
    assert {p.key for p in result.errors} == {"scan.exclude", "governance.protected_paths"}
    assert result.settings.scope == "all"
    assert result.settings.scan.exclude == () and result.settings.governance.protected_paths == ()
