"""install-hooks: shims, chained user hooks, exact uninstall, configuration, failing open."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from tests.conftest import git
from tests.git.conftest import (
    NO_PACKS,
    ai_write,
    commit,
    configure,
    configure_user,
    human_write,
    ledger_events,
    note_of,
    run_git,
)

from genguard.gitio.run import Git
from genguard.hooks import HOOK_NAMES, pending
from genguard.hooks.install import CHAINED_SUFFIX, MARKER, install_hooks, uninstall_hooks

ROOT = Path(__file__).resolve().parents[2]

USER_HOOK = """#!/bin/sh
echo "user hook ran" >> "$(git rev-parse --git-dir)/user-hook.log"
exit ${USER_HOOK_EXIT:-0}
"""


def _config(repo: Path, key: str) -> list[str]:
    proc = subprocess.run(
        ["git", "config", "--get-all", key], cwd=repo, capture_output=True, text=True
    )
    return proc.stdout.split()


def test_existing_user_hook_is_chained_and_restored(repo: Path):
    hooks = repo / ".git" / "hooks"
    (hooks / "pre-commit").write_text(USER_HOOK)
    (hooks / "pre-commit").chmod(0o755)
    configure(repo, NO_PACKS)
    git(repo, "add", ".genguard.toml")
    git(repo, "commit", "-qm", "initial", "--no-verify")

    report = install_hooks(Git(repo))
    assert report.ok and "pre-commit" in report.chained
    assert (hooks / ("pre-commit" + CHAINED_SUFFIX)).read_text() == USER_HOOK
    assert set(report.installed) == set(HOOK_NAMES)
    assert all(MARKER in (hooks / name).read_text() for name in HOOK_NAMES)

    human_write(repo, "a.txt", "hello\n")
    commit(repo, "-m", "with both hooks")
    assert (repo / ".git" / "user-hook.log").read_text() == "user hook ran\n"
    assert note_of(repo).totals["added_lines"] == 1

    # the user's hook still decides: its failure stops the commit
    human_write(repo, "b.txt", "more\n")
    proc = run_git(repo, "commit", "-m", "refused", env={"USER_HOOK_EXIT": "3"})
    assert proc.returncode != 0

    assert install_hooks(Git(repo)).ok  # reinstall: exact, nothing chained twice
    assert (hooks / ("pre-commit" + CHAINED_SUFFIX)).read_text() == USER_HOOK

    report = uninstall_hooks(Git(repo))
    assert set(report.removed) == set(HOOK_NAMES) and report.restored == ["pre-commit"]
    assert (hooks / "pre-commit").read_text() == USER_HOOK
    assert os.access(hooks / "pre-commit", os.X_OK)
    assert not any((hooks / name).exists() for name in HOOK_NAMES if name != "pre-commit")
    assert _config(repo, "notes.rewriteRef") == []


def test_a_hook_that_would_be_lost_is_refused(repo: Path):
    hooks = repo / ".git" / "hooks"
    for name in ("post-commit", "post-commit" + CHAINED_SUFFIX):
        (hooks / name).write_text("#!/bin/sh\nexit 0\n")
    report = install_hooks(Git(repo))
    assert not report.ok and "post-commit" in report.problems[0]
    assert (hooks / "post-commit").read_text() == "#!/bin/sh\nexit 0\n"


def test_hooks_path_worktrees_and_remote_config(repo: Path, tmp_path: Path):
    git(repo, "commit", "-q", "--allow-empty", "-m", "initial")
    bare = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(bare))
    git(repo, "remote", "add", "origin", str(bare))
    worktree = tmp_path / "wt"
    git(repo, "worktree", "add", "-q", str(worktree))

    report = install_hooks(Git(worktree))  # from a linked worktree: the shared hooks dir
    assert report.hooks_dir == (repo / ".git" / "hooks").resolve()
    assert (repo / ".git" / "hooks" / "pre-commit").exists()
    git(repo, "config", "core.hooksPath", ".githooks")  # relative: per working tree
    report = install_hooks(Git(repo))
    assert report.hooks_dir == (repo / ".githooks").resolve()
    assert (repo / ".githooks" / "pre-commit").exists()
    assert _config(repo, "notes.rewriteRef") == ["refs/notes/genguard"]
    assert "+refs/notes/genguard:refs/notes/remotes/origin/genguard" in _config(
        repo, "remote.origin.fetch"
    )
    assert _config(repo, "remote.origin.push") == [
        "HEAD",
        "refs/notes/genguard:refs/notes/genguard",
    ]
    install_hooks(Git(repo))  # idempotent
    assert _config(repo, "notes.rewriteRef") == ["refs/notes/genguard"]
    assert len(_config(repo, "remote.origin.push")) == 2

    uninstall_hooks(Git(repo))
    assert _config(repo, "remote.origin.push") == []
    assert _config(repo, "remote.origin.fetch") == ["+refs/heads/*:refs/remotes/origin/*"]


def test_internal_error_fails_open_and_fail_closed_refuses(hooked: Path):
    ledger = hooked / ".git" / "genguard" / "ledger.jsonl"
    ledger.parent.mkdir(parents=True, exist_ok=True)
    ai_write(hooked, "a.py", "def f():\n    return 1\n")
    os.replace(ledger, hooked / ".git" / "genguard" / "ledger.bak")
    ledger.mkdir()  # the ledger is now unreadable: every hook hits an internal error
    human_write(hooked, "a.txt", "x\n")
    head = git(hooked, "rev-parse", "HEAD")
    stderr = commit(hooked, "-m", "goes ahead")
    assert "internal error in the pre-commit hook, git goes ahead" in stderr
    assert git(hooked, "rev-parse", "HEAD") != head

    assert "internal error in the post-commit hook" in stderr
    incomplete = note_of(hooked).incomplete  # the note says the commit went unchecked
    assert [(i["what"], i["hook"]) for i in incomplete] == [("error", "post-commit")]

    configure_user('[hooks]\ntimeout = 60\nfail_mode = "closed"\n')
    human_write(hooked, "a.py", "def f():\n    return 2\n")  # a file with live AI code
    proc = run_git(hooked, "commit", "-m", "refused")
    assert proc.returncode == 1 and "refusing the commit" in proc.stderr


def test_a_hook_past_its_timeout_is_stopped_and_the_note_says_so(hooked: Path):
    configure_user("[hooks]\ntimeout = 0.001\n")
    ai_write(hooked, "a.py", "def f():\n    return 1\n")
    stderr = commit(hooked, "-m", "quick")
    assert "did not finish within 0.001 s" in stderr and "letting git go ahead" in stderr
    note = note_of(hooked)
    assert [(i["what"], i["hook"]) for i in note.incomplete] == [("timeout", "post-commit")]
    bypassed = [e for e in ledger_events(hooked) if e["event"] == "commit.bypassed"]
    assert bypassed[-1]["data"]["commit"] == note.commit
    assert bypassed[-1]["data"]["reason"] == "timeout after 0.001 s"

    configure_user('[hooks]\ntimeout = 0.001\nfail_mode = "closed"\n')
    head = git(hooked, "rev-parse", "HEAD")
    ai_write(hooked, "a.py", "def f():\n    return 2\n")
    proc = run_git(hooked, "commit", "-m", "refused")
    assert proc.returncode == 1 and "refusing the commit" in proc.stderr
    assert git(hooked, "rev-parse", "HEAD") == head


def test_a_hook_stopped_while_it_writes_its_note_leaves_that_note_whole(hooked: Path):
    """post-commit overruns while it writes (the ledger's lock is held elsewhere): the
    watchdog lets that write end and adds nothing, so the commit has one note, the
    hook's own, and one record of each kind; the ledger stays whole."""
    import fcntl
    import time

    from genguard.ledger.store import lock_path
    from genguard.ledger.verify import verify

    configure_user("[hooks]\ntimeout = 1\n")
    human_write(hooked, "a.txt", "x\n")
    commit(hooked, "-m", "first")  # the ledger and its index exist
    human_write(hooked, "b.txt", "y\n")
    lock = lock_path(hooked / ".git" / "genguard" / "ledger.jsonl")
    held = os.open(lock, os.O_RDWR)
    fcntl.flock(held, fcntl.LOCK_EX)
    try:
        proc = subprocess.Popen(
            ["git", "commit", "--no-verify", "-m", "while the ledger is locked"],
            cwd=hooked,
            stderr=subprocess.PIPE,
            text=True,
        )
        # the hook waits for the lock inside its write (/proc/locks lists the waiter)
        inode, deadline = f":{os.stat(lock).st_ino} ", time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            locks = Path("/proc/locks").read_text().splitlines()
            if any("->" in line and inode in line for line in locks):
                break
            time.sleep(0.05)
        time.sleep(3)  # past its 1 s: the watchdog fired and waits for the write
    finally:
        os.close(held)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 0, stderr
    assert "did not finish within 1 s" in stderr and "note says so" not in stderr
    note = note_of(hooked)
    assert note.bypass is True and note.incomplete == [] and note.totals["added_lines"] == 1
    mine = [e["event"] for e in ledger_events(hooked) if e["data"].get("commit") == note.commit]
    assert mine == ["commit.bypassed", "commit.noted"]
    assert verify(hooked / ".git" / "genguard" / "ledger.jsonl").ok


def test_a_gate_that_gave_up_leaves_a_note_and_a_bypass_record(hooked: Path):
    """post-commit, finding the gate's error verdict for the tree, rechecks the commit,
    records it as unchecked and says why in the note."""
    ai_write(hooked, "a.py", "def f():\n    return 1\n")
    tree = git(hooked, "write-tree").strip()
    pending.save(
        hooked / ".git" / "genguard",
        tree,
        {"git_pid": None, "verdict": "error", "error": "timeout after 5 s"},
    )
    commit(hooked, "--no-verify", "-m", "after a gate timeout")
    note = note_of(hooked)
    assert note.incomplete == [
        {"what": "timeout", "hook": "pre-commit", "detail": "timeout after 5 s"}
    ]
    assert note.totals["ai_lines"] == 2 and not note.bypass  # rechecked, not skipped
    bypassed = [e for e in ledger_events(hooked) if e["event"] == "commit.bypassed"]
    assert bypassed[-1]["data"]["reason"] == "timeout after 5 s"


@pytest.mark.parametrize(
    "spoil",
    ["printf '{not json' > \"$f\"", "head -c 1100000 /dev/zero | tr '\\0' ' ' >> \"$f\""],
    ids=["not-json", "over-1-MiB"],
)
def test_a_gate_verdict_that_cannot_be_read_is_an_error_not_a_bypass(hooked: Path, spoil: str):
    """The gate ran and left its verdict, which post-commit then cannot read: the
    commit was gated, so it is not recorded as --no-verify but as a gate that gave up."""
    chained = hooked / ".git" / "hooks" / ("post-commit" + CHAINED_SUFFIX)
    chained.write_text(f"#!/bin/sh\nfor f in .git/genguard/verdicts/*; do {spoil}; done\n")
    chained.chmod(0o755)
    human_write(hooked, "a.txt", "x\n")
    commit(hooked, "-m", "gated")
    note = note_of(hooked)
    reason = "the gate's verdict could not be read"
    assert not note.bypass
    assert note.incomplete == [{"what": "error", "hook": "pre-commit", "detail": reason}]
    bypassed = [e for e in ledger_events(hooked) if e["event"] == "commit.bypassed"]
    assert bypassed[-1]["data"]["reason"] == reason
    noted = [e for e in ledger_events(hooked) if e["event"] == "commit.noted"]
    assert noted[-1]["data"]["gate"] == "error"


def test_pre_commit_framework_manifest():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    stages = {h["id"]: h["stages"] for h in hooks}
    assert {s for ss in stages.values() for s in ss} >= {
        "pre-commit",
        "prepare-commit-msg",
        "post-commit",
        "post-rewrite",
    }
    for h in hooks:
        assert h["entry"].startswith("genguard hook ") and h["language"] == "python"
        assert h["entry"].split()[2] in HOOK_NAMES


def test_cli_install_through_the_real_command(repo: Path):
    proc = subprocess.run(
        [sys.executable, "-m", "genguard", "install-hooks"],
        cwd=repo,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert "installed" in proc.stdout and "notes.rewriteRef" in proc.stdout
    proc = subprocess.run(
        [sys.executable, "-m", "genguard", "install-hooks", "--uninstall"],
        cwd=repo,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0 and "removed" in proc.stdout


def test_chained_after_hooks_get_their_input_and_the_notes_still_follow(hooked: Path):
    """A user's post-commit and post-rewrite run first (post-rewrite with git's list of
    rewritten commits on stdin, which genguard then reads too)."""
    hooks = hooked / ".git" / "hooks"
    for name, script in (
        ("post-commit", "echo ran >> .git/user-post-commit.log\nexit 3\n"),
        ("post-rewrite", "cat > .git/user-rewrite.log\n"),
    ):
        (hooks / (name + CHAINED_SUFFIX)).write_text("#!/bin/sh\n" + script)
        (hooks / (name + CHAINED_SUFFIX)).chmod(0o755)
    ai_write(hooked, "a.py", "def f():\n    return 1\n")
    commit(hooked, "-m", "AI code")
    old = git(hooked, "rev-parse", "HEAD").strip()
    commit(hooked, "--amend", "-m", "AI code, amended")
    new = git(hooked, "rev-parse", "HEAD").strip()
    assert (hooked / ".git" / "user-post-commit.log").read_text() == "ran\nran\n"
    assert (hooked / ".git" / "user-rewrite.log").read_text().split()[:2] == [old, new]
    note = note_of(hooked)
    assert note.commit == new and note.totals["ai_lines"] == 2
