"""``post-commit`` and ``post-merge``: the note on every new commit.

The note (:mod:`genguard.notes.format`) says, per file, which lines of the
committed version AI wrote, with tool, model, method, kind, chunk, review status
and reviewer; the gate's findings and how each was handled; totals; the ledger
head and the policy hash; a signature when a key is configured.

The AI lines are recomputed for the committed tree (so ``--amend`` and ``-a``
need no special case); the findings come from the gate's verdict for that tree.
No verdict from the same ``git commit`` means the gate did not run: the commit
is recorded as ``commit.bypassed`` in the ledger and its note says ``bypass``,
with the findings the gate would have reported. Git runs no ``pre-commit`` for
cherry-pick, revert and rebase; those are not bypasses. A commit without AI lines
gets a note too (totals 0), so a commit without a note is one genguard never saw.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import asdict
from typing import TYPE_CHECKING, Any, TextIO

from genguard.cache import conclusions
from genguard.cache.rules import current_policy_hash
from genguard.gitio.notemerge import note_hash
from genguard.gitio.notes import read_note, readable_notes, write_note
from genguard.gitio.process import git_process
from genguard.gitio.run import CommitInfo, commit_info
from genguard.hooks import pending
from genguard.hooks.context import HookContext
from genguard.ledger.events import commit_bypassed, commit_noted
from genguard.ledger.records import COMMIT_BYPASSED, COMMIT_NOTED, utc_now
from genguard.notes.format import AiRange, FileEntry, Note, NoteError, NoteFinding

if TYPE_CHECKING:  # attribution is imported only when the gate's verdict cannot be reused
    from genguard.attribution.committed import Attribution


def commit_attribution(
    ctx: HookContext, info: CommitInfo, carry_from: Sequence[tuple[str, Note]] = ()
) -> Attribution:
    from genguard.attribution.committed import attribute
    from genguard.gitio.diff import commit_diff
    from genguard.gitio.notes import carried_sources
    from genguard.gitio.run import blob_reader

    cap = ctx.settings.scan.max_file_bytes
    diffs = commit_diff(ctx.git, info.sha, info.parents, max_bytes=cap)
    carried = carried_sources(ctx.git, carry_from) if carry_from else None
    return attribute(diffs, ctx.live(), blob_reader(ctx.git, info.sha), carried)


def recheck(
    ctx: HookContext, info: CommitInfo, attribution: Attribution
) -> tuple[list, str | None]:
    """Findings for a commit the gate did not see (bypass, cherry-pick...)."""
    if not attribution.ai_lines:
        return [], None
    from genguard.gitio.run import blob_reader
    from genguard.hooks.findings import check_in

    reader = blob_reader(ctx.git, info.sha)
    result = check_in(ctx, attribution, reader, info.committer_email)
    return [f.to_note() for f in result.findings], result.rules_version


def finish_note(
    ctx: HookContext,
    note: Note,
    err: TextIO,
    extra: dict[str, Any] | None = None,
) -> Note:
    """Totals, ledger head, signature; write the note and record ``commit.noted``."""
    note.compute_totals()
    if ctx.ledger_enabled:
        note.ledger_head = ctx.ledger().head()
    from genguard.gitio.signing import note_signature

    note.signature, warning = note_signature(
        note.payload, ctx.settings.signing.key, ctx.git, ctx.root, note.author or ctx.email
    )
    if warning:
        err.write(f"genguard: warning: {warning}\n")
    write_note(ctx.root, note.commit, note)
    noted = commit_noted(note.commit, note_hash(note), note.totals, note.bypass)
    ctx.append(COMMIT_NOTED, {**noted, **(extra or {})})
    return note


def build_and_write(
    ctx: HookContext,
    info: CommitInfo,
    *,
    entry: dict[str, Any] | None,
    carry: Sequence[str],
    bypass: bool,
    gate: str,
    operation: str | None,
    err: TextIO,
    gave_up: dict[str, str] | None = None,
) -> Note:
    """The note for ``info``; ``gave_up`` says how the gate failed to decide, if it did.

    The gate's verdict for this tree, when it holds the files, is what the note
    says about them: the gate attributed the very tree being committed, with the
    same parents and the same carried notes."""
    verdict = entry if entry is not None and entry.get("verdict") == "pass" else None
    attribution = None
    if verdict is not None and "files" in verdict and list(carry) == verdict["squash_sources"]:
        files = {
            path: FileEntry(f["added_lines"], f["ai_lines"], [AiRange(**r) for r in f["ranges"]])
            for path, f in verdict["files"].items()
        }
        incomplete = list(verdict["incomplete"])
    else:
        attribution = commit_attribution(ctx, info, readable_notes(ctx.root, carry))
        files, incomplete = attribution.entries(), attribution.incomplete()
    if verdict is not None:
        findings = [NoteFinding(**f) for f in verdict.get("findings", [])]
        policy = verdict.get("policy_hash") or current_policy_hash(ctx.root, ctx.settings)
    else:
        assert attribution is not None  # no verdict: nothing to reuse
        findings, version = recheck(ctx, info, attribution)
        policy = current_policy_hash(ctx.root, ctx.settings, version)
    note = Note(
        commit=info.sha,
        created=utc_now(),
        author=info.committer_email or ctx.email,
        files=files,
        findings=findings,
        policy_hash=policy,
        bypass=bypass,
        incomplete=([gave_up] if gave_up else []) + incomplete,
    )
    if bypass or gave_up:
        open_errors = [f for f in findings if f.handling == "open" and f.severity == "error"]
        facts = commit_bypassed(
            info.sha,
            info.tree,
            gave_up["detail"] if gave_up else None,
            ai_lines=sum(f.ai_lines for f in files.values()),
            open_findings=[
                {k: v for k, v in asdict(f).items() if k in ("file", "line", "rule", "cwe")}
                for f in open_errors
            ],
            gate_blocked_this_tree=bool(entry and entry.get("verdict") == "blocked"),
        )
        ctx.append(COMMIT_BYPASSED, facts)
    extra: dict[str, Any] = {"gate": gate}
    if operation:
        extra["operation"] = operation
    if carry:
        extra["carried_from"] = list(carry)
    return finish_note(ctx, note, err, extra)


def run(ctx: HookContext, args: Sequence[str], err: TextIO | None = None) -> int:
    err = err or sys.stderr
    info = commit_info(ctx.git, "HEAD")
    if info is None:
        return 0
    ctx.seed_email(info.committer_email)
    operation = ctx.operation()
    proc = git_process()
    entry = pending.take(ctx.state_dir, info.tree)
    if entry is None or entry.get("quick"):
        ctx.warn_config(err)  # the gate did not start Python to say it
    if entry is not None and proc is not None and entry.get("git_pid") not in (None, proc.pid):
        # a verdict from another `git commit` (refused or abandoned) does not count
        entry = {"verdict": "blocked"} if entry.get("verdict") == "blocked" else None
    gate_ran = entry is not None and entry.get("verdict") in ("pass", "error")
    if operation == "rebase" and not gate_ran:
        return 0  # picks are noted by post-rewrite when the rebase finishes
    carry: list[str] = []
    if entry is not None:
        carry.extend(entry.get("squash_sources") or [])
    if operation == "cherry-pick":
        with suppress(OSError):
            carry.append((ctx.paths.git_dir / "CHERRY_PICK_HEAD").read_text().strip())
    not_required = operation in ("cherry-pick", "revert", "rebase")
    bypass = not gate_ran and not not_required
    if gate_ran:
        gate = "error" if entry and entry.get("verdict") == "error" else "pass"
    else:
        gate = "not-run" if not_required else "bypassed"
    gave_up = None
    if entry is not None and entry.get("verdict") == "error":
        gave_up = failure("pre-commit", str(entry.get("error") or "?"))
        entry = None  # recheck: the gate did not finish
    build_and_write(
        ctx,
        info,
        entry=entry,
        carry=carry,
        bypass=bypass,
        gate=gate,
        operation=operation,
        err=err,
        gave_up=gave_up,
    )
    pending.sweep(ctx.state_dir)
    conclusions.sweep(ctx.state_dir)
    return 0


def failure(hook: str, reason: str) -> dict[str, str]:
    """A note's ``incomplete`` entry for a hook that was stopped or failed."""
    return {
        "what": "timeout" if reason.startswith("timeout") else "error",
        "hook": hook,
        "detail": reason,
    }


