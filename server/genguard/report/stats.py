"""How much of a revision range AI wrote, from which tools, and what was reviewed.

Figures come from the commit notes. Commits without a note are counted and
named rather than guessed at: their added lines (from ``git log --numstat``)
enter ``added_lines`` but never ``ai_lines``, so ``ai_share`` is a lower bound
whenever ``coverage`` is below 1, and ``ai_share_noted`` gives the share over
the commits genguard saw.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from genguard.gitio.history import added_lines_by_file, commit_authors, note_texts, rev_list
from genguard.gitio.notes import parse_note_text
from genguard.notes.format import NOTES_REF, Note, NoteError

GroupBy = Literal["tool", "author", "file"]
GROUP_BY: tuple[str, ...] = ("tool", "author", "file")


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


@dataclass(slots=True)
class Group:
    key: str
    commits: set[str] = field(default_factory=set)
    added_lines: int = 0
    ai_lines: int = 0
    reviewed_ai_lines: int = 0

    def to_dict(self, by: str) -> dict[str, Any]:
        row: dict[str, Any] = {"key": self.key, "commits": len(self.commits)}
        if by != "tool":  # a tool adds only AI lines; its share is of all added lines
            row["added_lines"] = self.added_lines
        row["ai_lines"] = self.ai_lines
        row["reviewed_ai_lines"] = self.reviewed_ai_lines
        row["reviewed_share"] = _share(self.reviewed_ai_lines, self.ai_lines)
        if by != "tool":
            row["ai_share"] = _share(self.ai_lines, self.added_lines)
        return row


@dataclass(slots=True)
class Stats:
    revrange: str
    commits: list[str] = field(default_factory=list)
    noted: list[str] = field(default_factory=list)
    unnoted: list[str] = field(default_factory=list)
    bypassed: list[str] = field(default_factory=list)
    malformed: dict[str, str] = field(default_factory=dict)
    signatures: dict[str, int] = field(
        default_factory=lambda: {"verified": 0, "unverified": 0, "unsigned": 0}
    )
    unverified: list[str] = field(default_factory=list)  # signed, but not by an allowed signer
    added_lines: int = 0
    noted_added_lines: int = 0
    ai_lines: int = 0
    reviewed_ai_lines: int = 0
    findings: dict[str, int] = field(
        default_factory=lambda: {"raised": 0, "fixed": 0, "suppressed": 0, "open": 0}
    )
    tools: dict[str, Group] = field(default_factory=dict)
    by: str = "tool"
    groups: dict[str, Group] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "range": self.revrange,
            "commits": len(self.commits),
            "noted_commits": len(self.noted),
            "added_lines": self.added_lines,
            "ai_lines": self.ai_lines,
            "ai_share": _share(self.ai_lines, self.added_lines),
            "noted_added_lines": self.noted_added_lines,
            "ai_share_noted": _share(self.ai_lines, self.noted_added_lines),
            "coverage": _share(self.noted_added_lines, self.added_lines),
            "reviewed_ai_lines": self.reviewed_ai_lines,
            "reviewed_share": _share(self.reviewed_ai_lines, self.ai_lines),
            "findings": dict(self.findings),
            "tools": [g.to_dict("tool") for g in _ordered(self.tools)],
            "unnoted_commits": list(self.unnoted),
            "bypassed_commits": list(self.bypassed),
            "malformed_notes": [{"commit": c, "error": e} for c, e in self.malformed.items()],
            "signatures": dict(self.signatures),
            "unverified_notes": list(self.unverified),
            "by": self.by,
            "groups": [g.to_dict(self.by) for g in _ordered(self.groups)],
        }


def _ordered(groups: dict[str, Group]) -> list[Group]:
    return sorted(groups.values(), key=lambda g: (-g.ai_lines, -g.added_lines, g.key))


def _tool_key(tool: str, model: str | None) -> str:
    return f"{tool}/{model}" if model else tool


def _group(groups: dict[str, Group], key: str) -> Group:
    g = groups.get(key)
    if g is None:
        g = groups[key] = Group(key)
    return g


def _read_notes(
    repo: Path, commits: Iterable[str]
) -> tuple[dict[str, Note], dict[str, str], dict[str, str]]:
    """Parsed notes, errors of malformed ones, and how far each note's signature holds."""
    from genguard.report.audit import allowed_signers_file, note_signature_state

    notes: dict[str, Note] = {}
    errors: dict[str, str] = {}
    trust: dict[str, str] = {}
    allowed = allowed_signers_file(repo)
    for c, text in note_texts(repo, commits, NOTES_REF).items():
        try:
            notes[c] = parse_note_text(text, c)
        except NoteError as exc:
            errors[c] = str(exc)
            continue
        trust[c] = note_signature_state(text, allowed)
    return notes, errors, trust


