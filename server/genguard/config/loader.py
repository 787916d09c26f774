"""Load and validate ``.genguard.toml`` / ``[tool.genguard]``.

The loader never raises for bad user input: a broken or invalid configuration
must not switch the guard off, so every problem is reported as a
:class:`ConfigProblem` (with a best-effort line, for showing in the editor) and
the affected key falls back to its safe default while all valid keys apply.
It is pure (filesystem reads only) so the CLI and the language server share it.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

from genguard.config.settings import (
    REQUIRE_REVIEW,
    SCOPES,
    SEVERITIES,
    AgentRiskSettings,
    CacheSettings,
    GovernanceSettings,
    HeuristicSettings,
    HookSettings,
    LedgerSettings,
    RuleSettings,
    ScanSettings,
    Settings,
    SigningSettings,
    TelemetrySettings,
)
from genguard.fileio import CONFIG_MAX_BYTES, read_regular

CONFIG_FILENAME = ".genguard.toml"
PYPROJECT_FILENAME = "pyproject.toml"
PYPROJECT_TABLE: tuple[str, ...] = ("tool", "genguard")

ProblemSeverity = Literal["error", "warning"]

T = TypeVar("T")

_TOP_KEYS = (
    "scope",
    "unreviewed_diagnostic",
    "approved_tools",
    "reviewer",
    "heuristics",
    "rules",
    "cache",
    "ledger",
    "scan",
    "governance",
    "hooks",
    "signing",
    "agent_risk",
    "telemetry",
)
_HEURISTIC_KEYS = ("min_lines", "min_chars")
_RULE_KEYS = ("packs", "disable", "enable", "severity", "repository")
_GOVERNANCE_KEYS = (
    "protected_paths",
    "approved_models",
    "max_chunk_lines",
    "banned_imports",
    "license_header",
)
_TOGGLE_KEYS = ("enabled",)
_SCAN_KEYS = ("exclude", "max_file_bytes")
_HOOK_KEYS = ("require_review", "timeout", "fail_closed", "standby")
_SIGNING_KEYS = ("key", "allowed_signers")
_TELEMETRY_KEYS = ("enabled", "otlp_endpoint")
_AGENT_RISK_KEYS = ("guardrail_globs", "max_files_per_checkpoint")


@dataclass(frozen=True, kw_only=True)
class ConfigProblem:
    """One problem found in a configuration file.

    ``line`` is 1-based, or ``None`` when the position could not be determined.
    ``key`` is the dotted key concerned (relative to the genguard table), if any.
    """

    path: Path
    line: int | None
    message: str
    severity: ProblemSeverity = "error"
    key: str | None = None

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True, kw_only=True)
class LoadResult:
    """Settings to use, where they came from, and what was wrong with the input.

    ``source`` is the configuration file that was selected (even if it was
    unusable), or ``None`` when the workspace has no genguard configuration.
    """

    settings: Settings
    source: Path | None
    problems: tuple[ConfigProblem, ...] = ()

    @property
    def errors(self) -> tuple[ConfigProblem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")


# ---------------------------------------------------------------------------
# Public entry points
# ---------------------------------------------------------------------------


def load_settings(root: Path) -> LoadResult:
    """Load the configuration of the workspace at ``root``.

    ``.genguard.toml`` wins over ``[tool.genguard]`` in ``pyproject.toml``; when
    both exist a warning on the pyproject section says it was ignored, so users
    are not left wondering why their edits there have no effect.
    """
    root = Path(root)
    config_path = root / CONFIG_FILENAME
    pyproject_path = root / PYPROJECT_FILENAME

    if config_path.exists():
        text, problem = _read_text(config_path, root)
        if problem is not None:
            result = LoadResult(
                settings=Settings.default(), source=config_path, problems=(problem,)
            )
        else:
            result = parse_settings(text, config_path)
        note = _shadowed_pyproject_note(pyproject_path, root)
        if note is None:
            return result
        return LoadResult(
            settings=result.settings,
            source=result.source,
            problems=(*result.problems, note),
        )

    if pyproject_path.exists():
        text, problem = _read_text(pyproject_path, root)
        if problem is not None:
            # We cannot tell whether it holds our table; say so without
            # claiming the configuration is broken.
            warning = ConfigProblem(
                path=pyproject_path,
                line=problem.line,
                message=f"could not look for [tool.genguard]: {problem.message}",
                severity="warning",
            )
            return LoadResult(settings=Settings.default(), source=None, problems=(warning,))
        return parse_settings(text, pyproject_path, table=PYPROJECT_TABLE)

    return LoadResult(settings=Settings.default(), source=None)


def parse_settings(text: str, path: Path, *, table: tuple[str, ...] = ()) -> LoadResult:
    """Parse configuration ``text`` read from ``path``.

    ``table`` locates the genguard table inside the document (``("tool",
    "genguard")`` for pyproject.toml). When the table is absent the result has
    defaults and ``source=None``. A syntax error in a file that does not appear
    to contain the table is not reported: that file belongs to other tools.
    """
    path = Path(path)
    index = _KeyIndex(text)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        if table and not index.contains(table):
            return LoadResult(settings=Settings.default(), source=None)
        line, message = _decode_error_position(exc, text)
        problem = ConfigProblem(
            path=path,
            line=line,
            message=f"invalid TOML, using default settings: {message}",
        )
        return LoadResult(settings=Settings.default(), source=path, problems=(problem,))

    data: Any = document
    for depth, part in enumerate(table):
        if not isinstance(data, dict) or part not in data:
            return LoadResult(settings=Settings.default(), source=None)
        data = data[part]
        if not isinstance(data, dict):
            name = ".".join(table[: depth + 1])
            problem = ConfigProblem(
                path=path,
                line=index.line_for(table[: depth + 1], floor=1),
                message=f"'{name}' must be a table, got {_describe(data)}; using default settings",
                key=None,
            )
            return LoadResult(settings=Settings.default(), source=path, problems=(problem,))

    checker = _Checker(path=path, index=index, table=table)
    settings = checker.settings(data)
    return LoadResult(settings=settings, source=path, problems=checker.sorted_problems())


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------


def _read_text(path: Path, root: Path) -> tuple[str, ConfigProblem | None]:
    """Read ``path`` as UTF-8 (a BOM is tolerated), turning failures into problems.

    Only a regular file inside ``root`` and under the size cap is read: the
    file is repository content, and a link to a device, a FIFO or a file
    elsewhere is refused with the reason (see :func:`genguard.fileio.read_regular`).
    """
    try:
        raw = read_regular(path, limit=CONFIG_MAX_BYTES, within=root)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return "", ConfigProblem(
            path=path, line=None, message=f"cannot read file, using default settings: {reason}"
        )
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return "", ConfigProblem(
            path=path,
            line=line,
            message="file is not valid UTF-8, using default settings",
        )


def _shadowed_pyproject_note(pyproject_path: Path, root: Path) -> ConfigProblem | None:
    """A warning if pyproject.toml has a genguard section that is being ignored."""
    if not pyproject_path.exists():
        return None
    try:
        raw = read_regular(pyproject_path, limit=CONFIG_MAX_BYTES, within=root)
        text = raw.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    index = _KeyIndex(text)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        present = index.contains(PYPROJECT_TABLE)
    else:
        present = isinstance(document.get("tool"), dict) and "genguard" in document["tool"]
    if not present:
        return None
    return ConfigProblem(
        path=pyproject_path,
        line=index.line_for(PYPROJECT_TABLE, floor=len(PYPROJECT_TABLE)),
        message=f"[tool.genguard] ignored: {CONFIG_FILENAME} takes precedence",
        severity="warning",
    )


_POSITION_RE = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_END_RE = re.compile(r"\s*\(at end of document\)\s*$")


def _decode_error_position(exc: tomllib.TOMLDecodeError, text: str) -> tuple[int | None, str]:
    """Split tomllib's message into (line, message with column)."""
    message = str(exc)
    match = _POSITION_RE.search(message)
    if match:
        base = message[: match.start()]
        return int(match.group(1)), f"{base} (column {match.group(2)})"
    match = _END_RE.search(message)
    if match:
        last = len(text.splitlines()) or 1
        return last, f"{message[: match.start()]} (at end of file)"
    lineno = getattr(exc, "lineno", None)
    return (lineno if isinstance(lineno, int) else None), message


