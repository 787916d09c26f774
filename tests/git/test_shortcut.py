"""The shims' shortcut: Python starts for the gate and the trailers only when the
commit can hold AI lines. Every test makes real commits through the installed shims
and checks which hooks started Python (``GENGUARD_HOOK_TIMING``) and that the note,
the verdict and the trailers come out as they do without the shortcut."""

from __future__ import annotations

from pathlib import Path

from tests.git.conftest import (
    NO_PACKS,
    ai_lines,
    ai_write,
    commit,
    configure,
    message,
    note_of,
    run_git,
)

from genguard.ledger import index as ledger_index

TIMING = {"GENGUARD_HOOK_TIMING": "1"}
BLOCK = "def double(x):\n    return 2 * x\n"


def pythons(err: str) -> set[str]:
    """The hooks that ran in Python."""
    return {line.split()[1] for line in err.splitlines() if line.endswith("ms in Python")}


def human_commit(repo: Path, path: str, text: str, msg: str, env=None) -> str:
    (repo / path).write_text(text)
    run_git(repo, "add", path)
    return commit(repo, "-m", msg, env={**TIMING, **(env or {})})


def test_a_commit_without_ai_files_starts_python_only_for_its_note(hooked: Path):
    ai_write(hooked, "ai.py", BLOCK)  # the ledger has a live chunk, elsewhere
    commit(hooked, "-m", "AI code")
    err = human_commit(hooked, "b.py", "y = 1\n", "Shortcut")
    assert pythons(err) == {"post-commit"}, err
    short = note_of(hooked)
    err = human_commit(hooked, "c.py", "z = 1\n", "No shortcut", env={"GENGUARD_QUICK": "0"})
    assert pythons(err) == {"pre-commit", "prepare-commit-msg", "post-commit"}, err
    full = note_of(hooked)
    for note, path in ((short, "b.py"), (full, "c.py")):
        assert list(note.files) == [path]
        assert (note.totals["added_lines"], note.totals["ai_lines"]) == (1, 0)
        assert note.bypass is False and note.findings == [] and note.tools == []
        assert note.incomplete == []
    assert short.policy_hash == full.policy_hash
    assert "Assisted-by" not in message(hooked, "HEAD~1")


def test_a_staged_file_with_a_live_chunk_or_its_rename_starts_the_gate(hooked: Path):
    ai_write(hooked, "a.py", BLOCK, tool="claude-code", model="opus-4")
    commit(hooked, "-m", "AI code")
    err = human_commit(hooked, "a.py", BLOCK + "\nz = 3\n", "Edit the AI file")
    assert "pre-commit" in pythons(err), err
    assert note_of(hooked).totals["added_lines"] == 2
    run_git(hooked, "mv", "a.py", "renamed.py")
    err = commit(hooked, "-m", "Rename", env=TIMING)
    assert "pre-commit" in pythons(err), err


def test_a_chunk_recorded_just_now_is_not_missed(hooked: Path):
    assert pythons(human_commit(hooked, "a.py", "x = 1\n", "First")) == {"post-commit"}
    ai_write(hooked, "c.py", BLOCK, tool="copilot", model="gpt-5")
    err = commit(hooked, "-m", "AI file", env=TIMING)
    # the gate runs; its verdict hands the trailer to the prepare-commit-msg shim
    assert pythons(err) == {"pre-commit", "post-commit"}, err
    assert ai_lines(note_of(hooked), "c.py") == [1, 2]
    assert message(hooked).splitlines()[-1] == "Assisted-by: copilot:gpt-5"


def test_the_gates_trailers_in_the_shim_equal_pythons(hooked: Path):
    """A plain commit gets its trailers from the gate's verdict, added in sh; without
    the shortcut Python adds them: the same message either way. A value that is not a
    plain word (a quote, a non-ASCII model name) is left to Python."""
    body = "Subject\n\nBody text.\n\nSigned-off-by: Dev <dev@example.com>\n"
    messages = {}
    for name, tool, model, quick, shim in (
        ("a.py", "claude-code", "opus-4", "1", True),
        ("b.py", "claude-code", "opus-4", "0", False),
        ("c.py", 'my "agent"', "modèle 2", "1", False),
        ("d.py", 'my "agent"', "modèle 2", "0", False),
    ):
        ai_write(hooked, name, BLOCK.replace("double", f"double_{name[0]}"), tool=tool, model=model)
        env = {**TIMING, "GENGUARD_QUICK": quick}
        proc = run_git(hooked, "commit", "-F", "-", input=body, env=env)
        assert proc.returncode == 0, proc.stderr
        assert ("prepare-commit-msg" in pythons(proc.stderr)) is not shim, proc.stderr
        messages[name] = message(hooked)
    assert messages["a.py"] == messages["b.py"]
    assert messages["a.py"].splitlines()[-2:] == [
        "Signed-off-by: Dev <dev@example.com>",
        "Assisted-by: claude-code:opus-4",
    ]
    assert messages["c.py"] == messages["d.py"]
    assert messages["c.py"].splitlines()[-1] == 'Assisted-by: my-"agent":modèle-2'


