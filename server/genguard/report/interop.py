"""Provenance in other tools' formats: Agent Trace out, git-ai notes in.

Agent Trace (v0.1.0) is the open record format other tools read; one record is
written per noted commit, one conversation per genguard chunk, with genguard's
own facts (chunk id, method, review, bypass, ledger head) under reverse-domain
metadata keys so nothing is lost and nothing collides.

git-ai keeps its attribution in ``refs/notes/ai``: per file, lines of
``<session-key> <ranges>`` (1-based, ``1-4,9``), a ``---`` line, then JSON
metadata (``schema_version: "authorship/3.0.0"``) whose ``sessions`` or
``prompts`` map each key to an agent (tool, model). Importing turns those into
genguard notes (``method: "imported"``) for commits that have none, so blame and
stats cover history written before genguard was installed. Prompts and
messages in the metadata are never read into genguard notes.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from genguard import __version__
from genguard.gitio.history import (
    GitError,
    added_lines_by_file,
    commit_authors,
    note_texts,
    read_blobs,
    rev_list,
    run_git,
)
from genguard.gitio.notemerge import covered_count, note_line
from genguard.gitio.notes import noted_commits, parse_note_text
from genguard.ledger.records import hash_text, utc_now
from genguard.notes.format import (
    MAX_LINE,
    NOTES_REF,
    AiRange,
    FileEntry,
    Note,
    NoteError,
)

AGENT_TRACE_VERSION = "0.1.0"
AGENT_TRACE_MIME = "application/vnd.agent-trace.record+json"
GIT_AI_REF = "refs/notes/ai"
GIT_AI_SCHEMA = "authorship/3.0.0"
IMPORTED = "imported"

#: Stable record ids: the same commit always exports under the same uuid.
_ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://genguard.dev/agent-trace")
_META = "dev.genguard"


# -- Agent Trace export ----------------------------------------------------------------


def _range_hash(blob: bytes | None, start: int, end: int) -> str | None:
    """sha256 of the range's lines as committed (newlines included); None if unreadable."""
    if blob is None:
        return None
    lines = blob.split(b"\n")
    if end > len(lines) or start < 1:
        return None
    return hash_text(b"\n".join(lines[start - 1 : end]))


def trace_record(note: Note, commit: str, blobs: Mapping[str, bytes | None]) -> dict[str, Any]:
    """One Agent Trace record for a commit's note (``blobs`` maps ``commit:path`` to content)."""
    files: list[dict[str, Any]] = []
    chunks: dict[str, dict[str, Any]] = {}
    for path in sorted(note.files):
        entry = note.files[path]
        by_chunk: dict[str, list[AiRange]] = {}
        for r in entry.ranges:
            by_chunk.setdefault(r.chunk, []).append(r)
        conversations = []
        for chunk_id, ranges in by_chunk.items():
            first = ranges[0]
            contributor: dict[str, Any] = {"type": "ai"}
            if first.model:
                contributor["model_id"] = first.model
            trace_ranges = []
            for r in ranges:
                tr: dict[str, Any] = {"start_line": r.start, "end_line": r.end}
                digest = _range_hash(blobs.get(f"{commit}:{path}"), r.start, r.end)
                if digest is not None:
                    tr["content_hash"] = digest
                trace_ranges.append(tr)
            conversations.append({"contributor": contributor, "ranges": trace_ranges})
            chunks[chunk_id] = {
                "tool": first.tool,
                "model": first.model,
                "method": first.method,
                "kind": first.kind,
                "status": first.status,
                "reviewer": first.reviewer,
            }
        files.append({"path": path, "conversations": conversations})
    metadata: dict[str, Any] = {
        f"{_META}.schema": note.schema,
        f"{_META}.chunk": chunks,
        f"{_META}.totals": dict(note.totals),
        f"{_META}.bypass": note.bypass,
        f"{_META}.signed": note.signature is not None,
    }
    if note.author:
        metadata[f"{_META}.author"] = note.author
    if note.ledger_head:
        metadata[f"{_META}.ledger_head"] = note.ledger_head
    if note.policy_hash:
        metadata[f"{_META}.policy_hash"] = note.policy_hash
    if note.findings:
        metadata[f"{_META}.findings"] = [f.to_dict() for f in note.findings]
    return {
        "version": AGENT_TRACE_VERSION,
        "id": str(uuid.uuid5(_ID_NAMESPACE, commit)),
        "timestamp": note.created,
        "vcs": {"type": "git", "revision": commit},
        "tool": {"name": "genguard", "version": __version__},
        "files": files,
        "metadata": metadata,
    }


@dataclass(slots=True)
class ExportResult:
    records: list[dict[str, Any]] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # commit -> why
    unnoted: int = 0