def compute(repo: Path, revrange: str | None = None, by: str = "tool") -> Stats:
    """Statistics for ``revrange`` (default: everything reachable from HEAD).

    Raises GitError for a revision range git does not understand, ValueError for
    an unknown ``by``.
    """
    if by not in GROUP_BY:
        raise ValueError(f"--by must be one of {', '.join(GROUP_BY)} (got {by!r})")
    stats = Stats(revrange=revrange or "HEAD", by=by)
    stats.commits = rev_list(repo, revrange)
    notes, stats.malformed, trust = _read_notes(repo, stats.commits)
    for c in stats.commits:
        if c in trust:
            stats.signatures[trust[c]] += 1
            if trust[c] == "unverified":
                stats.unverified.append(c)
    stats.unnoted = [c for c in stats.commits if c not in notes]
    authors = commit_authors(repo, stats.commits) if by == "author" else {}
    numstat = added_lines_by_file(repo, stats.unnoted)
    for commit in stats.commits:
        note = notes.get(commit)
        if note is None:
            files = numstat.get(commit, {})
            added = sum(files.values())
            stats.added_lines += added
            if by == "author":
                g = _group(stats.groups, authors.get(commit) or "unknown")
                g.commits.add(commit)
                g.added_lines += added
            elif by == "file":
                for path, n in files.items():
                    g = _group(stats.groups, path)
                    g.commits.add(commit)
                    g.added_lines += n
            continue
        stats.noted.append(commit)
        if note.bypass:
            stats.bypassed.append(commit)
        _add_note(stats, commit, note, authors.get(commit))
    if by == "tool":
        stats.groups = stats.tools
    return stats


def _add_note(stats: Stats, commit: str, note: Note, git_author: str | None) -> None:
    added = sum(f.added_lines for f in note.files.values())
    ai = sum(f.ai_lines for f in note.files.values())
    stats.added_lines += added
    stats.noted_added_lines += added
    stats.ai_lines += ai
    for path, entry in note.files.items():
        reviewed = sum(r.lines for r in entry.ranges if r.status == "reviewed")
        stats.reviewed_ai_lines += reviewed
        for r in entry.ranges:
            t = _group(stats.tools, _tool_key(r.tool, r.model))
            t.commits.add(commit)
            t.ai_lines += r.lines
            t.reviewed_ai_lines += r.lines if r.status == "reviewed" else 0
        if stats.by == "file":
            g = _group(stats.groups, path)
            g.commits.add(commit)
            g.added_lines += entry.added_lines
            g.ai_lines += entry.ai_lines
            g.reviewed_ai_lines += reviewed
    if stats.by == "author":
        g = _group(stats.groups, note.author or git_author or "unknown")
        g.commits.add(commit)
        g.added_lines += added
        g.ai_lines += ai
        g.reviewed_ai_lines += sum(
            r.lines for f in note.files.values() for r in f.ranges if r.status == "reviewed"
        )
    for f in note.findings:
        stats.findings["raised"] += 1
        stats.findings[f.handling] = stats.findings.get(f.handling, 0) + 1
