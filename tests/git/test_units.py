"""The pure pieces behind the hooks: diff parsing, matching, note merging, trailers, signing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from tests.conftest import git

from genguard.attribution.linehash import line_hash
from genguard.attribution.match import Source, assign, to_ranges
from genguard.attribution.state import ChunkState
from genguard.cache.rules import builtin_rules_dir, rules_version, workspace_rules
from genguard.config import Settings
from genguard.gitio.diff import intersect, parse_diff, unquote_path
from genguard.gitio.notemerge import merge_notes, note_line, split_objects
from genguard.gitio.notes import parse_note_text
from genguard.gitio.signing import choose_key, sign, verify
from genguard.hooks import pending
from genguard.hooks.context import HookContext
from genguard.hooks.rewrite import parse_pairs
from genguard.hooks.trailers import add_trailers, trailer_value, trailer_values, verdict_values
from genguard.notes.format import AiRange, FileEntry, Note, NoteError, NoteFinding

DIFF = b"""diff --git a/new.py b/new.py
new file mode 100644
index 0000000..e69de29
--- /dev/null
+++ b/new.py
@@ -0,0 +1,2 @@
+a = 1
++++ b = 2
diff --git a/old.py b/moved.py
similarity index 90%
rename from old.py
rename to moved.py
--- a/old.py
+++ b/moved.py
@@ -3,0 +4,1 @@ def f():
+    return 3
@@ -10 +11 @@
-x
+y
\\ No newline at end of file
diff --git "a/sp ace\\303\\251.py" "b/sp ace\\303\\251.py"
--- "a/sp ace\\303\\251.py"
+++ "b/sp ace\\303\\251.py"
@@ -1 +1 @@
-old
+new
diff --git a/gone.py b/gone.py
deleted file mode 100644
--- a/gone.py
+++ /dev/null
@@ -1 +0,0 @@
-bye
diff --git a/img.png b/img.png
Binary files a/img.png and b/img.png differ
"""


def test_parse_diff():
    files = parse_diff(DIFF)
    assert set(files) == {"new.py", "moved.py", "sp aceé.py"}
    assert files["new.py"].added == [(1, b"a = 1"), (2, b"+++ b = 2")]
    assert files["moved.py"].old_path == "old.py"
    assert files["moved.py"].added == [(4, b"    return 3"), (11, b"y")]
    assert unquote_path(b'"a\\tb\\"c"') == 'a\tb"c'


def test_intersect_keeps_what_is_new_against_every_parent():
    ours = parse_diff(b"diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -0,0 +1,3 @@\n+a\n+b\n+c\n")
    theirs = parse_diff(b"diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1,0 +2,1 @@\n+b\n")
    assert intersect([ours, theirs])["f"].added == [(2, b"b")]


def _chunk(cid: str, lines: list[str], at: tuple[int, int], updated: str = "1") -> ChunkState:
    return ChunkState(
        id=cid,
        file="f.py",
        tool="t",
        lines=at,
        line_hashes=[h for h in (line_hash(x) for x in lines) if h],
        updated=updated,
    )


def test_matching_by_tracked_range_then_by_hash():
    ai = ["def f():", "    return 1", "", "def g():", "    return 2"]
    content = [b"import os", b"", *[x.encode() for x in ai]]
    added = [(n, content[n - 1]) for n in range(3, 8)]
    chunk = _chunk("c1", ai, (3, 7))
    owners = assign(added, [Source.from_state(chunk)], content)
    assert sorted(owners) == [3, 4, 6, 7]  # the blank line is never AI
    assert [(r.start, r.end) for r in to_ranges(owners)] == [(3, 4), (6, 7)]
    # the chunk was recorded at other lines (edits above it): per-line hashes still find it
    moved = _chunk("c1", ai, (40, 44))
    assert sorted(assign(added, [Source.from_state(moved)], content)) == [3, 4, 6, 7]
    # a hash is used as often as the chunk holds it
    twice = [(1, b"    return 1"), (2, b"    return 1")]
    assert sorted(assign(twice, [Source.from_state(_chunk("c2", ["return 1"], (0, 0)))])) == [1]
    # a human edit of one AI line flips that line only
    edited = [(3, b"def f():"), (4, b"    return 1  # checked"), (6, b"def g():")]
    assert sorted(assign(edited, [Source.from_state(chunk)], None)) == [3, 6]


def _note(commit: str, ranges: list[AiRange], findings=(), created="2026-01-01T00:00:00Z") -> Note:
    note = Note(
        commit=commit,
        created=created,
        files={"a.py": FileEntry(added_lines=10, ai_lines=0, ranges=ranges)},
        findings=list(findings),
    )
    for entry in note.files.values():
        entry.ai_lines = sum(r.lines for r in entry.ranges)
    note.compute_totals()
    return note


def test_concatenated_and_sorted_notes_read_back_as_one():
    c = "a" * 40
    one = _note(c, [AiRange(1, 3, "k1", "copilot")])
    two = _note(
        c,
        [AiRange(2, 5, "k2", "cursor")],
        [NoteFinding(file="a.py", line=2, rule="r", handling="fixed")],
        created="2026-02-01T00:00:00Z",
    )
    # notes.rewriteMode=concatenate (blank line between) and cat_sort_uniq (sorted lines)
    for text in (
        note_line(one) + "\n" + note_line(two),
        "".join(sorted([note_line(two), note_line(one)])),
    ):
        merged = parse_note_text(text, c)
        assert merged.commit == c
        assert merged.files["a.py"].ai_lines == 5  # lines 1-5 counted once
        assert merged.totals["ai_lines"] == 5 and [f.rule for f in merged.findings] == ["r"]
        assert merged.signature is None
    assert merge_notes([one, one], c) is one
    assert len(split_objects(note_line(one) * 3)) == 3
    with pytest.raises(NoteError, match="line by line"):
        parse_note_text('{\n"commit": 1,\n}\n{', c)


def test_trailer_values():
    assert trailer_value("claude code", "opus 4") == "claude-code:opus-4"
    assert trailer_value("unknown", None) == "unknown"
    assert trailer_values([("b", None, 1), ("a", "m", 2), ("a", "m", 3)]) == ["a:m", "b"]
    assert verdict_values([("b", None, 1), ("a", "m", 2)]) == "a:m b"
    assert verdict_values([("it's", None, 1)]) is None  # a quote: Python adds it
    assert verdict_values([]) == ""


@pytest.mark.parametrize(
    ("text", "source", "expected"),
    [
        # nothing but comments: the trailers go below a blank subject line for an editor
        (
            "\n# Please enter\n#\n",
            None,
            "\n\nAssisted-by: a:m\nAssisted-by: b\n\n# Please enter\n#\n",
        ),
        ("\n# Please enter\n#\n", "message", "\n# Please enter\n#\n"),
        ("", "template", "\n\nAssisted-by: a:m\nAssisted-by: b\n"),
        ("", "message", ""),
        # what follows the scissors line of commit -v is not the message
        (
            "\n# ------------------------ >8 ------------------------\nx = 1\n",
            None,
            "\n\nAssisted-by: a:m\nAssisted-by: b\n\n"
            "# ------------------------ >8 ------------------------\nx = 1\n",
        ),
        (
            "Subject\n# comment\n",
            "message",
            "Subject\n\nAssisted-by: a:m\nAssisted-by: b\n# comment\n",
        ),
        (
            "Subject\n\nAssisted-by: a:m\n",
            "message",
            "Subject\n\nAssisted-by: a:m\nAssisted-by: b\n",
        ),
    ],
)
def test_the_shim_adds_trailers(repo: Path, text: str, source: str | None, expected: str):
    """``genguard_add_trailers`` in the shim, as Python calls it (a real ``sh`` and git)."""
    msg = repo / ".git" / "COMMIT_EDITMSG"
    msg.write_text(text)
    add_trailers(HookContext.discover(repo), msg, ["a:m", "b"], source)
    assert msg.read_text() == expected
    assert sorted(p.name for p in msg.parent.glob(".COMMIT_EDITMSG*")) == []  # no temp left


def test_rewrite_pairs_group_squashes():
    text = "o1 n1\no2 n2\no3 n2\no3 n2 extra\n"
    assert parse_pairs(text) == {"n1": ["o1"], "n2": ["o2", "o3"]}


def test_pending_entries(tmp_path: Path):
    tree = "ab" * 20
    pending.save(tmp_path, tree, {"git_pid": 7, "verdict": "pass", "tools": []})
    assert pending.read(tmp_path, tree)["git_pid"] == 7  # read, kept for post-commit
    assert pending.read(tmp_path, tree, take=True)["verdict"] == "pass"
    assert pending.read(tmp_path, tree, take=True) is None
    pending.save(tmp_path, "../escape", {"verdict": "pass"})  # not a tree id: not stored
    assert not (tmp_path / "escape").exists()
    old = "cd" * 20
    pending.save(tmp_path, old, {"git_pid": 8, "verdict": "blocked"})
    stale = time.time() - pending.TTL - 60
    os.utime(tmp_path / pending.VERDICTS / old, (stale, stale))
    assert pending.read(tmp_path, old) is None
    pending.sweep(tmp_path)
    assert not (tmp_path / pending.VERDICTS / old).exists()


def test_a_verdicts_first_line_is_all_the_shim_reads(tmp_path: Path):
    """However many files the verdict lists, the shim's pid, trailers and verdict are on
    its first line, in the order its pattern names them, and the file is still JSON."""
    tree = "ef" * 20
    files = {f"f{i}.py": {"added_lines": 3, "ai_lines": 2, "ranges": []} for i in range(500)}
    entry = {"files": files, "git_pid": 9, "trailers": "agent", "verdict": "pass", "tools": []}
    pending.save(tmp_path, tree, entry)
    text = (tmp_path / pending.VERDICTS / tree).read_text()
    first = text.split("\n", 1)[0]
    assert first == '{"git_pid": 9, "trailers": "agent", "verdict": "pass",'
    assert json.loads(text) == {**entry, "tree": tree}
    assert pending.read(tmp_path, tree, take=True) == {**entry, "tree": tree}
    assert json.loads(pending.encode({"verdict": "pass"})) == {"verdict": "pass"}
    assert json.loads(pending.encode({"tree": tree})) == {"tree": tree}


def test_rule_cache_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from genguard.rules.loader import builtin_rules_dir as loader_dir
    from genguard.rules.workspace import load_workspace_rules

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert builtin_rules_dir() == loader_dir()
    settings = Settings.default()
    fresh = workspace_rules(tmp_path, settings)
    cached = workspace_rules(tmp_path, settings)
    assert cached is not fresh and cached.version == fresh.version
    assert cached.version == load_workspace_rules(tmp_path, settings).version
    assert [r.id for r in cached.rules] == [r.id for r in fresh.rules]
    assert rules_version(tmp_path, settings) == fresh.version  # read from the file's head
    for f in (tmp_path / "genguard" / "hook-rules").iterdir():
        f.write_text(json.dumps({"version": "x", "rules": [], "errors": []}))
    assert workspace_rules(tmp_path, settings).version == fresh.version  # damaged: reloaded
    for f in (tmp_path / "genguard" / "hook-rules").iterdir():
        f.write_text("not JSON")
    assert rules_version(tmp_path, settings) == fresh.version  # no version at its head


def test_rule_cache_is_shared_by_repositories_without_rules_of_their_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from genguard.cache.rules import rules_key

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    settings = Settings.default()
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    assert rules_key(one, settings) == rules_key(two, settings) == rules_key(None, settings)
    first = workspace_rules(one, settings)
    assert len(list((tmp_path / "xdg" / "genguard" / "hook-rules").iterdir())) == 1
    assert workspace_rules(two, settings).version == first.version  # read from the same file
    rules = two / ".genguard" / "rules"
    rules.mkdir(parents=True)
    (rules / "acme.yaml").write_text(
        "rules:\n  - id: acme-secret\n    languages: ['*']\n    severity: warning\n"
        "    message: an acme secret\n    regex: acme_secret\n"
    )
    assert rules_key(two, settings) != rules_key(one, settings)
    own = workspace_rules(two, settings)
    assert own.by_id("acme-secret") is not None and own.version != first.version
    assert workspace_rules(one, settings).by_id("acme-secret") is None


@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="needs ssh-keygen")
def test_sign_and_verify_with_ssh_keygen(tmp_path: Path):
    key = tmp_path / "id"
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "dev", "-f", str(key)], check=True
    )
    allowed = tmp_path / "allowed"
    allowed.write_text(f"dev@example.com {(tmp_path / 'id.pub').read_text()}")
    payload = b'{"commit":"abc"}'
    sig = sign(payload, key)
    assert sig.startswith("-----BEGIN SSH SIGNATURE-----")
    assert verify(payload, sig, allowed, "dev@example.com")
    assert not verify(payload + b" ", sig, allowed, "dev@example.com")
    chosen = choose_key(None, "ssh", str(key), tmp_path)
    assert chosen is not None and chosen.path == key and chosen.source == "user.signingkey"
    assert choose_key(None, "openpgp", "ABCDEF", tmp_path) is None
    assert choose_key("id", None, None, tmp_path).path == tmp_path / "id"


def test_commit_msg_guard_for_hook_managers(hooked: Path, tmp_path: Path):
    from genguard.hooks.context import HookContext
    from genguard.hooks.trailers import guard

    ctx = HookContext.discover(hooked)
    msg = tmp_path / "MSG"
    msg.write_text("\n\nAssisted-by: claude-code\n# Please enter the commit message\n")
    assert guard(ctx, [str(msg)]) == 1
    msg.write_text("Real subject\n\nAssisted-by: claude-code\n")
    assert guard(ctx, [str(msg)]) == 0
    template = tmp_path / "template"
    template.write_text("feat: \n# why?\n")
    git(hooked, "config", "commit.template", str(template))
    msg.write_text("feat: \n\nAssisted-by: claude-code\n# why?\n")
    assert guard(ctx, [str(msg)]) == 1


def test_the_hook_deadline_fires_once_moves_and_stops():
    """The watchdog's one watcher: it fires at its limit (also one moved after it
    started, earlier or later), once, and never after stop()."""
    import threading

    from genguard.hooks.runner import _Deadline

    fired: list[float] = []
    done = threading.Event()

    def expire() -> None:
        fired.append(time.monotonic())
        done.set()

    deadline = _Deadline(60, expire)
    deadline.limit(0.05)  # moved earlier: the sleeping watcher is woken for it
    assert done.wait(10) and len(fired) == 1
    assert fired[0] - deadline.started_at >= 0.05
    deadline.limit(0)  # already fired: not again
    deadline.stop()
    assert len(fired) == 1

    done.clear()
    deadline = _Deadline(0.05, expire)
    deadline.limit(60)  # moved later: does not fire at the first limit
    time.sleep(0.2)
    deadline.stop()
    time.sleep(0.05)
    assert len(fired) == 1 and not done.is_set()

    deadline = _Deadline(60, expire)
    deadline.limit(0)  # already past: fires at once, in the caller
    assert len(fired) == 2