def export_agent_trace(repo: Path, revrange: str | None = None) -> ExportResult:
    """Agent Trace records for every commit of ``revrange`` that carries a genguard note."""
    result = ExportResult()
    commits = rev_list(repo, revrange)
    texts = note_texts(repo, commits, NOTES_REF)
    notes: list[tuple[str, Note]] = []
    for commit in commits:
        text = texts.get(commit)
        if text is None:
            result.unnoted += 1
            continue
        try:
            notes.append((commit, parse_note_text(text, commit)))
        except NoteError as exc:
            result.skipped[commit] = str(exc)
    specs = [f"{c}:{p}" for c, n in notes for p, e in n.files.items() if e.ranges]
    blobs = read_blobs(repo, specs)
    result.records = [trace_record(n, c, blobs) for c, n in notes]
    return result


# -- git-ai import ---------------------------------------------------------------------


@dataclass(slots=True)
class GitAiSession:
    tool: str
    model: str | None
    human: bool = False


@dataclass(slots=True)
class GitAiLog:
    """A parsed git-ai authorship note: ``files[path] = [(session_key, [(start, end)])]``."""

    files: dict[str, list[tuple[str, list[tuple[int, int]]]]] = field(default_factory=dict)
    sessions: dict[str, GitAiSession] = field(default_factory=dict)
    schema_version: str | None = None
    problems: list[str] = field(default_factory=list)


class GitAiError(ValueError):
    """A git-ai note that cannot be read at all."""


_RANGE_RE = re.compile(r"^(\d+)(?:-(\d+))?$")


def parse_ranges(text: str) -> list[tuple[int, int]]:
    """``"1-4,9"`` -> ``[(1, 4), (9, 9)]``; raises ValueError on anything else."""
    out: list[tuple[int, int]] = []
    for part in text.replace(" ", "").split(","):
        m = _RANGE_RE.match(part)
        if not m:
            raise ValueError(f"bad line range {part!r}")
        if len(part) > 2 * len(str(MAX_LINE)) + 1:
            raise ValueError(f"bad line range {part[:40]!r}...")
        start = int(m.group(1))
        end = int(m.group(2) or start)
        if start < 1 or end < start or end > MAX_LINE:
            raise ValueError(f"bad line range {part!r} (lines are 1..{MAX_LINE})")
        out.append((start, end))
    return out


def _session(value: Any) -> GitAiSession | None:
    if not isinstance(value, Mapping):
        return None
    agent = value.get("agent_id") or value.get("agent") or {}
    if not isinstance(agent, Mapping):
        agent = {}
    tool = agent.get("tool") or value.get("tool")
    model = agent.get("model") or value.get("model")
    return GitAiSession(
        tool=str(tool) if tool else "unknown",
        model=str(model) if model and model != "unknown" else None,
    )


def parse_git_ai(text: str) -> GitAiLog:
    """Parse a git-ai note defensively: bad lines are skipped and listed in ``problems``.

    Raises GitAiError only when the note has no ``---`` divider or no JSON object after it.
    """
    lines = text.splitlines()
    try:
        divider = next(i for i, ln in enumerate(lines) if ln.strip() == "---")
    except StopIteration:
        raise GitAiError("no '---' divider between attestations and metadata") from None
    try:
        meta = json.loads("\n".join(lines[divider + 1 :]))
    except RecursionError:
        raise GitAiError("metadata is JSON nested too deeply") from None
    except ValueError as exc:
        raise GitAiError(f"metadata is not JSON: {exc}") from exc
    if not isinstance(meta, dict):
        raise GitAiError("metadata is not a JSON object")
    log = GitAiLog(schema_version=meta.get("schema_version"))
    if log.schema_version != GIT_AI_SCHEMA:
        log.problems.append(f"schema_version {log.schema_version!r} (read as {GIT_AI_SCHEMA})")
    for table in ("prompts", "sessions"):  # newer notes use "sessions"; both may appear
        entries = meta.get(table)
        if isinstance(entries, Mapping):
            for key, value in entries.items():
                s = _session(value)
                if s is not None:
                    log.sessions[str(key)] = s
    humans = meta.get("humans")
    if isinstance(humans, Mapping):
        for key in humans:
            log.sessions[str(key)] = GitAiSession(tool="human", model=None, human=True)
    current: str | None = None
    for n, raw in enumerate(lines[:divider], start=1):
        if not raw.strip():
            continue
        if not raw[0].isspace():  # a file path, quoted when it holds whitespace
            name = raw.strip()
            if len(name) >= 2 and name.startswith('"') and name.endswith('"'):
                name = name[1:-1]
            current = name
            log.files.setdefault(current, [])
            continue
        if current is None:
            log.problems.append(f"line {n}: an entry before any file path (skipped)")
            continue
        parts = raw.split()
        if len(parts) != 2:
            log.problems.append(f"line {n}: expected '<session> <ranges>' (skipped)")
            continue
        try:
            ranges = parse_ranges(parts[1])
        except ValueError as exc:
            log.problems.append(f"line {n}: {exc} (skipped)")
            continue
        log.files[current].append((parts[0], ranges))
    return log


