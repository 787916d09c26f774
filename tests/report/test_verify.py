"""genguard verify: ledger chain, notes against the ledger, and SSH signatures of notes."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from tests.conftest import git
from tests.report.conftest import add_note, ai, cli, commit, replace_note_text

from genguard.gitio.notes import read_note, read_note_text
from genguard.ledger import Ledger
from genguard.notes.format import Note
from genguard.report.audit import note_hash, signed_payload

ME = "dev@example.com"  # the repo fixture's user.email: the ledger's actor
needs_ssh_keygen = pytest.mark.skipif(
    shutil.which("ssh-keygen") is None, reason="ssh-keygen is not installed"
)


def record_chunk(ledger: Ledger, chunk: str, file: str) -> str:
    ledger.append("chunk.created", {"chunk": chunk, "file": file, "lines": [1, 2]})
    head = ledger.head()
    assert head is not None
    return head


@pytest.fixture
def noted(repo: Path) -> dict[str, str]:
    """Two commits whose notes point at the ledger as the hooks would leave them."""
    ledger = Ledger.for_workspace(repo)
    head1 = record_chunk(ledger, "k1", "a.py")
    c1 = commit(repo, {"a.py": "x = 1\ny = 2\n"}, "first")
    add_note(repo, c1, {"a.py": (2, [ai(1, 2, "k1")])}, ledger_head=head1, author=ME)
    head2 = record_chunk(ledger, "k2", "b.py")
    c2 = commit(repo, {"b.py": "z = 3\nw = 4\n"}, "second")
    add_note(repo, c2, {"b.py": (2, [ai(1, 2, "k2")])}, ledger_head=head2, author=ME)
    return {"c1": c1, "c2": c2, "ledger": str(ledger.path)}


def verify_json(*argv: str, capsys: pytest.CaptureFixture) -> tuple[int, dict]:
    code = cli("verify", *argv, "--json")
    return code, json.loads(capsys.readouterr().out)


def test_untouched_repository_verifies(repo: Path, noted: dict[str, str], capsys) -> None:
    assert cli("verify", str(repo)) == 0
    out = capsys.readouterr().out
    assert "chain holds: 2 records" in out and "2 of 2 commits" in out
    assert "not signed" in out  # said plainly, not a failure
    code, doc = verify_json(str(repo), capsys=capsys)
    assert code == 0 and doc["ok"] is True and doc["failures"] == []
    assert doc["notes"]["signatures"]["unsigned"] == 2
    assert cli("verify", str(repo), "--require-signatures") == 1
    assert "the note is not signed" in capsys.readouterr().out


def test_tampered_note_names_the_commit(repo: Path, noted: dict[str, str], capsys) -> None:
    data = json.loads(read_note_text(repo, noted["c1"]) or "")
    data["ledger_head"] = "sha256:" + "0" * 64
    replace_note_text(repo, noted["c1"], json.dumps(data))
    assert cli("verify", str(repo)) == 1
    out = capsys.readouterr().out
    assert f"first failure: commit {noted['c1'][:10]} (first)" in out
    assert "is not a record in the ledger" in out
    code, doc = verify_json(str(repo), capsys=capsys)
    assert code == 1 and doc["first_failure"]["commit"] == noted["c1"]
    assert doc["first_failure"]["kind"] == "ledger_head"
    assert doc["ledger_ok"] is True  # the chain itself still holds


def test_note_with_unknown_chunk_and_malformed_note(
    repo: Path, noted: dict[str, str], capsys
) -> None:
    data = json.loads(read_note_text(repo, noted["c2"]) or "")
    data["files"]["b.py"]["ranges"][0]["chunk"] = "invented"
    replace_note_text(repo, noted["c2"], json.dumps(data))
    code, doc = verify_json(str(repo), capsys=capsys)
    assert code == 1 and doc["first_failure"]["commit"] == noted["c2"]
    assert "chunk invented (b.py:1-2) is not in the ledger" in doc["first_failure"]["reason"]

    replace_note_text(repo, noted["c1"], "not json at all")
    code, doc = verify_json(str(repo), capsys=capsys)
    assert [f["commit"] for f in doc["failures"]] == [noted["c1"], noted["c2"]]  # oldest first
    assert doc["failures"][0]["kind"] == "note"


def test_notes_from_other_clones_and_concatenated_notes(
    repo: Path, noted: dict[str, str], capsys
) -> None:
    c3 = commit(repo, {"c.py": "q = 1\n"}, "a teammate's commit")
    mate = add_note(
        repo, c3, {"c.py": (1, [ai(1, 1, "theirs")])}, ledger_head="sha256:" + "1" * 64,
        author="mate@example.com",
    )  # fmt: skip
    code, doc = verify_json(str(repo), capsys=capsys)
    assert code == 0 and doc["notes"]["foreign_notes"] == 1
    assert cli("verify", str(repo)) == 0
    assert "written in another clone" in capsys.readouterr().out

    # an amend with notes.rewriteMode=concatenate leaves two note objects in one blob
    own = read_note_text(repo, noted["c2"]) or ""
    forged = json.loads(own)
    forged["ledger_head"] = "sha256:" + "2" * 64
    replace_note_text(repo, noted["c2"], own.strip() + "\n" + json.dumps(forged) + "\n")
    code, doc = verify_json(str(repo), capsys=capsys)
    assert code == 1 and [f["commit"] for f in doc["failures"]] == [noted["c2"]]
    assert mate.author == "mate@example.com"


def test_commit_records_in_the_ledger(repo: Path, noted: dict[str, str], capsys) -> None:
    """commit.noted pins the note the hook wrote; carried ranges keep their source's chunks."""
    ledger = Ledger.for_workspace(repo)
    written = read_note(repo, noted["c1"])
    assert written is not None
    ledger.append("commit.noted", {"commit": noted["c1"], "note_hash": note_hash(written)})
    c3 = commit(repo, {"c.py": "q = 1\n"}, "teammate")
    add_note(repo, c3, {"c.py": (1, [ai(1, 1, "theirs")])}, author="mate@example.com")
    c4 = commit(repo, {"d.py": "q = 1\n"}, "cherry-picked")
    add_note(repo, c4, {"d.py": (1, [ai(1, 1, "theirs")])}, ledger_head=ledger.head(), author=ME)
    code, doc = verify_json(str(repo), capsys=capsys)
    assert code == 1 and doc["first_failure"]["commit"] == c4
    ledger.append("commit.noted", {"commit": c4, "carried_from": [c3]})
    code, doc = verify_json(str(repo), capsys=capsys)
    assert code == 0, doc["failures"]

    data = json.loads(read_note_text(repo, noted["c1"]) or "")
    data["files"]["a.py"]["ranges"][0]["status"] = "reviewed"  # a review that never happened
    replace_note_text(repo, noted["c1"], json.dumps(data))
    code, doc = verify_json(str(repo), capsys=capsys)
    assert code == 1 and doc["first_failure"]["commit"] == noted["c1"]
    assert "differs from the one the commit hook recorded" in doc["first_failure"]["reason"]


