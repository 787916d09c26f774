"""How an option is declared, so that each one is written once.

A setting is a dataclass field whose metadata holds an :class:`Option`: its kind
(type and bounds), help text, and which configuration layers may set it. The
loader's validation, :meth:`Settings.to_dict`, the tables in
docs/configuration.md and the view sent to editors are all derived from these
declarations (:func:`walk`), so adding a key means adding one field.

The declarations themselves (kinds, :class:`Option`, :class:`Lock`) are plain
classes and named tuples, not dataclasses: every hook loads them, and building a
dataclass costs a hook a share of its start-up that these need none of.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import field
from types import MappingProxyType
from typing import Any, Literal, NamedTuple

DEFAULT = object()
"""Returned by :meth:`Kind.clean` when the whole value is unusable: the key keeps its default."""

Report = Callable[[tuple[str, ...], str], None]
"""``report(subkey, message)``: an entry of a value was dropped (an error)."""

Trust = Literal["any", "user"]
"""``"any"``: any layer may set the key; ``"user"``: only the user's or the
organisation's configuration, never a repository (what it names is trusted)."""


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _choices(values: tuple[str, ...]) -> str:
    return ", ".join(_json(v) for v in values)


class Kind:
    """What values a key takes; subclasses say how to check, convert and show them."""

    __slots__ = ()
    doc: str = ""
    expected: str = ""

    def accepts(self, value: Any) -> bool:
        raise NotImplementedError

    def convert(self, value: Any) -> Any:
        """The checked TOML value as the settings hold it."""
        return value

    def clean(self, key: tuple[str, ...], value: Any, report: Report) -> Any:
        """Drop bad entries of an accepted value, reporting each (lists, tables)."""
        return value

    def plain(self, value: Any) -> Any:
        """A JSON-serialisable view of a settings value."""
        return value

    def weaker(self, value: Any, floor: Any) -> bool:
        """Whether ``value`` is below an organisation's ``floor`` (kinds that have an order)."""
        return False

    def raise_to(self, value: Any, floor: Any) -> Any:
        """``value`` lifted to ``floor``."""
        return floor

    floor_doc = ""
    """What an organisation's floor means for this kind, for the docs."""


class Bool(Kind):
    __slots__ = ()
    doc = "boolean"
    expected = "a boolean"
    floor_doc = "`true` there cannot be turned off"

    def accepts(self, value: Any) -> bool:
        return isinstance(value, bool)

    def weaker(self, value: Any, floor: Any) -> bool:
        return bool(floor) and not value


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class Int(Kind):
    """An integer from ``minimum`` to ``maximum``; ``off`` says what 0 means, when it is
    allowed and special (e.g. "turns the limit off")."""

    __slots__ = ("maximum", "minimum", "off")

    def __init__(self, minimum: int = 0, maximum: int | None = None, off: str = "") -> None:
        self.minimum, self.maximum, self.off = minimum, maximum, off

    @property
    def doc(self) -> str:  # type: ignore[override]
        top = "" if self.maximum is None else f" and ≤ {self.maximum}"
        return f"integer ≥ {self.minimum}{top}"

    @property
    def expected(self) -> str:  # type: ignore[override]
        top = "" if self.maximum is None else f" and <= {self.maximum}"
        note = f" (0 {self.off})" if self.off else ""
        return f"an integer >= {self.minimum}{top}{note}"

    def accepts(self, value: Any) -> bool:
        return (
            _is_int(value)
            and value >= self.minimum
            and (self.maximum is None or value <= self.maximum)
        )


class Seconds(Kind):
    """A positive number of seconds, at most ``maximum``."""

    __slots__ = ("maximum",)

    def __init__(self, maximum: float = 600) -> None:
        self.maximum = maximum

    @property
    def doc(self) -> str:  # type: ignore[override]
        return f"number of seconds, > 0 and ≤ {self.maximum:g}"

    @property
    def expected(self) -> str:  # type: ignore[override]
        return f"a number of seconds > 0 and <= {self.maximum:g}"

    def accepts(self, value: Any) -> bool:
        return (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and 0 < value <= self.maximum
        )

    def convert(self, value: Any) -> Any:
        return float(value)


class Choice(Kind):
    """One of ``values``; when ``ordered``, later values are stricter (a floor applies)."""

    __slots__ = ("ordered", "values")

    def __init__(self, values: tuple[str, ...], ordered: bool = False) -> None:
        self.values, self.ordered = values, ordered

    @property
    def doc(self) -> str:  # type: ignore[override]
        return " \\| ".join(f"`{_json(v)}`" for v in self.values)

    @property
    def expected(self) -> str:  # type: ignore[override]
        return f"one of {_choices(self.values)}"

    def accepts(self, value: Any) -> bool:
        return value in self.values

    def weaker(self, value: Any, floor: Any) -> bool:
        return self.ordered and self.values.index(value) < self.values.index(floor)

    @property
    def floor_doc(self) -> str:  # type: ignore[override]
        order = " < ".join(f"`{_json(v)}`" for v in self.values)
        return f"nothing less strict than its value ({order})"