def test_amend_starts_the_gate_and_notes_and_trailers_follow(hooked: Path):
    ai_write(hooked, "a.py", BLOCK, tool="claude-code", model="opus-4")
    commit(hooked, "-m", "First")
    (hooked / "b.txt").write_text("human\n")
    run_git(hooked, "add", "b.txt")
    err = commit(hooked, "--amend", "-m", "First, amended", env=TIMING)
    assert {"pre-commit", "prepare-commit-msg", "post-rewrite"} <= pythons(err), err
    note = note_of(hooked)
    assert ai_lines(note, "a.py") == [1, 2] and note.files["b.txt"].ai_lines == 0
    assert message(hooked).splitlines()[-1] == "Assisted-by: claude-code:opus-4"


def test_commit_all_and_only_paths_use_their_temporary_index(hooked: Path):
    """`commit -a` and `commit -- PATH` hand the hooks a temporary index
    (GIT_INDEX_FILE): the shim's comparison, the note and the trailer use it."""
    (hooked / "a.py").write_text("x = 1\n")
    (hooked / "b.py").write_text("y = 1\n")
    run_git(hooked, "add", "a.py", "b.py")
    commit(hooked, "-m", "Two files")
    ai_write(hooked, "a.py", "x = 1\n" + BLOCK, tool="claude-code", model="opus-4")
    run_git(hooked, "reset", "-q")  # recorded, not staged: `-a` stages it
    err = commit(hooked, "-am", "All", env=TIMING)
    assert "pre-commit" in pythons(err), err
    assert ai_lines(note_of(hooked), "a.py") == [2, 3]
    assert message(hooked).splitlines()[-1] == "Assisted-by: claude-code:opus-4"
    ai_write(hooked, "b.py", "y = 1\n" + BLOCK, tool="copilot", model="gpt-5")
    (hooked / "a.py").write_text("x = 2\n" + BLOCK)  # changed, but not in this commit
    err = commit(hooked, "-m", "Only b", "--", "b.py", env=TIMING)
    note = note_of(hooked)
    assert sorted(note.files) == ["b.py"] and ai_lines(note, "b.py") == [2, 3]
    assert message(hooked).splitlines()[-1] == "Assisted-by: copilot:gpt-5"


def test_a_linked_worktree_commits_with_and_without_ai_lines(hooked: Path, tmp_path: Path):
    """In a linked worktree git's dirs are found with rev-parse; the ledger, its live
    files and the verdicts live in the shared common dir."""
    worktree = tmp_path / "wt"
    run_git(hooked, "worktree", "add", "-q", "-b", "side", str(worktree))
    ai_write(worktree, "w.py", BLOCK, tool="claude-code", model="opus-4")
    err = commit(worktree, "-m", "From the worktree", env=TIMING)
    assert "pre-commit" in pythons(err), err
    head = run_git(worktree, "rev-parse", "HEAD").stdout.strip()
    note = note_of(worktree)
    assert note.commit == head and ai_lines(note, "w.py") == [1, 2]
    assert message(worktree).splitlines()[-1] == "Assisted-by: claude-code:opus-4"
    err = human_commit(worktree, "h.py", "h = 1\n", "Human, from the worktree")
    assert pythons(err) == {"post-commit"}, err
    assert note_of(worktree).bypass is False


def test_without_live_files_beside_a_ledger_python_decides_and_writes_them(hooked: Path):
    ai_write(hooked, "a.py", BLOCK)
    commit(hooked, "-m", "AI code")
    live = hooked / ".git" / "genguard" / ledger_index.LIVE_FILENAME
    live.unlink()  # as a ledger written by an older genguard leaves it
    err = human_commit(hooked, "b.py", "y = 1\n", "No index yet")
    assert "pre-commit" in pythons(err), err
    assert live.read_text() == "a.py\n"
    assert pythons(human_commit(hooked, "c.py", "z = 1\n", "Index back")) == {"post-commit"}


def test_live_files_hold_paths_only(hooked: Path):
    ai_write(hooked, "secret_module.py", 'API = "value"\n')
    commit(hooked, "-m", "AI code")
    state = hooked / ".git" / "genguard"
    assert (state / ledger_index.LIVE_FILENAME).read_text() == "secret_module.py\n"
    assert "value" not in (state / ledger_index.INDEX_FILENAME).read_text()


def test_a_broken_setting_is_said_once_per_commit_with_or_without_the_gate(hooked: Path):
    configure(hooked, "[hooks]\nrequire_review = 7\n" + NO_PACKS)  # an error, at a line
    run_git(hooked, "add", ".genguard.toml")
    err = commit(hooked, "-m", "Broken setting", env=TIMING)
    assert pythons(err) == {"post-commit"} and err.count("configuration:") == 1, err
    ai_write(hooked, "a.py", BLOCK)
    err = commit(hooked, "-m", "AI code, broken setting", env=TIMING)
    assert "pre-commit" in pythons(err) and err.count("configuration:") == 1, err
