"""Notes follow history rewriting: interactive rebase, cherry-pick, merges."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from tests.conftest import git
from tests.git.conftest import (
    ai_lines,
    ai_write,
    commit,
    human_write,
    message,
    note_objects,
    note_of,
    run_git,
)

BLOCK = "def {name}(x):\n    return x + {n}\n"

# Rewrites the rebase todo list: reword the first pick, squash the second, fixup the third.
TODO_SCRIPT = """
import sys
path = sys.argv[1]
lines = open(path).read().splitlines()
picks = [i for i, line in enumerate(lines) if line.startswith("pick ")]
for i, verb in zip(picks, ("reword", "squash", "fixup")):
    lines[i] = verb + lines[i][len("pick"):]
open(path, "w").write("\\n".join(lines) + "\\n")
"""
# The editor for reword and squash messages: a new first line, the rest kept.
MSG_SCRIPT = """
import sys
path = sys.argv[1]
lines = open(path).read().splitlines()
keep = [line for line in lines if not line.startswith("#")]
open(path, "w").write("\\n".join(["Combined and reworded", ""] + keep) + "\\n")
"""


def _editors(tmp_path: Path) -> dict[str, str]:
    todo, msg = tmp_path / "todo.py", tmp_path / "msg.py"
    todo.write_text(TODO_SCRIPT)
    msg.write_text(MSG_SCRIPT)
    return {
        "GIT_SEQUENCE_EDITOR": f"{sys.executable} {todo}",
        "GIT_EDITOR": f"{sys.executable} {msg}",
    }


def test_interactive_rebase_reword_squash_fixup(hooked: Path, tmp_path: Path):
    human_write(hooked, "base.py", "A = 1\n")
    commit(hooked, "-m", "base")
    git(hooked, "checkout", "-qb", "feature")
    for i, (tool, path) in enumerate(
        (("claude-code", "f1.py"), ("copilot", "f2.py"), ("cursor", "f3.py"))
    ):
        ai_write(hooked, path, BLOCK.format(name=f"f{i}", n=i), tool=tool, model=None)
        commit(hooked, "-m", f"feature {i}")
    human_write(hooked, "base.py", "A = 1\nB = 2\n")
    commit(hooked, "-m", "human tail")
    old_tip = git(hooked, "rev-parse", "HEAD").strip()
    # main moves on: f1.py gains two lines above where the AI lines will land
    git(hooked, "checkout", "-q", "main")
    human_write(hooked, "f1.py", "# header\n# more\n")
    commit(hooked, "-m", "main work")
    git(hooked, "checkout", "-q", "feature")

    proc = run_git(hooked, "rebase", "-i", "main", env=_editors(tmp_path))
    if proc.returncode != 0:  # f1.py is added on both sides: keep main's header, then the AI lines
        human_write(hooked, "f1.py", "# header\n# more\n" + BLOCK.format(name="f0", n=0))
        proc = run_git(hooked, "rebase", "--continue", env=_editors(tmp_path))
    assert proc.returncode == 0, proc.stderr
    commits = git(hooked, "rev-list", "--reverse", "main..HEAD").split()
    assert len(commits) == 2 and commits[-1] != old_tip
    squashed, tail = commits
    assert message(hooked, squashed).startswith("Combined and reworded")
    note = note_of(hooked, squashed)
    assert note.commit == squashed
    assert len(note_objects(hooked, squashed)) == 1  # the concatenated copies are merged
    assert ai_lines(note, "f1.py") == [3, 4]  # moved down by main's two lines
    assert ai_lines(note, "f2.py") == [1, 2] and ai_lines(note, "f3.py") == [1, 2]
    assert note.totals["ai_lines"] == 6
    assert {t["tool"] for t in note.tools} == {"claude-code", "copilot", "cursor"}
    tail_note = note_of(hooked, tail)
    assert tail_note.commit == tail and tail_note.totals["ai_lines"] == 0


def test_cherry_pick_carries_the_note_without_the_ledger(hooked: Path):
    git(hooked, "checkout", "-qb", "topic")
    ai_write(hooked, "pick.py", "X = 0\n" + BLOCK.format(name="inc", n=1), tool="claude-code")
    commit(hooked, "-m", "AI helper")
    source = git(hooked, "rev-parse", "HEAD").strip()
    git(hooked, "checkout", "-q", "main")
    human_write(hooked, "other.py", "Y = 1\n")
    commit(hooked, "-m", "other work")
    # as in another clone: no ledger here, only the source commit's note
    shutil.move(hooked / ".git" / "genguard" / "ledger.jsonl", hooked.parent / "ledger.bak")
    proc = run_git(hooked, "cherry-pick", source)
    assert proc.returncode == 0, proc.stderr
    note = note_of(hooked)
    assert note.commit == git(hooked, "rev-parse", "HEAD").strip() != source
    assert ai_lines(note, "pick.py") == [1, 2, 3]
    assert note.files["pick.py"].ranges[0].tool == "claude-code"
    assert note.bypass is False  # git runs no pre-commit for cherry-pick
    assert "Assisted-by: claude-code:opus-4" in message(hooked)


def test_merge_and_squash_merge(hooked: Path):
    git(hooked, "checkout", "-qb", "feat")
    ai_write(hooked, "feat.py", BLOCK.format(name="feat", n=2), tool="copilot", model="gpt-5")
    commit(hooked, "-m", "feat")
    git(hooked, "checkout", "-q", "main")
    human_write(hooked, "main.py", "M = 1\n")
    commit(hooked, "-m", "main")
    # a real merge commit: its own note, the branch's AI lines stay with their commit
    proc = run_git(hooked, "merge", "--no-ff", "--no-edit", "feat")
    assert proc.returncode == 0, proc.stderr
    merge_note = note_of(hooked)
    assert merge_note.commit == git(hooked, "rev-parse", "HEAD").strip()
    assert merge_note.totals["ai_lines"] == 0 and merge_note.bypass is False
    assert "Assisted-by" not in message(hooked)
    # a squash merge: one new commit that carries the branch's AI lines and trailer
    git(hooked, "reset", "-q", "--hard", "HEAD~1")
    proc = run_git(hooked, "merge", "--squash", "feat")
    assert proc.returncode == 0, proc.stderr
    commit(hooked, "--no-edit")
    note = note_of(hooked)
    assert ai_lines(note, "feat.py") == [1, 2] and note.bypass is False
    assert "Assisted-by: copilot:gpt-5" in message(hooked)
    assert message(hooked).startswith("Squashed commit of the following:")


def _trailers(repo: Path, rev: str = "HEAD") -> list[str]:
    """The Assisted-by trailers git reads in the commit's message (its trailer block)."""
    out = git(repo, "log", "-1", "--format=%(trailers:key=Assisted-by,valueonly)", rev)
    return sorted(line for line in out.splitlines() if line)


