"""Which files a repository scan reads.

A scan must see what the repository holds and nothing else: ``.gitignore`` files
(nested ones included, with git's "deeper file wins" precedence),
``.git/info/exclude`` and the ``[scan] exclude`` globs of the configuration are
honoured, ``.git`` is never entered, and symbolic links are not followed (a link
can leave the tree or loop). Files above ``max_file_bytes`` are listed as skipped
rather than read, so a vendored blob costs a ``stat``, not a parse.

The ``[scan] exclude`` globs are configuration a repository can commit, so what
they leave out is counted (a scan says how many files they hid), and a file the
caller must ``keep`` (one holding live AI chunks) is checked whatever they or the
vendored-code default say.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from genguard.syntax.languages import language_for_path

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

GITIGNORE = ".gitignore"
GIT_DIR = ".git"

#: Code that a project carries but did not write, left out by default
#: (``[scan] skip_vendored``): it drowns a report in findings nobody here can fix.
VENDORED_GLOBS: tuple[str, ...] = (
    "node_modules/",
    "vendor/",
    "bower_components/",
    "*.min.js",
    "*.min.mjs",
    "*.min.css",
)
VENDORED = "vendored or minified"
# The vendored globs as gitignore reads them: "name/" is a directory of that name at
# any depth, a pattern without a slash matches any component of a path. Matched here
# without pathspec, whose import is a fifth of the scan's (tests compare both).
_VENDORED_DIRS = frozenset(g.rstrip("/") for g in VENDORED_GLOBS if g.endswith("/"))
_VENDORED_NAMES = tuple(g for g in VENDORED_GLOBS if "/" not in g)
#: A file is minified (or generated) when its lines average more than this many bytes
#: and one of them is longer than LONG_LINE: what a person writes never looks so.
MEAN_LINE = 500
LONG_LINE = 4096


def looks_minified(data: bytes) -> bool:
    """Whether ``data`` reads like minified or generated code (very long lines)."""
    if len(data) <= LONG_LINE:
        return False
    lines = data.count(b"\n") + 1
    if len(data) / lines <= MEAN_LINE:
        return False
    return any(len(line) > LONG_LINE for line in data.split(b"\n"))


class WalkError(ValueError):
    """A path the user named cannot be scanned (missing, or outside the root)."""


@dataclass(frozen=True, slots=True)
class FileEntry:
    """One file to check: where it is, how the report names it, which grammar reads it."""

    path: Path
    rel: str
    size: int
    language: str | None


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file left out on purpose, with the reason shown in the scan summary."""

    path: str
    reason: str


@dataclass(slots=True)
class WalkResult:
    files: list[FileEntry] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    """Files ``[scan] exclude`` left out (gitignored ones are not counted)."""
    kept: list[str] = field(default_factory=list)
    """Files ``[scan] exclude`` or the vendored default leave out, checked anyway (``keep``)."""


def too_large(size: int, limit: int) -> str:
    return f"larger than max_file_bytes ({size} > {limit} bytes)"


def vendored_path(rel: str, *, is_dir: bool) -> bool:
    """Whether :data:`VENDORED_GLOBS` match ``rel`` (a root-relative POSIX path), as
    ``GitIgnoreSpec.from_lines(VENDORED_GLOBS).match_file`` would."""
    parts = rel.split("/")
    dirs = parts if is_dir else parts[:-1]
    return any(d in _VENDORED_DIRS for d in dirs) or any(
        fnmatchcase(part, glob) for part in parts for glob in _VENDORED_NAMES
    )


def _spec(lines: Iterable[str]) -> GitIgnoreSpec | None:
    patterns = [line for line in lines if line.strip() and not line.lstrip().startswith("#")]
    if not patterns:
        return None
    from pathspec import GitIgnoreSpec  # only with patterns: its import costs ~20 ms

    return GitIgnoreSpec.from_lines(patterns)


def _read_ignore(path: Path) -> GitIgnoreSpec | None:
    try:
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
    except OSError:
        return None
    return _spec(text.splitlines())