class Text(Kind):
    """A string; blank means unset (``None``). ``newlines_only`` keeps inner
    indentation, stripping only leading and trailing line breaks (a header)."""

    __slots__ = ("newlines_only", "what")

    def __init__(self, what: str = "string", newlines_only: bool = False) -> None:
        self.what, self.newlines_only = what, newlines_only

    @property
    def doc(self) -> str:  # type: ignore[override]
        return "string" if self.what == "string" else f"string ({self.what})"

    @property
    def expected(self) -> str:  # type: ignore[override]
        return "a string" if self.what == "string" else f"a {self.what}"

    def accepts(self, value: Any) -> bool:
        return isinstance(value, str)

    def convert(self, value: Any) -> Any:
        if not value.strip():
            return None
        return value.strip("\r\n") if self.newlines_only else value.strip()


class Url(Kind):
    __slots__ = ()
    doc = "string (http(s) URL)"
    expected = 'an http(s) URL such as "http://localhost:4318"'

    def accepts(self, value: Any) -> bool:
        return isinstance(value, str) and value.strip().startswith(("http://", "https://"))

    def convert(self, value: Any) -> Any:
        return value.strip()


class Strings(Kind):
    """An array of non-empty strings, stripped, duplicates merged.

    ``entry`` (optional) names what is wrong with one entry, which is then dropped
    while the others apply; ``what`` names what an entry should be; ``together``
    what is wrong with the entries as a whole (then the key keeps its default). A
    floor is met when the value holds every entry of the floor.
    """

    __slots__ = ("entry", "max_items", "together", "what")

    def __init__(
        self,
        entry: Callable[[str], str | None] | None = None,
        what: str = "",
        max_items: int | None = None,
        together: Callable[[tuple[str, ...]], str | None] | None = None,
    ) -> None:
        self.entry, self.what, self.max_items, self.together = entry, what, max_items, together

    doc = "array of strings"
    floor_doc = "its entries cannot be dropped (others may be added)"

    @property
    def expected(self) -> str:  # type: ignore[override]
        noun = "glob strings" if self.what == "a valid glob" else "strings"
        most = "" if self.max_items is None else f" (at most {self.max_items})"
        return f"an array of non-empty {noun}{most}"

    def accepts(self, value: Any) -> bool:
        return (
            isinstance(value, list)
            and all(isinstance(v, str) and v.strip() for v in value)
            and (self.max_items is None or len(value) <= self.max_items)
        )

    def convert(self, value: Any) -> Any:
        return tuple(dict.fromkeys(s.strip() for s in value))

    def clean(self, key: tuple[str, ...], value: Any, report: Report) -> Any:
        kept = []
        for item in value:
            problem = None if self.entry is None else self.entry(item)
            if problem is None:
                kept.append(item)
            else:
                report((), f"{dotted(key)}: {item!r} is not {self.what} ({problem}); it is ignored")
        problem = None if self.together is None else self.together(tuple(kept))
        if problem is not None:
            report((), f"{dotted(key)}: {problem}; using the default")
            return DEFAULT
        return tuple(kept)

    def plain(self, value: Any) -> Any:
        return list(value)

    def weaker(self, value: Any, floor: Any) -> bool:
        return not set(floor) <= set(value)

    def raise_to(self, value: Any, floor: Any) -> Any:
        return tuple(dict.fromkeys((*value, *floor)))


class Levels(Kind):
    """A table of name = level; a bad entry is dropped (the name keeps its own level)."""

    __slots__ = ("levels", "suffix")

    def __init__(self, levels: tuple[str, ...], suffix: str = "<name>") -> None:
        self.levels, self.suffix = levels, suffix

    @property
    def doc(self) -> str:  # type: ignore[override]
        return " \\| ".join(f"`{_json(v)}`" for v in self.levels)

    @property
    def expected(self) -> str:  # type: ignore[override]
        return "a table of rule id = severity"

    def accepts(self, value: Any) -> bool:
        return isinstance(value, dict)

    def clean(self, key: tuple[str, ...], value: Any, report: Report) -> Any:
        kept = {}
        for name, level in value.items():
            if level in self.levels:
                kept[name] = level
            else:
                report(
                    (name,),
                    f"{dotted((*key, name))} must be one of {_choices(self.levels)},"
                    f" got {describe(level)}; the rule keeps its own severity",
                )
        return kept

    def plain(self, value: Any) -> Any:
        return dict(value)


class Lock(NamedTuple):
    """The organisation locks a key by setting a floor on another: once ``by`` has an
    organisation floor (equal to ``when``, when given), only the layers ``open_to``
    may set the key. A repository could otherwise undo the floor another way (disable
    a floor pack's rules one by one, exclude every file from the scan)."""

    by: tuple[str, ...]
    what: str
    """What setting the key would do, for the refusal ("disable rules ...")."""
    when: Any = None
    open_to: tuple[str, ...] = ("organisation",)

    @property
    def doc(self) -> str:
        """For the layers table: ``not once the organisation sets `rules.packs```."""
        on = dotted(self.by) + ("" if self.when is None else f" = {_json(self.when)}")
        return f"not once the organisation sets `{on}`"