# ---------------------------------------------------------------------------
# Locating keys in the source text
# ---------------------------------------------------------------------------

_BARE_KEY_RE = re.compile(r"[A-Za-z0-9_-]+")


def _skip_ws(s: str, i: int) -> int:
    while i < len(s) and s[i] in " \t":
        i += 1
    return i


def _parse_key(s: str, i: int) -> tuple[tuple[str, ...], int] | None:
    """Parse a (dotted, possibly quoted) TOML key starting at ``s[i]``."""
    parts: list[str] = []
    n = len(s)
    while True:
        i = _skip_ws(s, i)
        if i >= n:
            return None
        ch = s[i]
        if ch == '"':
            j = i + 1
            while j < n and s[j] != '"':
                j += 2 if s[j] == "\\" else 1
            if j >= n:
                return None
            raw = s[i + 1 : j]
            try:
                parts.append(json.loads(f'"{raw}"'))
            except ValueError:
                parts.append(raw)
            i = j + 1
        elif ch == "'":
            j = s.find("'", i + 1)
            if j < 0:
                return None
            parts.append(s[i + 1 : j])
            i = j + 1
        else:
            match = _BARE_KEY_RE.match(s, i)
            if not match:
                return None
            parts.append(match.group())
            i = match.end()
        i = _skip_ws(s, i)
        if i < n and s[i] == ".":
            i += 1
            continue
        return tuple(parts), i


