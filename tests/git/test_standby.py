"""The standby the gate leaves for the later hooks of the same `git commit`.

Every test makes real commits through the installed shims. What is checked is
that the standby serves the hooks when it is there, that a commit comes out the
same when it is missing, dead or turned off, and that it never outlives its git.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from tests.git.conftest import (
    NO_PACKS,
    ai_lines,
    ai_write,
    commit,
    configure,
    ledger_events,
    message,
    note_of,
    run_git,
)

from genguard.hooks.install import CHAINED_SUFFIX

TIMING = {"GENGUARD_HOOK_TIMING": "1"}
BLOCK = "def double(x):\n    return 2 * x\n"


def standby_root(repo: Path) -> Path:
    return repo / ".git" / "genguard" / "standby"


def standbys_left(repo: Path, wait: float = 3.0) -> list[str]:
    """Standby directories still there after up to ``wait`` seconds."""
    root = standby_root(repo)
    deadline = time.monotonic() + wait
    while True:
        left = sorted(os.listdir(root)) if root.is_dir() else []
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.05)


def chain(repo: Path, hook: str, script: str) -> None:
    """A user's own hook, run by genguard's shim before genguard's part."""
    path = repo / ".git" / "hooks" / (hook + CHAINED_SUFFIX)
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(0o755)


def test_later_hooks_are_served_by_the_standby_which_then_exits(hooked: Path):
    ai_write(hooked, "a.py", BLOCK, tool="claude-code", model="opus-4")
    err = commit(hooked, "-m", "Add double", env=TIMING)
    assert "prepare-commit-msg took" in err and "post-commit took" in err
    served = [line for line in err.splitlines() if line.endswith("(standby)")]
    assert len(served) == 2, err
    assert "Assisted-by: claude-code:opus-4" in message(hooked)
    note = note_of(hooked)
    assert ai_lines(note, "a.py") == [1, 2] and note.bypass is False
    assert standbys_left(hooked) == []


def test_an_aborted_commit_does_not_leave_its_standby_behind(hooked: Path):
    (hooked / "b.py").write_text(BLOCK)
    run_git(hooked, "add", "b.py")
    # pre-commit passes, then git refuses the empty message and exits
    proc = run_git(hooked, "commit", "-m", "")
    assert proc.returncode != 0
    assert standbys_left(hooked) == []
    commit(hooked, "-m", "Now with a message")
    assert note_of(hooked).totals["added_lines"] == 2


def test_a_killed_standby_costs_only_time(hooked: Path, tmp_path: Path):
    seen = tmp_path / "killed"
    # the user's prepare-commit-msg kills the standby before genguard's hooks use it
    chain(
        hooked,
        "prepare-commit-msg",
        'for f in "$(git rev-parse --git-common-dir)"/genguard/standby/*/pid; do\n'
        f'  kill -9 "$(cat "$f")" && echo yes > {seen}\n'
        "done\n",
    )
    ai_write(hooked, "a.py", BLOCK, tool="copilot", model="gpt-5")
    err = commit(hooked, "-m", "Add double", env=TIMING)
    assert seen.read_text().strip() == "yes"
    assert "(standby)" not in err and "post-commit took" in err
    assert "Assisted-by: copilot:gpt-5" in message(hooked)
    note = note_of(hooked)
    assert ai_lines(note, "a.py") == [1, 2] and note.bypass is False
    noted = [e for e in ledger_events(hooked) if e["event"] == "commit.noted"]
    assert [e["data"]["commit"] for e in noted][-1] == note.commit and len(noted) == 1
    # what the killed one left is swept by the next gate
    (hooked / ".git" / "hooks" / ("prepare-commit-msg" + CHAINED_SUFFIX)).unlink()
    (hooked / "c.py").write_text(BLOCK)
    run_git(hooked, "add", "c.py")
    assert "(standby)" in commit(hooked, "-m", "Add c", env=TIMING)
    assert standbys_left(hooked) == []


def test_turned_off_the_hooks_start_python_and_the_result_is_the_same(hooked: Path):
    results = {}
    for label, env, config in (
        ("on", TIMING, NO_PACKS),
        ("env off", {**TIMING, "GENGUARD_STANDBY": "0"}, NO_PACKS),
        ("config off", TIMING, "standby = false\n" + NO_PACKS),  # in [hooks]
    ):
        configure(hooked, config)
        run_git(hooked, "add", ".genguard.toml")
        path = f"{label.replace(' ', '_')}.py"
        ai_write(hooked, path, BLOCK, tool="claude-code", model="opus-4")
        err = commit(hooked, "-m", f"Standby {label}", env=env)
        assert ("(standby)" in err) == (label == "on"), err
        note = note_of(hooked)
        results[label] = (
            ai_lines(note, path),
            note.totals["ai_lines"],
            [t["tool"] for t in note.tools],
            message(hooked).splitlines()[-1],
        )
        if label != "on":
            assert not standby_root(hooked).is_dir() or standbys_left(hooked, 0) == []
    assert results["on"] == results["env off"] == results["config off"]
    assert results["on"][3] == "Assisted-by: claude-code:opus-4"


def test_amend_rewrite_is_served_and_notes_follow(hooked: Path):
    ai_write(hooked, "a.py", BLOCK, tool="claude-code", model="opus-4")
    commit(hooked, "-m", "First")
    ai_write(hooked, "b.py", BLOCK.replace("double", "halve"), tool="copilot", model="gpt-5")
    err = commit(hooked, "--amend", "-m", "First, amended", env=TIMING)
    rewrite = [line for line in err.splitlines() if "post-rewrite took" in line]
    assert len(rewrite) == 1 and rewrite[0].endswith("(standby)")
    note = note_of(hooked)
    assert ai_lines(note, "a.py") == [1, 2] and ai_lines(note, "b.py") == [1, 2]
    assert message(hooked).splitlines()[-2:] == [
        "Assisted-by: claude-code:opus-4",
        "Assisted-by: copilot:gpt-5",
    ]
    assert standbys_left(hooked) == []


