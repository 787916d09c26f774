"""Load and validate rule packs from YAML.

Validation is strict (unknown fields, wrong types and patterns that do not
compile are all reported) but never fatal: each problem becomes a ``RuleError``
pointing at the file and line of the offending rule, that rule is skipped and
every other rule still loads, so one typo cannot switch the whole policy off.

Rules are data: nothing in a rule file is executed. Rules from a repository
(``trusted=False``) are held to a stricter budget, because anyone who can open a
pull request can write them: no Python-regex query predicates (those backtrack),
bounded query size, and no query shape whose cost explodes with file size
(:mod:`genguard.rules.queryshape`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import re2
from tree_sitter import Query, QueryError

from genguard.fileio import (
    RULE_FILE_MAX_BYTES,
    UnsafeFileError,
    read_regular,
    regular_files_under,
)
from genguard.rules.model import (
    ALL_CHECKS,
    ANY_LANGUAGE,
    OWASP_LLM_2025,
    SEVERITIES,
    Rule,
    RuleError,
    RuleSet,
)
from genguard.rules.queryshape import query_shape_problem
from genguard.syntax.languages import SUPPORTED, get_language

if TYPE_CHECKING:  # imported where YAML is read: a rule set restored from its cache needs none
    import yaml

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
    "owasp_llm",
    "requires",
    "security_severity",
    "controls",
    "query",
    "regex",
    "check",
    "taint",
    "allow",
    "entropy",
    "redact",
    "fix",
    "url",
    "examples",
)
ALL_FIELDS = frozenset(REQUIRED_FIELDS + OPTIONAL_FIELDS)

RE2_MAX_MEM = 8 << 20
"""Memory cap per compiled RE2 program; past it RE2 falls back to slower, still linear matching."""

BACKTRACKING_PREDICATES = frozenset({"match?", "not-match?", "any-match?", "any-not-match?"})
"""Predicates py-tree-sitter evaluates with Python's ``re``, which can backtrack
exponentially; refused in untrusted rules (an RE2 ``regex`` rule does the same job)."""
UNTRUSTED_MAX_QUERY_CHARS = 8000
"""Longest query source accepted from an untrusted rule."""
UNTRUSTED_MAX_QUERY_PATTERNS = 16
"""Most patterns one untrusted query may hold (each adds work to every match pass)."""
MAX_ENTROPY = 8.0
"""Highest useful ``entropy`` threshold: a byte alphabet cannot exceed 8 bits/char."""


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


@lru_cache(maxsize=1)
def _safe_loader() -> Any:
    """libyaml when available (several times faster); both are safe loaders."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _compose(text: str) -> yaml.Node | None:
    """Parse YAML to a node graph (safe loader only); nodes carry their source lines."""
    loader = _safe_loader()(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _construct(node: yaml.Node) -> Any:
    """Build plain Python data from one node with safe_load semantics."""
    loader = _safe_loader()("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _rule_nodes(root: yaml.Node | None) -> list[yaml.Node]:
    """The rule nodes of a file: ``rules: [...]`` or a single rule mapping."""
    import yaml

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


def _number(data: Mapping[str, Any], key: str, low: float, high: float) -> float | None:
    value = data.get(key)
    if value is None:
        return None
    # bool is an int subclass; "true" is never a meaningful score
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _InvalidRule(f"'{key}' must be a number from {low:g} to {high:g}, not {value!r}")
    if not low <= value <= high:
        raise _InvalidRule(f"'{key}' must be a number from {low:g} to {high:g}, not {value:g}")
    return float(value)


def _bool(data: Mapping[str, Any], key: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise _InvalidRule(f"'{key}' must be true or false, not {value!r}")
    return value


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


def _check_query(
    query: str, languages: Sequence[str], *, trusted: bool = True, compile_check: bool = True
) -> set[str]:
    """Compile ``query`` for each language; returns its capture names.

    A language whose grammar wheel is missing is skipped: that costs only files of
    that language, not the rule everywhere else. Without ``compile_check`` (the
    built-in packs, whose every query the test suite compiles and runs) compiling
    is left to the matcher, per language actually used, which keeps start-up fast.
    """
    if not trusted and len(query) > UNTRUSTED_MAX_QUERY_CHARS:
        raise _InvalidRule(
            f"'query' is {len(query)} characters; repository rules may use at most "
            f"{UNTRUSTED_MAX_QUERY_CHARS} (split it into several rules)"
        )
    if not trusted and (shape := query_shape_problem(query)) is not None:
        raise _InvalidRule(f"'query' is refused for a repository rule: {shape}")
    for name in _PREDICATE_RE.findall(query):
        if name not in KNOWN_PREDICATES:
            raise _InvalidRule(f"'query' uses unsupported predicate #{name}")
        if not trusted and name in BACKTRACKING_PREDICATES:
            raise _InvalidRule(
                f"'query' uses #{name}, which runs a backtracking Python regex; repository "
                "rules may not use it. Use a regex rule instead ('regex' is RE2, linear time)"
            )
    names: set[str] = set()
    if not compile_check:
        return set(_CAPTURE_RE.findall(query))
    for language in languages:
        if get_language(language) is None:
            continue
        try:
            compiled = compile_query(language, query)
        except (QueryError, ValueError) as exc:
            raise _InvalidRule(f"'query' does not compile for {language}: {exc}") from None
        if compiled.pattern_count == 0:
            raise _InvalidRule("'query' has no patterns")
        if not trusted and compiled.pattern_count > UNTRUSTED_MAX_QUERY_PATTERNS:
            raise _InvalidRule(
                f"'query' has {compiled.pattern_count} patterns; repository rules may use at "
                f"most {UNTRUSTED_MAX_QUERY_PATTERNS} (split it into several rules)"
            )
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


_CAPTURE_RE = re.compile(r"@([A-Za-z_][A-Za-z0-9_.-]*)")


def _check_fix(fix: str, names: set[str]) -> None:
    missing = sorted({n for n in _TEMPLATE_RE.findall(fix)} - names - {"match"})
    if missing:
        raise _InvalidRule(f"'fix' refers to unknown capture(s): {', '.join(missing)}")


_URL_RE = re.compile(r"https://[^\s\x00-\x1f\x7f-\x9f]+")


def _url(data: Mapping[str, Any]) -> str | None:
    """The rule's documentation link: an ``https:`` URL, because editors open it
    (``codeDescription.href``) and a ``command:`` or ``file:`` link would act."""
    url = _str(data, "url")
    if url is not None and not _URL_RE.fullmatch(url):
        raise _InvalidRule(f"'url' must be an https:// URL without spaces, got {url[:80]!r}")
    return url


def _requires(data: Mapping[str, Any]) -> tuple[str, ...]:
    """Literals of which at least one must occur in a file for the rule to match.

    A cheap substring test lets the matcher skip a rule's patterns entirely on
    files that cannot match (e.g. request-flow rules on files without "request").
    """
    values = _str_list(data, "requires")
    for value in values:
        if not value.strip():
            raise _InvalidRule("'requires' entries must be non-empty strings")
    return values


def _build_rule(
    data: Any,
    pack: str,
    source: str,
    line: int,
    *,
    trusted: bool = True,
    compile_check: bool = True,
) -> Rule:
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

    owasp_llm = _str_list(data, "owasp_llm")
    for item in owasp_llm:
        if item not in OWASP_LLM_2025:
            raise _InvalidRule(
                f"'owasp_llm' entry {item!r} must be an OWASP Top 10 for LLM Applications "
                "2025 id, LLM01:2025 to LLM10:2025"
            )
    security_severity = _number(data, "security_severity", 0.0, 10.0)
    entropy = _number(data, "entropy", 0.0, MAX_ENTROPY)
    redact = _bool(data, "redact")

    query = _str(data, "query")
    regex = _str(data, "regex")
    check = _str(data, "check")
    taint = None
    if data.get("taint") is not None:
        from genguard.taint.spec import SpecError, parse_spec

        try:
            taint = parse_spec(data["taint"], trusted=trusted)
        except SpecError as exc:
            raise _InvalidRule(f"'taint': {exc}") from None
    if sum(x is not None for x in (query, regex, check, taint)) != 1:
        raise _InvalidRule("set exactly one of query, regex, taint or check")
    if entropy is not None and regex is None:
        raise _InvalidRule("'entropy' applies to regex rules only")
    names: set[str] = set()
    if taint is not None:
        from genguard.taint.run import FRONT_ENDS

        unsupported = [lang for lang in languages if lang not in FRONT_ENDS]
        if unsupported:
            raise _InvalidRule(
                f"'languages': taint rules run on {', '.join(sorted(FRONT_ENDS))} only, "
                f"not {', '.join(unsupported)}"
            )
        for key in ("fix", "entropy"):
            if key in data:
                raise _InvalidRule(f"'{key}' does not apply to taint rules")
    elif query is not None:
        if ANY_LANGUAGE in languages:
            raise _InvalidRule(
                "'languages' ['*'] rules run without a syntax tree, so they need a regex"
            )
        names = _check_query(query, languages, trusted=trusted, compile_check=compile_check)
    elif regex is not None:
        names = set(regex_group_names(_check_regex("regex", regex)))
    else:
        assert check is not None
        if check not in ALL_CHECKS:
            raise _InvalidRule(
                f"'check' {check!r} is not a built-in check ({', '.join(ALL_CHECKS)})"
            )
        for key in ("allow", "fix", "examples"):
            if key in data:
                raise _InvalidRule(f"'{key}' does not apply to check rules (they match no text)")

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
        owasp_llm=owasp_llm,
        security_severity=security_severity,
        controls=_controls(data),
        query=query,
        regex=regex,
        check=check,
        taint=taint,
        allow=allow,
        requires=_requires(data),
        entropy=entropy,
        redact=redact,
        fix=fix,
        url=_url(data),
        examples_bad=bad,
        examples_good=good,
        pack=pack,
        source=source,
        line=line,
    )


def _duplicate_keys(node: yaml.Node) -> list[str]:
    """Keys given twice in one mapping; safe_load would silently keep the last."""
    import yaml

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
    import yaml

    if isinstance(node, yaml.MappingNode):
        for key, _ in node.value:
            if isinstance(key, yaml.ScalarNode) and f"'{key.value}'" in message:
                return _line(key)
    return _line(node)


# -- files and packs -----------------------------------------------------------------


def _load_file(
    path: Path,
    pack: str,
    *,
    trusted: bool = True,
    compile_check: bool = True,
    within: Path | None = None,
) -> tuple[list[Rule], list[RuleError]]:
    import yaml

    source = str(path)
    try:
        raw = read_regular(path, limit=RULE_FILE_MAX_BYTES, within=within)
        text = raw.decode("utf-8")
    except UnsafeFileError as exc:
        return [], [RuleError(source, 0, None, f"cannot read rule file: {exc.strerror}")]
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
            rules.append(
                _build_rule(
                    _construct(node),
                    pack,
                    source,
                    line,
                    trusted=trusted,
                    compile_check=compile_check,
                )
            )
        except _InvalidRule as exc:
            message = str(exc)
            at = _field_line(node, message)
            if at != line:
                message = f"{message} (line {at})"
            errors.append(RuleError(source, line, rule_id, message))
        except yaml.YAMLError as exc:
            errors.append(RuleError(source, line, rule_id, f"invalid YAML value: {exc}"))
    return rules, errors


def _rule_files(
    root: Path, within: Path | None = None
) -> tuple[list[tuple[str, Path]], list[tuple[Path, str]]]:
    """(pack, file) pairs under ``root``.

    A file in a subdirectory belongs to the pack named after its first directory
    under ``root``; a file directly in ``root`` belongs to the pack named after
    ``root`` itself, so passing ``rules/security`` also yields pack ``security``.
    With ``within`` (a repository's rules) the walk is the bounded one of
    :func:`genguard.fileio.regular_files_under`, whose refusals come back too.
    """
    problems: list[tuple[Path, str]] = []
    if within is not None:
        paths, problems = regular_files_under(root, within=within, suffixes=RULE_FILE_SUFFIXES)
    else:
        paths = [p for p in sorted(root.rglob("*")) if p.is_file()]
    found: list[tuple[str, Path]] = []
    for path in paths:
        if path.suffix not in RULE_FILE_SUFFIXES:
            continue
        rel = path.relative_to(root)
        if any(part.startswith(".") for part in rel.parts):
            continue
        pack = rel.parts[0] if len(rel.parts) > 1 else root.name
        found.append((pack, path))
    return found, problems


def _canonical(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "name": rule.name,
        "languages": rule.languages,
        "severity": rule.severity,
        "message": rule.message,
        "cwe": rule.cwe,
        "owasp": rule.owasp,
        "owasp_llm": rule.owasp_llm,
        "requires": rule.requires,
        "security_severity": rule.security_severity,
        "controls": {k: list(v) for k, v in sorted(rule.controls.items())},
        "query": rule.query,
        "regex": rule.regex,
        "check": rule.check,
        "taint": rule.taint.canonical() if rule.taint is not None else None,
        "allow": rule.allow,
        "entropy": rule.entropy,
        "redact": rule.redact,
        "fix": rule.fix,
        "url": rule.url,
        "pack": rule.pack,
    }


def ruleset_version(rules: Sequence[Rule]) -> str:
    """sha256 over the canonical content of ``rules`` plus the genguard version."""
    digest = hashlib.sha256()
    import genguard

    digest.update(f"genguard {genguard.__version__}\n".encode())
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
    trusted: bool = True,
    within: Path | None = None,
) -> RuleSet:
    """Load every rule file under ``dirs`` (default: the built-in packs).

    ``packs`` keeps only the named packs; ``disable`` drops rule ids; ``severity``
    overrides the severity of individual rule ids. Problems never raise: they are
    collected in ``RuleSet.errors`` and the offending rule is skipped.

    ``trusted=False`` is for rules a repository supplies (``.genguard/rules``):
    queries may not use ``#match?``-family predicates (Python ``re`` backtracks)
    and are capped at ``UNTRUSTED_MAX_QUERY_PATTERNS`` patterns and
    ``UNTRUSTED_MAX_QUERY_CHARS`` characters; everything else is the same.
    ``within`` (the repository root, for its rules) bounds the walk and admits
    only regular files inside it; what is left out is reported as an error.
    """
    roots = [builtin_rules_dir()] if dirs is None else [Path(d) for d in dirs]
    # The built-in packs' queries are compiled by their tests; here they are
    # compiled lazily by the matcher, for the languages actually checked.
    compile_check = not (dirs is None and trusted)
    wanted_packs = None if packs is None else set(packs)
    disabled = set(disable)

    rules: list[Rule] = []
    errors: list[RuleError] = []
    seen: dict[str, Rule] = {}
    for root in roots:
        if not root.is_dir():
            errors.append(RuleError(str(root), 0, None, "rules directory not found"))
            continue
        files, refused = _rule_files(root, within)
        errors.extend(RuleError(str(where), 0, None, why) for where, why in refused)
        for pack, path in files:
            if wanted_packs is not None and pack not in wanted_packs:
                continue
            file_rules, file_errors = _load_file(
                path, pack, trusted=trusted, compile_check=compile_check, within=within
            )
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
