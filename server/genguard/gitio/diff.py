"""The lines a commit (or the index) adds, read from ``git diff -U0``.

Attribution only needs added lines and their numbers in the new version, so the
diff is asked for without context and with fixed prefixes, colours and external
diff drivers off: a user's ``diff.*`` configuration must not change what the
parser sees. Rename detection stays on so a chunk recorded under a file's old
name is still found after ``git mv``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from genguard.gitio.run import CommitInfo, Git, parse_commit
from genguard.values import Value

_DIFF_OPTS = (
    "-U0",
    "--no-color",
    "--no-ext-diff",
    "--no-textconv",
    "--no-relative",
    "--ignore-submodules",
    "--src-prefix=a/",
    "--dst-prefix=b/",
    "-M",
)
_HUNK_RE = re.compile(rb"^@@+ (?:-\d+(?:,\d+)? )+\+(\d+)(?:,(\d+))? @@")
_ESCAPES = {
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
    "\\": "\\",
    '"': '"',
}


#: Added text a file may bring before its lines are no longer kept (``[scan]
#: max_file_bytes``, as ``genguard scan`` skips such files): beyond it the file is
#: counted but not analysed, and says so.
MAX_ADDED_BYTES = 2 * 1024 * 1024


class FileDiff(Value):
    """Added lines of one file: ``(1-based line number in the new version, text)``.

    ``oversize`` files added more than the limit: ``added`` is empty and only
    ``added_count`` is known. (A plain value class: see :mod:`genguard.values`.)
    """

    __slots__ = (  # noqa: RUF023  (the fields, in order)
        "path", "old_path", "added", "oversize", "skipped_lines", "added_bytes"
    )  # fmt: skip

    def __init__(
        self,
        path: str,
        old_path: str | None = None,
        added: list[tuple[int, bytes]] | None = None,
        oversize: bool = False,
        skipped_lines: int = 0,
        added_bytes: int = 0,
    ) -> None:
        self.path, self.old_path = path, old_path
        self.added: list[tuple[int, bytes]] = [] if added is None else added
        self.oversize, self.skipped_lines, self.added_bytes = oversize, skipped_lines, added_bytes

    @property
    def added_count(self) -> int:
        return len(self.added) + self.skipped_lines


def unquote_path(raw: bytes) -> str:
    """Undo git's C-style quoting of a path (``"a\\tb"``); plain paths pass through."""
    if not raw.startswith(b'"') or not raw.endswith(b'"'):
        return raw.decode("utf-8", "surrogateescape")
    body = raw[1:-1]
    out = bytearray()
    i = 0
    while i < len(body):
        c = body[i]
        if c == 0x5C and i + 1 < len(body):  # backslash
            nxt = chr(body[i + 1])
            if nxt in "01234567" and i + 3 < len(body) + 1:
                out.append(int(body[i + 1 : i + 4], 8))
                i += 4
                continue
            out.extend(_ESCAPES.get(nxt, nxt).encode())
            i += 2
            continue
        out.append(c)
        i += 1
    return bytes(out).decode("utf-8", "surrogateescape")


def _strip_prefix(path: str, prefix: str) -> str:
    return path[len(prefix) :] if path.startswith(prefix) else path


def parse_diff(data: bytes, max_bytes: int = MAX_ADDED_BYTES) -> dict[str, FileDiff]:
    """Parse ``git diff -U0`` output into added lines per new path.

    Deleted files, binary files and changes without hunks (pure renames, mode
    changes) contribute no added lines and are left out. A file whose added text
    passes ``max_bytes`` is marked ``oversize``: its lines are counted, not kept.
    """
    files: dict[str, FileDiff] = {}
    current: FileDiff | None = None
    old_path: str | None = None
    line_no = 0
    in_header = False
    pos, size = 0, len(data)
    while pos < size:
        end = data.find(b"\n", pos)
        end = size if end < 0 else end
        line = data[pos:end]
        pos = end + 1
        if line.startswith(b"diff --git ") or line.startswith(b"diff --cc "):
            current, old_path, in_header = None, None, True
            continue
        if in_header:
            if line.startswith(b"rename from "):
                old_path = unquote_path(line[len(b"rename from ") :])
            elif line.startswith(b"+++ "):
                target = line[4:]
                if target == b"/dev/null":
                    current = None
                else:
                    path = _strip_prefix(unquote_path(target.rstrip(b"\t")), "b/")
                    current = files.setdefault(path, FileDiff(path, old_path))
                in_header = False
            continue
        if line.startswith(b"@@"):
            m = _HUNK_RE.match(line)
            if m is not None:
                line_no = int(m.group(1))
            continue
        if current is None or not line:
            continue
        if line[:1] == b"+":
            current.added.append((line_no, line[1:].rstrip(b"\r")))
            current.added_bytes += len(line)
            line_no += 1
            if current.added_bytes > max_bytes:  # count the rest of this file, keep nothing
                nxt = data.find(b"\ndiff --", pos - 1)
                nxt = size if nxt < 0 else nxt
                current.skipped_lines = len(current.added) + data.count(b"\n+", pos - 1, nxt)
                current.added, current.oversize = [], True
                current, pos = None, nxt + 1
    return files


