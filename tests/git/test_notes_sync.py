"""Notes travel between clones through a bare remote, and none is lost."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import git
from tests.git.conftest import NO_PACKS, ai_write, commit, configure, human_write, note_of

from genguard.gitio.notes import noted_commits, read_note, write_note
from genguard.gitio.notesync import fetch_notes, push_notes
from genguard.gitio.run import Git
from genguard.hooks.install import install_hooks
from genguard.notes.format import NoteFinding


def _clone(bare: Path, path: Path, who: str) -> Path:
    git(path.parent, "clone", "-q", str(bare), str(path))
    git(path, "config", "user.email", f"{who}@example.com")
    git(path, "config", "user.name", who)
    assert install_hooks(Git(path)).ok
    return path


def test_notes_pushed_and_fetched_between_two_clones(tmp_path: Path):
    bare = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(bare))
    seed = tmp_path / "seed"
    git(tmp_path, "init", "-q", str(seed))
    git(seed, "config", "user.email", "seed@example.com")
    git(seed, "config", "user.name", "seed")
    configure(seed, NO_PACKS)
    git(seed, "add", ".")
    git(seed, "commit", "-qm", "initial")
    git(seed, "push", "-q", str(bare), "HEAD:main")

    alice = _clone(bare, tmp_path / "alice", "alice")
    bob = _clone(bare, tmp_path / "bob", "bob")

    ai_write(alice, "a.py", "def a():\n    return 1\n", tool="claude-code")
    commit(alice, "-m", "alice's AI change")
    shared = git(alice, "rev-parse", "HEAD").strip()
    git(alice, "push", "-q")  # install-hooks' push refspecs: the branch and the notes
    assert git(tmp_path, "--git-dir", str(bare), "notes", "--ref", "genguard", "list").strip()

    git(bob, "pull", "-q")  # the fetch refspec: remote-tracking notes, local ones untouched
    assert git(bob, "rev-parse", "refs/notes/remotes/origin/genguard")
    assert fetch_notes(Git(bob)).new_notes == 1
    assert note_of(bob, shared).files["a.py"].ai_lines == 2

    # both annotate on their own: bob a new commit and a finding on the shared one
    human_write(bob, "b.txt", "bob\n")
    commit(bob, "-m", "bob's change")
    bobs = git(bob, "rev-parse", "HEAD").strip()
    amended = read_note(bob, shared)
    amended.findings.append(NoteFinding(file="a.py", line=1, rule="x-rule", handling="fixed"))
    amended.created = "2999-01-01T00:00:00.000Z"
    amended.compute_totals()
    write_note(bob, shared, amended)
    git(bob, "push", "-q", "origin", "HEAD:main")
    assert push_notes(Git(bob)).pushed

    human_write(alice, "c.txt", "alice\n")
    commit(alice, "-m", "alice again")
    mine = read_note(alice, shared)  # alice annotates the shared commit too: a real conflict
    mine.findings.append(NoteFinding(file="a.py", line=2, rule="y-rule", handling="fixed"))
    write_note(alice, shared, mine)
    alices = git(alice, "rev-parse", "HEAD").strip()
    result = push_notes(Git(alice))  # rejected at first: merges bob's notes, then pushes
    assert result.pushed and "after merging" in result.message

    assert fetch_notes(Git(bob)).new_notes == 1
    for clone in (alice, bob):
        noted = noted_commits(clone)
        assert {shared, bobs, alices} <= set(noted)
        merged = read_note(clone, shared)
        assert merged.files["a.py"].ai_lines == 2  # alice's attribution
        assert [f.rule for f in merged.findings] == ["x-rule", "y-rule"]  # both kept
