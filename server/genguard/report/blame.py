"""Per-line provenance of a file: ``git blame`` joined with commit notes and the ledger.

``git blame -M -C --line-porcelain`` names, for every line, the commit that
introduced it and the line's number *in that commit's version* of the file it
came from (which may be another file when code was moved). A commit note's
ranges are written in exactly those coordinates, so the original line number is
what is looked up. Lines not committed yet have no note; they are matched
against the live chunks of the ledger replay by their line hashes, the same
hashes the commit hooks use.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from genguard.attribution.linehash import line_hash
from genguard.attribution.state import ChunkState
from genguard.gitio.history import GitError, note_texts, run_git
from genguard.gitio.notes import parse_note_text
from genguard.ledger.store import Ledger, ledger_path
from genguard.notes.format import NOTES_REF, AiRange, Note, NoteError

UNCOMMITTED = "uncommitted"
_ZERO_SHA = "0" * 40

#: Where a line's answer came from: the commit's note, the ledger (uncommitted
#: lines), or nowhere (the commit has no genguard note: genguard did not run).
EVIDENCE = ("note", "ledger", "missing")


@dataclass(slots=True)
class BlameLine:
    """One line of ``git blame --line-porcelain`` output."""

    line: int
    commit: str  # full sha, or UNCOMMITTED
    orig_line: int
    orig_path: str
    text: str  # for display only; never stored or exported
    author: str | None = None


@dataclass(slots=True)
class LineProvenance:
    line: int
    ai: bool
    commit: str
    evidence: str
    tool: str | None = None
    model: str | None = None
    status: str | None = None
    reviewer: str | None = None
    chunk: str | None = None
    method: str | None = None
    orig_path: str = ""
    orig_line: int = 0
    text: str = ""
    note_signature: str | None = None  # verified | unverified | unsigned, for note lines

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (the line's text is left out: reports carry no code)."""
        return {
            "line": self.line,
            "ai": self.ai,
            "tool": self.tool,
            "model": self.model,
            "commit": self.commit,
            "status": self.status,
            "reviewer": self.reviewer,
            "chunk": self.chunk,
            "method": self.method,
            "evidence": self.evidence,
            "note_signature": self.note_signature,
            "source": {"path": self.orig_path, "line": self.orig_line},
        }


@dataclass(slots=True)
class BlameReport:
    path: str
    rev: str | None
    lines: list[LineProvenance] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ai_lines(self) -> int:
        return sum(1 for ln in self.lines if ln.ai)

    def to_dict(self) -> dict[str, Any]:
        total = len(self.lines)
        return {
            "path": self.path,
            "rev": self.rev,
            "total_lines": total,
            "ai_lines": self.ai_lines,
            "ai_share": round(self.ai_lines / total, 4) if total else 0.0,
            "warnings": list(self.warnings),
            "lines": [ln.to_dict() for ln in self.lines],
        }


def _unquote_c(name: str) -> str:
    """Undo git's C-style quoting of a path (``"a\\tb"``); other names pass through."""
    if len(name) < 2 or not (name.startswith('"') and name.endswith('"')):
        return name
    body = name[1:-1].encode("utf-8", "surrogateescape")
    out = bytearray()
    simple = {ord("n"): 10, ord("t"): 9, ord('"'): 34, ord("\\"): 92, ord("a"): 7,
              ord("b"): 8, ord("f"): 12, ord("r"): 13, ord("v"): 11}  # fmt: skip
    i = 0
    while i < len(body):
        c = body[i]
        if c == 92 and i + 1 < len(body):
            nxt = body[i + 1]
            if nxt in simple:
                out.append(simple[nxt])
                i += 2
                continue
            octal = body[i + 1 : i + 4]
            if len(octal) == 3 and all(48 <= d <= 55 for d in octal):
                out.append(int(octal, 8))
                i += 4
                continue
        out.append(c)
        i += 1
    return out.decode("utf-8", "surrogateescape")


