"""Policy rules: load YAML rule packs and match them against source code.

Pure Python with no language-server dependency, so the CLI, the server and the
tests all share one engine.

Names are imported on first use: the rule model alone (what a cached rule set or a
report needs) does not pull in the matcher, tree-sitter queries or the taint engine.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from genguard.rules.loader import builtin_rules_dir, load_rules, ruleset_version
    from genguard.rules.matcher import CompiledRules, LanguageMatcher
    from genguard.rules.model import ANY_LANGUAGE, SEVERITIES, Match, Rule, RuleError, RuleSet

_HOMES: dict[str, str] = {
    "RuleSet": "model",
    "builtin_rules_dir": "loader",
    "load_rules": "loader",
    "ruleset_version": "loader",
    "CompiledRules": "matcher",
    "LanguageMatcher": "matcher",
    "ANY_LANGUAGE": "model",
    "SEVERITIES": "model",
    "Match": "model",
    "Rule": "model",
    "RuleError": "model",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)


__all__ = [
    "ANY_LANGUAGE",
    "SEVERITIES",
    "CompiledRules",
    "LanguageMatcher",
    "Match",
    "Rule",
    "RuleError",
    "RuleSet",
    "builtin_rules_dir",
    "load_rules",
    "ruleset_version",
]
