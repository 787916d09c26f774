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

from collections.abc import Sequence
from typing import TextIO

from genguard.attribution.committed import attribute
from genguard.cache.rules import current_policy_hash
from genguard.gitio.diff import commit_and_diff
from genguard.gitio.notemerge import carry_findings
from genguard.gitio.notes import carried_sources, note_objects, own_note, readable_notes
from genguard.gitio.repo import operation
from genguard.gitio.run import blob_reader
from genguard.hooks.context import HookContext, leaving
from genguard.hooks.postcommit import finish_note
from genguard.ledger.records import utc_now
from genguard.notes.format import Note


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


def rewrite_one(
    ctx: HookContext, new: str, olds: Sequence[str], kind: str, err: TextIO
) -> Note | None:
    found = commit_and_diff(ctx.git, new, max_bytes=ctx.settings.scan.max_file_bytes)
    if found is None:
        return None
    info, diffs = found
    old_notes = readable_notes(ctx.root, olds, err)
    own = own_note(ctx.root, new)
    carried = carried_sources(ctx.git, old_notes)
    attribution = attribute(diffs, ctx.live(), blob_reader(ctx.git, new), carried)
    # findings of the old notes follow their lines to the new version
    moved: dict[tuple[str, int], int] = {}
    for path, sources in carried.items():
        for src in sources:
            for old_line, new_line in src.moved.items():
                moved.setdefault((path, old_line), new_line)
    first = attribution.first_lines()  # a fixed finding stays with its chunk
    findings = carry_findings(own.findings if own else [], [n for _, n in old_notes], moved, first)
    known = [n for n in (own, *(n for _, n in reversed(old_notes))) if n is not None]
    note = Note(
        commit=new,
        created=utc_now(),
        author=next((n.author for n in known if n.author), info.committer_email),
        files=attribution.entries(),
        findings=findings,
        policy_hash=next((n.policy_hash for n in known if n.policy_hash), None)
        or current_policy_hash(ctx.root, ctx.settings),
        bypass=any(n.bypass for n in known),
        incomplete=attribution.incomplete(),
    )
    with leaving(last=False):  # (HEAD's note, if this is not it, may still be missing)
        extra = {"gate": "rewrite", "rewrite": kind, "rewritten_from": list(olds)}
        return finish_note(ctx, note, err, extra)


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


def run(ctx: HookContext, args: Sequence[str], stdin: str, err: TextIO) -> int:
    kind = args[0] if args else "amend"
    if kind == "amend" and operation(ctx.paths.git_dir) == "rebase":
        return 0  # the rebase's own post-rewrite maps every pick to its final commit
    groups = parse_pairs(stdin) if stdin.strip() else pairs_without_stdin(ctx, kind)
    for new, olds in groups.items():
        rewrite_one(ctx, new, olds, kind, err)
    return 0