def _note_trailers(note) -> list[str]:
    from genguard.hooks.trailers import trailer_values

    return trailer_values((t["tool"], t.get("model")) for t in note.tools)


def _three_ai_commits(repo: Path) -> None:
    git(repo, "checkout", "-qb", "feature")
    for name, tool, model in (
        ("g1.py", "claude-code", "opus-4"),
        ("g2.py", "aider", None),
        ("g3.py", "cursor", "gpt-5"),
    ):
        ai_write(repo, name, BLOCK.format(name=name[:2], n=1), tool=tool, model=model)
        commit(repo, "-m", f"add {name}")


def test_fixup_in_rebase_keeps_every_folded_tool_in_the_trailers(hooked: Path):
    """`rebase -i` with fixups keeps only the first commit's message; its trailers are
    made to agree with the note post-rewrite writes (both fixed-up tools too)."""
    _three_ai_commits(hooked)
    proc = run_git(
        hooked,
        "rebase",
        "-i",
        "main",
        env={"GIT_SEQUENCE_EDITOR": "sed -i -e '2s/^pick/fixup/' -e '3s/^pick/fixup/'"},
    )
    assert proc.returncode == 0, proc.stderr
    assert git(hooked, "rev-list", "--count", "main..HEAD").strip() == "1"
    note = note_of(hooked)
    assert (
        _trailers(hooked)
        == _note_trailers(note)
        == [
            "aider",
            "claude-code:opus-4",
            "cursor:gpt-5",
        ]
    )
    body = message(hooked)
    assert body.startswith("add g1.py\n\n") and body.count("Assisted-by: claude-code") == 1


def test_squash_in_rebase_puts_every_tool_in_the_final_trailer_block(hooked: Path):
    """A squash concatenates the messages, leaving the first commit's trailers mid-message
    where git no longer reads them as trailers; the final block names every tool."""
    _three_ai_commits(hooked)
    proc = run_git(
        hooked,
        "rebase",
        "-i",
        "main",
        env={
            "GIT_SEQUENCE_EDITOR": "sed -i -e '2s/^pick/squash/' -e '3s/^pick/fixup/'",
            "GIT_EDITOR": "true",
        },
    )
    assert proc.returncode == 0, proc.stderr
    assert _trailers(hooked) == _note_trailers(note_of(hooked))
    assert len(_trailers(hooked)) == 3


