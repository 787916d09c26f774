"""Typed genguard configuration: organisation policy, user config, and the repository's
``.genguard.toml`` or ``[tool.genguard]``.

Loading never fails: problems are returned alongside usable settings so the
guard stays on with safe defaults while the user is told what to fix.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from genguard.config.loader import (
        CONFIG_FILENAME,
        PYPROJECT_FILENAME,
        PYPROJECT_TABLE,
        ConfigProblem,
        LoadResult,
        load_settings,
        parse_settings,
    )
    from genguard.config.settings import (
        SCOPES,
        SEVERITIES,
        CacheSettings,
        HeuristicSettings,
        LedgerSettings,
        RuleSettings,
        Scope,
        Settings,
        Severity,
    )

_LOADER = {
    "CONFIG_FILENAME",
    "PYPROJECT_FILENAME",
    "PYPROJECT_TABLE",
    "ConfigProblem",
    "LoadResult",
    "load_settings",
    "parse_settings",
}


def __getattr__(name: str) -> Any:
    """Names are imported on first use, so ``genguard.config.paths`` stays cheap for hooks."""
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = "loader" if name in _LOADER else "settings"
    return getattr(importlib.import_module(f"genguard.config.{module}"), name)


__all__ = [
    "CONFIG_FILENAME",
    "PYPROJECT_FILENAME",
    "PYPROJECT_TABLE",
    "SCOPES",
    "SEVERITIES",
    "CacheSettings",
    "ConfigProblem",
    "HeuristicSettings",
    "LedgerSettings",
    "LoadResult",
    "RuleSettings",
    "Scope",
    "Settings",
    "Severity",
    "load_settings",
    "parse_settings",
]