def _scan_value(s: str, i: int, depth: int) -> tuple[int, str | None]:
    """Track bracket depth through a value; return (depth, open multi-line delimiter)."""
    n = len(s)
    while i < n:
        ch = s[i]
        if ch == "#":
            break
        if s.startswith('"""', i) or s.startswith("'''", i):
            delim = s[i : i + 3]
            j = s.find(delim, i + 3)
            if j < 0:
                return depth, delim
            i = j + 3
            continue
        if ch == '"':
            j = i + 1
            while j < n and s[j] != '"':
                j += 2 if s[j] == "\\" else 1
            i = j + 1
            continue
        if ch == "'":
            j = s.find("'", i + 1)
            i = n if j < 0 else j + 1
            continue
        if ch in "[{":
            depth += 1
        elif ch in "]}":
            depth = max(0, depth - 1)
        i += 1
    return depth, None


class _KeyIndex:
    """First line (1-based) on which each table header or key path appears.

    tomllib reports no positions, so this light scanner recovers them well
    enough to point diagnostics at the right line. Keys written inside inline
    tables are not indexed; lookups then fall back to the enclosing key.
    """

    def __init__(self, text: str) -> None:
        self._lines: dict[tuple[str, ...], int] = {}
        current: tuple[str, ...] = ()
        depth = 0
        pending: str | None = None  # open multi-line string delimiter
        for lineno, line in enumerate(text.splitlines(), start=1):
            start = 0
            if pending is not None:
                end = line.find(pending)
                if end < 0:
                    continue
                pending = None
                start = end + 3
                depth, pending = _scan_value(line, start, depth)
                continue
            if depth > 0:
                depth, pending = _scan_value(line, 0, depth)
                continue
            stripped = line.lstrip()
            if not stripped or stripped.startswith("#"):
                continue
            offset = len(line) - len(stripped)
            if stripped.startswith("["):
                double = stripped.startswith("[[")
                parsed = _parse_key(line, offset + (2 if double else 1))
                if parsed and line[parsed[1] :].startswith("]]" if double else "]"):
                    current = parsed[0]
                    self._add(current, lineno)
                continue
            parsed = _parse_key(line, offset)
            if not parsed or not line[parsed[1] :].startswith("="):
                continue
            self._add(current + parsed[0], lineno)
            depth, pending = _scan_value(line, parsed[1] + 1, 0)

    def _add(self, key: tuple[str, ...], lineno: int) -> None:
        for k in range(1, len(key) + 1):
            self._lines.setdefault(key[:k], lineno)

    def contains(self, key: tuple[str, ...]) -> bool:
        return key in self._lines

    def line_for(self, key: tuple[str, ...], *, floor: int) -> int | None:
        """Line of ``key``, else of its nearest indexed ancestor at least ``floor`` long."""
        for k in range(len(key), max(floor, 1) - 1, -1):
            line = self._lines.get(key[:k])
            if line is not None:
                return line
        return None


