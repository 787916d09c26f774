"""Finding 5 (the other half): a note signed as someone by a key that is not in the
user's allowed signers is shown as unverified wherever it is used (blame, stats,
evidence), and the evidence report says how many there are."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from tests.report.conftest import add_note, ai, commit
from tests.report.test_verify import sign_note, ssh_keygen
from tests.security.conftest import GENGUARD
from tests.security.rpc import run_measured

pytestmark = pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="no ssh-keygen")


@pytest.mark.usefixtures("isolated_git")
def test_note_signed_by_a_key_not_allowed_is_unverified_everywhere(repo: Path, tmp_path: Path):
    keys = tmp_path / "keys"
    keys.mkdir()
    mine, forger = keys / "mine", keys / "forger"
    for key in (mine, forger):
        ssh_keygen("-q", "-t", "ed25519", "-N", "", "-C", "k", "-f", str(key))
    allowed = keys / "allowed_signers"
    allowed.write_text(f'dev@example.com namespaces="genguard" {(keys / "mine.pub").read_text()}')
    user = tmp_path / "user-config.toml"  # the user's own trust anchor
    user.write_text(f'[signing]\nallowed_signers = "{allowed}"\n')
    env = {**os.environ, "GENGUARD_USER_CONFIG": str(user)}

    good = commit(repo, {"a.py": "x = 1\ny = 2\n"}, "mine")
    add_note(
        repo, good, {"a.py": (2, [ai(1, 2, "k1", status="reviewed")])}, author="dev@example.com"
    )
    sign_note(repo, good, mine)
    forged = commit(repo, {"b.py": "z = 1\nw = 2\n"}, "forged")
    add_note(
        repo,
        forged,
        {"b.py": (2, [ai(1, 2, "k2", status="reviewed", reviewer="aaa-lead")])},
        author="dev@example.com",
    )
    sign_note(repo, forged, forger)  # signs as dev@example.com with a key not allowed

    rc, out, _ = run_measured([*GENGUARD, "stats", "--json"], repo, env=env)
    stats = json.loads(out)
    assert stats["signatures"] == {"verified": 1, "unverified": 1, "unsigned": 0}
    assert stats["unverified_notes"] == [forged]

    rc, out, _ = run_measured([*GENGUARD, "blame", "b.py"], repo, env=env)
    assert rc == 0, out
    assert "reviewed (unverified)" in out and "unverified claims" in out
    rc, out, _ = run_measured([*GENGUARD, "blame", "--json", "a.py"], repo, env=env)
    assert {ln["note_signature"] for ln in json.loads(out)["lines"]} == {"verified"}

    bundle = tmp_path / "evidence"
    argv = ["evidence", "--since", "2000-01-01", "--until", "2100-01-01", "--out", str(bundle)]
    rc, out, _ = run_measured([*GENGUARD, *argv], repo, env=env)
    assert rc == 0, out
    report = (bundle / "report.html").read_text()
    assert "1 unverified" in report
