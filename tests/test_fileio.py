"""Atomic file replacement: all or nothing, permissions kept."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from genguard.fileio import write_atomic


def test_replaces_whole_and_keeps_mode(tmp_path: Path):
    target = tmp_path / "sub" / "report.json"
    write_atomic(target, "first\n")
    assert target.read_text() == "first\n"
    target.chmod(0o640)
    write_atomic(target, b"second\n")
    assert target.read_bytes() == b"second\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in target.parent.iterdir()) == ["report.json"]


def test_new_files_follow_the_umask_not_0600(tmp_path: Path):
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "a.txt", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.txt").stat().st_mode) == 0o644


def test_executable_and_failure_leaves_the_old_file(tmp_path: Path):
    hook = tmp_path / "pre-commit"
    write_atomic(hook, "#!/bin/sh\n", executable=True)
    assert os.access(hook, os.X_OK)

    class Boom(str):
        def encode(self, *args, **kwargs):  # fails while the new content is prepared
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_atomic(hook, Boom("new"))
    assert hook.read_text() == "#!/bin/sh\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pre-commit"]