def test_commit_all_and_only_paths_use_their_temporary_index(hooked: Path):
    """`commit -a` and `commit -- PATH` hand the hooks a temporary index; the standby
    inherits it from pre-commit and the note and trailer come out right."""
    (hooked / "a.py").write_text("x = 1\n")
    (hooked / "b.py").write_text("y = 1\n")
    run_git(hooked, "add", "a.py", "b.py")
    commit(hooked, "-m", "Two files")
    ai_write(hooked, "a.py", "x = 1\n" + BLOCK, tool="claude-code", model="opus-4")
    run_git(hooked, "reset", "-q")  # recorded, not staged: `-a` stages it
    err = commit(hooked, "-am", "All", env=TIMING)
    assert sum(line.endswith("(standby)") for line in err.splitlines()) == 2, err
    assert ai_lines(note_of(hooked), "a.py") == [2, 3]
    assert message(hooked).splitlines()[-1] == "Assisted-by: claude-code:opus-4"
    ai_write(hooked, "b.py", "y = 1\n" + BLOCK, tool="copilot", model="gpt-5")
    (hooked / "a.py").write_text("x = 2\n" + BLOCK)  # changed, but not in this commit
    err = commit(hooked, "-m", "Only b", "--", "b.py", env=TIMING)
    note = note_of(hooked)
    assert sorted(note.files) == ["b.py"] and ai_lines(note, "b.py") == [2, 3]
    assert message(hooked).splitlines()[-1] == "Assisted-by: copilot:gpt-5"
    assert standbys_left(hooked) == []


def test_a_stopped_standby_is_ended_and_the_hook_runs_anyway(hooked: Path, tmp_path: Path):
    """A standby that never answers (here: stopped) must not hang git: past the hook
    timeout and a second, the shim ends it and runs the hook itself."""
    (hooked / ".genguard.toml").write_text("[hooks]\ntimeout = 1\n" + NO_PACKS)
    run_git(hooked, "add", ".genguard.toml")
    chain(
        hooked,
        "prepare-commit-msg",
        'for f in "$(git rev-parse --git-common-dir)"/genguard/standby/*/pid; do\n'
        '  kill -STOP "$(cat "$f")"\n'
        "done\n",
    )
    ai_write(hooked, "a.py", BLOCK, tool="claude-code", model="opus-4")
    started = time.monotonic()
    err = commit(hooked, "-m", "Add double", env=TIMING)
    took = time.monotonic() - started
    assert "(standby)" not in err  # not claimed within a second: run here instead
    assert took < 30, took
    assert message(hooked).splitlines()[-1] == "Assisted-by: claude-code:opus-4"
    assert ai_lines(note_of(hooked), "a.py") == [1, 2]


def test_a_standby_that_takes_a_request_and_hangs_is_ended(hooked: Path):
    """The cap on a claimed request, with a stand-in that claims and then sleeps."""
    import subprocess
    import sys

    commit(hooked, "--allow-empty", "-m", "Base")
    run_git(hooked, "notes", "--ref", "genguard", "remove", "HEAD")
    directory = standby_root(hooked) / str(os.getpid())  # the shim's $PPID: this process
    directory.mkdir(parents=True)
    os.mkfifo(directory / "requests")
    (directory / "limit").write_text("300\n")  # 0.3 s per hook
    hang = (
        "import glob, os, time\n"
        f"d = {str(directory)!r}\n"
        "while not glob.glob(d + '/*.req'):\n"
        "    time.sleep(0.01)\n"
        "req = glob.glob(d + '/*.req')[0]\n"
        "os.rename(req, req[:-4] + '.claimed')\n"
        "time.sleep(60)\n"
    )
    stand_in = subprocess.Popen([sys.executable, "-c", hang])
    try:
        (directory / "pid").write_text(f"{stand_in.pid}\n")
        started = time.monotonic()
        proc = subprocess.run(
            ["sh", str(hooked / ".git" / "hooks" / "post-commit")],
            cwd=hooked,
            capture_output=True,
            text=True,
            timeout=60,
        )
        took = time.monotonic() - started
        assert proc.returncode == 0, proc.stderr
        assert "did not finish the post-commit hook in time" in proc.stderr
        assert stand_in.wait(timeout=10) == -9  # ended by the shim
        assert took < 20, took
        assert note_of(hooked).commit  # the note is back: the hook ran here instead
    finally:
        stand_in.kill()


def test_a_linked_worktree_commits_through_the_standby(hooked: Path, tmp_path: Path):
    """In a linked worktree git's dirs are found with rev-parse (no shortcut), the
    standby lives in the shared common dir and the note lands on the right commit."""
    worktree = tmp_path / "wt"
    run_git(hooked, "worktree", "add", "-q", "-b", "side", str(worktree))
    ai_write(worktree, "w.py", BLOCK, tool="claude-code", model="opus-4")
    err = commit(worktree, "-m", "From the worktree", env=TIMING)
    assert sum(line.endswith("(standby)") for line in err.splitlines()) == 2, err
    head = run_git(worktree, "rev-parse", "HEAD").stdout.strip()
    note = note_of(worktree)
    assert note.commit == head and ai_lines(note, "w.py") == [1, 2]
    assert message(worktree).splitlines()[-1] == "Assisted-by: claude-code:opus-4"
    assert standbys_left(hooked) == []
