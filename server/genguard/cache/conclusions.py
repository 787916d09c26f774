"""What :func:`genguard.assess.assess` concluded about the AI lines of one file, kept
under a key of everything that judgement depends on.

An agent's edit is judged twice as it is: ``genguard record`` checks the lines
the moment the agent writes them, and the commit gate checks the same lines of
the same content when they are committed. The second is a lookup: both keep the
conclusion (each finding's rule, place, severity and handling; no code) under
a digest of the rules and settings in force, the code that judges, the file's
path and content hash, its AI lines with their chunks, and the manifests the
dependency check reads. Any change to one of them is a different key, so a
conclusion is never reused for other inputs; a miss just means judging.

Entries live in the repository's state directory (``<git-common-dir>/genguard/
conclusions``) and are swept after a day. Nothing here follows a symbolic link.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import genguard
from genguard.digest import hexdigest, sha256
from genguard.fileio import read_fresh, write_private
from genguard.fileio import sweep as sweep_stale

SUBDIR = "conclusions"
TTL = 24 * 3600.0
#: The packages whose code decides a conclusion (besides the rules, in the rules' key).
_JUDGES = ("assess", "rules", "taint", "governance", "agentrisk", "syntax")

#: What each item of a conclusion holds (:meth:`genguard.assess.Assessed.conclusion`).
ITEM_KEYS = frozenset(
    {
        "rule", "message", "url", "check", "pack", "cwe", "security_severity", "controls",
        "start", "end", "fix", "detail", "severity", "handling", "reason", "by", "chunk", "marker",
        "about_marker",
    }
)  # fmt: skip

Line = tuple[str, str, str | None, str, str, Sequence[tuple[str, str]]]
"""An AI line's chunk as judged: id, tool, model, kind, review status, and the
(rule, reason) suppressions recorded for it through the editor."""


def chunk_line(
    chunk: str,
    tool: str,
    model: str | None,
    kind: str,
    status: str,
    suppressed: Mapping[str, str],
) -> Line:
    """The :data:`Line` of an AI line of ``chunk``, as every caller must spell it."""
    return (chunk, tool, model, kind, status, tuple(sorted(suppressed.items())))


@cache
def _code_signature() -> tuple[tuple[str, int, int], ...]:
    """Size and mtime of the judging code (an upgrade or a checkout changes it)."""
    package = Path(genguard.__file__).resolve().parent
    out = []
    for name in _JUDGES:
        for dirpath, _dirs, files in os.walk(package / name):
            for f in sorted(files):
                if f.endswith(".py"):
                    with contextlib.suppress(OSError):
                        st = os.stat(os.path.join(dirpath, f))
                        out.append((f, st.st_size, st.st_mtime_ns))
    return tuple(sorted(out))


def conclusion_key(
    rules_key: str,
    path: str,
    data: bytes,
    lines: Mapping[int, Line],
    manifests: Sequence[tuple[str, int, int]],
) -> str:
    """The key of the judgement of ``path`` with content ``data`` whose AI lines (1-based)
    belong to ``lines``; ``rules_key`` from :func:`genguard.cache.rules.rules_key`,
    ``manifests`` from :func:`genguard.agentrisk.manifests.signature`."""
    parts = [
        rules_key,
        _code_signature(),
        path,
        hexdigest(data),
        sorted((n, list(line)) for n, line in lines.items()),
        list(manifests),
    ]
    text = json.dumps(parts, separators=(",", ":"), default=list)
    return sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def recall(state_dir: Path, key: str) -> dict[str, Any] | None:
    """The conclusion stored under ``key``, if there is a fresh one."""
    found = read_fresh(state_dir / SUBDIR / key, TTL)
    try:
        value = json.loads(found[0]) if found is not None else None
    except ValueError:
        return None
    items = value.get("items") if isinstance(value, dict) else None
    if not isinstance(items, list) or not isinstance(value.get("rules_version"), str):
        return None
    whole = all(isinstance(i, dict) and i.keys() >= ITEM_KEYS for i in items)
    return value if whole else None  # anything else is judged again


def remember(state_dir: Path, key: str, value: dict[str, Any]) -> None:
    """Keep ``value`` (plain JSON: ``items`` and the ``rules_version``) under ``key``."""
    with contextlib.suppress(OSError):
        write_private(state_dir / SUBDIR / key, json.dumps(value, separators=(",", ":")))


def sweep(state_dir: Path) -> None:
    """Remove conclusions older than :data:`TTL`."""
    sweep_stale(state_dir / SUBDIR, TTL)