def note_from_git_ai(
    log: GitAiLog, commit: str, author: str | None, added: Mapping[str, int]
) -> Note:
    """The genguard note equivalent to a git-ai log (``added``: lines added per file)."""
    files: dict[str, FileEntry] = {}
    for path, n in added.items():
        files[path] = FileEntry(added_lines=n)
    for path, entries in log.files.items():
        entry = files.setdefault(path, FileEntry())
        seen: list[tuple[int, int]] = []
        for key, ranges in entries:
            session = log.sessions.get(key, GitAiSession(tool="unknown", model=None))
            if session.human:
                continue
            for start, end in ranges:
                entry.ranges.append(
                    AiRange(
                        start=start,
                        end=end,
                        chunk=f"git-ai:{key}",
                        tool=session.tool,
                        model=session.model,
                        method=IMPORTED,
                        kind="unknown",
                        status="unreviewed",
                    )
                )
                seen.append((start, end))
        entry.ranges.sort(key=lambda r: (r.start, r.end))
        entry.ai_lines = covered_count(seen)
        entry.added_lines = max(entry.added_lines, entry.ai_lines)
    files = {p: e for p, e in files.items() if e.added_lines or e.ranges}
    note = Note(commit=commit, created=utc_now(), author=author, files=files)
    note.compute_totals()
    return note


@dataclass(slots=True)
class ImportResult:
    scanned: int = 0
    imported: list[str] = field(default_factory=list)
    already_noted: list[str] = field(default_factory=list)
    unreadable: dict[str, str] = field(default_factory=dict)
    problems: dict[str, list[str]] = field(default_factory=dict)
    dry_run: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "scanned": self.scanned,
            "imported": len(self.imported),
            "already_noted": len(self.already_noted),
            "unreadable": len(self.unreadable),
            "dry_run": self.dry_run,
            "commits": {
                "imported": list(self.imported),
                "already_noted": list(self.already_noted),
                "unreadable": [{"commit": c, "error": e} for c, e in self.unreadable.items()],
            },
            "problems": {c: list(p) for c, p in self.problems.items()},
        }


def _commit_exists(repo: Path, sha: str) -> bool:
    return run_git(repo, "cat-file", "-e", f"{sha}^{{commit}}", check=False).returncode == 0


def add_note_if_absent(repo: Path, commit: str, note: Note) -> bool:
    """Attach ``note`` unless the commit already has a genguard note (no ``-f``: git refuses).

    Returns False when a note was there first, so a hook writing at the same
    moment is never overwritten.
    """
    proc = run_git(
        repo,
        "notes",
        "--ref",
        NOTES_REF,
        "add",
        "-F",
        "-",
        commit,
        input=note_line(note).encode("utf-8"),
        check=False,
    )
    if proc.returncode == 0:
        return True
    if commit in noted_commits(repo, NOTES_REF):
        return False
    raise GitError(f"git notes add: {proc.stderr.decode('utf-8', 'replace').strip()}")


def import_git_ai(
    repo: Path, ref: str = GIT_AI_REF, revrange: str | None = None, dry_run: bool = False
) -> ImportResult:
    """Write genguard notes for commits that have a git-ai note and no genguard note.

    An existing genguard note is never overwritten. Commits are those annotated
    under ``ref``, limited to ``revrange`` when given.
    """
    result = ImportResult(dry_run=dry_run)
    source = noted_commits(repo, ref)
    if revrange is not None:
        in_range = set(rev_list(repo, revrange))
        source = {c: b for c, b in source.items() if c in in_range}
    existing = noted_commits(repo, NOTES_REF)
    texts = note_texts(repo, [c for c in source if c not in existing], ref)
    todo: list[tuple[str, GitAiLog]] = []
    for commit in sorted(source):
        result.scanned += 1
        if commit in existing:
            result.already_noted.append(commit)
            continue
        if not _commit_exists(repo, commit):
            result.unreadable[commit] = "the note is attached to an object that is not a commit"
            continue
        try:
            log = parse_git_ai(texts.get(commit, ""))
        except GitAiError as exc:
            result.unreadable[commit] = str(exc)
            continue
        if log.problems:
            result.problems[commit] = log.problems
        todo.append((commit, log))
    added = added_lines_by_file(repo, [c for c, _ in todo])
    authors = commit_authors(repo, [c for c, _ in todo])
    for commit, log in todo:
        note = note_from_git_ai(log, commit, authors.get(commit), added.get(commit, {}))
        if not dry_run and not add_note_if_absent(repo, commit, note):
            result.already_noted.append(commit)
            continue
        result.imported.append(commit)
    return result


def iter_jsonl(records: list[dict[str, Any]]) -> Iterator[str]:
    for r in records:
        yield json.dumps(r, ensure_ascii=False, sort_keys=False) + "\n"
