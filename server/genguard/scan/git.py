"""What a scan asks git: staged blobs, the lines a commit would add, and blame.

Paths go to git NUL-separated, as literal pathspecs or as object ids, so unusual
file names (spaces, quotes, newlines, glob characters) survive. git's hook
environment is kept: inside a pre-commit hook git points ``GIT_INDEX_FILE`` at
the index being committed, and that is the one to check.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from genguard.gitio.run import Git, GitError
from genguard.gitio.run import read_blobs as _read_blobs

GIT_TIMEOUT = 120.0
_HUNK = re.compile(rb"^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
_BLAME_HEADER = re.compile(rb"^([0-9a-f]{40}|[0-9a-f]{64}) (\d+) (\d+)(?: \d+)?$")
_SYMLINK_MODE = "120000"
_GITLINK_MODE = "160000"


def _git(root: Path) -> Git:
    return Git(root, timeout=GIT_TIMEOUT, hook_env=True, literal_pathspecs=True)


def run_git(root: Path, *args: str, input: bytes | None = None) -> bytes:
    """stdout of ``git args`` run in ``root``; GitError with git's own words on failure."""
    return _git(root).run(*args, input=input).stdout


def _decode(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


@dataclass(frozen=True, slots=True)
class StagedFile:
    """One file as the next commit would record it."""

    rel: str
    blob: str  # object id of the staged content
    mode: str

    @property
    def regular(self) -> bool:
        return self.mode not in (_SYMLINK_MODE, _GITLINK_MODE)


def staged_files(root: Path, pathspecs: Sequence[str] = ()) -> list[StagedFile]:
    """Files added, copied, modified or renamed in the index (renames found explicitly)."""
    out = run_git(
        root,
        "diff",
        "--cached",
        "--raw",
        "-z",
        "--find-renames",
        "--no-abbrev",
        "--diff-filter=ACMR",
        "--",
        *pathspecs,
    )
    fields = out.split(b"\0")
    files: list[StagedFile] = []
    i = 0
    while i < len(fields):
        meta = fields[i]
        if not meta.startswith(b":"):
            i += 1
            continue
        _old_mode, new_mode, _old_id, new_id, status = _decode(meta[1:]).split()[:5]
        # renames and copies carry two paths (old, new); the others one
        i += 3 if status[0] in "RC" else 2
        files.append(StagedFile(_decode(fields[i - 1]), new_id, new_mode))
    return files


def read_blobs(root: Path, ids: Sequence[str]) -> dict[str, bytes]:
    """Contents of the given blobs, read through one ``git cat-file --batch``."""
    found = _read_blobs(_git(root), ids)
    return {object_id: data for object_id, data in found.items() if data is not None}


def _unquote(raw: bytes) -> str:
    """A path as git prints it in patch headers: C-quoted when it holds odd bytes."""
    if not raw.startswith(b'"') or not raw.endswith(b'"'):
        return _decode(raw)
    body = raw[1:-1]
    out = bytearray()
    escapes = {b"n": b"\n", b"t": b"\t", b'"': b'"', b"\\": b"\\", b"a": b"\a", b"b": b"\b"}
    escapes |= {b"f": b"\f", b"r": b"\r", b"v": b"\v"}
    i = 0
    while i < len(body):
        ch = body[i : i + 1]
        if ch != b"\\":
            out += ch
            i += 1
            continue
        nxt = body[i + 1 : i + 2]
        if nxt in escapes:
            out += escapes[nxt]
            i += 2
        elif body[i + 1 : i + 4].isdigit():
            out.append(int(body[i + 1 : i + 4], 8))
            i += 4
        else:
            out += nxt
            i += 2
    return _decode(bytes(out))


def staged_added_lines(root: Path, pathspecs: Sequence[str] = ()) -> dict[str, set[int]]:
    """0-based numbers of the lines each staged file adds (``git diff --cached -U0``)."""
    out = run_git(
        root,
        "diff",
        "--cached",
        "-U0",
        "--no-color",
        "--no-ext-diff",
        "--no-textconv",
        "--find-renames",
        "--src-prefix=a/",
        "--dst-prefix=b/",
        "--diff-filter=ACMR",
        "--",
        *pathspecs,
    )
    added: dict[str, set[int]] = {}
    current: set[int] | None = None
    lines = out.split(b"\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if line.startswith(b"+++ "):
            target = line[4:]
            if target == b"/dev/null":
                current = None
                continue
            path = _unquote(target)
            current = added.setdefault(path[2:] if path.startswith("b/") else path, set())
            continue
        hunk = _HUNK.match(line)
        if hunk is None or current is None:
            continue
        old_count = 1 if hunk.group(1) is None else int(hunk.group(1))
        start = int(hunk.group(2))
        new_count = 1 if hunk.group(3) is None else int(hunk.group(3))
        current.update(range(start - 1, start - 1 + new_count))
        # skip the hunk body by count, so an added line that reads "+++ x" is not a header
        remaining = old_count + new_count
        while remaining and i < len(lines):
            if not lines[i].startswith(b"\\"):
                remaining -= 1
            i += 1
    return added


@dataclass(frozen=True, slots=True)
class BlameLine:
    commit: str
    line: int  # 1-based line in that commit's version of the file
    filename: str  # the file's name in that commit


def blame(root: Path, rel: str) -> list[BlameLine] | None:
    """Where each line of the working-tree file came from; None when git cannot say."""
    try:
        out = run_git(root, "blame", "--line-porcelain", "--", rel)
    except GitError:
        return None
    result: list[BlameLine] = []
    commit, orig, filename = "", 0, rel
    for raw in out.split(b"\n"):
        if raw.startswith(b"\t"):
            result.append(BlameLine(commit, orig, filename))
            continue
        header = _BLAME_HEADER.match(raw)
        if header is not None:
            commit, orig = _decode(header.group(1)), int(header.group(2))
            filename = rel
        elif raw.startswith(b"filename "):
            filename = _unquote(raw[9:])
    return result