def test_tampered_ledger_line_is_named(repo: Path, noted: dict[str, str], capsys) -> None:
    path = Path(noted["ledger"])
    raw = path.read_bytes().splitlines(keepends=True)
    raw[1] = raw[1].replace(b'"b.py"', b'"c.py"')
    path.write_bytes(b"".join(raw))
    assert cli("verify", str(repo)) == 1
    out = capsys.readouterr().out
    assert "chain broken at line 2 (seq 1): hash mismatch" in out
    assert "first failure: ledger line 2 (seq 1)" in out
    code, doc = verify_json(str(repo), capsys=capsys)
    assert code == 1 and doc["ok"] is False and doc["first_bad"] == 2
    assert doc["first_failure"] == {
        "kind": "ledger",
        "reason": "hash mismatch",
        "line": 2,
        "seq": 1,
    }


def test_range_missing_ledger_and_exit_codes(
    repo: Path, noted: dict[str, str], tmp_path: Path, capsys
) -> None:
    code, doc = verify_json(str(repo), f"{noted['c1']}..HEAD", capsys=capsys)
    assert code == 0 and doc["notes"]["commits"] == 1
    # notes written here (by this clone's user) but no ledger: deleted or moved, a failure
    assert cli("verify", str(repo), "--ledger", str(tmp_path / "none.jsonl")) == 1
    assert "but there is no ledger: it was deleted or moved" in capsys.readouterr().out
    # a teammate's notes in a clone without a ledger: not checked, and that is said
    git(repo, "config", "user.email", "someone-else@example.com")
    assert cli("verify", str(repo), "--ledger", str(tmp_path / "none.jsonl")) == 0
    assert "were not checked" in capsys.readouterr().out
    git(repo, "config", "user.email", ME)
    assert cli("verify", str(repo), "nope..HEAD") == 2
    assert "bad revision range" in capsys.readouterr().err
    assert cli("verify", str(repo), "--allowed-signers", str(tmp_path / "missing")) == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    git(empty, "init", "-q")
    assert cli("verify", str(empty)) == 2  # no ledger and no notes
    assert "no ledger" in capsys.readouterr().err


