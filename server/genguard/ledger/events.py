"""What each chunk and finding event holds: one builder per event, used by every writer.

The editor (:mod:`genguard.session.recorder`) and ``genguard record``
(:mod:`genguard.agents.record`) write the same events; building their data here
keeps the two shapes one, so replay (:mod:`genguard.attribution.state`), the
commit hooks and reports read either alike. Plain values in, plain dicts out:
code never enters, only hashes of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def commit_noted(
    commit: str, note_hash: str, totals: dict[str, int], bypass: bool
) -> dict[str, Any]:
    """A commit's note was written: the note's hash, its lines, whether the gate was skipped."""
    return {
        "commit": commit,
        "note_hash": note_hash,
        "ai_lines": totals.get("ai_lines", 0),
        "added_lines": totals.get("added_lines", 0),
        "bypass": bypass,
    }


def commit_bypassed(commit: str, tree: str, reason: str | None, **facts: Any) -> dict[str, Any]:
    """A commit the gate did not check: ``--no-verify`` (``reason`` None), or a hook that
    gave up (``reason`` says how); ``facts`` are what was known of it then."""
    return {"commit": commit, "tree": tree, **facts, **({"reason": reason} if reason else {})}


def chunk_ref(chunk: str | None, file: str | None, lines: tuple[int, int] | None) -> dict[str, Any]:
    """Which chunk, in which file, on which 1-based lines (first, last); a finding on
    an agent's checkpoint as a whole may have no chunk or lines."""
    return {"chunk": chunk, "file": file, "lines": list(lines) if lines else None}


def chunk_state(
    ref: dict[str, Any],
    *,
    tool: str,
    model: str | None,
    method: str,
    kind: str,
    status: str,
    reviewer: str | None,
    line_hashes: Sequence[str],
) -> dict[str, Any]:
    """Where a chunk is, who wrote it and one hash per AI line (how hooks find its lines)."""
    return {
        **ref,
        "tool": tool,
        "model": model,
        "method": method,
        "kind": kind,
        "status": status,
        "reviewer": reviewer,
        "line_hashes": list(line_hashes),
    }


def finding_raised(
    ref: dict[str, Any],
    *,
    rule: str,
    cwe: Sequence[str],
    severity: str,
    at: tuple[int, int] | None,
    match_hash: str,
    source: str | None = None,
) -> dict[str, Any]:
    """An open finding in a chunk: ``at`` its lines, ``match_hash`` what it matched
    (or, for a check, its details); ``source`` the agent for ``genguard record``."""
    data = {
        **ref,
        "rule": rule,
        "cwe": list(cwe),
        "severity": severity,
        "at": list(at) if at else None,
        "match_hash": match_hash,
    }
    if source is not None:
        data["source"] = source
    return data


def finding_suppressed(
    ref: dict[str, Any],
    *,
    rule: str,
    cwe: Sequence[str],
    reason: str,
    by: str | None,
    inline: tuple[str, tuple[int, int], str] | None = None,
) -> dict[str, Any]:
    """A finding a person excused with ``reason``; ``inline`` = (marker kind, the
    finding's lines, match hash) when a comment did it, else the editor's command."""
    data: dict[str, Any] = {**ref, "rule": rule, "cwe": list(cwe), "reason": reason, "by": by}
    if inline is not None:
        kind, at, match_hash = inline
        data.update(source="inline", kind=kind, at=list(at), match_hash=match_hash)
    return data


def finding_resolved(chunk: str, file: str, rule: str) -> dict[str, Any]:
    """A finding raised earlier on the chunk that no longer fires."""
    return {"chunk": chunk, "file": file, "rule": rule}
