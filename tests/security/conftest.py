"""Fixtures for the attack reproductions: a repository, the real server, the real CLI."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.security.rpc import RawServer

GENGUARD = [sys.executable, "-m", "genguard"]


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[type[RawServer]]:
    """Start ``genguard serve`` processes that are shut down after the test."""
    started: list[RawServer] = []

    def start(cwd: Path, **kwargs) -> RawServer:
        server = RawServer(cwd, tmp_path / "server-cache", **kwargs)
        started.append(server)
        return server

    yield start  # type: ignore[misc]
    for server in started:
        server.close()