def parse_porcelain(data: bytes) -> list[BlameLine]:
    """Parse ``git blame --line-porcelain`` output (every line carries full headers)."""
    lines: list[BlameLine] = []
    header: list[str] | None = None
    fields: dict[str, str] = {}
    for raw in data.split(b"\n"):
        if raw.startswith(b"\t"):
            if header is None:
                raise ValueError("blame output: content line without a header")
            sha = header[0]
            lines.append(
                BlameLine(
                    line=int(header[2]),
                    commit=UNCOMMITTED if sha == _ZERO_SHA else sha,
                    orig_line=int(header[1]),
                    orig_path=_unquote_c(fields.get("filename", "")),
                    text=raw[1:].decode("utf-8", "surrogateescape"),
                    author=fields.get("author-mail", "").strip("<>") or None,
                )
            )
            header, fields = None, {}
        elif header is None:
            if raw:
                header = raw.decode("ascii", "replace").split()
        else:
            key, _, value = raw.decode("utf-8", "surrogateescape").partition(" ")
            fields[key] = value
    return lines


def git_blame(repo: Path, relpath: str, rev: str | None = None) -> list[BlameLine]:
    """Blame ``relpath`` at ``rev`` (default: the working tree), following moves and copies."""
    args = ["blame", "--line-porcelain", "-M", "-C"]
    if rev is not None:
        if rev.startswith("-"):
            raise GitError(f"bad revision {rev!r}")
        args.append(rev)
    return parse_porcelain(run_git(repo, *args, "--", relpath).stdout)


def _untracked_lines(path: Path) -> list[BlameLine]:
    """Every line of a file git cannot blame yet (untracked, or a repository without commits)."""
    data = path.read_bytes()
    rows = data.split(b"\n")
    if rows and rows[-1] == b"":
        rows.pop()
    return [
        BlameLine(i, UNCOMMITTED, i, "", text.decode("utf-8", "surrogateescape"))
        for i, text in enumerate(rows, start=1)
    ]


def _in_head(repo: Path, relpath: str) -> bool:
    return run_git(repo, "cat-file", "-e", f"HEAD:{relpath}", check=False).returncode == 0


def _find_range(note: Note, path: str, line: int) -> AiRange | None:
    entry = note.files.get(path)
    if entry is None:
        return None
    for r in entry.ranges:
        if r.start <= line <= r.end:
            return r
    return None


def _match_chunk(chunks: list[ChunkState], line: int, text: str) -> ChunkState | None:
    """The live chunk an uncommitted line belongs to, by line hash (or position for trivia)."""
    h = line_hash(text)
    if h is None:  # blank lines and lone braces: inside a chunk's last known range
        inside = [c for c in chunks if c.lines[0] <= line <= c.lines[1]]
        return inside[0] if inside else None
    hits = [c for c in chunks if h in c.line_hashes]
    if not hits:
        return None
    for c in hits:
        if c.lines[0] <= line <= c.lines[1]:
            return c
    return hits[0]


class NoteCache:
    """Parsed notes per commit, read in one batch; malformed notes are remembered as errors."""

    def __init__(self, repo: Path, ref: str = NOTES_REF) -> None:
        self.repo = repo
        self.ref = ref
        self._notes: dict[str, Note | None] = {}
        self._texts: dict[str, str] = {}
        self._trust: dict[str, str] = {}
        self._allowed: Path | bool | None = False  # False: not looked up yet
        self.errors: dict[str, str] = {}

    def trust(self, commit: str) -> str | None:
        """``verified``, ``unverified`` or ``unsigned`` for the note on ``commit`` (None
        without a readable note), against the user's or organisation's allowed signers."""
        from genguard.report.audit import allowed_signers_file, note_signature_state

        if self.get(commit) is None:
            return None
        if commit not in self._trust:
            if self._allowed is False:
                self._allowed = allowed_signers_file(self.repo)
            allowed = self._allowed if isinstance(self._allowed, Path) else None
            self._trust[commit] = note_signature_state(self._texts[commit], allowed)
        return self._trust[commit]

    def prefetch(self, commits: Iterable[str]) -> None:
        wanted = [c for c in dict.fromkeys(commits) if c not in self._notes]
        texts = note_texts(self.repo, wanted, self.ref)
        self._texts.update(texts)
        for commit in wanted:
            text = texts.get(commit)
            try:
                self._notes[commit] = None if text is None else parse_note_text(text, commit)
            except NoteError as exc:
                self._notes[commit] = None
                self.errors[commit] = str(exc)

    def get(self, commit: str) -> Note | None:
        if commit not in self._notes:
            self.prefetch([commit])
        return self._notes[commit]


