"""The input document a gate policy judges: the staged change, or a range of commits.

The staged change is read exactly as the ``pre-commit`` gate reads it (same
attribution of staged lines to AI chunks, same assessment, same protected paths,
from :mod:`genguard.hooks.gate` and :mod:`genguard.governance`), so a Rego policy
and the built-in gate never disagree about the facts. A revision range is read from the commits'
notes. Nothing here holds code: paths, line numbers, names and hashes only.

Shape (``schema: genguard/gate-input/1``)::

    {"schema", "mode": "staged"|"range", "range", "repository": {name, head, branch},
     "author", "commits": [{commit, noted, bypass, author, ai_lines, added_lines,
                            malformed_note, policy_hash}],
     "files": [{path, added_lines, ai_lines, reviewed_ai_lines, unreviewed_ai_lines,
                protected, ai: [{start, end, lines, chunk, tool, model, method, kind,
                                 status, reviewer, commit}]}],
     "totals": {files, added_lines, ai_lines, reviewed_ai_lines, unreviewed_ai_lines,
                ai_share},
     "tools": [...], "models": [...], "usage": [{tool, model, lines}],
     "review": {status, reviewers, require_review},
     "findings": [{file, line, rule, cwe, severity, security_severity, handling, reason,
                   by, chunk, tool, model, controls, commit}],
     "protected_paths": {patterns, touched: [{path, pattern, ai_lines,
                                              unreviewed_ai_lines}]},
     "facts": {...}, "policy_hash"}
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SCHEMA = "genguard/gate-input/1"


class InputError(RuntimeError):
    """The change cannot be read (not a repository, a bad revision range...)."""


@dataclass(slots=True)
class _File:
    path: str
    added_lines: int = 0
    ai: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ai_lines(self) -> int:
        return sum(r["lines"] for r in self.ai)

    @property
    def reviewed(self) -> int:
        return sum(r["lines"] for r in self.ai if r["status"] == "reviewed")


def _range_dict(r: Any, commit: str | None = None) -> dict[str, Any]:
    return {
        "start": r.start,
        "end": r.end,
        "lines": r.end - r.start + 1,
        "chunk": r.chunk,
        "tool": r.tool,
        "model": r.model,
        "method": r.method,
        "kind": r.kind,
        "status": r.status,
        "reviewer": r.reviewer,
        "commit": commit,
    }


def _protected(settings: Any) -> Callable[[str], str | None]:
    """The governance policy's protected-path matcher (the one the editor and gate use)."""
    from genguard.governance import GovernancePolicy

    return GovernancePolicy.from_settings(settings).protected_pattern


def _controls(rule: Any) -> dict[str, list[str]]:
    if rule is None:
        return {}
    return {k: list(v) for k, v in sorted(rule.controls.items())}


def _assemble(
    *,
    mode: str,
    revrange: str | None,
    repository: dict[str, Any],
    author: str | None,
    commits: list[dict[str, Any]],
    files: dict[str, _File],
    findings: list[dict[str, Any]],
    patterns: tuple[str, ...],
    protected: Callable[[str], str | None] | None,
    require_review: str,
    facts: Mapping[str, Any],
    policy_hash: str | None,
    incomplete: list[dict[str, Any]],
) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    touched: list[dict[str, Any]] = []
    usage: dict[tuple[str, str | None], int] = {}
    reviewers: set[str] = set()
    for path in sorted(files):
        f = files[path]
        f.ai.sort(key=lambda r: (r["commit"] or "", r["start"]))
        pattern = protected(path) if protected is not None else None
        unreviewed = f.ai_lines - f.reviewed
        rows.append(
            {
                "path": path,
                "added_lines": f.added_lines,
                "ai_lines": f.ai_lines,
                "reviewed_ai_lines": f.reviewed,
                "unreviewed_ai_lines": unreviewed,
                "protected": pattern,
                "ai": f.ai,
            }
        )
        if pattern is not None:
            touched.append(
                {
                    "path": path,
                    "pattern": pattern,
                    "ai_lines": f.ai_lines,
                    "unreviewed_ai_lines": unreviewed,
                }
            )
        for r in f.ai:
            key = (r["tool"], r["model"])
            usage[key] = usage.get(key, 0) + r["lines"]
            if r["reviewer"]:
                reviewers.add(r["reviewer"])
    ai = sum(r["ai_lines"] for r in rows)
    reviewed = sum(r["reviewed_ai_lines"] for r in rows)
    added = sum(r["added_lines"] for r in rows)
    if not ai:
        status = "none"
    elif reviewed == ai:
        status = "reviewed"
    elif reviewed:
        status = "partial"
    else:
        status = "unreviewed"
    return {
        "schema": SCHEMA,
        "mode": mode,
        "range": revrange,
        "repository": repository,
        "author": author,
        "commits": commits,
        "files": rows,
        "totals": {
            "files": len(rows),
            "added_lines": added,
            "ai_lines": ai,
            "reviewed_ai_lines": reviewed,
            "unreviewed_ai_lines": ai - reviewed,
            "ai_share": round(ai / added, 4) if added else 0.0,
        },
        "tools": sorted({t for t, _m in usage}),
        "models": sorted({m for _t, m in usage if m}),
        "usage": [
            {"tool": t, "model": m, "lines": n}
            for (t, m), n in sorted(usage.items(), key=lambda kv: (kv[0][0], kv[0][1] or ""))
        ],
        "review": {
            "status": status,
            "reviewers": sorted(reviewers),
            "require_review": require_review,
        },
        "findings": findings,
        "incomplete": incomplete,
        "protected_paths": {"patterns": list(patterns), "touched": touched},
        "facts": dict(facts),
        "policy_hash": policy_hash,
    }


