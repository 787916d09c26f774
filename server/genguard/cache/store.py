"""Rule results cached on disk, keyed by what determines them.

The key is the content hash plus the rules version plus the grammar version, so
reopening a file or re-checking unchanged text is a lookup; any change to the
text, the rules or the grammar is a miss by construction (no invalidation).
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import diskcache

from genguard.config.paths import user_dir

log = logging.getLogger(__name__)

_SIZE_LIMIT = 256 * 1024 * 1024


def default_cache_dir() -> Path:
    """Per-user cache dir; honours XDG_CACHE_HOME on Linux (platformdirs does)."""
    override = os.environ.get("GENGUARD_CACHE_DIR")
    if override:
        return Path(override)
    if sys.platform == "linux":  # the same place, without importing platformdirs
        return user_dir("cache") / "results"
    import platformdirs

    return Path(platformdirs.user_cache_dir("genguard")) / "results"


def content_key(data: bytes, *parts: str) -> str:
    digest = hashlib.sha256(data).hexdigest()
    return ":".join((digest, *parts))


class ResultCache:
    """A thin, failure-tolerant wrapper: a broken cache must never break checking."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or default_cache_dir()
        self._cache: diskcache.Cache | None = None
        try:
            self._cache = diskcache.Cache(str(self.directory), size_limit=_SIZE_LIMIT)
        except Exception as exc:  # unwritable dir, corrupt db: run without a cache
            log.warning("result cache disabled (%s): %s", self.directory, exc)

    def get(self, key: str) -> Any | None:
        if self._cache is None:
            return None
        try:
            return self._cache.get(key)
        except Exception as exc:
            log.warning("result cache read failed: %s", exc)
            return None

    def set(self, key: str, value: Any) -> None:
        if self._cache is None:
            return
        try:
            self._cache.set(key, value)
        except Exception as exc:
            log.warning("result cache write failed: %s", exc)

    def set_many(self, items: Sequence[tuple[str, Any]]) -> None:
        """Store several results in one transaction: one commit instead of one per file
        (a scan writes hundreds)."""
        if self._cache is None or not items:
            return
        try:
            with self._cache.transact():
                for key, value in items:
                    self._cache.set(key, value)
        except Exception as exc:
            log.warning("result cache write failed: %s", exc)

    def close(self) -> None:
        if self._cache is not None:
            self._cache.close()
