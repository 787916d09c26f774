"""Remember what loading the rules produced, so a cached scan never compiles them.

Loading validates every tree-sitter query by compiling it, which costs far more
than looking up every file of a repository in the result cache. A scan only
needs the rules version (for cache keys) and the rules' descriptions (for the
report) until some file actually has to be checked, so both are kept in the
result cache under a digest of everything loading depends on: the genguard
version and code, the installed grammars, the rule files and the settings. Any
change to one of them is a different digest, so a stale entry is never read.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from collections.abc import Iterable
from pathlib import Path
from types import MappingProxyType
from typing import Any

import genguard
from genguard import __version__
from genguard.cache.store import ResultCache
from genguard.config.settings import Settings
from genguard.fileio import regular_files_under
from genguard.rules import Rule, RuleSet, builtin_rules_dir
from genguard.rules.loader import RULE_FILE_SUFFIXES
from genguard.rules.workspace import REPO_RULES_DIR
from genguard.syntax.languages import SUPPORTED, grammar_version, package_version

log = logging.getLogger(__name__)

MEMO_PREFIX = "genguard-scan-rules/1:"
_SKIPPED_FIELDS = frozenset({"examples_bad", "examples_good"})  # tests only; not reported


@dataclasses.dataclass(frozen=True, slots=True)
class RulesSummary:
    """What a scan needs from the rules when no file has to be checked."""

    version: str
    rules: tuple[Rule, ...]
    errors: tuple[str, ...]


def _stat_lines(paths: Iterable[Path], base: Path) -> Iterable[str]:
    for path in sorted(paths):
        try:
            st = path.stat()
        except OSError:
            continue
        yield f"{path.relative_to(base).as_posix()} {st.st_size} {st.st_mtime_ns}"


def memo_key(root: Path | None, settings: Settings) -> str:
    """Digest of every input of ``load_workspace_rules``; cheap (stats, no reads)."""
    digest = hashlib.sha256()

    def add(text: str) -> None:
        digest.update(text.encode("utf-8", "surrogateescape") + b"\n")

    add(f"genguard {__version__}")
    add(repr(settings))
    package = Path(genguard.__file__).parent
    for line in _stat_lines(package.rglob("*.py"), package):
        add(line)
    rules_dir = builtin_rules_dir()
    for line in _stat_lines(rules_dir.rglob("*"), rules_dir):
        add(line)
    if root is not None:
        repo_rules = root / REPO_RULES_DIR
        if repo_rules.is_dir():
            files, _ = regular_files_under(repo_rules, within=root, suffixes=RULE_FILE_SUFFIXES)
            for line in _stat_lines(files, repo_rules):
                add("repository " + line)
    for language in SUPPORTED:
        add(f"{language} {grammar_version(language)}")
    add(f"tree-sitter {package_version('tree-sitter')}")
    return MEMO_PREFIX + digest.hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, MappingProxyType | dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def rule_to_data(rule: Rule) -> dict[str, Any]:
    return {
        f.name: _plain(getattr(rule, f.name))
        for f in dataclasses.fields(rule)
        if f.name not in _SKIPPED_FIELDS
    }


def rule_from_data(data: dict[str, Any]) -> Rule:
    known = {f.name for f in dataclasses.fields(Rule)}
    values = {k: v for k, v in data.items() if k in known}
    if isinstance(values.get("controls"), dict):
        values["controls"] = MappingProxyType(dict(values["controls"]))
    return Rule(**values)


def summarize(ruleset: RuleSet) -> RulesSummary:
    return RulesSummary(ruleset.version, ruleset.rules, tuple(str(e) for e in ruleset.errors))


def recall(cache: ResultCache | None, key: str) -> RulesSummary | None:
    """The summary stored under ``key``; None when absent or unusable."""
    if cache is None:
        return None
    data = cache.get(key)
    if not isinstance(data, dict):
        return None
    try:
        rules = tuple(rule_from_data(r) for r in data["rules"])
        return RulesSummary(str(data["version"]), rules, tuple(data["errors"]))
    except (KeyError, TypeError, ValueError) as exc:  # written by another genguard
        log.debug("ignoring the remembered rules: %s", exc)
        return None


def remember(cache: ResultCache | None, key: str, ruleset: RuleSet) -> None:
    if cache is None:
        return
    cache.set(
        key,
        {
            "version": ruleset.version,
            "rules": [rule_to_data(r) for r in ruleset.rules],
            "errors": [str(e) for e in ruleset.errors],
        },
    )