class IgnoreRules:
    """The ignore patterns that apply under one root.

    ``.gitignore`` files are loaded lazily per directory and kept; a path is
    decided by the deepest file with a matching pattern (git's precedence), and
    the configured excludes apply on top of that to everything.
    """

    def __init__(self, root: Path, exclude: Sequence[str] = (), *, vendored: bool = False) -> None:
        self.root = root
        self.exclude = _spec(exclude)
        self._vendored = vendored
        self._dirs: dict[str, GitIgnoreSpec | None] = {}
        info = root / GIT_DIR / "info" / "exclude"
        self._info = _read_ignore(info) if info.is_file() else None

    def _for_dir(self, rel_dir: str) -> GitIgnoreSpec | None:
        if rel_dir not in self._dirs:
            base = self.root / rel_dir if rel_dir else self.root
            self._dirs[rel_dir] = _read_ignore(base / GITIGNORE)
        return self._dirs[rel_dir]

    def excluded(self, rel: str, *, is_dir: bool) -> bool:
        """Whether the configured ``[scan] exclude`` globs leave ``rel`` out."""
        if self.exclude is None:
            return False
        return self.exclude.match_file(rel + "/" if is_dir else rel)

    def vendored(self, rel: str, *, is_dir: bool) -> bool:
        """Whether ``rel`` is vendored or minified code left out by default."""
        return self._vendored and vendored_path(rel, is_dir=is_dir)

    def ignored(self, rel: str, *, is_dir: bool) -> bool:
        """Whether git would ignore ``rel`` (a root-relative POSIX path)."""
        parts = PurePosixPath(rel).parts
        suffix = "/" if is_dir else ""
        # deepest .gitignore first: the first one with an opinion decides
        for depth in range(len(parts) - 1, -1, -1):
            spec = self._for_dir("/".join(parts[:depth]))
            if spec is None:
                continue
            verdict = spec.check_file("/".join(parts[depth:]) + suffix).include
            if verdict is not None:
                return verdict
        if self._info is not None:
            return bool(self._info.match_file(rel + suffix))
        return False


def relative_to_root(root: Path, path: Path) -> str:
    """``path`` as a root-relative POSIX string; WalkError when it lies outside."""
    absolute = Path(os.path.abspath(path))
    try:
        rel = absolute.relative_to(root)
    except ValueError:
        try:
            rel = absolute.resolve().relative_to(root)
        except ValueError:
            raise WalkError(f"{path} is outside the scanned root {root}") from None
    return rel.as_posix() if rel.parts else ""


def walk(
    root: Path,
    paths: Sequence[Path] = (),
    *,
    exclude: Sequence[str] = (),
    max_file_bytes: int,
    skip_vendored: bool = False,
    keep: frozenset[str] = frozenset(),
) -> WalkResult:
    """The files under ``paths`` (default: all of ``root``) that a scan should read.

    Directories are walked with every ignore rule applied. A file named
    explicitly is checked even if ``.gitignore`` lists it (it was asked for), but
    the configured excludes still apply: they are the project's own policy.
    With ``skip_vendored``, vendored and minified code below the starting paths
    is left out and listed as skipped (a directory once, not file by file).
    Files the excludes leave out are listed in ``excluded``; those ``keep`` names
    are checked anyway and listed in ``kept``.
    """
    root = Path(os.path.abspath(root))
    rules = IgnoreRules(root, exclude, vendored=skip_vendored)
    result = WalkResult()
    walker = _Walker(rules, max_file_bytes, result, keep)
    starts = list(paths) or [root]
    for start in starts:
        rel = relative_to_root(root, start)
        absolute = root / rel if rel else root
        if absolute.is_symlink() and rel:
            continue
        if absolute.is_dir():
            if rel and (
                GIT_DIR in PurePosixPath(rel).parts or _dir_ignored(rules, rel, is_start=True)
            ):
                continue
            walker.walk_dir(absolute, rel, excluded=bool(rel) and _dir_excluded(rules, rel))
        elif absolute.is_file():
            if rel in walker.seen or GIT_DIR in PurePosixPath(rel).parts:
                continue
            walker.file(absolute, rel, excluded=rules.excluded(rel, is_dir=False), named=True)
        else:
            raise WalkError(f"{start}: no such file or directory")
    result.files.sort(key=lambda f: f.rel)
    result.skipped.sort(key=lambda s: s.path)
    result.excluded.sort()
    result.kept.sort()
    return result


