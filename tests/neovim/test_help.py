"""`:help genguard` exists: the plugin ships doc/genguard.txt with valid tags."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "editors" / "neovim" / "doc" / "genguard.txt"


@pytest.mark.skipif(shutil.which("nvim") is None, reason="Neovim is not installed")
def test_help_file_builds_tags_for_every_command(tmp_path: Path):
    shutil.copy(DOC, tmp_path / "genguard.txt")
    proc = subprocess.run(
        ["nvim", "--headless", "-u", "NONE", "-c", f"helptags {tmp_path}", "-c", "qa!"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    tags = {line.split("\t")[0] for line in (tmp_path / "tags").read_text().splitlines()}
    for tag in ("genguard.txt", ":GenguardInfo", ":GenguardReview", ":GenguardBlame",
                "genguard-integrations", "genguard-ai-share"):  # fmt: skip
        assert tag in tags, tag
