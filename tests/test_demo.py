"""`genguard demo` fits an 80-column terminal and ends with what to do next."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_demo_fits_80_columns_and_ends_with_next_steps(tmp_path: Path):
    env = {**os.environ, "COLUMNS": "80", "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-m", "genguard", "demo"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    lines = proc.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    tail = "\n".join(lines[-8:])
    assert "next steps" in tail
    for step in ("genguard install-hooks", "genguard scan", "genguard review", "docs/editors.md"):
        assert step in tail
