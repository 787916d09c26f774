"""``pre-commit``: the gate in front of every commit, and what a commit's note says.

Staged lines are matched to AI chunks (ledger) and to ranges of the commits a
squash merge brings in; the AI lines are judged by :mod:`genguard.assess` (through
:mod:`.findings`). :func:`judge` is what a note holds about a change: the gate keeps
it in its verdict (:mod:`.pending`) for ``prepare-commit-msg`` and ``post-commit``,
and post-commit reaches it the same way for a commit the gate did not see. The
commit is refused when staged AI code has an open error finding (governance's
protected paths among them) or ``[hooks] require_review = "block"`` and AI code is
unreviewed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import groupby
from typing import TYPE_CHECKING, Any, TextIO

from genguard.cache.rules import current_policy_hash
from genguard.gitio.diff import FileDiff, intersect, staged_diff
from genguard.gitio.notes import carried_sources, readable_notes
from genguard.gitio.process import git_process
from genguard.gitio.repo import merge_heads, squash_sources
from genguard.gitio.run import blob_reader, commit_info, empty_tree, write_tree
from genguard.hooks import pending
from genguard.hooks.context import HookContext, leaving

# imported when used: the rule engine only for AI lines to check, attribution only for
# lines to attribute (post-commit of a tree the gate attributed needs neither)
if TYPE_CHECKING:
    from genguard.attribution.committed import Attribution
    from genguard.hooks.findings import CheckResult, GateFinding
    from genguard.notes.format import Note


def attribution_of(
    ctx: HookContext, diffs: Mapping[str, FileDiff], rev: str, notes: Sequence[tuple[str, Note]]
) -> Attribution:
    """Who wrote the lines ``diffs`` add (contents at ``rev``, "" for the index): the
    ledger's live chunks, then the AI ranges ``notes`` carry (rebase, squash, pick)."""
    from genguard.attribution.committed import attribute

    carried = carried_sources(ctx.git, notes) if notes else None
    return attribute(diffs, ctx.live(), blob_reader(ctx.git, rev), carried)


def staged_attribution(
    ctx: HookContext, *, amend: bool, sources: Sequence[str] | None = None
) -> tuple[Attribution, dict[str, FileDiff] | None]:
    """AI lines of the index: what this commit adds, per file, with the AI ranges the
    notes of ``sources`` carry (default: the commits a ``merge --squash`` brings in).
    No diff (None) when no chunk is live and no note is carried: nothing can be AI's."""
    live = ctx.live()
    notes = readable_notes(
        ctx.root, squash_sources(ctx.paths.git_dir) if sources is None else sources
    )
    if not live and not notes:
        from genguard.attribution.committed import Attribution

        return Attribution(), None
    base = None
    if amend and (head := commit_info(ctx.git, "HEAD")) is not None:  # HEAD's first parent
        base = head.parents[0] if head.parents else empty_tree(ctx.git)
    cap = ctx.settings.scan.max_file_bytes
    diffs = staged_diff(ctx.git, base, max_bytes=cap)
    if heads := merge_heads(ctx.paths.git_dir):
        diffs = intersect([diffs, *(staged_diff(ctx.git, h, max_bytes=cap) for h in heads)])
    return attribution_of(ctx, diffs, "", notes), diffs


def judge(
    ctx: HookContext,
    attribution: Attribution,
    rev: str,
    actor: str | None = None,
    check: bool = True,
) -> tuple[dict[str, Any], CheckResult | None]:
    """What a note holds about ``attribution``: its files, what was left undone (files
    not analysed, checks cut short), the findings in its AI lines (``check``: run the
    rules, else none), the AI tools and the policy hash."""
    result = None
    if check and attribution.ai_lines:
        from genguard.hooks.findings import check_in

        result = check_in(ctx, attribution, blob_reader(ctx.git, rev), actor)
    version = result.rules_version if result else None
    return {
        "files": {p: e.to_dict() for p, e in attribution.entries().items()},
        "incomplete": attribution.incomplete() + (result.incomplete if result else []),
        "findings": [f.to_note().to_dict() for f in result.findings] if result else [],
        "tools": [list(t) for t in attribution.tools()],
        "policy_hash": current_policy_hash(ctx.root, ctx.settings, version),
    }, result


def line_groups(lines: Sequence[int]) -> str:
    """``1-2, 5`` for [1, 2, 5]: AI lines as the gate and ``genguard review`` name them."""
    runs = groupby(enumerate(sorted(lines)), lambda pair: pair[1] - pair[0])
    spans = [[n for _, n in run] for _, run in runs]
    return ", ".join(str(s[0]) if len(s) == 1 else f"{s[0]}-{s[-1]}" for s in spans)