def _repository(git: Any, root: Path) -> dict[str, Any]:
    def answer(*args: str) -> str | None:
        proc = git.run(*args, check=False)
        text = proc.stdout.decode("utf-8", "replace").strip()
        return text or None if proc.returncode == 0 else None

    return {
        "name": root.name,
        "head": answer("rev-parse", "--verify", "--quiet", "HEAD^{commit}"),
        "branch": answer("symbolic-ref", "--quiet", "--short", "HEAD"),
    }


def _context(cwd: Path) -> Any:
    from genguard.gitio.repo import refusal
    from genguard.gitio.run import GitError
    from genguard.hooks.context import HookContext

    where = Path(cwd).absolute()
    refused = refusal(where)  # said as such, not as the first git command that fails
    if refused is not None:
        raise InputError(refused)
    try:
        return HookContext.discover(where)
    except GitError as exc:
        raise InputError(str(exc)) from exc


def staged_input(cwd: Path, facts: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The staged change as the ``pre-commit`` gate sees it."""
    from genguard.gitio.diff import staged_diff
    from genguard.gitio.run import GitError, blob_reader
    from genguard.hooks.gate import staged_attribution

    ctx = _context(cwd)
    try:
        attribution, diffs = staged_attribution(ctx, amend=False)
        if diffs is None:  # no AI chunks anywhere: the gate skips the diff, a policy needs it
            diffs = staged_diff(ctx.git)
        findings = []
        rules_version = None
        undone: list[dict[str, str]] = attribution.incomplete()
        if attribution.ai_lines:
            from genguard.hooks.findings import check_in

            result = check_in(ctx, attribution, blob_reader(ctx.git, ""))
            findings, rules_version = result.findings, result.rules_version
            undone += result.incomplete
        repository = _repository(ctx.git, ctx.root)
    except GitError as exc:
        raise InputError(str(exc)) from exc

    files: dict[str, _File] = {}
    for path, fd in diffs.items():
        f = files[path] = _File(path, fd.added_count)
        fa = attribution.files.get(path)
        if fa is not None:
            f.ai = [_range_dict(r) for r in fa.entry().ranges]
    rows = [
        {
            "file": g.file,
            "line": g.line,
            "rule": g.rule_id,
            "cwe": list(g.cwe),
            "severity": g.severity,
            "security_severity": g.rule.get("security_severity"),
            "handling": g.handling,
            "reason": g.reason,
            "by": g.by,
            "chunk": g.owner.chunk if g.owner else None,
            "tool": g.owner.tool if g.owner else None,
            "model": g.owner.model if g.owner else None,
            "controls": {k: list(v) for k, v in sorted(g.rule.get("controls", {}).items())},
            "commit": None,
        }
        for g in findings
    ]
    policy = None
    if rules_version is not None:
        from genguard.cache.rules import policy_hash

        policy = policy_hash(ctx.settings, rules_version)
    return _assemble(
        mode="staged",
        revrange=None,
        repository=repository,
        author=ctx.email,
        commits=[],
        files=files,
        findings=rows,
        patterns=tuple(ctx.settings.governance.protected_paths),
        protected=_protected(ctx.settings),
        require_review=ctx.settings.hooks.require_review,
        facts=facts or {},
        policy_hash=policy,
        incomplete=[{**entry, "commit": None} for entry in undone],
    )


def range_input(cwd: Path, revrange: str, facts: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The commits of ``revrange`` as their genguard notes describe them.

    Commits without a note are listed with ``noted: false`` and their added lines
    counted (never as AI): a policy decides whether genguard having not run is
    acceptable.
    """
    from genguard.cache.rules import workspace_rules
    from genguard.gitio.history import (
        GitError,
        added_lines_by_file,
        commit_authors,
        note_texts,
        rev_list,
    )
    from genguard.gitio.notes import parse_note_text
    from genguard.notes.format import NOTES_REF, NoteError

    ctx = _context(cwd)
    root = ctx.root
    try:
        commits = rev_list(root, revrange)
        texts = note_texts(root, commits, NOTES_REF)
        authors = commit_authors(root, commits)
        repository = _repository(ctx.git, root)
    except GitError as exc:
        raise InputError(str(exc)) from exc
    ruleset = workspace_rules(root, ctx.settings)
    files: dict[str, _File] = {}
    findings: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    undone: list[dict[str, Any]] = []
    unnoted: list[str] = []
    policies: set[str] = set()
    for sha in commits:
        note = None
        problem = None
        if sha in texts:
            try:
                note = parse_note_text(texts[sha], sha)
            except NoteError as exc:
                problem = str(exc)
        row: dict[str, Any] = {
            "commit": sha,
            "noted": note is not None,
            "bypass": bool(note and note.bypass),
            "author": authors.get(sha),
            "ai_lines": note.totals.get("ai_lines", 0) if note else 0,
            "added_lines": note.totals.get("added_lines", 0) if note else 0,
            "malformed_note": problem,
            "policy_hash": note.policy_hash if note else None,
        }
        rows.append(row)
        if note is None:
            unnoted.append(sha)
            continue
        if note.policy_hash:
            policies.add(note.policy_hash)
        undone.extend({"what": "", **entry, "commit": sha} for entry in note.incomplete)
        for path, entry in note.files.items():
            f = files.setdefault(path, _File(path))
            f.added_lines += entry.added_lines
            f.ai.extend(_range_dict(r, sha) for r in entry.ranges)
        owners = {r.chunk: (r.tool, r.model) for e in note.files.values() for r in e.ranges}
        for nf in note.findings:
            rule = ruleset.by_id(nf.rule)
            tool, model = owners.get(nf.chunk or "", (None, None))
            findings.append(
                {
                    "file": nf.file,
                    "line": nf.line,
                    "rule": nf.rule,
                    "cwe": list(nf.cwe),
                    "severity": nf.severity,
                    "security_severity": rule.security_severity if rule is not None else None,
                    "handling": nf.handling,
                    "reason": nf.reason,
                    "by": nf.by,
                    "chunk": nf.chunk,
                    "tool": tool,
                    "model": model,
                    "controls": _controls(rule),
                    "commit": sha,
                }
            )
    if unnoted:
        try:
            added = added_lines_by_file(root, unnoted)
        except GitError as exc:
            raise InputError(str(exc)) from exc
        for sha in unnoted:
            for path, n in added.get(sha, {}).items():
                files.setdefault(path, _File(path)).added_lines += n
        by_sha = {r["commit"]: r for r in rows}
        for sha in unnoted:
            by_sha[sha]["added_lines"] = sum(added.get(sha, {}).values())
    return _assemble(
        mode="range",
        revrange=revrange,
        repository=repository,
        author=None,
        commits=rows,
        files=files,
        findings=findings,
        patterns=tuple(ctx.settings.governance.protected_paths),
        protected=_protected(ctx.settings),
        require_review=ctx.settings.hooks.require_review,
        facts=facts or {},
        policy_hash=next(iter(policies)) if len(policies) == 1 else None,
        incomplete=undone,
    )
