"""``genguard scan``: the editor's rules over a whole repository or a commit.

Pure logic (no language-server types): the walker picks files the way git sees
the tree, the runner checks them in parallel with the shared result cache, and
the formats turn the result into text, JSON or SARIF.
"""

from genguard.scan.runner import (
    ScanError,
    ScanFinding,
    ScanOptions,
    ScanResult,
    at_or_above,
    scan,
)
from genguard.scan.walker import FileEntry, Skipped, WalkError, walk

__all__ = [
    "FileEntry",
    "ScanError",
    "ScanFinding",
    "ScanOptions",
    "ScanResult",
    "Skipped",
    "WalkError",
    "at_or_above",
    "scan",
    "walk",
]
