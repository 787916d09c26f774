"""The one way the editor server and the CLI find the rules for a workspace.

Built-in packs are filtered by the workspace settings (packs, enable, disable,
severity overrides). Keeping this in one function means a rule that fires in
the editor fires in ``genguard scan`` and in the commit gate, and vice versa.

Three sources are combined:

- the built-in packs named in ``rules.packs`` (plus ids in ``rules.enable``);
- the ``governance`` pack, always: its rules are ``check`` rules that stay quiet
  until their ``[governance]`` setting is configured, so listing packs (as most
  configurations do) must not silently switch off ``approved_tools``;
- the repository's own rules in ``.genguard/rules/*.yaml`` (pack
  ``repository``), loaded as untrusted data because anyone who can open a pull
  request can write them. ``rules.repository = false`` turns them off.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from genguard.config import Settings
from genguard.rules.loader import RuleSet, load_rules, ruleset_version
from genguard.rules.model import REPOSITORY_PACK, SEVERITIES, Rule, RuleError

REPO_RULES_DIR = Path(".genguard") / "rules"
GOVERNANCE_PACK = "governance"


def repository_rules_dir(root: Path) -> Path:
    return root / REPO_RULES_DIR


def load_rules_at(path: Path, *, trusted: bool, **options: Any) -> RuleSet:
    """Rules from one rule directory or one rule file (``options`` go to ``load_rules``).

    A missing path is reported as a ``RuleError``, like every other problem.
    """
    path = Path(path)
    if path.is_file():
        # the loader reads directories: load this file's, keep what the file defined
        loaded = load_rules([path.parent], trusted=trusted, **options)
        same = str(path)
        rules = tuple(r for r in loaded.rules if r.source == same)
        errors = tuple(e for e in loaded.errors if e.path == same)
        return RuleSet(rules=rules, errors=errors, version=ruleset_version(rules))
    if path.is_dir():
        return load_rules([path], trusted=trusted, **options)
    return RuleSet(
        rules=(),
        errors=(RuleError(str(path), 0, None, "no rule file or directory here"),),
        version=ruleset_version(()),
    )


def load_repository_rules(
    path: Path,
    *,
    disable: Collection[str] = (),
    severity: Mapping[str, str] | None = None,
    within: Path | None = None,
) -> RuleSet:
    """Rules from a repository's rule directory or one rule file, as pack ``repository``.

    Untrusted: the loader refuses Python-regex query predicates and oversized
    queries. Each problem is a ``RuleError`` with file and line; the rule is
    skipped and the others load. ``within`` (the repository root; ``path``'s
    parent's parent when not given) is where every file read must be.
    """
    loaded = load_rules_at(
        path,
        trusted=False,
        disable=disable,
        severity=severity or {},
        within=within if within is not None else _repository_of(Path(path)),
    )
    rules = tuple(replace(r, pack=REPOSITORY_PACK) for r in loaded.rules)
    return RuleSet(rules=rules, errors=loaded.errors, version=ruleset_version(rules))


def _repository_of(path: Path) -> Path:
    """The repository a rule path belongs to: the parent of its ``.genguard``
    directory if it has one, else the directory it is in."""
    absolute = Path(os.path.abspath(path))
    for parent in (absolute, *absolute.parents):
        if parent.name == REPO_RULES_DIR.parts[0]:
            return parent.parent
    return absolute if absolute.is_dir() else absolute.parent


def load_workspace_rules(root: Path | None, settings: Settings) -> RuleSet:
    cfg = settings.rules
    packs = None if cfg.enable else (*cfg.packs, GOVERNANCE_PACK)
    loaded = load_rules(None, packs=packs, disable=cfg.disable, severity=cfg.severity)
    kept: list[Rule] = [
        r
        for r in loaded.rules
        if cfg.is_enabled(r.id, r.pack) or (r.pack == GOVERNANCE_PACK and r.id not in cfg.disable)
    ]
    errors: list[RuleError] = list(loaded.errors)

    repo_dir = repository_rules_dir(root) if root is not None else None
    if cfg.repository and repo_dir is not None and repo_dir.exists():
        if not repo_dir.is_dir():
            errors.append(RuleError(str(repo_dir), 0, None, "must be a directory of *.yaml rules"))
        else:
            valid = {k: v for k, v in cfg.severity.items() if v in SEVERITIES}
            repo = load_repository_rules(repo_dir, disable=cfg.disable, severity=valid, within=root)
            errors.extend(repo.errors)
            taken = {r.id: r for r in loaded.rules}
            for rule in repo.rules:
                first = taken.get(rule.id)
                if first is not None:
                    errors.append(
                        RuleError(
                            rule.source,
                            rule.line,
                            rule.id,
                            f"id already used by the built-in rule at {first.source}:{first.line};"
                            " give the repository rule its own id",
                        )
                    )
                    continue
                kept.append(rule)
    rules = tuple(kept)
    return RuleSet(rules=rules, errors=tuple(errors), version=ruleset_version(rules))
