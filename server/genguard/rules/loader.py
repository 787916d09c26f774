"""Load and validate rule packs from YAML.

Validation is strict (unknown fields, wrong types and patterns that do not
compile are all reported) but never fatal: each problem becomes a ``RuleError``
pointing at the file and line of the offending rule, that rule is skipped and
every other rule still loads, so one typo cannot switch the whole policy off.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import re2
import yaml
from tree_sitter import Query, QueryError

from genguard import __version__
from genguard.rules.model import ANY_LANGUAGE, SEVERITIES, Rule, RuleError
from genguard.syntax.languages import SUPPORTED, get_language

RULE_FILE_SUFFIXES = (".yaml", ".yml")

_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_CWE_RE = re.compile(r"^CWE-[0-9]+$")
_OWASP_RE = re.compile(r"^A[0-9]{2}:[0-9]{4}$")
_FRAMEWORK_RE = re.compile(r"^[a-z0-9_]+$")
_TEMPLATE_RE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}")
_PREDICATE_RE = re.compile(r"\(\s*#([A-Za-z_][A-Za-z0-9_-]*[?!])")

# Predicates py-tree-sitter evaluates natively; anything else would silently never match.
KNOWN_PREDICATES = frozenset(
    {
        "eq?",
        "not-eq?",
        "any-eq?",
        "any-not-eq?",
        "match?",
        "not-match?",
        "any-match?",
        "any-not-match?",
        "any-of?",
        "not-any-of?",
        "is?",
        "is-not?",
        "set!",
    }
)

REQUIRED_FIELDS = ("id", "languages", "severity", "message")
OPTIONAL_FIELDS = (
    "name",
    "cwe",
    "owasp",
    "controls",
    "query",
    "regex",
    "allow",
    "fix",
    "url",
    "examples",
)
ALL_FIELDS = frozenset(REQUIRED_FIELDS + OPTIONAL_FIELDS)

RE2_MAX_MEM = 8 << 20
"""Memory cap per compiled RE2 program; past it RE2 falls back to slower, still linear matching."""


@dataclass(frozen=True, slots=True)
class RuleSet:
    """The outcome of one load: usable rules, what went wrong, and a cache key.

    ``version`` changes whenever any loaded rule's content or the genguard version
    changes, so cached findings keyed by it can never outlive the rules that made them.
    """

    rules: tuple[Rule, ...]
    errors: tuple[RuleError, ...]
    version: str

    def by_id(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)


class _InvalidRule(Exception):
    pass


# -- compilation helpers (shared with the matcher, hence cached) --------------------


@lru_cache(maxsize=4096)
def compile_query(language: str, source: str) -> Query:
    """Compile ``source`` for ``language``; raises ValueError when it does not compile.

    Cached so validation at load time and the matcher share one compilation.
    """
    lang = get_language(language)
    if lang is None:
        raise ValueError(f"no tree-sitter grammar installed for {language!r}")
    return Query(lang, source)


def re2_options() -> re2.Options:
    """Options every rule regex is compiled with: bounded memory and no stderr noise."""
    options = re2.Options()
    options.max_mem = RE2_MAX_MEM
    options.log_errors = False
    return options


@lru_cache(maxsize=4096)
def compile_regex(pattern: str) -> Any:
    """Compile ``pattern`` as a bytes RE2 regex so match offsets are byte offsets."""
    return re2.compile(pattern.encode("utf-8"), re2_options())


def regex_group_names(regex: Any) -> dict[str, int]:
    """Named groups of a compiled RE2 regex (bytes patterns report bytes names)."""
    return {(k.decode() if isinstance(k, bytes) else k): v for k, v in regex.groupindex.items()}


def query_capture_names(query: Query) -> set[str]:
    return {query.capture_name(i) for i in range(query.capture_count)}


# -- locating the packs -------------------------------------------------------------


def builtin_rules_dir() -> Path:
    """Where the built-in packs live.

    A wheel ships them as ``genguard/packs`` (pyproject force-includes the top-level
    ``rules/`` there); an editable install or source checkout uses ``<repo>/rules``.
    """
    here = Path(__file__).resolve()
    packaged = here.parent.parent / "packs"
    if packaged.is_dir():
        return packaged
    return here.parents[3] / "rules"


# -- YAML with line numbers ----------------------------------------------------------


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


# libyaml when available (several times faster); both are safe loaders.
_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _compose(text: str) -> yaml.Node | None:
    """Parse YAML to a node graph (safe loader only); nodes carry their source lines."""
    loader = _SafeLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _construct(node: yaml.Node) -> Any:
    """Build plain Python data from one node with safe_load semantics."""
    loader = _SafeLoader("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _rule_nodes(root: yaml.Node | None) -> list[yaml.Node]:
    """The rule nodes of a file: ``rules: [...]`` or a single rule mapping."""
    if root is None:
        return []
    if isinstance(root, yaml.MappingNode):
        keys = {k.value: v for k, v in root.value if isinstance(k, yaml.ScalarNode)}
        if "rules" in keys:
            extra = sorted(set(keys) - {"rules"})
            if extra:
                raise _InvalidRule(
                    f"unknown top-level field(s) next to 'rules': {', '.join(extra)}"
                )
            rules = keys["rules"]
            if isinstance(rules, yaml.ScalarNode) and rules.tag.endswith(":null"):
                return []
            if not isinstance(rules, yaml.SequenceNode):
                raise _InvalidRule("'rules' must be a list of rule mappings")
            return list(rules.value)
        return [root]
    raise _InvalidRule("a rule file must hold a mapping: either 'rules: [...]' or one rule")


# -- field validation ----------------------------------------------------------------


def _str(data: Mapping[str, Any], key: str, *, required: bool = False) -> str | None:
    value = data.get(key)
    if value is None:
        if required:
            raise _InvalidRule(f"missing required field '{key}'")
        return None
    if not isinstance(value, str):
        raise _InvalidRule(f"'{key}' must be a string, not {type(value).__name__}")
    if required and not value.strip():
        raise _InvalidRule(f"'{key}' must not be empty")
    return value


def _str_list(data: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        raise _InvalidRule(f"'{key}' must be a list of strings; write [{value!r}]")
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _InvalidRule(f"'{key}' must be a list of strings")
    return tuple(value)


def _controls(data: Mapping[str, Any]) -> Mapping[str, tuple[str, ...]]:
    value = data.get("controls")
    if value is None:
        return MappingProxyType({})
    if not isinstance(value, dict):
        raise _InvalidRule("'controls' must be a mapping like {soc2: [CC7.1]}")
    out: dict[str, tuple[str, ...]] = {}
    for framework, ids in value.items():
        if not isinstance(framework, str) or not _FRAMEWORK_RE.match(framework):
            raise _InvalidRule(f"controls: framework name {framework!r} must be snake_case")
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise _InvalidRule(f"controls.{framework} must be a list of strings")
        out[framework] = tuple(ids)
    return MappingProxyType(out)


def _examples(data: Mapping[str, Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    value = data.get("examples")
    if value is None:
        return (), ()
    if not isinstance(value, dict):
        raise _InvalidRule("'examples' must be a mapping with 'bad' and/or 'good' lists")
    unknown = sorted(set(value) - {"bad", "good"})
    if unknown:
        raise _InvalidRule(f"examples: unknown key(s) {', '.join(map(str, unknown))}")
    return _str_list(value, "bad"), _str_list(value, "good")


def _check_query(query: str, languages: Sequence[str]) -> set[str]:
    """Compile ``query`` for each language; returns its capture names.

    A language whose grammar wheel is missing is skipped: that costs only files of
    that language, not the rule everywhere else.
    """
    for name in _PREDICATE_RE.findall(query):
        if name not in KNOWN_PREDICATES:
            raise _InvalidRule(f"'query' uses unsupported predicate #{name}")
    names: set[str] = set()
    for language in languages:
        if get_language(language) is None:
            continue
        try:
            compiled = compile_query(language, query)
        except (QueryError, ValueError) as exc:
            raise _InvalidRule(f"'query' does not compile for {language}: {exc}") from None
        if compiled.pattern_count == 0:
            raise _InvalidRule("'query' has no patterns")
        captures = query_capture_names(compiled)
        if "match" not in captures:
            raise _InvalidRule("'query' must capture the reported node as @match")
        names |= captures
    return names


def _check_regex(field_name: str, pattern: str) -> Any:
    try:
        return compile_regex(pattern)
    except re2.error as exc:
        raise _InvalidRule(f"'{field_name}' is not a valid RE2 pattern: {exc}") from None


def _check_fix(fix: str, names: set[str]) -> None:
    missing = sorted({n for n in _TEMPLATE_RE.findall(fix)} - names - {"match"})
    if missing:
        raise _InvalidRule(f"'fix' refers to unknown capture(s): {', '.join(missing)}")


def _build_rule(data: Any, pack: str, source: str, line: int) -> Rule:
    if not isinstance(data, dict):
        raise _InvalidRule("a rule must be a mapping")
    unknown = sorted(str(k) for k in data if k not in ALL_FIELDS)
    if unknown:
        names = ", ".join(f"'{k}'" for k in unknown)
        raise _InvalidRule(f"unknown field {names} (allowed: {', '.join(sorted(ALL_FIELDS))})")
    rule_id = _str(data, "id", required=True)
    assert rule_id is not None
    if not _ID_RE.match(rule_id):
        raise _InvalidRule(f"'id' {rule_id!r} must be kebab-case, e.g. py-subprocess-shell")

    languages = _str_list(data, "languages")
    if not languages:
        raise _InvalidRule("missing required field 'languages' (a non-empty list)")
    for language in languages:
        if language != ANY_LANGUAGE and language not in SUPPORTED:
            raise _InvalidRule(
                f"'languages': unknown language {language!r} (use {', '.join(SUPPORTED)} or '*')"
            )
    if ANY_LANGUAGE in languages and len(languages) > 1:
        raise _InvalidRule("'*' must be the only entry in 'languages'")
    if len(set(languages)) != len(languages):
        raise _InvalidRule("'languages' lists a language twice")

    severity = _str(data, "severity", required=True)
    if severity not in SEVERITIES:
        raise _InvalidRule(f"'severity' must be one of {', '.join(SEVERITIES)}, not {severity!r}")
    message = _str(data, "message", required=True)
    assert message is not None

    cwe = _str_list(data, "cwe")
    for item in cwe:
        if not _CWE_RE.match(item):
            raise _InvalidRule(f"'cwe' entry {item!r} must look like CWE-78")

    owasp = _str_list(data, "owasp")
    for item in owasp:
        if not _OWASP_RE.match(item):
            raise _InvalidRule(f"'owasp' entry {item!r} must look like A03:2021")

    query = _str(data, "query")
    regex = _str(data, "regex")
    if (query is None) == (regex is None):
        raise _InvalidRule("set exactly one of query or regex")
    if query is not None:
        if ANY_LANGUAGE in languages:
            raise _InvalidRule(
                "'languages' ['*'] rules run without a syntax tree, so they need a regex"
            )
        names = _check_query(query, languages)
    else:
        assert regex is not None
        names = set(regex_group_names(_check_regex("regex", regex)))

    allow = _str_list(data, "allow")
    for pattern in allow:
        _check_regex("allow", pattern)

    fix = _str(data, "fix")
    if fix is not None and (names or regex is not None):
        _check_fix(fix, names)

    bad, good = _examples(data)
    return Rule(
        id=rule_id,
        name=_str(data, "name") or rule_id,
        languages=languages,
        severity=severity,
        message=message.strip(),
        cwe=cwe,
        owasp=owasp,
        controls=_controls(data),
        query=query,
        regex=regex,
        allow=allow,
        fix=fix,
        url=_str(data, "url"),
        examples_bad=bad,
        examples_good=good,
        pack=pack,
        source=source,
        line=line,
    )


def _duplicate_keys(node: yaml.Node) -> list[str]:
    """Keys given twice in one mapping; safe_load would silently keep the last."""
    if not isinstance(node, yaml.MappingNode):
        return []
    seen: set[str] = set()
    dupes: list[str] = []
    for key, _ in node.value:
        if isinstance(key, yaml.ScalarNode):
            if key.value in seen:
                dupes.append(f"{key.value} (line {_line(key)})")
            seen.add(key.value)
    return dupes


def _field_line(node: yaml.Node, message: str) -> int:
    """Best line for an error inside a rule: the line of the field it names, if any."""
    if isinstance(node, yaml.MappingNode):
        for key, _ in node.value:
            if isinstance(key, yaml.ScalarNode) and f"'{key.value}'" in message:
                return _line(key)
    return _line(node)


# -- files and packs -----------------------------------------------------------------


def _load_file(path: Path, pack: str) -> tuple[list[Rule], list[RuleError]]:
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [RuleError(source, 0, None, f"cannot read rule file: {exc}")]
    try:
        root = _compose(text)
        nodes = _rule_nodes(root)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = exc.problem or exc.context or "invalid YAML"
        return [], [RuleError(source, line, None, f"invalid YAML: {problem}")]
    except yaml.YAMLError as exc:
        return [], [RuleError(source, 1, None, f"invalid YAML: {exc}")]
    except _InvalidRule as exc:
        return [], [RuleError(source, _line(root) if root is not None else 1, None, str(exc))]

    rules: list[Rule] = []
    errors: list[RuleError] = []
    for node in nodes:
        line = _line(node)
        rule_id = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if (
                    isinstance(key, yaml.ScalarNode)
                    and key.value == "id"
                    and isinstance(value, yaml.ScalarNode)
                ):
                    rule_id = value.value
        try:
            dupes = _duplicate_keys(node)
            if dupes:
                raise _InvalidRule(f"field given twice: {', '.join(dupes)}")
            rules.append(_build_rule(_construct(node), pack, source, line))
        except _InvalidRule as exc:
            message = str(exc)
            at = _field_line(node, message)
            if at != line:
                message = f"{message} (line {at})"
            errors.append(RuleError(source, line, rule_id, message))
        except yaml.YAMLError as exc:
            errors.append(RuleError(source, line, rule_id, f"invalid YAML value: {exc}"))
    return rules, errors


def _rule_files(root: Path) -> list[tuple[str, Path]]:
    """(pack, file) pairs under ``root``.

    A file in a subdirectory belongs to the pack named after its first directory
    under ``root``; a file directly in ``root`` belongs to the pack named after
    ``root`` itself, so passing ``rules/security`` also yields pack ``security``.
    """
    found: list[tuple[str, Path]] = []
    for path in sorted(root.rglob("*")):
        if path.suffix not in RULE_FILE_SUFFIXES or not path.is_file():
            continue
        rel = path.relative_to(root)
        if any(part.startswith(".") for part in rel.parts):
            continue
        pack = rel.parts[0] if len(rel.parts) > 1 else root.name
        found.append((pack, path))
    return found


def _canonical(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "name": rule.name,
        "languages": rule.languages,
        "severity": rule.severity,
        "message": rule.message,
        "cwe": rule.cwe,
        "owasp": rule.owasp,
        "controls": {k: list(v) for k, v in sorted(rule.controls.items())},
        "query": rule.query,
        "regex": rule.regex,
        "allow": rule.allow,
        "fix": rule.fix,
        "url": rule.url,
        "pack": rule.pack,
    }


def ruleset_version(rules: Sequence[Rule]) -> str:
    """sha256 over the canonical content of ``rules`` plus the genguard version."""
    digest = hashlib.sha256()
    digest.update(f"genguard {__version__}\n".encode())
    for rule in sorted(rules, key=lambda r: r.id):
        digest.update(json.dumps(_canonical(rule), sort_keys=True).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def load_rules(
    dirs: Sequence[Path] | None = None,
    *,
    packs: Collection[str] | None = None,
    disable: Collection[str] = (),
    severity: Mapping[str, str] = MappingProxyType({}),
) -> RuleSet:
    """Load every rule file under ``dirs`` (default: the built-in packs).

    ``packs`` keeps only the named packs; ``disable`` drops rule ids; ``severity``
    overrides the severity of individual rule ids. Problems never raise: they are
    collected in ``RuleSet.errors`` and the offending rule is skipped.
    """
    roots = [builtin_rules_dir()] if dirs is None else [Path(d) for d in dirs]
    wanted_packs = None if packs is None else set(packs)
    disabled = set(disable)

    rules: list[Rule] = []
    errors: list[RuleError] = []
    seen: dict[str, Rule] = {}
    for root in roots:
        if not root.is_dir():
            errors.append(RuleError(str(root), 0, None, "rules directory not found"))
            continue
        for pack, path in _rule_files(root):
            if wanted_packs is not None and pack not in wanted_packs:
                continue
            file_rules, file_errors = _load_file(path, pack)
            errors.extend(file_errors)
            for rule in file_rules:
                first = seen.get(rule.id)
                if first is not None:
                    errors.append(
                        RuleError(
                            rule.source,
                            rule.line,
                            rule.id,
                            f"duplicate id; first defined at {first.source}:{first.line}",
                        )
                    )
                    continue
                seen[rule.id] = rule
                if rule.id not in disabled:
                    rules.append(rule)

    for rule_id, level in severity.items():
        if level not in SEVERITIES:
            errors.append(
                RuleError(
                    "<severity overrides>",
                    0,
                    rule_id,
                    f"severity {level!r} must be one of {', '.join(SEVERITIES)}",
                )
            )
    overrides = {k: v for k, v in severity.items() if v in SEVERITIES}
    if overrides:
        rules = [replace(r, severity=overrides[r.id]) if r.id in overrides else r for r in rules]

    return RuleSet(rules=tuple(rules), errors=tuple(errors), version=ruleset_version(rules))
