"""``post-rewrite``: notes follow amend, rebase, squash and fixup.

git copies notes itself (``notes.rewriteRef``), but a copy keeps the old commit
id and the old line numbers, and a squash concatenates several notes. Here each
new commit gets one note rebuilt for its own tree: AI lines from the ledger, plus
the ranges of every old commit's note located again by line hash in the new
version (so a rebase that shifts lines, or a squash of several commits, keeps
them); findings follow their lines. For ``--amend`` the note ``post-commit`` just
wrote for the new commit supplies the gate's findings.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import replace
from typing import TextIO

from genguard.attribution.committed import attribute
from genguard.gitio.notemerge import merge_findings
from genguard.gitio.notes import note_objects, read_note
from genguard.gitio.run import commit_info
from genguard.hooks.attribution import carried_sources, commit_reader
from genguard.hooks.context import HookContext
from genguard.hooks.postcommit import commit_diffs, current_policy_hash, finish_note
from genguard.ledger.records import utc_now
from genguard.notes.format import Note, NoteError, NoteFinding, parse_note


def parse_pairs(text: str) -> dict[str, list[str]]:
    """``old new [extra]`` lines -> new commit -> old commits (in order)."""
    groups: dict[str, list[str]] = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 2:
            olds = groups.setdefault(parts[1], [])
            if parts[0] not in olds:
                olds.append(parts[0])
    return groups


def _own_note(ctx: HookContext, commit: str) -> Note | None:
    """The note already written for ``commit`` itself (by post-commit), if any."""
    own = next((o for o in note_objects(ctx.root, commit) if o.get("commit") == commit), None)
    try:
        return parse_note(json.dumps(own)) if own is not None else None
    except NoteError:
        return None


def rewrite_one(
    ctx: HookContext, new: str, olds: Sequence[str], kind: str, err: TextIO
) -> Note | None:
    info = commit_info(ctx.git, new)
    if info is None:
        return None
    old_notes: list[tuple[str, Note]] = []
    for old in olds:
        try:
            note = read_note(ctx.root, old)
        except NoteError as exc:
            err.write(
                f"genguard: warning: the note on {old[:12]} is unreadable ({exc}); not carried\n"
            )
            continue
        if note is not None:
            old_notes.append((old, note))
    own = _own_note(ctx, new)
    diffs = commit_diffs(ctx, info)
    carried = carried_sources(ctx.git, old_notes)
    attribution = attribute(diffs, ctx.live(), commit_reader(ctx.git, new), carried)

    # findings of the old notes follow their lines to the new version
    moved: dict[tuple[str, int], int] = {}
    for path, sources in carried.items():
        for src in sources:
            for old_line, new_line in src.moved.items():
                moved.setdefault((path, old_line), new_line)
    chunk_first: dict[str, tuple[str, int]] = {}
    for fa in attribution.ai_files():
        for n in sorted(fa.owners):
            chunk_first.setdefault(fa.owners[n].chunk, (fa.path, n))
    carried_findings: list[NoteFinding] = []
    for _old, note in old_notes:
        for f in note.findings:
            if (f.file, f.line) in moved:
                carried_findings.append(replace(f, line=moved[(f.file, f.line)]))
            elif f.handling == "fixed" and f.chunk in chunk_first:
                path, line = chunk_first[f.chunk]
                carried_findings.append(replace(f, file=path, line=line))
    # the gate judged the new commit itself: its handling of a finding stands; the
    # carried ones fill in what it did not see (merge_findings would keep "open")
    judged = {(f.file, f.line, f.rule) for f in (own.findings if own else [])}
    findings = merge_findings(
        [
            own.findings if own else [],
            [f for f in carried_findings if (f.file, f.line, f.rule) not in judged],
        ]
    )
    latest_old = old_notes[-1][1] if old_notes else None
    note = Note(
        commit=new,
        created=utc_now(),
        author=(own.author if own else None)
        or (latest_old.author if latest_old else None)
        or info.committer_email,
        files=attribution.entries(),
        findings=findings,
        policy_hash=(own.policy_hash if own else None)
        or (latest_old.policy_hash if latest_old else None)
        or current_policy_hash(ctx),
        bypass=bool(own and own.bypass) or any(n.bypass for _, n in old_notes),
        incomplete=attribution.incomplete(),
    )
    return finish_note(
        ctx, note, err, {"gate": "rewrite", "rewrite": kind, "rewritten_from": list(olds)}
    )


def pairs_without_stdin(ctx: HookContext, kind: str) -> dict[str, list[str]]:
    """Old -> new when a hook manager did not pass git's list on: for ``amend`` the
    reflog's previous HEAD; for ``rebase`` the old ids in the notes git copied
    (``notes.rewriteRef``) onto the commits the rebase made."""
    if kind == "amend":
        proc = ctx.git.run("rev-parse", "--verify", "--quiet", "HEAD@{1}", "HEAD", check=False)
        shas = proc.stdout.decode().split()
        return {shas[1]: [shas[0]]} if proc.returncode == 0 and len(shas) == 2 else {}
    proc = ctx.git.run("rev-list", "--max-count=1000", "HEAD", "--not", "ORIG_HEAD", check=False)
    groups: dict[str, list[str]] = {}
    for new in proc.stdout.decode().split():
        olds = [o["commit"] for o in note_objects(ctx.root, new) if o.get("commit") != new]
        if olds:
            groups[new] = [str(o) for o in dict.fromkeys(olds)]
    return groups


def run(ctx: HookContext, args: Sequence[str], stdin: str = "", err: TextIO | None = None) -> int:
    err = err or sys.stderr
    kind = args[0] if args else "amend"
    if kind == "amend" and ctx.operation() == "rebase":
        return 0  # the rebase's own post-rewrite maps every pick to its final commit
    groups = parse_pairs(stdin) if stdin.strip() else pairs_without_stdin(ctx, kind)
    for new, olds in groups.items():
        rewrite_one(ctx, new, olds, kind, err)
    return 0
