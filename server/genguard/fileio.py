"""Writing files whole, and reading what a repository supplies safely.

Reading: configuration, rule files and manifests come from the repository and
are read through :func:`read_regular` (regular files inside the repository,
size-capped) and found through :func:`regular_files_under` (a bounded walk
that never leaves the repository).

Writing: replacing a file so that readers never see half of it.

Reports, agent configs, hook shims, commit messages and small state files are
all rewritten the same way: a sibling temporary file, then one rename. A failure
leaves the previous file in place. The new file keeps the old one's permissions
(or gets the usual umask-based ones), never the 0600 of a bare ``mkstemp``.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable
from pathlib import Path


def write_atomic(path: Path, data: str | bytes, *, executable: bool = False) -> None:
    """Write ``data`` (str as UTF-8, surrogates passed through) to ``path`` atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8", "surrogateescape") if isinstance(data, str) else data
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except FileNotFoundError:
            mode = None
        if mode is not None:
            tmp.chmod(mode)
        if executable:
            current = stat.S_IMODE(tmp.stat().st_mode)
            tmp.chmod(current | stat.S_IRUSR | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) readable by the owner only (0700).

    A directory that already exists keeps its mode; a symlink in its place is
    refused, so state is never written or swept through one.
    """
    path = Path(path)
    if path.is_symlink():
        raise OSError(f"{path} is a symbolic link; refusing to keep state through it")
    missing = [path, *(p for p in path.parents if not p.exists())]
    for directory in reversed(missing):  # parents too: mkdir(parents=True) would not
        directory.mkdir(mode=0o700, exist_ok=True)
    return path


def write_private(path: Path, data: str | bytes) -> None:
    """:func:`write_atomic` for state (ledger index, verdicts, caches): mode 0600,
    in a directory made 0700 if it had to be created."""
    path = Path(path)
    private_dir(path.parent)
    payload = data.encode("utf-8", "surrogateescape") if isinstance(data, str) else data
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def read_fresh(path: Path, max_age: float, limit: int = 1 << 22) -> tuple[bytes, float] | None:
    """The bytes of the regular file at ``path`` and its age in seconds, when it is
    younger than ``max_age`` and not over ``limit`` bytes; never through a symbolic
    link (state files another process left: verdicts, conclusions)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            return None
        with os.fdopen(os.dup(fd), "rb") as f:
            data = f.read(limit + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    age = time.time() - st.st_mtime
    return (data, age) if age < max_age and len(data) <= limit else None


def sweep(
    directory: Path, max_age: float, keep: Callable[[str], bool] = lambda name: False
) -> None:
    """Remove the entries of ``directory`` older than ``max_age`` unless ``keep`` their
    name; a symbolic link is removed itself, never what it points to."""
    if directory.is_symlink():
        return
    now = time.time()
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    for entry in entries:
        try:
            if not keep(entry.name) and now - entry.stat(follow_symlinks=False).st_mtime >= max_age:
                os.unlink(entry.path)
        except OSError:
            continue


# -- reading what a repository supplies ----------------------------------------------

CONFIG_MAX_BYTES = 1 << 20
"""Largest configuration file (``.genguard.toml``, ``pyproject.toml``) read."""
MANIFEST_MAX_BYTES = 4 << 20
"""Largest dependency manifest (``pyproject.toml``, ``package.json``, ...) read."""
RULE_FILE_MAX_BYTES = 1 << 20
"""Largest repository rule file read."""
RULE_DIR_MAX_FILES = 500
"""Most files looked at under a repository's rule directory."""
RULE_DIR_MAX_DEPTH = 8
"""Deepest directory level looked at under a repository's rule directory."""


class UnsafeFileError(OSError):
    """A file was refused before (or instead of) being read, with the reason.

    An ``OSError`` so that every reader's existing ``except OSError`` reports it
    as it reports a missing or unreadable file: clearly, and without crashing.
    """

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(reason)
        self.filename = str(path)
        self.strerror = reason

    def __str__(self) -> str:
        return f"{self.filename}: {self.strerror}"


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def inside(path: Path | str, root: Path | str) -> Path:
    """``path`` with every symlink resolved, if that is ``root`` or below it.

    Raises :class:`UnsafeFileError` otherwise, naming only the path as given, so
    a link to ``/etc/shadow`` is refused without the message repeating where it
    points.
    """
    real = Path(os.path.realpath(path))
    base = Path(os.path.realpath(root))
    if real != base and base not in real.parents:
        raise UnsafeFileError(path, "refused: it leads outside the repository (symlink)")
    return real


def read_regular(path: Path | str, *, limit: int, within: Path | str | None = None) -> bytes:
    """The bytes of ``path``, read only if it is a regular file of at most ``limit`` bytes.

    Repository content is data an attacker may shape: a config that is a link to
    ``/dev/zero`` must not fill memory, one to ``/dev/stdin`` must not swallow
    the language server's own input, and a FIFO must not block. So the file is
    looked at (``stat``) before it is opened, opened non-blocking, checked again
    on the open descriptor, and read no further than ``limit``. With ``within``
    the resolved path must also lie inside that directory (no symlinks out).
    Every refusal is an :class:`UnsafeFileError`.
    """
    target = inside(path, within) if within is not None else Path(path)
    st = os.stat(target)
    if not stat.S_ISREG(st.st_mode):
        raise UnsafeFileError(path, f"refused: it is {_kind(st.st_mode)}, not a regular file")
    if st.st_size > limit:
        raise UnsafeFileError(path, f"refused: {st.st_size} bytes is over the {limit}-byte limit")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    flags |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    if within is not None:
        flags |= getattr(os, "O_NOFOLLOW", 0)  # resolved above: a link now is a swap
    fd = os.open(target, flags)
    try:
        st_open = os.fstat(fd)
        if not stat.S_ISREG(st_open.st_mode) or (st_open.st_dev, st_open.st_ino) != (
            st.st_dev,
            st.st_ino,
        ):
            raise UnsafeFileError(path, "refused: the file changed while it was opened")
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 16))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        raise UnsafeFileError(path, f"refused: it grew over the {limit}-byte limit")
    return data


