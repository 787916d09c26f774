"""Versions of installed distributions (the grammar wheels, tree-sitter), for cache keys.

Read from the ``*.dist-info`` folder names on the import path, without importing
tree-sitter: the commit hooks key their rule cache by them too.
"""

from __future__ import annotations

import os
import sys
from functools import cache


@cache
def dist_versions() -> dict[str, str]:
    """Installed distributions' versions from their ``*.dist-info`` folder names, one
    directory listing per import path: a metadata lookup per grammar would cost a
    scan several milliseconds of start-up for a cache key."""
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for folder in names:
            if folder.endswith(".dist-info"):
                name, _, ver = folder[: -len(".dist-info")].partition("-")
                found.setdefault(name.lower().replace("-", "_").replace(".", "_"), ver)
    return found


def package_version(distribution: str) -> str:
    """Version of an installed distribution, or "unknown"."""
    key = distribution.lower().replace("-", "_").replace(".", "_")
    found = dist_versions().get(key)
    if found:
        return found
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return "unknown"


