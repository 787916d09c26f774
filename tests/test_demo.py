"""`genguard demo` against the real server: it fits an 80-column terminal without
cutting words, shows the completion's code, announces each action it runs and why
(the ledger's suppression is the announced one), and ends with what to do next."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from genguard.cli.demo import JUSTIFICATION, SHELL_RULE


def _words(text: str) -> str:
    return " ".join(text.split())


def test_demo_fits_80_columns_announces_its_actions_and_ends_with_next_steps(tmp_path: Path):
    env = {**os.environ, "COLUMNS": "80", "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-m", "genguard", "demo"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    out = proc.stdout
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    # nothing cut to fit: the only ellipses are the ledger's shortened hashes
    assert "…" not in re.sub(r"sha256:[0-9a-f]{8}…", "", out), out
    assert "Ignoring notification" not in out + proc.stderr  # no client noise

    sections = re.split(r"─+ \d\. ", out)
    assert len(sections) == 6, out
    completion, actions, ledger = sections[3], _words(sections[4]), _words(sections[5])
    assert "def load(blob):" in completion and "return yaml.load(blob)" in completion

    offered = re.findall(r"action (.+?)(?= action | runs | leaves |$)", actions)
    assert f"Suppress {SHELL_RULE} here with a justification" in offered
    assert "Mark AI chunk as reviewed (lines 18-22, copilot)" in offered
    assert "runs Mark AI chunk as reviewed on the completion (lines 18-22)" in actions
    assert f'runs Suppress {SHELL_RULE} on line 16' in actions
    assert f'the justification given is "{JUSTIFICATION}"' in actions

    # the ledger holds exactly the suppression and the review the demo announced
    suppressed = re.findall(r"finding\.suppressed by \S+ (.+?), CWE-", ledger)
    assert len(suppressed) == 1, ledger
    assert f"rule={SHELL_RULE}, reason={JUSTIFICATION}" in suppressed[0]
    assert len(re.findall(r"chunk\.reviewed by", ledger)) == 1
    assert "tool=copilot" in ledger.split("chunk.reviewed by", 1)[1].split(" 7 ")[0]

    tail = "\n".join(lines[-8:])
    assert "next steps" in tail
    for step in ("genguard install-hooks", "genguard scan", "genguard review", "docs/editors.md"):
        assert step in tail