# ---------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------


def _describe(value: object) -> str:
    """Name a TOML value for messages, e.g. ``string 'two'``."""
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, int):
        return f"integer {value}"
    if isinstance(value, float):
        return f"float {value}"
    if isinstance(value, str):
        return f"string {json.dumps(value, ensure_ascii=False)}"
    if isinstance(value, list):
        for item in value:
            if not isinstance(item, str):
                return f"an array containing {_describe(item)}"
            if not item.strip():
                return "an array containing an empty string"
        return "an array"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, _dt.date | _dt.time):
        return f"date/time {value.isoformat()}"
    return type(value).__name__


def _dotted(key: tuple[str, ...]) -> str:
    return ".".join(p if _BARE_KEY_RE.fullmatch(p) else json.dumps(p) for p in key)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_str_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def _glob_problem(pattern: str) -> str | None:
    """Why ``pattern`` is not a usable gitignore-style glob, or None when it is."""
    if pattern.startswith("!"):
        return "negations are not supported here; list only what is protected"
    try:
        import pathspec  # only when globs are configured: keeps hook start-up cheap

        spec = pathspec.GitIgnoreSpec.from_lines([pattern])
    except Exception as exc:  # pathspec raises various errors for bad patterns
        return str(exc) or type(exc).__name__
    if not spec.patterns or all(p.include is None for p in spec.patterns):
        return "it matches nothing"
    return None


