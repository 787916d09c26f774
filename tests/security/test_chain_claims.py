"""Finding 10: what the ledger chain proves. Deleting the ledger, or replacing it
with a fresh one under another name, no longer passes `verify`: our own notes
must find their records here. Records after the last anchored head are counted
and named, since nothing can vouch for them, and `--strict` fails on them
(docs/provenance.md)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.report.conftest import add_note, ai, commit
from tests.security.conftest import GENGUARD
from tests.security.rpc import run_measured

from genguard.ledger import Ledger

ME = "dev@example.com"  # the repo fixture's user.email


@pytest.fixture
def anchored(repo: Path) -> Path:
    """A commit whose note names the ledger head, then two records no note names."""
    ledger = Ledger.for_workspace(repo)
    ledger.append("chunk.created", {"chunk": "k1", "file": "a.py", "lines": [1, 2]})
    head = ledger.head()
    sha = commit(repo, {"a.py": "x = 1\ny = 2\n"}, "first")
    add_note(repo, sha, {"a.py": (2, [ai(1, 2, "k1")])}, ledger_head=head, author=ME)
    ledger.append("chunk.created", {"chunk": "k2", "file": "b.py", "lines": [1, 1]})
    ledger.append("chunk.created", {"chunk": "k3", "file": "b.py", "lines": [2, 2]})
    return ledger.path


def _verify(repo: Path) -> tuple[int, str]:
    rc, out, _ = run_measured([*GENGUARD, "verify", str(repo)], repo)
    return rc, out


@pytest.mark.usefixtures("isolated_git")
def test_untouched_chain_holds_and_names_what_is_unanchored(repo: Path, anchored: Path):
    rc, out = _verify(repo)
    assert rc == 0, out
    assert "2 of 3 ledger records are vouched for by no commit note (last anchored: seq 0)" in out
    rc, out, _ = run_measured([*GENGUARD, "verify", "--strict", str(repo)], repo)
    assert rc == 1, out  # and a way to fail on them


@pytest.mark.usefixtures("isolated_git")
def test_deleted_ledger_fails(repo: Path, anchored: Path):
    anchored.unlink()
    rc, out = _verify(repo)
    assert rc == 1, out
    assert "there is no ledger: it was deleted or moved" in out


@pytest.mark.usefixtures("isolated_git")
def test_ledger_replaced_by_another_actor_fails(repo: Path, anchored: Path):
    shutil.move(anchored, anchored.with_suffix(".old"))
    fresh = Ledger(anchored, actor="mallory@example.com")
    fresh.append("chunk.created", {"chunk": "k9", "file": "z.py", "lines": [1, 1]})
    rc, out = _verify(repo)
    assert rc == 1, out
    assert "is not a record in the ledger" in out
