"""A commit through the real hooks: notes, trailers, messages, the gate, bypasses."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import git
from tests.git.conftest import (
    NO_PACKS,
    WITH_PACKS,
    ai_lines,
    ai_write,
    commit,
    configure,
    human_write,
    ledger_events,
    message,
    note_objects,
    note_of,
    run_git,
)

from genguard.session.session import Session

EVAL_BLOCK = "import os\n\n\ndef run(cmd):\n    return eval(cmd or input())\n"
SAFE_BLOCK = "def double(x):\n    return x * 2\n\n\ndef triple(x):\n    return x * 3\n"


def test_editor_session_chunk_reaches_note_and_trailer(hooked: Path, tmp_path: Path):
    session = Session(hooked, cache_dir=tmp_path / "c")
    uri = (hooked / "calc.py").as_uri()
    start = "import math\n"
    session.open(uri, "python", 1, start)
    session.change(uri, 2, [(((1, 0), (1, 0)), SAFE_BLOCK)])
    chunk = session.declare_ai(uri, 2, ((1, 0), (7, 0)), tool="copilot", model="gpt-4.1")
    session.mark_reviewed(uri, chunk.id)
    human_write(hooked, "calc.py", start + SAFE_BLOCK)

    commit(hooked, "-m", "Add calculators")

    assert message(hooked).splitlines() == [
        "Add calculators",
        "",
        "Assisted-by: copilot:gpt-4.1",
    ]
    note = note_of(hooked)
    assert note.commit == git(hooked, "rev-parse", "HEAD").strip()
    assert note.bypass is False
    assert ai_lines(note, "calc.py") == [2, 3, 6, 7]  # blank lines are never AI
    first = note.files["calc.py"].ranges[0]
    assert (first.chunk, first.tool, first.model, first.method) == (
        chunk.id,
        "copilot",
        "gpt-4.1",
        "declared",
    )
    assert (first.status, first.reviewer) == ("reviewed", "dev@example.com")
    assert note.totals == {"added_lines": 7, "ai_lines": 4, "reviewed_ai_lines": 4, "files": 1}
    assert note.tools == [{"tool": "copilot", "model": "gpt-4.1", "lines": 4}]
    assert note.policy_hash and note.policy_hash.startswith("sha256:")
    assert note.ledger_head and note.ledger_head.startswith("sha256:")
    noted = [e for e in ledger_events(hooked) if e["event"] == "commit.noted"]
    assert noted[-1]["data"]["commit"] == note.commit


def test_commit_without_ai_lines_gets_a_zero_note_and_no_trailer(hooked: Path):
    human_write(hooked, "notes.txt", "written by a person\nline two\n")
    commit(hooked, "-m", "Plain change")
    assert message(hooked).strip() == "Plain change"
    note = note_of(hooked)
    assert note.totals == {"added_lines": 2, "ai_lines": 0, "reviewed_ai_lines": 0, "files": 1}
    assert note.files["notes.txt"].ranges == [] and note.bypass is False


def test_human_edit_of_one_ai_line_flips_only_that_line(hooked: Path):
    ai_write(hooked, "m.py", SAFE_BLOCK, tool="cursor", model=None)
    (hooked / "m.py").write_text(SAFE_BLOCK.replace("x * 3", "x * 3 + 0  # checked"))
    git(hooked, "add", "m.py")
    commit(hooked, "-m", "Mostly AI")
    assert "Assisted-by: cursor" in message(hooked).splitlines()
    assert ai_lines(note_of(hooked), "m.py") == [1, 2, 5]


def test_existing_trailers_and_message_are_kept(hooked: Path):
    ai_write(hooked, "a.py", SAFE_BLOCK)
    body = (
        "Subject line\n\nA body paragraph.\n---\nnot a divider\n\n"
        "Signed-off-by: Dev <dev@example.com>\n"
    )
    proc = run_git(hooked, "commit", "-F", "-", input=body)
    assert proc.returncode == 0, proc.stderr
    assert message(hooked).splitlines() == [
        "Subject line",
        "",
        "A body paragraph.",
        "---",
        "not a divider",
        "",
        "Signed-off-by: Dev <dev@example.com>",
        "Assisted-by: claude-code:opus-4",
    ]


def test_template_and_editor_flows_keep_the_message(hooked: Path, tmp_path: Path):
    template = tmp_path / "template.txt"
    template.write_text("feat: \n\nExplain why.\n# explain the change\n")
    git(hooked, "config", "commit.template", str(template))
    ai_write(hooked, "t.py", SAFE_BLOCK, tool="aider", model="o3")
    editor = "sed -i -e '1s/^feat: $/feat: tripling/'"
    commit(hooked, env={"GIT_EDITOR": editor})
    assert message(hooked).splitlines() == [
        "feat: tripling",
        "",
        "Explain why.",
        "",
        "Assisted-by: aider:o3",
    ]
    # an untouched template is still refused, trailer or not
    git(hooked, "config", "--unset", "commit.template")
    ai_write(hooked, "u.py", SAFE_BLOCK.replace("double", "quad"), tool="aider", model="o3")
    head = git(hooked, "rev-parse", "HEAD")
    empty = run_git(hooked, "commit", env={"GIT_EDITOR": "true"})
    assert empty.returncode != 0 and "empty commit message" in empty.stderr
    assert git(hooked, "rev-parse", "HEAD") == head
    # an editor that writes a subject into the empty message gets subject + trailer
    commit(hooked, env={"GIT_EDITOR": "sed -i -e '1s/^$/Quadruple it/'"})
    assert message(hooked).splitlines() == ["Quadruple it", "", "Assisted-by: aider:o3"]


def test_gate_blocks_an_error_finding_then_passes_when_suppressed(hooked: Path):
    configure(hooked, WITH_PACKS)
    ai_write(hooked, "run.py", EVAL_BLOCK)
    head = git(hooked, "rev-parse", "HEAD")
    blocked = run_git(hooked, "commit", "-m", "Add runner")
    assert blocked.returncode == 1
    err = blocked.stderr
    assert "commit blocked" in err and "run.py:5" in err
    assert "py-eval-exec" in err and "CWE-95" in err
    assert "genguard: ignore[py-eval-exec]" in err and "--no-verify" in err
    assert git(hooked, "rev-parse", "HEAD") == head

    suppressed = EVAL_BLOCK.replace(
        "    return eval",
        "    # genguard: ignore[py-eval-exec] only called with constants\n    return eval",
    )
    human_write(hooked, "run.py", suppressed)
    commit(hooked, "-m", "Add runner")
    note = note_of(hooked)
    [finding] = note.findings
    assert (finding.rule, finding.handling, finding.line) == ("py-eval-exec", "suppressed", 6)
    assert finding.reason == "only called with constants" and finding.by == "dev@example.com"
    assert finding.cwe == ["CWE-95"] and note.bypass is False


def test_no_verify_is_recorded_as_a_bypass(hooked: Path):
    configure(hooked, WITH_PACKS)
    ai_write(hooked, "run.py", EVAL_BLOCK)
    assert run_git(hooked, "commit", "-m", "Refused first").returncode == 1
    commit(hooked, "--no-verify", "-m", "Skip the gate")
    note = note_of(hooked)
    assert note.bypass is True
    assert [(f.rule, f.handling) for f in note.findings] == [("py-eval-exec", "open")]
    bypassed = [e for e in ledger_events(hooked) if e["event"] == "commit.bypassed"]
    assert bypassed and bypassed[-1]["data"]["commit"] == note.commit
    assert bypassed[-1]["data"]["open_findings"][0]["rule"] == "py-eval-exec"
    assert bypassed[-1]["data"]["gate_blocked_this_tree"] is True
    # the trailer is still added: prepare-commit-msg runs under --no-verify
    assert "Assisted-by: claude-code:opus-4" in message(hooked)


def test_require_review_block(hooked: Path):
    configure(hooked, '[hooks]\nrequire_review = "block"\n' + NO_PACKS)
    ai_write(hooked, "a.py", SAFE_BLOCK)
    proc = run_git(hooked, "commit", "-m", "x")
    assert proc.returncode == 1
    assert "a.py:1-2, 5-6: unreviewed AI-written code" in proc.stderr
    assert "Mark AI chunk as reviewed" in proc.stderr


def test_amend_keeps_head_ai_lines_and_one_note(hooked: Path):
    ai_write(hooked, "a.py", SAFE_BLOCK, tool="claude-code", model="opus-4")
    commit(hooked, "-m", "First")
    old = git(hooked, "rev-parse", "HEAD").strip()
    ai_write(hooked, "b.py", SAFE_BLOCK.replace("double", "halve"), tool="copilot", model="gpt-5")
    commit(hooked, "--amend", "-m", "First, amended")
    new = git(hooked, "rev-parse", "HEAD").strip()
    assert new != old
    assert message(hooked).splitlines()[-2:] == [
        "Assisted-by: claude-code:opus-4",
        "Assisted-by: copilot:gpt-5",
    ]
    objects = note_objects(hooked)
    assert len(objects) == 1 and objects[0]["commit"] == new
    note = note_of(hooked)
    assert ai_lines(note, "a.py") == [1, 2, 5, 6] and ai_lines(note, "b.py") == [1, 2, 5, 6]
    assert note.totals["ai_lines"] == 8 and note.bypass is False


def test_note_is_signed_with_git_ssh_signing_key(hooked: Path, tmp_path: Path):
    import shutil
    import subprocess

    import pytest

    from genguard.gitio.signing import verify

    if shutil.which("ssh-keygen") is None:
        pytest.skip("needs ssh-keygen")
    key = tmp_path / "signing"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    git(hooked, "config", "gpg.format", "ssh")
    git(hooked, "config", "user.signingkey", str(key))
    human_write(hooked, "s.txt", "signed\n")
    commit(hooked, "-m", "Signed note")
    note = note_of(hooked)
    assert note.signature is not None
    assert (note.signature["format"], note.signature["namespace"]) == ("ssh", "genguard")
    assert note.signature["signer"] == "dev@example.com"
    allowed = tmp_path / "allowed_signers"
    allowed.write_text(f"dev@example.com {(tmp_path / 'signing.pub').read_text()}")
    assert verify(note.payload(), note.signature["sig"], allowed, "dev@example.com")
