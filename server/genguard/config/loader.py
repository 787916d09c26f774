"""Load and validate the configuration layers: organisation policy, user config and
the repository's ``.genguard.toml`` / ``[tool.genguard]``.

The loader never raises for bad user input: a broken or invalid configuration
must not switch the guard off, so every problem is reported as a
:class:`ConfigProblem` (with a best-effort line, for showing in the editor) and
the affected key falls back to its safe default while all valid keys apply.
What is valid comes from the declarations in :mod:`genguard.config.settings`
(:mod:`genguard.config.options`); nothing here names a key. It is pure
(filesystem reads only) so the CLI and the language server share it.

Layers (:mod:`genguard.config.paths`) override each other key by key, with two
limits declared per key: a repository cannot set what only the user or the
organisation may (``trust="user"``), and nobody below the organisation can go
below a floor it sets (``floor=True``). Either attempt is refused, kept as a
problem on the repository's line (``refused=True``) and never applied.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from genguard.config.options import DEFAULT, Declared, build, describe, dotted, walk
from genguard.config.paths import (
    ORG_POLICY_ENV,
    USER_CONFIG_ENV,
    org_policy_file,
    user_config_file,
)
from genguard.config.settings import Settings
from genguard.fileio import CONFIG_MAX_BYTES, read_regular
from genguard.values import FrozenValue

if TYPE_CHECKING:  # the TOML parser is imported only when there is a file to read
    from genguard.config.positions import KeyIndex

CONFIG_FILENAME = ".genguard.toml"
PYPROJECT_FILENAME = "pyproject.toml"
PYPROJECT_TABLE: tuple[str, ...] = ("tool", "genguard")

ProblemSeverity = Literal["error", "warning"]

Values = dict[tuple[str, ...], Any]
"""Checked values of the keys one file sets, by key path."""

Layer = Literal["organisation", "user", "repository"]
LAYERS: tuple[Layer, ...] = ("organisation", "user", "repository")
"""From least to most specific: a later layer overrides an earlier one."""


@dataclass(frozen=True, kw_only=True, repr=False, eq=False)
class ConfigProblem(FrozenValue):
    """One problem found in a configuration file.

    ``line`` is 1-based, or ``None`` when the position could not be determined.
    ``key`` is the dotted key concerned (relative to the genguard table), if any.
    """

    path: Path
    line: int | None
    message: str
    severity: ProblemSeverity = "error"
    key: str | None = None
    refused: bool = False
    """A layer tried what it may not (see the module docstring); the rest applies."""

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True, kw_only=True, repr=False, eq=False)
class LoadResult(FrozenValue):
    """Settings to use, where they came from, and what was wrong with the input.

    ``source`` is the configuration file that was selected (even if it was
    unusable), or ``None`` when the workspace has no genguard configuration.
    ``values`` holds the checked values of the keys that file set.
    """

    settings: Settings
    source: Path | None
    problems: tuple[ConfigProblem, ...] = ()
    values: Values = field(default_factory=dict, compare=False, repr=False)
    lines: dict[tuple[str, ...], int | None] = field(
        default_factory=dict, compare=False, repr=False
    )
    layers: tuple[tuple[Layer, Path], ...] = ()
    """The trusted files read (organisation, user), beside ``source``."""
    origins: dict[tuple[str, ...], Path] = field(default_factory=dict, compare=False, repr=False)
    """The file whose value each key set has (the last layer that set it)."""

    @property
    def errors(self) -> tuple[ConfigProblem, ...]:
        """Mistakes in the input (refused settings are not: the rest still applies)."""
        return tuple(p for p in self.problems if p.severity == "error" and not p.refused)

    @property
    def refused(self) -> tuple[ConfigProblem, ...]:
        return tuple(p for p in self.problems if p.refused)


# ---------------------------------------------------------------------------
# Public entry points
# ---------------------------------------------------------------------------


def load_settings(root: Path) -> LoadResult:
    """The settings of the workspace at ``root``: defaults, then the organisation's
    policy, the user's configuration and the repository's, key by key.

    ``source`` is the repository's file. Problems of every layer are returned,
    each with its own path; refused repository settings are among them.
    """
    root = Path(root)
    trusted: list[tuple[Layer, LoadResult]] = []
    for layer, path, named in (
        ("organisation", org_policy_file(), ORG_POLICY_ENV),
        ("user", user_config_file(), USER_CONFIG_ENV),
    ):
        # a file named explicitly must exist: a policy that silently is not read would
        # leave its floors unenforced
        if path is not None and (path.exists() or path.is_symlink() or os.environ.get(named)):
            trusted.append((layer, read_file(path)))
    repository = read_repository(root)
    values, refused, origins = merge([*trusted, ("repository", repository)])
    problems = [p for _, result in trusted for p in result.problems]
    return LoadResult(
        settings=build(Settings, values),
        source=repository.source,
        problems=(*problems, *repository.problems, *refused),
        values=values,
        layers=tuple((layer, result.source) for layer, result in trusted if result.source),
        origins=origins,
    )


def _locked(declared: Declared, layer: Layer, floors: dict[Any, Any]) -> str | None:
    """The refusal when ``layer`` may not set a key under the floors set so far."""
    key, lock = declared.key, declared.option.lock
    if lock is None or layer in lock.open_to or lock.by not in floors:
        return None
    floor, where = floors[lock.by]
    if lock.when is not None and floor != lock.when:
        return None
    who = "it" if lock.open_to == ("organisation",) else "it or the user's configuration"
    on = dotted(lock.by) + ("" if lock.when is None else f" = {json.dumps(lock.when)}")
    return (
        f"{dotted(key)} is ignored here: the organisation policy ({where}) sets a floor on"
        f" {on}, so only {who} may {lock.what}"
    )


def merge(
    layers: list[tuple[Layer, LoadResult]],
) -> tuple[Values, list[ConfigProblem], dict[tuple[str, ...], Path]]:
    """Values of ``layers`` (least specific first) applied in turn, what was refused,
    and the file each kept value came from."""
    declared = {d.key: d for d in walk(Settings)}
    floors: dict[tuple[str, ...], tuple[Any, Path | None]] = {}
    values: Values = {}
    origins: dict[tuple[str, ...], Path] = {}
    refused: list[ConfigProblem] = []
    for layer, result in layers:
        for key, value in result.values.items():
            option = declared[key].option

            def refuse(message: str, key: tuple[str, ...] = key, result: LoadResult = result):
                refused.append(
                    ConfigProblem(
                        path=result.source or Path("."),
                        line=result.lines.get(key),
                        message=message,
                        key=dotted(key),
                        refused=True,
                    )
                )

            if layer == "repository" and option.trust == "user":
                refuse(
                    f"{dotted(key)} is ignored here: only the user's or the organisation's"
                    " configuration may set it (a repository must not choose it)"
                )
                continue
            locked = _locked(declared[key], layer, floors)
            if locked is not None:
                refuse(locked)
                continue
            if key in floors and option.kind.weaker(value, floors[key][0]):
                floor, where = floors[key]
                value = option.kind.raise_to(value, floor)
                refuse(
                    f"{dotted(key)} cannot go below the organisation policy ({where}):"
                    f" it requires {json.dumps(option.kind.plain(floor))};"
                    f" using {json.dumps(option.kind.plain(value))}"
                )
            if layer == "organisation" and option.floor:
                floors[key] = (value, result.source)
            values[key] = value
            if result.source is not None:
                origins[key] = result.source
    return values, refused, origins


def read_repository(root: Path) -> LoadResult:
    """The repository's own configuration file, checked (its settings use defaults
    for everything it does not set)."""
    config_path = root / CONFIG_FILENAME
    pyproject_path = root / PYPROJECT_FILENAME

    if config_path.exists():
        result = read_file(config_path, within=root)
        note = _shadowed_pyproject_note(pyproject_path, root)
        if note is None:
            return result
        return dataclasses.replace(result, problems=(*result.problems, note))

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


def read_file(path: Path, *, within: Path | None = None) -> LoadResult:
    """A genguard configuration file (the whole file is the genguard table); with
    ``within``, only a regular file inside that directory is read."""
    text, problem = _read_text(path, within)
    if problem is not None:
        return LoadResult(settings=Settings.default(), source=path, problems=(problem,))
    return parse_settings(text, path)


def parse_settings(text: str, path: Path, *, table: tuple[str, ...] = ()) -> LoadResult:
    """Parse configuration ``text`` read from ``path``.

    ``table`` locates the genguard table inside the document (``("tool",
    "genguard")`` for pyproject.toml). When the table is absent the result has
    defaults and ``source=None``. A syntax error in a file that does not appear
    to contain the table is not reported: that file belongs to other tools.
    """
    import tomllib

    from genguard.config.positions import KeyIndex, decode_error_position

    path = Path(path)
    index = KeyIndex(text)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        if table and not index.contains(table):
            return LoadResult(settings=Settings.default(), source=None)
        line, message = decode_error_position(exc, text)
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
                message=f"'{name}' must be a table, got {describe(data)}; using default settings",
                key=None,
            )
            return LoadResult(settings=Settings.default(), source=path, problems=(problem,))

    checker = _Checker(path=path, index=index, table=table)
    checker.table_of(Settings, data, ())
    checker.cross_checks()
    return LoadResult(
        settings=build(Settings, checker.values),
        source=path,
        problems=checker.sorted_problems(),
        values=checker.values,
        lines={key: index.line_for(table + key, floor=len(table) + 1) for key in checker.values},
    )


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------


def _read_text(path: Path, within: Path | None) -> tuple[str, ConfigProblem | None]:
    """Read ``path`` as UTF-8 (a BOM is tolerated), turning failures into problems.

    Only a regular file (inside ``within`` when given) under the size cap is read:
    a link to a device, a FIFO or a file elsewhere is refused with the reason
    (see :func:`genguard.fileio.read_regular`).
    """
    try:
        raw = read_regular(path, limit=CONFIG_MAX_BYTES, within=within)
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
    import tomllib

    from genguard.config.positions import KeyIndex

    index = KeyIndex(text)
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


# ---------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------


class _Checker:
    """Checks a genguard table against the declarations, collecting values and problems."""

    def __init__(self, *, path: Path, index: KeyIndex, table: tuple[str, ...]) -> None:
        self.path = path
        self.index = index
        self.table = table
        self.problems: list[ConfigProblem] = []
        self.values: Values = {}

    def report(self, key: tuple[str, ...], message: str, severity: ProblemSeverity) -> None:
        line = self.index.line_for(self.table + key, floor=len(self.table) + 1)
        self.problems.append(
            ConfigProblem(
                path=self.path, line=line, message=message, severity=severity, key=dotted(key)
            )
        )

    def sorted_problems(self) -> tuple[ConfigProblem, ...]:
        big = 1 << 62
        return tuple(sorted(self.problems, key=lambda p: p.line or big))

    def table_of(self, cls: type, data: Mapping[str, Any], prefix: tuple[str, ...]) -> None:
        """Check ``data`` (the table at ``prefix``) against the keys ``cls`` declares."""
        fields = {f.name: f for f in dataclasses.fields(cls)}
        for name in data:
            if name not in fields:
                self.unknown((*prefix, name), tuple(fields))
        for name, f in fields.items():
            if name not in data:
                continue
            key, raw = (*prefix, name), data[name]
            if "option" in f.metadata:
                self.value(Declared(key, f, f.metadata["option"]), raw)
            elif isinstance(raw, dict):
                self.table_of(f.default_factory, raw, key)  # type: ignore[arg-type]
            else:
                where = dotted(key)
                self.report(
                    key,
                    f"{where} must be a table, got {describe(raw)}; using defaults for [{where}]",
                    "error",
                )

    def unknown(self, key: tuple[str, ...], known: tuple[str, ...]) -> None:
        from difflib import get_close_matches

        message = f"unknown key '{dotted(key)}' (known: {', '.join(sorted(known))})"
        close = get_close_matches(key[-1], known, n=1)
        if close:
            message += f"; did you mean '{close[0]}'?"
        self.report(key, message, "warning")

    def value(self, declared: Declared, raw: Any) -> None:
        """Keep ``raw`` converted if its kind accepts it; otherwise report and leave the
        key to its default."""
        key, kind = declared.key, declared.option.kind
        if not kind.accepts(raw):
            default = kind.plain(declared.default())
            suffix = "" if default is None else f" {json.dumps(default, ensure_ascii=False)}"
            self.report(
                key,
                f"{dotted(key)} must be {kind.expected}, got {describe(raw)};"
                f" using the default{suffix}",
                "error",
            )
            return

        def drop(sub: tuple[str, ...], message: str) -> None:
            self.report((*key, *sub), message, "error")

        value = kind.clean(key, kind.convert(raw), drop)
        if value is not DEFAULT:
            self.values[key] = value

    def cross_checks(self) -> None:
        """Checks between keys: a rule both enabled and disabled stays disabled."""
        enable = self.values.get(("rules", "enable"), ())
        disable = self.values.get(("rules", "disable"), ())
        for rule_id in sorted(set(enable) & set(disable)):
            self.report(
                ("rules", "enable"),
                f"rule '{rule_id}' is both enabled and disabled; it stays disabled",
                "warning",
            )


def declared_keys() -> tuple[Declared, ...]:
    """Every declared key of :class:`Settings`."""
    return tuple(walk(Settings))