def note_failure(ctx: HookContext, hook: str, reason: str) -> None:
    """The note of a commit whose post-commit (or post-merge, post-rewrite) gave up:
    no lines, no totals, only what went wrong, and a ``commit.bypassed`` record.
    Nothing when the commit already has a note."""
    info = commit_info(ctx.git, "HEAD")
    if info is None:
        return
    with suppress(NoteError):
        if read_note(ctx.root, info.sha) is not None:
            return
    gave_up = failure(hook, reason)
    note = Note(
        commit=info.sha,
        created=utc_now(),
        author=info.committer_email or ctx.email,
        incomplete=[gave_up],
    )
    write_note(ctx.root, info.sha, note)
    ctx.append(COMMIT_BYPASSED, commit_bypassed(info.sha, info.tree, reason, hook=hook))


def run_post_merge(ctx: HookContext, args: Sequence[str], err: TextIO | None = None) -> int:
    """A merge commit made by ``git merge`` (no post-commit runs for it)."""
    err = err or sys.stderr
    if args and args[0] == "1":
        return 0  # --squash: the commit comes later, through post-commit
    info = commit_info(ctx.git, "HEAD")
    if info is None or len(info.parents) < 2:
        return 0  # fast-forward or nothing new
    try:
        orig = (ctx.paths.git_dir / "ORIG_HEAD").read_text().strip()
    except OSError:
        orig = None
    if orig is not None and info.parents[0] != orig:
        return 0  # moved to an existing merge (fast-forward), not a new one
    try:
        if read_note(ctx.root, info.sha) is not None:
            return 0
    except NoteError:
        pass
    build_and_write(
        ctx,
        info,
        entry=None,
        carry=(),
        bypass=False,
        gate="not-run",
        operation="merge",
        err=err,
    )
    return 0