class _Checker:
    """Validates a genguard table key by key, collecting problems."""

    def __init__(self, *, path: Path, index: _KeyIndex, table: tuple[str, ...]) -> None:
        self.path = path
        self.index = index
        self.table = table
        self.problems: list[ConfigProblem] = []

    # -- reporting --------------------------------------------------------

    def _report(self, key: tuple[str, ...], message: str, severity: ProblemSeverity) -> None:
        line = self.index.line_for(self.table + key, floor=len(self.table) + 1)
        self.problems.append(
            ConfigProblem(
                path=self.path, line=line, message=message, severity=severity, key=_dotted(key)
            )
        )

    def invalid(self, key: tuple[str, ...], expected: str, value: object, default: object) -> None:
        if isinstance(default, tuple):
            default = list(default)
        elif isinstance(default, Mapping):
            default = dict(default)
        suffix = "" if default is None else f" {json.dumps(default)}"
        self._report(
            key,
            f"{_dotted(key)} must be {expected}, got {_describe(value)}; using the default{suffix}",
            "error",
        )

    def sorted_problems(self) -> tuple[ConfigProblem, ...]:
        big = 1 << 62
        return tuple(sorted(self.problems, key=lambda p: p.line or big))

    # -- structure ---------------------------------------------------------

    def section(
        self, data: Mapping[str, Any], prefix: tuple[str, ...], known: tuple[str, ...]
    ) -> dict[str, Any]:
        """``data`` restricted to ``known`` keys, warning about the rest."""
        for name in data:
            if name in known:
                continue
            key = (*prefix, name)
            message = f"unknown key '{_dotted(key)}' (known: {', '.join(sorted(known))})"
            from difflib import get_close_matches

            close = get_close_matches(name, known, n=1)
            if close:
                message += f"; did you mean '{close[0]}'?"
            self._report(key, message, "warning")
        return {k: v for k, v in data.items() if k in known}

    def subtable(self, data: Mapping[str, Any], name: str) -> dict[str, Any]:
        value = data.get(name, {})
        if isinstance(value, dict):
            return value
        self._report(
            (name,),
            f"{name} must be a table, got {_describe(value)}; using defaults for [{name}]",
            "error",
        )
        return {}

    def value(
        self,
        data: Mapping[str, Any],
        key: tuple[str, ...],
        default: T,
        expected: str,
        check: Callable[[Any], bool],
        convert: Callable[[Any], T] = lambda v: v,
    ) -> T:
        """``data[key[-1]]`` converted if it passes ``check``, else ``default`` (reported)."""
        name = key[-1]
        if name not in data:
            return default
        raw = data[name]
        if not check(raw):
            self.invalid(key, expected, raw, default)
            return default
        return convert(raw)

    # -- the schema --------------------------------------------------------

    def settings(self, data: Mapping[str, Any]) -> Settings:
        defaults = Settings.default()
        top = self.section(data, (), _TOP_KEYS)
        scope = self.value(
            top,
            ("scope",),
            defaults.scope,
            "one of " + ", ".join(f'"{s}"' for s in SCOPES),
            lambda v: v in SCOPES,
        )
        unreviewed = self.value(
            top,
            ("unreviewed_diagnostic",),
            defaults.unreviewed_diagnostic,
            "a boolean",
            lambda v: isinstance(v, bool),
        )
        approved = self.value(
            top,
            ("approved_tools",),
            defaults.approved_tools,
            "an array of non-empty strings",
            _is_str_list,
            lambda v: tuple(s.strip() for s in v),
        )
        reviewer = self.value(
            top,
            ("reviewer",),
            defaults.reviewer,
            "a string",
            lambda v: isinstance(v, str),
            lambda v: v.strip() or None,
        )
        return Settings(
            scope=scope,
            unreviewed_diagnostic=unreviewed,
            approved_tools=approved,
            reviewer=reviewer,
            heuristics=self.heuristics(self.subtable(top, "heuristics")),
            rules=self.rules(self.subtable(top, "rules")),
            cache=CacheSettings(enabled=self.toggle(top, "cache", CacheSettings().enabled)),
            ledger=LedgerSettings(enabled=self.toggle(top, "ledger", LedgerSettings().enabled)),
            scan=self.scan(self.subtable(top, "scan")),
            governance=self.governance(self.subtable(top, "governance")),
            hooks=self.hooks(self.subtable(top, "hooks")),
            signing=self.signing(self.subtable(top, "signing")),
            telemetry=self.telemetry(self.subtable(top, "telemetry")),
            agent_risk=self.agent_risk(self.subtable(top, "agent_risk")),
        )

    def agent_risk(self, data: Mapping[str, Any]) -> AgentRiskSettings:
        defaults = AgentRiskSettings()
        data = self.section(data, ("agent_risk",), _AGENT_RISK_KEYS)
        globs = self.value(
            data,
            ("agent_risk", "guardrail_globs"),
            defaults.guardrail_globs,
            "an array of non-empty glob strings",
            _is_str_list,
            lambda v: tuple(s.strip() for s in v),
        )
        kept = []
        for pattern in globs:
            problem = _glob_problem(pattern)
            if problem is None:
                kept.append(pattern)
            else:
                self._report(
                    ("agent_risk", "guardrail_globs"),
                    f"agent_risk.guardrail_globs: {pattern!r} is not a valid glob ({problem});"
                    " it is ignored",
                    "error",
                )
        return AgentRiskSettings(
            guardrail_globs=tuple(kept),
            max_files_per_checkpoint=self.value(
                data,
                ("agent_risk", "max_files_per_checkpoint"),
                defaults.max_files_per_checkpoint,
                "an integer >= 0 (0 turns the limit off)",
                lambda v: _is_int(v) and v >= 0,
            ),
        )

    def telemetry(self, data: Mapping[str, Any]) -> TelemetrySettings:
        data = self.section(data, ("telemetry",), _TELEMETRY_KEYS)
        return TelemetrySettings(
            enabled=self.value(
                data, ("telemetry", "enabled"), False, "a boolean", lambda v: isinstance(v, bool)
            ),
            otlp_endpoint=self.value(
                data,
                ("telemetry", "otlp_endpoint"),
                None,
                'an http(s) URL such as "http://localhost:4318"',
                lambda v: isinstance(v, str) and v.strip().startswith(("http://", "https://")),
                lambda v: v.strip(),
            ),
        )

    def hooks(self, data: Mapping[str, Any]) -> HookSettings:
        defaults = HookSettings()
        data = self.section(data, ("hooks",), _HOOK_KEYS)
        return HookSettings(
            require_review=self.value(
                data,
                ("hooks", "require_review"),
                defaults.require_review,
                "one of " + ", ".join(f'"{s}"' for s in REQUIRE_REVIEW),
                lambda v: v in REQUIRE_REVIEW,
            ),
            timeout=self.value(
                data,
                ("hooks", "timeout"),
                defaults.timeout,
                "a number of seconds > 0 and <= 600",
                lambda v: isinstance(v, int | float) and not isinstance(v, bool) and 0 < v <= 600,
                float,
            ),
            fail_closed=self.value(
                data,
                ("hooks", "fail_closed"),
                defaults.fail_closed,
                "a boolean",
                lambda v: isinstance(v, bool),
            ),
            standby=self.value(
                data,
                ("hooks", "standby"),
                defaults.standby,
                "a boolean",
                lambda v: isinstance(v, bool),
            ),
        )

    def signing(self, data: Mapping[str, Any]) -> SigningSettings:
        data = self.section(data, ("signing",), _SIGNING_KEYS)
        paths = {
            name: self.value(
                data,
                ("signing", name),
                None,
                what,
                lambda v: isinstance(v, str),
                lambda v: v.strip() or None,
            )
            for name, what in (
                ("key", "a path to an SSH key"),
                ("allowed_signers", "a path to an allowed-signers file"),
            )
        }
        return SigningSettings(**paths)

    def governance(self, data: Mapping[str, Any]) -> GovernanceSettings:
        defaults = GovernanceSettings()
        data = self.section(data, ("governance",), _GOVERNANCE_KEYS)
        lists: dict[str, tuple[str, ...]] = {}
        for name in ("protected_paths", "approved_models", "banned_imports"):
            lists[name] = self.value(
                data,
                ("governance", name),
                getattr(defaults, name),
                "an array of non-empty strings",
                _is_str_list,
                lambda v: tuple(s.strip() for s in v),
            )
        globs = []
        for pattern in lists["protected_paths"]:
            problem = _glob_problem(pattern)
            if problem is None:
                globs.append(pattern)
            else:
                self._report(
                    ("governance", "protected_paths"),
                    f"governance.protected_paths: {pattern!r} is not a valid glob ({problem});"
                    " it is ignored",
                    "error",
                )
        for name in lists["banned_imports"]:
            if any(c.isspace() for c in name):
                self._report(
                    ("governance", "banned_imports"),
                    f"governance.banned_imports: {name!r} is not a module or package name"
                    " (it contains whitespace); it is ignored",
                    "error",
                )
        return GovernanceSettings(
            protected_paths=tuple(globs),
            approved_models=lists["approved_models"],
            banned_imports=tuple(
                n for n in lists["banned_imports"] if not any(c.isspace() for c in n)
            ),
            max_chunk_lines=self.value(
                data,
                ("governance", "max_chunk_lines"),
                defaults.max_chunk_lines,
                "an integer >= 0 (0 turns the limit off)",
                lambda v: _is_int(v) and v >= 0,
            ),
            license_header=self.value(
                data,
                ("governance", "license_header"),
                defaults.license_header,
                "a string",
                lambda v: isinstance(v, str),
                lambda v: v.strip("\r\n") if v.strip() else None,
            ),
        )

    def scan(self, data: Mapping[str, Any]) -> ScanSettings:
        defaults = ScanSettings()
        data = self.section(data, ("scan",), _SCAN_KEYS)
        return ScanSettings(
            exclude=self.value(
                data,
                ("scan", "exclude"),
                defaults.exclude,
                "an array of non-empty glob strings",
                _is_str_list,
                lambda v: tuple(s.strip() for s in v),
            ),
            max_file_bytes=self.value(
                data,
                ("scan", "max_file_bytes"),
                defaults.max_file_bytes,
                "an integer >= 1",
                lambda v: _is_int(v) and v >= 1,
            ),
        )

    def heuristics(self, data: Mapping[str, Any]) -> HeuristicSettings:
        defaults = HeuristicSettings()
        data = self.section(data, ("heuristics",), _HEURISTIC_KEYS)
        return HeuristicSettings(
            min_lines=self.value(
                data,
                ("heuristics", "min_lines"),
                defaults.min_lines,
                "an integer >= 1",
                lambda v: _is_int(v) and v >= 1,
            ),
            min_chars=self.value(
                data,
                ("heuristics", "min_chars"),
                defaults.min_chars,
                "an integer >= 0",
                lambda v: _is_int(v) and v >= 0,
            ),
        )

    def rules(self, data: Mapping[str, Any]) -> RuleSettings:
        defaults = RuleSettings()
        data = self.section(data, ("rules",), _RULE_KEYS)
        lists: dict[str, tuple[str, ...]] = {}
        for name in ("packs", "disable", "enable"):
            lists[name] = self.value(
                data,
                ("rules", name),
                getattr(defaults, name),
                "an array of non-empty strings",
                _is_str_list,
                lambda v: tuple(s.strip() for s in v),
            )
        for rule_id in sorted(set(lists["disable"]) & set(lists["enable"])):
            self._report(
                ("rules", "enable"),
                f"rule '{rule_id}' is both enabled and disabled; it stays disabled",
                "warning",
            )
        return RuleSettings(
            packs=lists["packs"],
            disable=lists["disable"],
            enable=lists["enable"],
            repository=self.value(
                data,
                ("rules", "repository"),
                defaults.repository,
                "a boolean",
                lambda v: isinstance(v, bool),
            ),
            severity=self.severity(data),
        )

    def severity(self, data: Mapping[str, Any]) -> dict[str, Any]:
        if "severity" not in data:
            return {}
        table = data["severity"]
        if not isinstance(table, dict):
            self.invalid(("rules", "severity"), "a table of rule id = severity", table, {})
            return {}
        allowed = ", ".join(f'"{s}"' for s in SEVERITIES)
        result: dict[str, Any] = {}
        for rule_id, level in table.items():
            key = ("rules", "severity", rule_id)
            if level in SEVERITIES:
                result[rule_id] = level
            else:
                self._report(
                    key,
                    f"{_dotted(key)} must be one of {allowed}, got {_describe(level)}; "
                    "the rule keeps its own severity",
                    "error",
                )
        return result

    def toggle(self, data: Mapping[str, Any], name: str, default: bool) -> bool:
        """The ``enabled`` flag of a ``[cache]``-style section."""
        section = self.section(self.subtable(data, name), (name,), _TOGGLE_KEYS)
        return self.value(
            section, (name, "enabled"), default, "a boolean", lambda v: isinstance(v, bool)
        )
