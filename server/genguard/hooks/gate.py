"""``pre-commit``: the gate in front of every commit.

Staged lines are matched to AI chunks (ledger) and to ranges of the commits a
squash merge brings in; the AI lines are checked against the workspace rules.
The commit is refused when staged AI code has an open error finding, when
``[hooks] require_review = "block"`` and AI code is unreviewed, or when AI code
lands unreviewed in a ``[governance] protected_paths`` path. The verdict is kept
for ``prepare-commit-msg`` and ``post-commit`` (see :mod:`.pending`).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING, TextIO

from genguard.attribution.committed import Attribution, attribute
from genguard.cache.rules import current_policy_hash
from genguard.gitio.diff import FileDiff, intersect, staged_diff
from genguard.gitio.notes import carried_sources, readable_notes
from genguard.gitio.process import git_process
from genguard.gitio.repo import merge_heads, squash_sources
from genguard.gitio.run import blob_reader, commit_info, empty_tree, write_tree
from genguard.hooks import pending
from genguard.hooks.context import HookContext

if TYPE_CHECKING:  # the rule engine is imported only when there are AI lines to check
    from genguard.attribution.match import Owner
    from genguard.hooks.findings import GateFinding


def amend_base(ctx: HookContext) -> str | None:
    """What an ``--amend`` commit is compared with: HEAD's first parent (or nothing)."""
    head = commit_info(ctx.git, "HEAD")
    if head is None:
        return None
    return head.parents[0] if head.parents else empty_tree(ctx.git)


def staged_attribution(
    ctx: HookContext, *, amend: bool, sources: Sequence[str] | None = None
) -> tuple[Attribution, dict[str, FileDiff] | None]:
    """AI lines of the index: what this commit adds, per file, with the AI ranges the
    notes of ``sources`` carry (default: the commits a ``merge --squash`` brings in)."""
    live = ctx.live()
    if sources is None:
        sources = squash_sources(ctx.paths.git_dir)
    notes = readable_notes(ctx.root, sources)
    if not live and not notes:
        return Attribution(), None
    base = amend_base(ctx) if amend else None
    cap = ctx.settings.scan.max_file_bytes
    diffs = staged_diff(ctx.git, base, max_bytes=cap)
    heads = merge_heads(ctx.paths.git_dir)
    if heads:
        diffs = intersect([diffs, *(staged_diff(ctx.git, h, max_bytes=cap) for h in heads)])
    carried = carried_sources(ctx.git, notes) if notes else None
    return attribute(diffs, live, blob_reader(ctx.git, ""), carried), diffs


def _is_protected(f: GateFinding) -> bool:
    from genguard.governance import PROTECTED_PATH

    return f.rule.get("check") == PROTECTED_PATH


def _in_protected(
    ctx: HookContext, blocking: list[GateFinding], unreviewed: dict[str, list[int]]
) -> dict[str, tuple[str, list[int]]]:
    """path -> (pattern, unreviewed lines) for files a blocking protected-path finding names."""
    files = {f.file for f in blocking if _is_protected(f)}
    if not files:
        return {}
    from genguard.governance import GovernancePolicy

    governance = GovernancePolicy.from_settings(ctx.settings)
    out: dict[str, tuple[str, list[int]]] = {}
    for path in sorted(files):
        pattern = governance.protected_pattern(path)
        if pattern is not None:
            out[path] = (pattern, unreviewed.get(path, []))
    return out


def _who(owner: Owner | None) -> str:
    if owner is None:
        return "AI-written code"
    tool = owner.tool if owner.tool != "unknown" else "an undeclared AI tool (inferred)"
    model = f" ({owner.model})" if owner.model else ""
    return f"AI code from {tool}{model}, chunk {owner.chunk}, {owner.status}"


