"""The one way the editor server and the CLI find the rules for a workspace.

Built-in packs are filtered by the workspace settings (packs, enable, disable,
severity overrides). Keeping this in one function means a rule that fires in
the editor fires in ``genguard scan`` and in the commit gate, and vice versa.
"""

from __future__ import annotations

from pathlib import Path

from genguard.config import Settings
from genguard.rules.loader import RuleSet, load_rules, ruleset_version

REPO_RULES_DIR = Path(".genguard") / "rules"


def load_workspace_rules(root: Path | None, settings: Settings) -> RuleSet:
    cfg = settings.rules
    loaded = load_rules(
        None,
        packs=None if cfg.enable else cfg.packs,
        disable=cfg.disable,
        severity=cfg.severity,
    )
    kept = tuple(r for r in loaded.rules if cfg.is_enabled(r.id, r.pack))
    return RuleSet(rules=kept, errors=loaded.errors, version=ruleset_version(kept))
