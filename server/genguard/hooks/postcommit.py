"""``post-commit`` and ``post-merge``: the note on every new commit.

The note (:mod:`genguard.notes.format`) says, per file, which lines of the commit AI
wrote (tool, model, method, kind, chunk, review status, reviewer); the gate's findings
and how each was handled; totals; the ledger head and the policy hash; a signature
when a key is configured. It says what the gate's verdict for the committed tree says
(:func:`.gate.judge`); what the verdict lacks is reached the same way here. No verdict
from the same ``git commit`` means the gate did not run: the commit is recorded as
``commit.bypassed`` and its note says ``bypass``, with the findings the gate would
have reported (cherry-pick, revert and rebase run no ``pre-commit``: not bypasses). A
commit without AI lines gets a note too (totals 0): a commit without a note is one
genguard never saw.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from typing import Any, TextIO

from genguard.cache import conclusions
from genguard.gitio.diff import FileDiff, commit_and_diff, commit_diff
from genguard.gitio.notemerge import note_hash
from genguard.gitio.notes import read_note_text, readable_notes, write_note
from genguard.gitio.process import git_process
from genguard.gitio.repo import operation
from genguard.gitio.run import CommitInfo, commit_info
from genguard.hooks import pending
from genguard.hooks.context import HookContext, leaving
from genguard.hooks.gate import attribution_of, judge
from genguard.ledger.events import commit_bypassed, commit_noted
from genguard.ledger.records import COMMIT_BYPASSED, COMMIT_NOTED, utc_now
from genguard.notes.format import AiRange, FileEntry, Note, NoteFinding


def finish_note(ctx: HookContext, note: Note, err: TextIO, extra: dict[str, Any]) -> Note:
    """Totals, ledger head, signature; write the note and record ``commit.noted``."""
    from genguard.gitio.signing import note_signature

    note.compute_totals()
    if ctx.settings.ledger.enabled:
        note.ledger_head = ctx.ledger().head()
    note.signature, warning = note_signature(
        note.payload, ctx.settings.signing.key, ctx.git, ctx.root, note.author or ctx.email
    )
    if warning:
        err.write(f"genguard: warning: {warning}\n")
    write_note(ctx.root, note.commit, note)
    ctx.append(
        COMMIT_NOTED,
        {**commit_noted(note.commit, note_hash(note), note.totals, note.bypass), **extra},
    )
    return note


def build_and_write(
    ctx: HookContext,
    info: CommitInfo,
    diffs: dict[str, FileDiff],
    entry: dict[str, Any] | None,
    carry: Sequence[str],
    gate: str,
    err: TextIO,
    gave_up: dict[str, str] | None = None,
    **extra: Any,
) -> Note:
    """The note for ``info``, which adds ``diffs``: the gate's verdict ``entry`` for its
    tree when it passed (it attributed the very tree, with the same parents and carried
    notes), else judged here. ``gave_up`` says how the gate failed to decide, if it did."""
    verdict = entry if entry is not None and entry.get("verdict") == "pass" else None
    if verdict is None or "files" not in verdict or verdict.get("squash_sources") != list(carry):
        attribution = attribution_of(ctx, diffs, info.sha, readable_notes(ctx.root, carry, err))
        fresh, _ = judge(ctx, attribution, info.sha, info.committer_email, check=verdict is None)
        if verdict is not None:  # the gate's findings stand, and so do the checks it cut short
            fresh["findings"] = verdict["findings"]
            fresh["policy_hash"] = verdict.get("policy_hash", fresh["policy_hash"])  # none from sh
            undone = verdict.get("incomplete", ())
            fresh["incomplete"] += [i for i in undone if i["what"] == "cut-short"]
        verdict = fresh
    files = {
        path: FileEntry(f["added_lines"], f["ai_lines"], [AiRange(**r) for r in f["ranges"]])
        for path, f in verdict["files"].items()
    }
    bypass = gate == "bypassed"
    note = Note(
        commit=info.sha,
        created=utc_now(),
        author=info.committer_email or ctx.email,
        files=files,
        findings=[NoteFinding(**f) for f in verdict["findings"]],
        policy_hash=verdict["policy_hash"],
        bypass=bypass,
        incomplete=([gave_up] if gave_up else []) + list(verdict["incomplete"]),
    )
    with leaving():
        if bypass or gave_up:
            facts = commit_bypassed(
                info.sha,
                info.tree,
                gave_up["detail"] if gave_up else None,
                ai_lines=sum(f.ai_lines for f in files.values()),
                open_findings=[
                    {"file": f.file, "line": f.line, "rule": f.rule, "cwe": f.cwe}
                    for f in note.findings
                    if f.handling == "open" and f.severity == "error"
                ],
                gate_blocked_this_tree=bool(entry and entry.get("verdict") == "blocked"),
            )
            ctx.append(COMMIT_BYPASSED, facts)
        extra = {"gate": gate, **extra, "carried_from": list(carry)}
        return finish_note(ctx, note, err, {k: v for k, v in extra.items() if v})


def run(ctx: HookContext, args: Sequence[str], stdin: str, err: TextIO) -> int:
    found = commit_and_diff(ctx.git, "HEAD", max_bytes=ctx.settings.scan.max_file_bytes)
    if found is None:
        return 0
    info, diffs = found
    ctx.email_known = ctx.email_known or info.committer_email
    state = operation(ctx.paths.git_dir)
    proc = git_process()
    entry = pending.read(ctx.state_dir, info.tree, take=True)
    if entry is None or entry.get("quick"):
        ctx.warn_config(err)  # the gate did not start Python to say it
    if entry is not None and proc is not None and entry.get("git_pid") not in (None, proc.pid):
        # a verdict from another `git commit` (refused or abandoned) does not count
        entry = {"verdict": "blocked"} if entry.get("verdict") == "blocked" else None
    gate = entry.get("verdict") if entry else None
    if gate not in ("pass", "error"):  # the gate did not run for this commit
        gate = "not-run" if state in ("cherry-pick", "revert", "rebase") else "bypassed"
    if state == "rebase" and gate == "not-run":
        return 0  # picks are noted by post-rewrite when the rebase finishes
    carry = list(entry.get("squash_sources") or []) if entry else []
    if state == "cherry-pick":
        with suppress(OSError):
            carry.append((ctx.paths.git_dir / "CHERRY_PICK_HEAD").read_text().strip())
    gave_up = None
    if gate == "error":  # the gate did not finish: judged again here
        gave_up, entry = failure("pre-commit", str(entry.get("error") or "?")), None  # type: ignore[union-attr]
    build_and_write(ctx, info, diffs, entry, carry, gate, err, gave_up, operation=state)
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
    if info is None or read_note_text(ctx.root, info.sha) is not None:
        return
    author = info.committer_email or ctx.email
    note = Note(
        commit=info.sha, created=utc_now(), author=author, incomplete=[failure(hook, reason)]
    )
    write_note(ctx.root, info.sha, note)
    ctx.append(COMMIT_BYPASSED, commit_bypassed(info.sha, info.tree, reason, hook=hook))


def run_post_merge(ctx: HookContext, args: Sequence[str], stdin: str, err: TextIO) -> int:
    """A merge commit made by ``git merge`` (no post-commit runs for it)."""
    if args and args[0] == "1":
        return 0  # --squash: the commit comes later, through post-commit
    info = commit_info(ctx.git, "HEAD")
    if info is None or len(info.parents) < 2:
        return 0  # fast-forward or nothing new
    with suppress(OSError):
        if info.parents[0] != (ctx.paths.git_dir / "ORIG_HEAD").read_text().strip():
            return 0  # moved to an existing merge (fast-forward), not a new one
    if read_note_text(ctx.root, info.sha) is not None:
        return 0
    diffs = commit_diff(ctx.git, info.sha, info.parents, max_bytes=ctx.settings.scan.max_file_bytes)
    build_and_write(ctx, info, diffs, None, (), "not-run", err, operation="merge")
    return 0