def _ai(base: dict[str, Any], evidence: str, src: AiRange | ChunkState) -> LineProvenance:
    chunk = src.chunk if isinstance(src, AiRange) else src.id
    return LineProvenance(
        ai=True,
        evidence=evidence,
        tool=src.tool,
        model=src.model,
        status=src.status,
        reviewer=src.reviewer,
        chunk=chunk,
        method=src.method,
        **base,
    )


def attribute(
    blamed: Iterable[BlameLine],
    notes: NoteCache,
    live: Mapping[str, list[ChunkState]],
    relpath: str,
) -> list[LineProvenance]:
    """Join blame lines with notes (committed) and live ledger chunks (uncommitted)."""
    out: list[LineProvenance] = []
    chunks = live.get(relpath, [])
    for b in blamed:
        base: dict[str, Any] = {
            "line": b.line,
            "commit": b.commit,
            "orig_path": b.orig_path or relpath,
            "orig_line": b.orig_line,
            "text": b.text,
        }
        if b.commit == UNCOMMITTED:
            c = _match_chunk(chunks, b.line, b.text)
            out.append(
                LineProvenance(ai=False, evidence="ledger", **base)
                if c is None
                else _ai(base, "ledger", c)
            )
            continue
        note = notes.get(b.commit)
        if note is None:
            out.append(LineProvenance(ai=False, evidence="missing", **base))
            continue
        r = _find_range(note, base["orig_path"], b.orig_line)
        line = (
            LineProvenance(ai=False, evidence="note", **base) if r is None else _ai(base, "note", r)
        )
        line.note_signature = notes.trust(b.commit)
        out.append(line)
    return out


def blame(
    repo: Path, relpath: str, rev: str | None = None, ledger: Path | None = None
) -> BlameReport:
    """Provenance of every line of ``relpath`` (repository-relative) at ``rev`` or in the worktree.

    Raises GitError when git cannot blame the file at ``rev``, FileNotFoundError
    when the working-tree file does not exist.
    """
    report = BlameReport(path=relpath, rev=rev)
    if rev is None:
        target = repo / relpath
        if not target.is_file():
            raise FileNotFoundError(f"{relpath}: no such file in the working tree")
        blamed = git_blame(repo, relpath) if _in_head(repo, relpath) else _untracked_lines(target)
        path = ledger if ledger is not None else ledger_path(repo)
        live = Ledger(path).state().live() if path.is_file() else {}
    else:
        blamed = git_blame(repo, relpath, rev)
        live = {}
    notes = NoteCache(repo)
    notes.prefetch(b.commit for b in blamed if b.commit != UNCOMMITTED)
    report.lines = attribute(blamed, notes, live, relpath)
    for commit, err in sorted(notes.errors.items()):
        report.warnings.append(
            f"note on {commit[:12]} is malformed ({err}); its lines read as human"
        )
    unverified = sorted({ln.commit for ln in report.lines if ln.note_signature == "unverified"})
    if unverified:
        report.warnings.append(
            f"{len(unverified)} commit(s) whose note is signed by a key not in the allowed "
            "signers (or cannot be checked): their lines' tool and review status are "
            "unverified claims: " + ", ".join(c[:12] for c in unverified[:5])
        )
    missing = sorted(
        {ln.commit for ln in report.lines if ln.evidence == "missing"} - notes.errors.keys()
    )
    if missing:
        report.warnings.append(
            f"{len(missing)} commit(s) without a genguard note (genguard did not run): "
            + ", ".join(c[:12] for c in missing[:5])
            + (" …" if len(missing) > 5 else "")
        )
    return report
