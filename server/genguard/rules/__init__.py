"""Policy rules: load YAML rule packs and match them against source code.

Pure Python with no language-server dependency, so the CLI, the server and the
tests all share one engine.
"""

from genguard.rules.loader import RuleSet, builtin_rules_dir, load_rules, ruleset_version
from genguard.rules.matcher import CompiledRules, LanguageMatcher
from genguard.rules.model import ANY_LANGUAGE, SEVERITIES, Match, Rule, RuleError

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