def regular_files_under(
    directory: Path | str,
    *,
    within: Path | str,
    suffixes: tuple[str, ...],
    max_files: int = RULE_DIR_MAX_FILES,
    max_depth: int = RULE_DIR_MAX_DEPTH,
) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Files ending in ``suffixes`` below ``directory``, and (path, why) for what was left out.

    The walk never leaves ``within`` (``directory`` itself may not be a link out),
    never follows a symlinked subdirectory, skips hidden entries and stops at
    ``max_depth`` levels and ``max_files`` entries looked at, so a rule
    directory linked to ``/`` costs nothing and names nothing outside. Paths are
    returned as found under ``directory`` (sorted); files are not opened here,
    :func:`read_regular` checks each when it is read.
    """
    directory = Path(directory)
    try:
        inside(directory, within)
    except UnsafeFileError as exc:
        return [], [(directory, exc.strerror)]
    if not directory.is_dir():
        return [], [(directory, "not a directory")]
    found: list[Path] = []
    problems: list[tuple[Path, str]] = []
    seen = 0
    stack: list[tuple[Path, int]] = [(directory, 0)]
    while stack:
        current, depth = stack.pop()
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError as exc:
            problems.append((current, f"cannot list: {exc.strerror or exc}"))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            seen += 1
            if seen > max_files:
                problems.append(
                    (directory, f"more than {max_files} entries; the rest are not read")
                )
                return sorted(found), problems
            path = Path(entry.path)
            if entry.is_dir(follow_symlinks=False):
                if depth + 1 >= max_depth:
                    problems.append((path, f"deeper than {max_depth} levels; not read"))
                else:
                    stack.append((path, depth + 1))
            elif entry.name.endswith(suffixes):
                found.append(path)
    return sorted(found), problems