def line_groups(lines: Sequence[int]) -> str:
    """``1-2, 5`` for [1, 2, 5]: AI lines as the gate and ``genguard review`` name them."""
    out: list[str] = []
    ordered = sorted(lines)
    start = prev = ordered[0]
    for n in [*ordered[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        out.append(str(start) if start == prev else f"{start}-{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(out)


def leave_error(ctx: HookContext, reason: str) -> None:
    """The gate gave up (timeout, internal error): leave an ``error`` verdict, so that
    post-commit records the commit as unchecked and says why in its note."""
    proc = git_process()
    entry = {"git_pid": proc.pid if proc else None, "verdict": "error", "error": reason}
    pending.save(ctx.state_dir, ctx.staged_tree or write_tree(ctx.git), entry)


def run(ctx: HookContext, args: Sequence[str], err: TextIO | None = None) -> int:
    err = err or sys.stderr
    git = ctx.git
    tree = ctx.staged_tree = write_tree(git)
    proc = git_process()
    amend = bool(proc and proc.amending)
    sources = squash_sources(ctx.paths.git_dir)
    attribution, diffs = staged_attribution(ctx, amend=amend, sources=sources)
    findings: list[GateFinding] = []
    ignored: list[tuple[str, int, str]] = []
    rules_version = None
    if attribution.ai_lines:
        from genguard.hooks.findings import check_in

        result = check_in(ctx, attribution, blob_reader(git, ""))
        findings, ignored, rules_version = (
            result.findings,
            result.ignored_markers,
            result.rules_version,
        )
    unreviewed = {
        fa.path: sorted(n for n, o in fa.owners.items() if o.status != "reviewed")
        for fa in attribution.ai_files()
    }
    unreviewed = {p: lines for p, lines in unreviewed.items() if lines}
    require = ctx.settings.hooks.require_review
    blocking = [f for f in findings if f.blocking]
    review_blocks = require == "block" and bool(unreviewed)
    blocked = bool(blocking) or review_blocks
    # unreviewed AI code in a protected path is a governance finding like any other;
    # it is reported per file, with the lines to review
    in_protected = _in_protected(ctx, blocking, unreviewed)
    blocking = [f for f in blocking if f.file not in in_protected or not _is_protected(f)]
    policy = current_policy_hash(ctx.root, ctx.settings, rules_version) if rules_version else None
    from genguard.hooks.trailers import verdict_values  # (trailers imports this module)

    tools = attribution.tools()
    trailers = verdict_values(tools)
    pending.save(
        ctx.state_dir,
        tree,
        {
            "git_pid": proc.pid if proc else None,
            "verdict": "blocked" if blocked else "pass",
            "findings": [asdict(f.to_note()) for f in findings],
            "tools": [[t, m, n] for t, m, n in tools],
            **({"trailers": trailers} if trailers is not None else {}),  # for the shim
            "policy_hash": policy,
            "squash_sources": sources,
            # what the note of this tree holds, so post-commit need not diff it again
            **(
                {
                    "files": {p: asdict(e) for p, e in attribution.entries().items()},
                    "incomplete": attribution.incomplete(),
                }
                if diffs is not None
                else {}
            ),
        },
    )
    _report(ctx, err, findings, blocking, ignored, unreviewed, in_protected, review_blocks)
    for fa in attribution.oversize():
        err.write(
            f"genguard: {fa.path}: {fa.added} lines added, over [scan] max_file_bytes;"
            " not analysed (the commit's note says so)\n"
        )
    return 1 if blocked else 0


def _report(
    ctx: HookContext,
    err: TextIO,
    findings: list[GateFinding],
    blocking: list[GateFinding],
    ignored: list[tuple[str, int, str]],
    unreviewed: dict[str, list[int]],
    in_protected: dict[str, tuple[str, list[int]]],
    review_blocks: bool,
) -> None:
    lines: list[str] = []
    if blocking or review_blocks or in_protected:
        lines.append("genguard: commit blocked — problems in the AI-written code being committed")
        lines.append("")
    for f in blocking:
        cwe = f" ({', '.join(f.cwe)})" if f.cwe else ""
        lines.append(f"  {f.file}:{f.line}: {f.rule_id}{cwe} [{f.severity}]")
        if f.rule.get("message"):
            lines.append(f"      {f.rule['message']}")
        lines.append(f"      in {_who(f.owner)}")
        if f.fix:
            lines.append(f"      suggested fix: {f.fix}")
        if f.rule.get("url"):
            lines.append(f"      more: {f.rule['url']}")
    if blocking:
        from genguard.rules.suppression import comment_opener
        from genguard.syntax.languages import language_for_path

        example = blocking[0]
        lines += [
            "",
            "  To go ahead, for each finding either",
            "    - fix the code and stage it again, or",
            "    - suppress it with a reason, in a comment on the line above it:",
            f"        {comment_opener(language_for_path(example.file))} genguard:"
            f" ignore[{example.rule_id}]"
            " <why this is safe>",
            "      (or use the editor's 'Suppress rule here with a justification' action)",
        ]
    for path, (pattern, numbers) in sorted(in_protected.items()):
        lines.append(
            f"  {path}:{line_groups(numbers)}: unreviewed AI-written code in protected path "
            f"'{pattern}' ([governance] protected_paths)"
        )
    if review_blocks:
        for path, numbers in sorted(unreviewed.items()):
            if path not in in_protected:
                lines.append(f"  {path}:{line_groups(numbers)}: unreviewed AI-written code")
        lines.append('  ([hooks] require_review = "block")')
    if in_protected or review_blocks:
        lines += [
            "",
            "  Review the code, then mark each chunk reviewed in the editor",
            "  ('Mark AI chunk as reviewed') or in a terminal (`genguard review` lists",
            "  them; `genguard review --staged` marks them all), and commit again.",
        ]
    if lines:
        lines += [
            "",
            "  Committing anyway with `git commit --no-verify` is recorded as a bypass",
            "  in the ledger and in the commit's note.",
        ]
    else:
        if unreviewed and ctx.settings.hooks.require_review == "warn":
            total = sum(len(v) for v in unreviewed.values())
            where = ", ".join(f"{p}:{line_groups(v)}" for p, v in sorted(unreviewed.items()))
            lines.append(
                f"genguard: warning: {total} unreviewed AI-written lines committed ({where})"
            )
        for f in findings:
            # a finding about a suppression comment has a note line of its own (below)
            if f.handling == "open" and not f.blocking and not f.about_marker:
                cwe = f" ({', '.join(f.cwe)})" if f.cwe else ""
                where = f"{f.file}:{f.line}: {f.rule_id}{cwe}"
                lines.append(f"genguard: {f.severity}: {where} in AI-written code")
    for path, line, why in ignored:
        lines.append(f"genguard: note: the suppression at {path}:{line} is not honoured: {why}")
    if lines:
        err.write("\n".join(lines) + "\n")
        err.flush()
