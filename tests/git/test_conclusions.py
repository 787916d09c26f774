"""The gate reuses what `genguard record` concluded about the same lines, and only that.

`genguard record` keeps each file's conclusion under a key of every input of the
judgement (genguard.cache.conclusions); the gate looks it up before loading the
rule engine. These tests change what is stored to see which answer the gate
gives: the stored one (reused) or its own (judged again).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import git

from genguard.cache import conclusions
from genguard.cache.conclusions import chunk_line, conclusion_key

from .conftest import WITH_PACKS, ai_write, configure, note_of, run_git

SAFE = "def total(values):\n    return sum(sorted(values))\n"
EVAL = "def run(cmd):\n    return eval(cmd or input())\n"


def _stored(repo: Path) -> list[Path]:
    directory = repo / ".git" / "genguard" / conclusions.SUBDIR
    return sorted(directory.iterdir()) if directory.is_dir() else []


def _forge(path: Path, rule: str) -> None:
    """Make a stored conclusion say the file has an open error finding of ``rule``."""
    value = json.loads(path.read_text())
    value["items"] = [
        {
            "rule": rule,
            "message": "forged for the test",
            "url": None,
            "check": None,
            "pack": "security",
            "cwe": ["CWE-1"],
            "security_severity": None,
            "controls": {},
            "start": 0,
            "end": 3,
            "fix": None,
            "detail": None,
            "severity": "error",
            "handling": "open",
            "reason": None,
            "by": None,
            "chunk": None,
            "marker": None,
            "about_marker": False,
        }
    ]
    path.write_text(json.dumps(value))


def _commit_setup(hooked: Path) -> None:
    configure(hooked, WITH_PACKS)
    git(hooked, "add", ".genguard.toml")
    git(hooked, "commit", "-qm", "packs", "--no-verify")


def test_the_gate_answers_from_what_record_concluded(hooked: Path):
    _commit_setup(hooked)
    ai_write(hooked, "calc.py", SAFE)
    [stored] = _stored(hooked)
    _forge(stored, "forged-rule")
    blocked = run_git(hooked, "commit", "-m", "Add calc")
    assert blocked.returncode == 1, blocked.stderr
    assert "calc.py:1: forged-rule" in blocked.stderr and "forged for the test" in blocked.stderr


def test_a_conclusion_for_other_inputs_is_never_reused(hooked: Path):
    _commit_setup(hooked)
    ai_write(hooked, "calc.py", SAFE)
    [stored] = _stored(hooked)
    _forge(stored, "forged-rule")
    # the manifests the dependency check reads are part of the key: a new one means
    # the stored conclusion no longer applies and the gate judges the file itself
    (hooked / "requirements.txt").write_text("requests\n")
    assert run_git(hooked, "commit", "-m", "Add calc").returncode == 0
    assert [f.rule for f in note_of(hooked).findings] == []


def test_a_stale_conclusion_is_judged_again_and_real_findings_still_block(hooked: Path):
    _commit_setup(hooked)
    ai_write(hooked, "run.py", EVAL)
    [stored] = _stored(hooked)
    value = json.loads(stored.read_text())
    assert [i["rule"] for i in value["items"]] == ["py-eval-exec"]  # record's own finding
    value["items"] = []
    stored.write_text(json.dumps(value))
    old = time.time() - conclusions.TTL - 60
    os.utime(stored, (old, old))
    blocked = run_git(hooked, "commit", "-m", "Add runner")
    assert blocked.returncode == 1 and "py-eval-exec" in blocked.stderr


def test_the_key_follows_every_input(tmp_path: Path):
    lines = {1: chunk_line("c1", "tool", None, "agent", "unreviewed", {})}
    base = conclusion_key("rules", "a.py", b"x = 1\n", lines, ())
    assert base == conclusion_key("rules", "a.py", b"x = 1\n", dict(lines), ())
    reviewed = {1: chunk_line("c1", "tool", None, "agent", "reviewed", {})}
    suppressed = {1: chunk_line("c1", "tool", None, "agent", "unreviewed", {"r": "why"})}
    others = [
        conclusion_key("other rules", "a.py", b"x = 1\n", lines, ()),
        conclusion_key("rules", "b.py", b"x = 1\n", lines, ()),
        conclusion_key("rules", "a.py", b"x = 2\n", lines, ()),
        conclusion_key("rules", "a.py", b"x = 1\n", {2: lines[1]}, ()),
        conclusion_key("rules", "a.py", b"x = 1\n", reviewed, ()),
        conclusion_key("rules", "a.py", b"x = 1\n", suppressed, ()),
        conclusion_key("rules", "a.py", b"x = 1\n", lines, (("/r/pyproject.toml", 1, 2),)),
    ]
    assert len({base, *others}) == len(others) + 1


def test_stored_conclusions_are_private_swept_and_never_followed(tmp_path: Path):
    conclusions.remember(tmp_path, "k1", {"rules_version": "v", "items": []})
    path = tmp_path / conclusions.SUBDIR / "k1"
    assert path.stat().st_mode & 0o777 == 0o600
    assert conclusions.recall(tmp_path, "k1") == {"rules_version": "v", "items": []}
    target = tmp_path / "elsewhere.json"
    target.write_text(json.dumps({"rules_version": "v", "items": [{"rule": "x"}]}))
    (tmp_path / conclusions.SUBDIR / "k2").symlink_to(target)
    assert conclusions.recall(tmp_path, "k2") is None
    old = time.time() - conclusions.TTL - 60
    os.utime(path, (old, old))
    os.utime(target, (old, old))
    conclusions.sweep(tmp_path)
    assert not path.exists() and target.exists()


def test_a_damaged_conclusion_is_judged_again(hooked: Path):
    _commit_setup(hooked)
    ai_write(hooked, "run.py", EVAL)
    [stored] = _stored(hooked)
    value = json.loads(stored.read_text())
    assert {frozenset(i) for i in value["items"]} == {conclusions.ITEM_KEYS}  # what assess gives
    value["items"] = [{"rule": "half an item"}]
    stored.write_text(json.dumps(value))
    blocked = run_git(hooked, "commit", "-m", "Add runner")
    assert blocked.returncode == 1 and "py-eval-exec" in blocked.stderr


def test_a_large_file_is_hashed_by_openssl_and_a_small_one_without_loading_it():
    """A conclusion's key hashes the whole committed file: past digest.LARGE with
    OpenSSL's SHA-256 (about 6x faster), below it with CPython's built-in, so a commit
    of small files never loads libcrypto. Seen in a fresh interpreter, as a hook's."""
    code = """if True:
        import sys
        from genguard.cache.conclusions import conclusion_key
        from genguard.digest import LARGE, hexdigest
        conclusion_key("rules", "a.py", b"x" * LARGE, {}, [])
        print("_hashlib" in sys.modules)
        big = b"y" * (LARGE + 1)
        conclusion_key("rules", "a.py", big, {}, [])
        print("_hashlib" in sys.modules)
        import hashlib
        print(all(hexdigest(v) == hashlib.sha256(v).hexdigest() for v in (big, b"z")))
    """
    paths = [p for p in sys.path if p and os.path.isdir(p)]
    proc = subprocess.run(
        [sys.executable, "-I", "-S", "-c", f"import sys; sys.path[:0] = {paths!r}\n{code}"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.stdout.split() == ["False", "True", "True"], proc.stderr
