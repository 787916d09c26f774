"""Who wrote each tracked file of a revision: AI lines, tools and models per file.

Every line is traced with ``git blame`` to the commit that introduced it and looked
up in that commit's genguard note (:mod:`genguard.report.blame`, the same join
``genguard blame`` does), so the figures describe the file as it is at the
revision, not the sum of every change ever made to it. Lines from commits without
a note are counted as ``unknown`` provenance, never as human. Only counts, names and
hashes are kept: no code.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from genguard.gitio.history import GitError, read_blobs, run_git
from genguard.report.blame import UNCOMMITTED, BlameLine, NoteCache, attribute, git_blame

BINARY_SNIFF = 8000


@dataclass(slots=True)
class FileProvenance:
    path: str
    sha256: str
    size: int
    binary: bool = False
    lines: int = 0
    ai_lines: int = 0
    reviewed_ai_lines: int = 0
    unknown_lines: int = 0  # from commits genguard did not note
    by_tool: dict[str, int] = field(default_factory=dict)
    by_model: dict[str, int] = field(default_factory=dict)
    model_tools: dict[str, set[str]] = field(default_factory=dict)

    @property
    def ai_share(self) -> float:
        return round(self.ai_lines / self.lines, 4) if self.lines else 0.0


@dataclass(slots=True)
class RepoProvenance:
    root: Path
    revision: str
    files: list[FileProvenance] = field(default_factory=list)
    malformed_notes: dict[str, str] = field(default_factory=dict)

    @property
    def tools(self) -> dict[str, int]:
        return _sum(f.by_tool for f in self.files)

    @property
    def models(self) -> dict[str, int]:
        return _sum(f.by_model for f in self.files)

    def model_tools(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for f in self.files:
            for model, tools in f.model_tools.items():
                out.setdefault(model, set()).update(tools)
        return out


def _sum(maps: Iterable[dict[str, int]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for m in maps:
        for k, v in m.items():
            out[k] = out.get(k, 0) + v
    return dict(sorted(out.items()))


def tracked_files(repo: Path, rev: str) -> list[tuple[str, str]]:
    """(path, blob id) of every regular file and symlink at ``rev`` (submodules left out)."""
    if rev.startswith("-"):
        raise GitError(f"bad revision {rev!r}")
    out = run_git(repo, "ls-tree", "-r", "-z", "--full-tree", rev).stdout
    files: list[tuple[str, str]] = []
    for entry in out.split(b"\0"):
        if not entry:
            continue
        meta, _, path = entry.partition(b"\t")
        _mode, kind, blob = meta.split()
        if kind != b"blob":
            continue
        name = path.decode("utf-8", "surrogateescape")
        files.append((name, blob.decode()))
    return files


def collect(
    repo: Path,
    rev: str = "HEAD",
    *,
    workers: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> RepoProvenance:
    """Provenance of every tracked file at ``rev``; GitError when git cannot read it."""
    sha = run_git(repo, "rev-parse", "--verify", f"{rev}^{{commit}}").stdout.decode().strip()
    listing = tracked_files(repo, sha)
    blobs = read_blobs(repo, [f"{sha}:{path}" for path, _ in listing])
    result = RepoProvenance(root=repo, revision=sha)
    text_files: list[FileProvenance] = []
    for path, _blob in listing:
        data = blobs.get(f"{sha}:{path}") or b""
        fp = FileProvenance(path, hashlib.sha256(data).hexdigest(), len(data))
        fp.binary = b"\0" in data[:BINARY_SNIFF]
        result.files.append(fp)
        if not fp.binary and data:
            text_files.append(fp)

    def blame_one(fp: FileProvenance) -> tuple[FileProvenance, list[BlameLine]]:
        if progress is not None:
            progress(fp.path)
        return fp, git_blame(repo, fp.path, sha)

    count = workers or min(8, (os.cpu_count() or 2) * 2)
    with ThreadPoolExecutor(max_workers=max(1, count)) as pool:
        blamed = list(pool.map(blame_one, text_files))
    notes = NoteCache(repo)
    notes.prefetch(b.commit for _fp, lines in blamed for b in lines if b.commit != UNCOMMITTED)
    for fp, lines in blamed:
        fp.lines = len(lines)
        for ln in attribute(lines, notes, {}, fp.path):
            if ln.evidence == "missing":
                fp.unknown_lines += 1
            if not ln.ai:
                continue
            fp.ai_lines += 1
            if ln.status == "reviewed":
                fp.reviewed_ai_lines += 1
            tool = ln.tool or "unknown"
            fp.by_tool[tool] = fp.by_tool.get(tool, 0) + 1
            if ln.model:
                fp.by_model[ln.model] = fp.by_model.get(ln.model, 0) + 1
                fp.model_tools.setdefault(ln.model, set()).add(tool)
    result.malformed_notes = dict(notes.errors)
    return result