def test_a_plain_rebase_and_a_fixup_without_ai_leave_messages_alone(hooked: Path):
    _three_ai_commits(hooked)
    human_write(hooked, "notes.txt", "human\n")
    commit(hooked, "-m", "human note")
    before = [message(hooked, f"HEAD~{n}") for n in range(4)]
    moved = run_git(
        hooked, "rebase", "-i", "--force-rebase", "main", env={"GIT_SEQUENCE_EDITOR": "true"}
    )
    assert moved.returncode == 0, moved.stderr
    assert [message(hooked, f"HEAD~{n}") for n in range(4)] == before
    human_write(hooked, "notes.txt", "human, fixed\n")
    commit(hooked, "-m", "fix the note")
    folded = run_git(
        hooked, "rebase", "-i", "main", env={"GIT_SEQUENCE_EDITOR": "sed -i '5s/^pick/fixup/'"}
    )
    assert folded.returncode == 0, folded.stderr
    assert message(hooked) == "human note"


def test_an_unreadable_note_of_a_squashed_or_picked_commit_is_said_not_dropped(hooked: Path):
    """The gate (a squash merge) and post-commit (a cherry-pick) read other commits'
    notes to carry their AI lines, as post-rewrite does: each names a note it cannot
    read rather than carry nothing in silence."""
    git(hooked, "checkout", "-qb", "topic")
    ai_write(hooked, "t.py", BLOCK.format(name="t", n=1))
    commit(hooked, "-m", "topic")
    source = git(hooked, "rev-parse", "HEAD").strip()
    git(hooked, "notes", "--ref", "refs/notes/genguard", "add", "-f", "-m", "{not json", source)
    git(hooked, "checkout", "-q", "main")
    warning = f"genguard: warning: the note on {source[:12]} is unreadable"
    assert run_git(hooked, "merge", "--squash", "topic").returncode == 0
    assert commit(hooked, "--no-edit").count(warning) == 1  # the gate's
    git(hooked, "reset", "-q", "--hard", "HEAD~1")
    proc = run_git(hooked, "cherry-pick", source)
    assert proc.returncode == 0 and proc.stderr.count(warning) == 1  # post-commit's
    assert ai_lines(note_of(hooked), "t.py") == [1, 2]  # the ledger still knows them


def test_post_rewrite_reads_each_rewritten_commit_once(hooked: Path):
    """A commit and the lines it adds come from one git process (a long rebase runs
    post-rewrite for every commit it made), and the notes are still rebuilt."""
    from genguard.gitio.run import Git
    from genguard.hooks.context import HookContext
    from genguard.hooks.rewrite import run as post_rewrite

    class Counting(Git):
        """The real git, counting the processes that read a commit."""

        reads: list[str] = []  # noqa: RUF012

        def run(self, *args, **kwargs):  # type: ignore[override]
            given = (kwargs.get("input") or b"").decode()
            if args[0] == "diff-tree" or given.endswith("^{commit}\n"):
                self.reads.append(given or args[-2])
            return super().run(*args, **kwargs)

    git(hooked, "checkout", "-qb", "topic")
    for i in range(3):
        ai_write(hooked, f"r{i}.py", BLOCK.format(name=f"r{i}", n=i))
        commit(hooked, "-m", f"r{i}")
    olds = git(hooked, "rev-list", "--reverse", "main..topic").split()
    git(hooked, "checkout", "-q", "main")
    human_write(hooked, "m.py", "M = 1\n")
    commit(hooked, "-m", "main moves")
    assert run_git(hooked, "rebase", "-q", "main", "topic").returncode == 0
    news = git(hooked, "rev-list", "--reverse", "main..topic").split()
    ctx = HookContext.discover(hooked)
    ctx.git = Counting(hooked)
    pairs = "".join(f"{old} {new}\n" for old, new in zip(olds, news, strict=True))
    assert post_rewrite(ctx, ["rebase"], pairs, sys.stderr) == 0
    assert Counting.reads == news  # one read of each new commit
    for i, sha in enumerate(news):
        assert ai_lines(note_of(hooked, sha), f"r{i}.py") == [1, 2]


def test_an_amend_over_an_unreadable_note_says_so_for_its_trailers_and_its_note(hooked: Path):
    """prepare-commit-msg reads the amended commit's note for its tools, post-rewrite
    for its lines: each says it could not."""
    ai_write(hooked, "a.py", BLOCK.format(name="a", n=1))
    commit(hooked, "-m", "AI code")
    old = git(hooked, "rev-parse", "HEAD").strip()
    git(hooked, "notes", "--ref", "refs/notes/genguard", "add", "-f", "-m", "{not json", old)
    stderr = commit(hooked, "--amend", "-m", "amended")
    assert stderr.count(f"genguard: warning: the note on {old[:12]} is unreadable") == 2
    assert "Assisted-by: claude-code:opus-4" in message(hooked)  # the ledger still knows
