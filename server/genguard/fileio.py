"""Replacing a file so that readers never see half of it.

Reports, agent configs, hook shims, commit messages and small state files are
all rewritten the same way: a sibling temporary file, then one rename. A failure
leaves the previous file in place. The new file keeps the old one's permissions
(or gets the usual umask-based ones), never the 0600 of a bare ``mkstemp``.
"""

from __future__ import annotations

import os
import stat
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
