"""Typed genguard configuration: ``.genguard.toml`` or ``[tool.genguard]``.

Loading never fails: problems are returned alongside usable settings so the
guard stays on with safe defaults while the user is told what to fix.
"""

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