# -- signatures ------------------------------------------------------------------------


def ssh_keygen(*args: str, input: bytes | None = None) -> None:
    subprocess.run(["ssh-keygen", *args], input=input, check=True, capture_output=True)


@pytest.fixture
def signer(tmp_path: Path) -> dict[str, Path]:
    keys = tmp_path / "keys"
    keys.mkdir()
    key = keys / "id_ed25519"
    ssh_keygen("-q", "-t", "ed25519", "-N", "", "-C", "dev@example.com", "-f", str(key))
    allowed = keys / "allowed_signers"
    pub = (keys / "id_ed25519.pub").read_text().strip()
    allowed.write_text(f'dev@example.com namespaces="genguard" {pub}\n')
    return {"key": key, "allowed": allowed}


def sign_note(repo: Path, sha: str, key: Path) -> None:
    """Sign a note's payload with ssh-keygen -Y sign, as the commit hook does."""
    data = json.loads(read_note_text(repo, sha) or "")
    data.pop("signature", None)
    payload = key.parent / f"{sha}.json"
    payload.write_bytes(signed_payload(data))
    ssh_keygen("-Y", "sign", "-n", "genguard", "-f", str(key), str(payload))
    data["signature"] = {
        "format": "ssh",
        "namespace": "genguard",
        "signer": "dev@example.com",
        "sig": Path(f"{payload}.sig").read_text(),
    }
    replace_note_text(repo, sha, json.dumps(data, indent=1))


@needs_ssh_keygen
def test_signed_notes_verify_and_tampering_breaks_them(
    repo: Path, noted: dict[str, str], signer: dict[str, Path], capsys
) -> None:
    for sha in (noted["c1"], noted["c2"]):
        sign_note(repo, sha, signer["key"])
    allowed = str(signer["allowed"])
    code, doc = verify_json(str(repo), "--allowed-signers", allowed, capsys=capsys)
    assert code == 0 and doc["notes"]["signatures"]["valid"] == 2
    assert cli("verify", str(repo), "--allowed-signers", allowed, "--require-signatures") == 0
    capsys.readouterr()

    # git's own setting is used when no file is given
    git(repo, "config", "gpg.ssh.allowedSignersFile", allowed)
    code, doc = verify_json(str(repo), capsys=capsys)
    assert code == 0 and doc["notes"]["signatures"]["valid"] == 2

    data = json.loads(read_note_text(repo, noted["c2"]) or "")
    data["files"]["b.py"]["ranges"][0]["status"] = "reviewed"  # a review that never happened
    replace_note_text(repo, noted["c2"], json.dumps(data))
    assert cli("verify", str(repo)) == 1
    out = capsys.readouterr().out
    assert f"commit {noted['c2'][:10]} (second)" in out and "does not verify" in out


@needs_ssh_keygen
def test_signature_by_a_key_not_allowed_fails(
    repo: Path,
    noted: dict[str, str],
    signer: dict[str, Path],
    tmp_path: Path,
    capsys,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    other = tmp_path / "other"
    ssh_keygen("-q", "-t", "ed25519", "-N", "", "-C", "x", "-f", str(other))
    sign_note(repo, noted["c1"], other)
    user = tmp_path / "user-config.toml"  # trust anchors are the user's to choose
    user.write_text(f'[signing]\nallowed_signers = "{signer["allowed"]}"\n')
    monkeypatch.setenv("GENGUARD_USER_CONFIG", str(user))
    code, doc = verify_json(str(repo), capsys=capsys)
    assert code == 1 and doc["first_failure"]["commit"] == noted["c1"]
    assert doc["first_failure"]["kind"] == "signature"
    assert doc["notes"]["signatures"] == {"valid": 0, "invalid": 1, "unsigned": 1, "unchecked": 0}


@needs_ssh_keygen
def test_signed_note_without_allowed_signers_is_unchecked(
    repo: Path, noted: dict[str, str], signer: dict[str, Path], capsys
) -> None:
    sign_note(repo, noted["c1"], signer["key"])
    assert cli("verify", str(repo)) == 0
    assert "could not be checked" in capsys.readouterr().out
    assert cli("verify", str(repo), "--require-signatures") == 1


def test_payload_is_the_note_without_its_signature(repo: Path) -> None:
    note = Note(commit="c", created="t", signature={"sig": "x"})
    assert signed_payload(note.to_dict()) == note.payload()
