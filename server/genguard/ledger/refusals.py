"""Recording settings a layer was refused (``config.refused``).

A repository that tries to set what only the user or the organisation may, or to
go below an organisation's floor, is told so where it looks (editor, ``scan``,
the commit gate) and the attempt is recorded here once, not on every reload or
commit: a small marker beside the ledger holds the digest of the last refusals
recorded. Values are never recorded (an endpoint may carry a token), only the
key, the file and a hash of what was refused.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Protocol

from genguard.fileio import write_atomic

EVENT = "config.refused"
MARKER = "config-refused"


class Refused(Protocol):
    path: Path
    line: int | None
    message: str
    key: str | None


def _name(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return str(path)


def record_refused(
    append: Callable[[str, dict[str, Any]], Any],
    state_dir: Path,
    refused: Iterable[Refused],
    root: Path | None = None,
) -> bool:
    """Append one ``config.refused`` record for ``refused`` unless the same set was the
    last one recorded; returns whether a record was written."""
    items = sorted(
        (
            {
                "key": p.key,
                "file": _name(p.path, root),
                "line": p.line,
                "message_hash": hashlib.sha256(p.message.encode("utf-8")).hexdigest()[:16],
            }
            for p in refused
        ),
        key=lambda d: (d["file"], d["line"] or 0, d["key"] or ""),
    )
    if not items:
        return False
    digest = hashlib.sha256(json.dumps(items, sort_keys=True).encode()).hexdigest()
    marker = state_dir / MARKER
    try:
        if marker.read_text(encoding="utf-8").strip() == digest:
            return False
    except OSError:
        pass
    append(EVENT, {"refused": items})
    write_atomic(marker, digest + "\n")
    return True