class Option(NamedTuple):
    """The declaration of one key (see the module docstring)."""

    kind: Kind
    help: str
    trust: Trust = "any"
    floor: bool = False
    """An organisation's value is a floor that lower layers cannot go below."""
    lock: Lock | None = None
    """Locked by an organisation floor on another key (see :class:`Lock`)."""
    policy: bool = True
    """Part of :meth:`Settings.fingerprint` (False for transport and speed)."""
    editor: bool = False
    """Sent to editor clients (``genguard/settings``), in camelCase."""
    doc_default: str | None = None


def option(default: Any = None, *, factory: Callable[[], Any] | None = None, **spec: Any) -> Any:
    """A dataclass field declared by an :class:`Option` built from ``spec``."""
    meta = {"option": Option(**spec)}
    if factory is not None:
        return field(default_factory=factory, metadata=meta)
    if isinstance(default, dict):
        frozen = MappingProxyType(dict(default))
        return field(default_factory=lambda: frozen, metadata=meta, hash=False)
    return field(default=default, metadata=meta)


def section(cls: type) -> Any:
    """A nested table of options (``[heuristics]``, ``[rules]``...)."""
    return field(default_factory=cls)


class Declared(NamedTuple):
    """One declared key: its path below the genguard table, field and option."""

    key: tuple[str, ...]
    field: dataclasses.Field[Any]
    option: Option

    @property
    def name(self) -> str:
        return dotted(self.key)

    def default(self) -> Any:
        f = self.field
        if f.default_factory is not dataclasses.MISSING:
            return f.default_factory()
        return f.default


def sections(cls: type) -> Iterator[tuple[str, type]]:
    """``(name, class)`` of the nested tables of a settings class."""
    for f in dataclasses.fields(cls):
        factory = f.default_factory
        if "option" not in f.metadata and dataclasses.is_dataclass(factory):
            yield f.name, factory  # type: ignore[misc]


def walk(cls: type, prefix: tuple[str, ...] = ()) -> Iterator[Declared]:
    """Every declared key of ``cls`` and its sections, in declaration order."""
    for f in dataclasses.fields(cls):
        if "option" in f.metadata:
            yield Declared((*prefix, f.name), f, f.metadata["option"])
        elif dataclasses.is_dataclass(f.default_factory):
            yield from walk(f.default_factory, (*prefix, f.name))  # type: ignore[arg-type]


def lookup(settings: object, key: tuple[str, ...]) -> Any:
    """The value at ``key`` in a settings object."""
    for part in key:
        settings = getattr(settings, part)
    return settings


def build(cls: type, values: Mapping[tuple[str, ...], Any], prefix: tuple[str, ...] = ()) -> Any:
    """An instance of ``cls`` with ``values`` (key -> value) set, defaults elsewhere."""
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        key = (*prefix, f.name)
        if "option" in f.metadata:
            if key in values:
                kwargs[f.name] = values[key]
        elif dataclasses.is_dataclass(f.default_factory):
            kwargs[f.name] = build(f.default_factory, values, key)  # type: ignore[arg-type]
    return cls(**kwargs)


def plain(settings: object, *, only: Callable[[Option], bool] = lambda o: True) -> dict[str, Any]:
    """A nested JSON-serialisable dict of the declared keys ``only`` selects."""
    out: dict[str, Any] = {}
    for d in walk(type(settings)):
        if not only(d.option):
            continue
        node = out
        for part in d.key[:-1]:
            node = node.setdefault(part, {})
        node[d.key[-1]] = d.option.kind.plain(lookup(settings, d.key))
    return out


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)


def editor_view(settings: object) -> dict[str, Any]:
    """What editor clients learn of the settings (options declared ``editor=True``),
    keys in camelCase as LSP clients expect."""
    out: dict[str, Any] = {}
    for d in walk(type(settings)):
        if not d.option.editor:
            continue
        node = out
        for part in d.key[:-1]:
            node = node.setdefault(camel(part), {})
        node[camel(d.key[-1])] = d.option.kind.plain(lookup(settings, d.key))
    return out


def dotted(key: tuple[str, ...]) -> str:
    """``heuristics.min_lines``; parts that are not bare TOML keys are quoted."""
    import re

    return ".".join(p if re.fullmatch(r"[A-Za-z0-9_-]+", p) else _json(p) for p in key)


def describe(value: object) -> str:
    """Name a TOML value for messages, e.g. ``string "two"``."""
    import datetime as dt

    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, int):
        return f"integer {value}"
    if isinstance(value, float):
        return f"float {value}"
    if isinstance(value, str):
        return f"string {_json(value)}"
    if isinstance(value, list):
        for item in value:
            if not isinstance(item, str):
                return f"an array containing {describe(item)}"
            if not item.strip():
                return "an array containing an empty string"
        return f"an array of {len(value)} strings"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, dt.date | dt.time):
        return f"date/time {value.isoformat()}"
    return type(value).__name__