def leave_error(ctx: HookContext, reason: str) -> None:
    """The gate gave up (timeout, internal error): leave an ``error`` verdict, so that
    post-commit records the commit as unchecked and says why in its note."""
    proc = git_process()
    entry = {"git_pid": proc.pid if proc else None, "verdict": "error", "error": reason}
    pending.save(ctx.state_dir, ctx.staged_tree or write_tree(ctx.git), entry)


def run(ctx: HookContext, args: Sequence[str], stdin: str, err: TextIO) -> int:
    from genguard.hooks.trailers import verdict_values  # (trailers imports this module)

    tree = ctx.staged_tree = write_tree(ctx.git)
    proc = git_process()
    sources = squash_sources(ctx.paths.git_dir)
    attribution, diffs = staged_attribution(
        ctx, amend=bool(proc and proc.amending), sources=sources
    )
    verdict, result = judge(ctx, attribution, "")
    findings = result.findings if result else []
    unreviewed = {
        fa.path: lines
        for fa in attribution.ai_files()
        if (lines := sorted(n for n, o in fa.owners.items() if o.status != "reviewed"))
    }
    review_blocks = ctx.settings.hooks.require_review == "block" and bool(unreviewed)
    blocked = review_blocks or any(f.blocking for f in findings)
    incomplete = verdict["incomplete"]  # files not analysed, checks cut short
    if diffs is None:  # not diffed: post-commit diffs the commit for the note's files
        del verdict["files"], verdict["incomplete"]
    trailers = verdict_values(attribution.tools())
    verdict.update(
        git_pid=proc.pid if proc else None,
        verdict="blocked" if blocked else "pass",
        squash_sources=sources,
        **({"trailers": trailers} if trailers is not None else {}),  # for the shim
    )
    with leaving(status=1 if blocked else 0):
        pending.save(ctx.state_dir, tree, verdict)
    _report(ctx, err, findings, result.ignored_markers if result else [], unreviewed, review_blocks)
    for entry in incomplete:
        err.write(f"genguard: warning: {entry['file']}: {entry['detail']} (in the commit's note)\n")
    return 1 if blocked else 0


def _report(
    ctx: HookContext,
    err: TextIO,
    findings: list[GateFinding],
    ignored: list[tuple[str, int, str]],
    unreviewed: dict[str, list[int]],
    review_blocks: bool,
) -> None:
    blocking = [f for f in findings if f.blocking]
    protected: list[GateFinding] = []  # fixed by a review, not a suppression
    if blocking:
        from genguard.governance import PROTECTED_PATH  # (it loads tree-sitter)

        protected = [f for f in blocking if f.rule.get("check") == PROTECTED_PATH]
    to_fix = [f for f in blocking if f not in protected]
    lines: list[str] = []
    if blocking or review_blocks:
        lines += ["genguard: commit blocked — problems in the AI-written code being committed", ""]
    for f in blocking:
        o, who = f.owner, "AI-written code"
        if o is not None:
            tool = o.tool if o.tool != "unknown" else "an undeclared AI tool (inferred)"
            model = f" ({o.model})" if o.model else ""
            who = f"AI code from {tool}{model}, chunk {o.chunk}, {o.status}"
        lines.append(f"  {f.where} [{f.severity}]")
        lines += [f"      {f.rule[k]}" for k in ("detail", "message") if f.rule.get(k)]
        lines.append(f"      in {who}")
        lines += [f"      suggested fix: {f.fix}"] if f.fix else []
        lines += [f"      more: {f.rule['url']}"] if f.rule.get("url") else []
    if to_fix:
        from genguard.rules.suppression import comment_opener
        from genguard.syntax.languages import language_for_path

        example = to_fix[0]
        opener = comment_opener(language_for_path(example.file))
        lines += [
            "",
            "  To go ahead, for each finding either",
            "    - fix the code and stage it again, or",
            "    - suppress it with a reason, in a comment on the line above it:",
            f"        {opener} genguard: ignore[{example.rule_id}] <why this is safe>",
            "      (or use the editor's 'Suppress rule here with a justification' action)",
        ]
    if review_blocks:
        for path, numbers in sorted(unreviewed.items()):
            lines.append(f"  {path}:{line_groups(numbers)}: unreviewed AI-written code")
        lines.append('  ([hooks] require_review = "block")')
    if protected or review_blocks:
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
                lines.append(f"genguard: {f.severity}: {f.where} in AI-written code")
    for path, line, why in ignored:
        lines.append(f"genguard: note: the suppression at {path}:{line} is not honoured: {why}")
    if lines:
        err.write("\n".join(lines) + "\n")
        err.flush()
