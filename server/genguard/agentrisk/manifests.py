"""Where a file's dependency manifests are, and a signature that changes with them.

Kept apart from :mod:`.deps` (which reads what the manifests declare) so that
whoever only needs to know whether they changed, such as the commit gate looking
up a conclusion it already holds, does not load the manifest readers.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

#: Manifests read by name (requirements files are recognised by :func:`is_requirements`).
MANIFEST_NAMES = frozenset(
    {
        "pyproject.toml",
        "setup.cfg",
        "setup.py",
        "Pipfile",
        "package.json",
        "tsconfig.json",
        "jsconfig.json",
        "go.mod",
        "pom.xml",
        "build.gradle",
        "build.gradle.kts",
    }
)


def is_requirements(name: str) -> bool:
    return name.endswith(".txt") and (
        name.startswith("requirements") or name.endswith("-requirements.txt")
    )


def manifest_files(directory: Path) -> Iterator[Path]:
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if name in MANIFEST_NAMES or is_requirements(name):
            if entry.is_file():
                yield Path(entry.path)
        elif name == "requirements" and entry.is_dir():
            yield from sorted(p for p in Path(entry.path).glob("*.txt") if p.is_file())


def project_dirs(root: Path, file: str) -> list[Path]:
    """The file's directory and its parents up to ``root`` (nearest first)."""
    root = root.resolve()
    parts = PurePosixPath(file).parts[:-1]
    dirs = [root.joinpath(*parts[:i]) for i in range(len(parts), -1, -1)]
    return [d for d in dirs if d == root or root in d.parents]


def signature(root: Path, file: str) -> tuple[tuple[str, int, int], ...]:
    """Size and mtime of the manifests, and mtime of the directories, that decide what
    ``file`` may import: equal signatures, equal declared dependencies."""
    sig = []
    for directory in project_dirs(root, file):
        for path in manifest_files(directory):
            try:
                st = path.stat()
            except OSError:
                continue
            sig.append((str(path), st.st_mtime_ns, st.st_size))
        try:
            st = directory.stat()
            sig.append((str(directory), st.st_mtime_ns, 0))
        except OSError:
            pass
    return tuple(sig)