def staged_diff(
    git: Git, base: str | None = None, paths: Sequence[str] = (), max_bytes: int = MAX_ADDED_BYTES
) -> dict[str, FileDiff]:
    """Lines the index adds relative to ``base`` (default HEAD, or nothing before the
    first commit)."""
    args = ["diff", "--cached", *_DIFF_OPTS]
    if base is not None:
        args.append(base)
    args.append("--")
    args.extend(paths)
    return parse_diff(git.run(*args).stdout, max_bytes)


def tree_diff(
    git: Git, old: str | None, new: str, paths: Sequence[str] = (), max_bytes: int = MAX_ADDED_BYTES
) -> dict[str, FileDiff]:
    """Lines ``new`` adds relative to ``old`` (a commit or tree; None: the empty tree)."""
    if old is None:
        args = ["diff-tree", "-r", "-p", "--root", "--no-commit-id", *_DIFF_OPTS, new]
    else:
        args = ["diff-tree", "-r", "-p", "--no-commit-id", *_DIFF_OPTS, old, new]
    args.append("--")
    args.extend(paths)
    return parse_diff(git.run(*args).stdout, max_bytes)


def commit_diff(
    git: Git, sha: str, parents: Sequence[str], *, max_bytes: int = MAX_ADDED_BYTES
) -> dict[str, FileDiff]:
    """Lines commit ``sha`` itself adds: against its parent, for a merge against every
    parent (what none of them had), for a root commit everything."""
    if len(parents) <= 1:
        return tree_diff(git, parents[0] if parents else None, sha, max_bytes=max_bytes)
    return intersect([tree_diff(git, p, sha, max_bytes=max_bytes) for p in parents])


def commit_and_diff(
    git: Git, rev: str = "HEAD", *, max_bytes: int = MAX_ADDED_BYTES
) -> tuple[CommitInfo, dict[str, FileDiff]] | None:
    """``rev``'s :class:`CommitInfo` and the lines it adds (:func:`commit_diff`), from one
    ``diff-tree`` when it has at most one parent (a hook's every git process counts);
    None when there is no such commit."""
    proc = git.run("diff-tree", "-r", "-p", "--root", "--always", "--pretty=raw",
                   *_DIFF_OPTS, rev, "--", check=False)  # fmt: skip
    out = proc.stdout
    if proc.returncode != 0 or not out.startswith(b"commit "):
        return None
    end = out.find(b"\ndiff --git ")
    text = out[: len(out) if end < 0 else end].decode("utf-8", "surrogateescape")
    first, _, rest = text.partition("\n")
    head, _, message = rest.partition("\n\n")
    message = "\n".join(line[4:] for line in message.rstrip("\n").split("\n")) + "\n"
    info = parse_commit(first.split()[1], head, message)
    if len(info.parents) > 1:
        return info, commit_diff(git, info.sha, info.parents, max_bytes=max_bytes)
    return info, parse_diff(out[end + 1 :] if end >= 0 else b"", max_bytes)


def intersect(diffs: Sequence[dict[str, FileDiff]]) -> dict[str, FileDiff]:
    """Lines that are new against every parent: what a merge itself introduces.

    All diffs describe the same new version, so line numbers are comparable; a
    line taken unchanged from any parent is not the merge's own.
    """
    if not diffs:
        return {}
    first, rest = diffs[0], diffs[1:]
    out: dict[str, FileDiff] = {}
    for path, fd in first.items():
        keep = fd.added
        for other in rest:
            theirs = other.get(path)
            numbers = {n for n, _ in theirs.added} if theirs is not None else set()
            keep = [(n, t) for n, t in keep if n in numbers]
        if fd.oversize:
            out[path] = fd  # not analysed either way; its size is what the note says
        elif keep:
            out[path] = FileDiff(path, fd.old_path, keep)
    return out


def added_total(diffs: Iterable[FileDiff]) -> int:
    return sum(fd.added_count for fd in diffs)