def _dir_ignored(rules: IgnoreRules, rel: str, *, is_start: bool = False) -> bool:
    """A directory is left out when git ignores it or any parent."""
    parts = PurePosixPath(rel).parts
    prefixes = range(1, len(parts) + 1) if is_start else (len(parts),)
    return any(rules.ignored("/".join(parts[:n]), is_dir=True) for n in prefixes)


def _dir_excluded(rules: IgnoreRules, rel: str) -> bool:
    """Whether ``[scan] exclude`` names a directory or one of its parents."""
    parts = PurePosixPath(rel).parts
    return any(rules.excluded("/".join(parts[:n]), is_dir=True) for n in range(1, len(parts) + 1))


@dataclass(slots=True)
class _Walker:
    rules: IgnoreRules
    max_file_bytes: int
    result: WalkResult
    keep: frozenset[str]
    seen: set[str] = field(default_factory=set)

    def file(
        self, path: Path, rel: str, *, excluded: bool, size: int | None = None, named: bool = False
    ) -> None:
        """Add one file git does not ignore, unless the excludes leave it out (a file
        named on the command line is checked even if it looks vendored: it was asked for)."""
        self.seen.add(rel)
        if excluded:
            if rel not in self.keep:
                self.result.excluded.append(rel)
                return
            self.result.kept.append(rel)
        elif not named and self.rules.vendored(rel, is_dir=False):
            if rel not in self.keep:
                self.result.skipped.append(Skipped(rel, VENDORED))
                return
            self.result.kept.append(rel)
        _add_file(path, rel, self.max_file_bytes, self.result, size)

    def kept_below(self, rel_dir: str) -> None:
        """The files to keep below a vendored directory the walk does not enter (it can
        be large): each one that is a regular file git does not ignore is checked."""
        prefix = rel_dir + "/"
        for rel in sorted(k for k in self.keep if k.startswith(prefix) and k not in self.seen):
            path = self.rules.root / rel
            parts = PurePosixPath(rel).parts
            hidden = any(
                self.rules.ignored("/".join(parts[:n]), is_dir=True) for n in range(1, len(parts))
            )
            if hidden or path.is_symlink() or not path.is_file():
                continue
            if self.rules.ignored(rel, is_dir=False):
                continue
            self.seen.add(rel)
            self.result.kept.append(rel)
            _add_file(path, rel, self.max_file_bytes, self.result)

    def walk_dir(self, directory: Path, rel_dir: str, *, excluded: bool) -> None:
        """Walk below ``directory``; an excluded directory is still walked, to count
        what it hides and to find the files that must be kept."""
        rules, result = self.rules, self.result
        stack = [(directory, rel_dir, excluded)]
        while stack:
            current, current_rel, hidden = stack.pop()
            try:
                entries = sorted(os.scandir(current), key=lambda e: e.name)
            except OSError as exc:
                result.skipped.append(Skipped(current_rel or ".", f"unreadable: {exc.strerror}"))
                continue
            for entry in entries:
                rel = f"{current_rel}/{entry.name}" if current_rel else entry.name
                try:
                    if entry.is_symlink():
                        continue
                    if entry.is_dir():
                        if entry.name == GIT_DIR or _dir_ignored(rules, rel):
                            continue
                        below = hidden or rules.excluded(rel, is_dir=True)
                        if not below and rules.vendored(rel, is_dir=True):
                            result.skipped.append(Skipped(rel + "/", VENDORED))
                            self.kept_below(rel)
                            continue
                        stack.append((Path(entry.path), rel, below))
                    elif entry.is_file():
                        if entry.name == GIT_DIR or rel in self.seen:
                            continue
                        if rules.ignored(rel, is_dir=False):
                            continue
                        out = hidden or rules.excluded(rel, is_dir=False)
                        self.file(Path(entry.path), rel, excluded=out, size=entry.stat().st_size)
                except OSError as exc:
                    result.skipped.append(Skipped(rel, f"unreadable: {exc.strerror}"))


def _add_file(
    path: Path, rel: str, max_file_bytes: int, result: WalkResult, size: int | None = None
) -> None:
    if size is None:
        try:
            size = path.stat().st_size
        except OSError as exc:
            result.skipped.append(Skipped(rel, f"unreadable: {exc.strerror}"))
            return
    if size > max_file_bytes:
        result.skipped.append(Skipped(rel, too_large(size, max_file_bytes)))
        return
    result.files.append(FileEntry(path, rel, size, language_for_path(rel)))
