"""Taint rules as data: what a ``taint:`` block in a rule file may say, validated.

A taint rule names where untrusted data enters (sources), where it is dangerous
(sinks: which argument or keyword of which call, a subscript store, an assignment
to a name, a route's returned text), what makes it safe (sanitizers: a call whose
result is clean, a guard that cleans on the branch where it holds, an allow-list
membership test) and what passes it on besides plain data flow (propagators: a
call that taints its receiver, such as ``buf.write(x)``).

Everything here is language-neutral: names are dotted qualified names matched
against what the language front end resolves (``request.args``,
``subprocess.run``, ``*.execute``), so another language's models are more data,
not more code. Nothing is executed; name patterns are matched segment by segment
(linear), identifier patterns are RE2.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

UNKNOWN_LEVELS = ("warning", "info", "hint", "off")
"""What a sink reached by a value of unknown origin (a parameter, an unresolved
global) reports: at most a warning, since nothing shows the value is untrusted."""

MAX_NAME = 200
"""Longest qualified name matched; longer expressions are not names anyone models."""
MAX_ENTRIES = 200
"""Most sources, sinks, sanitizers or propagators one untrusted rule may list."""

SHAPES = (None, "text", "scalar")
"""What a value must be for a sink to count: any value, a string built by formatting
(``text``), or anything but an object or array literal (``scalar``: a response body
that is not sent as JSON)."""

_SOURCE_KEYS = frozenset(
    {"name", "parameters", "identifier", "label", "weak", "bases", "when", "unless", "receiver"}
)
_SINK_KEYS = frozenset(
    {
        "name",
        "args",
        "keywords",
        "receiver",
        "exclude",
        "when",
        "unless",
        "returns",
        "store",
        "assign",
        "label",
        "shape",
        "prefix",
        "safe_prefix",
        "safe_with",
        "argv0",
        "when_match",
        "when_from",
    }
)
_SANITIZER_KEYS = frozenset({"name", "guard", "membership", "prefix", "label"})
_PROPAGATOR_KEYS = frozenset({"name", "to"})
_TOP_KEYS = frozenset({"sources", "sinks", "sanitizers", "propagators", "unknown"})


class SpecError(ValueError):
    """A ``taint:`` block that does not say something the engine understands."""


@dataclass(frozen=True, slots=True)
class NamePattern:
    """A dotted name with ``*`` segments: ``*.execute`` is any receiver's ``execute``,
    ``os.*`` anything under ``os``; ``*`` stands for one or more segments."""

    text: str
    segments: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> NamePattern:
        if not isinstance(text, str) or not text.strip():
            raise SpecError(f"name {text!r} must be a non-empty dotted name")
        return _name_pattern(text)

    def matches(self, name: str) -> bool:
        return _match_segments(self.segments, tuple(name.split(".")))


@lru_cache(maxsize=16384)
def _name_pattern(text: str) -> NamePattern:
    """One pattern per distinct name: the packs repeat names (``request.args`` is in many
    rules), and loading a rule set parses several thousand of them."""
    segments = tuple(text.strip().split("."))
    for seg in segments:
        if seg != "*" and not seg.replace("_", "a").replace("$", "a").isalnum():
            raise SpecError(f"name {text!r}: segment {seg!r} is not an identifier or *")
    return NamePattern(text.strip(), segments)


@lru_cache(maxsize=65536)
def _match_segments(pattern: tuple[str, ...], name: tuple[str, ...]) -> bool:
    # dynamic programming over segments: linear in len(pattern) * len(name)
    n = len(name)
    reach = [False] * (n + 1)
    reach[0] = True
    for seg in pattern:
        nxt = [False] * (n + 1)
        if seg == "*":
            run = False
            for i in range(n + 1):
                if i > 0 and (reach[i - 1] or run):
                    run = True
                    nxt[i] = True
        else:
            for i in range(1, n + 1):
                nxt[i] = reach[i - 1] and name[i - 1] == seg
        reach = nxt
    return reach[n]


class NameSet:
    """Several name patterns, looked up fast: exact names by dict, wildcard patterns
    by their last segment, and every answer remembered (files repeat their names)."""

    __slots__ = ("_memo", "by_last", "exact", "wild", "wild_by_first")

    def __init__(self, patterns: Sequence[tuple[NamePattern, Any]]) -> None:
        self.exact: dict[str, list[Any]] = {}
        self.by_last: dict[str, list[tuple[NamePattern, Any]]] = {}
        self.wild: list[tuple[NamePattern, Any]] = []  # ending in *, starting with one too
        self.wild_by_first: dict[str, list[tuple[NamePattern, Any]]] = {}  # ending in *
        self._memo: dict[str, tuple[Any, ...]] = {}
        for pattern, value in patterns:
            if "*" not in pattern.segments:
                self.exact.setdefault(pattern.text, []).append(value)
            elif pattern.segments[-1] != "*":
                self.by_last.setdefault(pattern.segments[-1], []).append((pattern, value))
            elif pattern.segments[0] != "*":
                self.wild_by_first.setdefault(pattern.segments[0], []).append((pattern, value))
            else:
                self.wild.append((pattern, value))

    def _one(self, name: str) -> tuple[Any, ...]:
        found = self._memo.get(name)
        if found is not None:
            return found
        out = list(self.exact.get(name, ()))
        last = name.rsplit(".", 1)[-1]
        for pattern, value in self.by_last.get(last, ()):
            if pattern.matches(name):
                out.append(value)
        for pattern, value in self.wild_by_first.get(name.split(".", 1)[0], ()):
            if pattern.matches(name):
                out.append(value)
        for pattern, value in self.wild:
            if pattern.matches(name):
                out.append(value)
        result = tuple(out)
        if len(self._memo) < 65536:
            self._memo[name] = result
        return result

    def lookup(self, *names: str | None) -> list[Any]:
        """Values of every pattern matching any of ``names`` (resolved and as written)."""
        out: list[Any] = []
        first = None
        for name in names:
            if not name or name == first or len(name) > MAX_NAME:
                continue
            first = first or name
            out.extend(self._one(name))
        return out

    def __bool__(self) -> bool:
        return bool(self.exact or self.by_last or self.wild or self.wild_by_first)


@dataclass(frozen=True, slots=True)
class Source:
    """Where untrusted data enters. Exactly one of ``name`` (an expression or a call's
    function), ``parameters`` (of functions with a matching decorator, or whose first
    parameter has a given name; in TypeScript, parameters with a matching decorator of
    their own, as NestJS's ``@Param("id") id``) and ``identifier`` (RE2 over a
    variable's name)."""

    names: tuple[NamePattern, ...] = ()
    decorators: tuple[NamePattern, ...] = ()
    first_parameter: str | None = None
    identifier: str | None = None
    label: str | None = None
    weak: bool = False
    bases: tuple[NamePattern, ...] = ()
    """For a name source: it holds only in methods of classes deriving from one of
    these (``self.path`` in an ``http.server`` handler)."""
    when: tuple[tuple[Any, tuple[Any, ...]], ...] = ()
    """For a call source (Python): arguments that must be these literals for the call
    to be the source (``XMLParser(resolve_entities=True)``); ``unless`` ones that
    keep it from being one (``usedforsecurity=False``)."""
    unless: tuple[tuple[Any, tuple[Any, ...]], ...] = ()
    receiver: bool = False
    """For a call source (Python): the call marks the object it is called on, not its
    result (``parser.setFeature(feature_external_ges, True)``)."""


@dataclass(frozen=True, slots=True)
class Sink:
    """Where tainted data is dangerous.

    ``names``: calls; ``args`` (positions) and ``keywords`` say which inputs count
    (neither: every input); ``when`` keyword literals that must be present
    (``shell: true``) and ``unless`` ones that make the call safe. ``returns``:
    values returned by functions with a matching decorator (``shape: text`` keeps
    only strings built by formatting). ``store``: ``name[...] = value``.
    ``assign``: RE2 over the assigned variable's or attribute's name.
    ``receiver``: the object a method is called on also counts (``path.read_text()``);
    ``exclude``: names that are never this sink. ``prefix`` (RE2) must match the
    constant text a built string starts with, ``safe_prefix`` makes it safe (a URL
    whose scheme and host are fixed). ``when``/``unless`` keys may also be argument
    positions, and a list value means any of its literals (or names, as written or
    imported: ``yaml.SafeLoader``). ``safe_with``: arguments (positions or keywords)
    whose presence makes the call safe (a parser configured elsewhere). ``argv0``:
    the argument is a list run by one of these programs (``["sh", "-c", cmd]``),
    and its other elements count. ``when_match``: arguments (positions or keywords)
    whose constant text must match an RE2 for the call to count (a cookie named
    like a session or a token); a value that is not a constant may be anything.
    ``when_from``: arguments (positions, keywords or ``receiver``) that must hold a
    value from a source with one of these labels for the call to count (a parser made
    to resolve entities); those sources are the call's condition, never its data.
    """

    names: tuple[NamePattern, ...] = ()
    args: tuple[int, ...] = ()
    keywords: tuple[str, ...] = ()
    receiver: bool = False
    exclude: tuple[NamePattern, ...] = ()
    when: Mapping[Any, Any] = field(default_factory=dict)
    unless: Mapping[Any, Any] = field(default_factory=dict)
    returns: tuple[NamePattern, ...] = ()
    returns_first_parameter: str | None = None
    returns_function: str | None = None
    store: tuple[NamePattern, ...] = ()
    assign: str | None = None
    shape: str | None = None
    prefix: str | None = None
    safe_prefix: str | None = None
    safe_with: tuple[Any, ...] = ()
    argv0: tuple[str, ...] = ()
    when_match: Mapping[Any, str] = field(default_factory=dict)
    when_from: Mapping[Any, tuple[str, ...]] = field(default_factory=dict)
    label: str | None = None

    def __hash__(self) -> int:
        return hash((self.names, self.args, self.keywords, self.returns, self.store, self.assign))


@dataclass(frozen=True, slots=True)
class Sanitizer:
    """What makes data safe: a call whose result is clean (``names``), a guard call
    that cleans what it checks on the branch where it returns true (``guard``), or an
    allow-list membership test ``x in ALLOWED`` (``membership``). A guard's ``prefix``
    (RE2) is what each prefix written in a ``x.startswith(...)`` guard must match for
    the check to clean: a scheme alone (``"https://"``) leaves the host open."""

    names: tuple[NamePattern, ...] = ()
    guard: tuple[NamePattern, ...] = ()
    membership: bool = False
    prefix: str | None = None
    label: str | None = None


@dataclass(frozen=True, slots=True)
class Propagator:
    """A call that passes its arguments' taint to its receiver (``to: receiver``)."""

    names: tuple[NamePattern, ...]
    to: str = "receiver"


@dataclass(frozen=True, slots=True)
class TaintSpec:
    sources: tuple[Source, ...]
    sinks: tuple[Sink, ...]
    sanitizers: tuple[Sanitizer, ...] = ()
    propagators: tuple[Propagator, ...] = ()
    unknown: str = "off"
    raw: Any = field(default=None, compare=False, hash=False, repr=False)
    """The validated mapping as written, for caches that store rules as JSON."""

    def canonical(self) -> Any:
        """Plain data for the rule set's version hash."""
        return {k: v for k, v in _plain(self).items() if k != "raw"}


def _plain(value: Any) -> Any:
    if isinstance(value, NamePattern):
        return value.text
    if hasattr(value, "__dataclass_fields__"):
        return {k: _plain(getattr(value, k)) for k in value.__dataclass_fields__}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


# -- parsing ------------------------------------------------------------------------


def _names(value: Any, what: str) -> tuple[NamePattern, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        raise SpecError(f"{what} must be a name or a non-empty list of names")
    return tuple(NamePattern.parse(v) for v in value)


def _keys(entry: Any, allowed: frozenset[str], what: str) -> dict[str, Any]:
    if isinstance(entry, str):  # shorthand: a bare name
        return {"name": entry}
    if not isinstance(entry, dict):
        raise SpecError(f"each of {what} must be a mapping or a name")
    unknown = sorted(str(k) for k in entry if k not in allowed)
    if unknown:
        raise SpecError(
            f"{what}: unknown key(s) {', '.join(unknown)} (allowed: {', '.join(sorted(allowed))})"
        )
    return entry


def _label(entry: Mapping[str, Any], what: str) -> str | None:
    label = entry.get("label")
    if label is not None and not isinstance(label, str):
        raise SpecError(f"{what}: 'label' must be a string")
    return label


def _check_re2(pattern: Any, what: str) -> str:
    from genguard.rules.loader import compile_regex

    if not isinstance(pattern, str) or not pattern:
        raise SpecError(f"{what} must be a non-empty RE2 pattern")
    try:
        compile_regex(pattern)
    except Exception as exc:  # re2.error
        raise SpecError(f"{what} is not a valid RE2 pattern: {exc}") from None
    return pattern


def _parameters(value: Any, what: str) -> tuple[tuple[NamePattern, ...], str | None]:
    if not isinstance(value, dict) or set(value) - {"decorator", "first"} or not value:
        raise SpecError(
            f"{what}: takes {{decorator: [names]}} or {{first: name}}"
            + (" or {function: RE2}" if "returns" in what else "")
        )
    decorators = (
        _names(value["decorator"], f"{what} parameters.decorator") if "decorator" in value else ()
    )
    first = value.get("first")
    if first is not None and (not isinstance(first, str) or not first.isidentifier()):
        raise SpecError(f"{what}: parameters.first must be a parameter name")
    return decorators, first


def _source(entry: Any, i: int) -> Source:
    what = f"taint.sources[{i}]"
    data = _keys(entry, _SOURCE_KEYS, what)
    kinds = [k for k in ("name", "parameters", "identifier") if k in data]
    if len(kinds) != 1:
        raise SpecError(f"{what}: give exactly one of name, parameters, identifier")
    weak = data.get("weak", False)
    if not isinstance(weak, bool):
        raise SpecError(f"{what}: 'weak' must be true or false")
    label = _label(data, what)
    bases = _names(data["bases"], f"{what}.bases") if "bases" in data else ()
    for key in ("bases", "when", "unless", "receiver"):
        if key in data and "name" not in data:
            raise SpecError(f"{what}: '{key}' applies to name sources only")
    receiver = data.get("receiver", False)
    if not isinstance(receiver, bool):
        raise SpecError(f"{what}: 'receiver' must be true or false")
    if "name" in data:
        when = _literals(data.get("when"), f"{what}.when")
        unless = _literals(data.get("unless"), f"{what}.unless")
        return Source(
            names=_names(data["name"], what),
            label=label,
            weak=weak,
            bases=bases,
            when=tuple(when.items()),
            unless=tuple(unless.items()),
            receiver=receiver,
        )
    if "identifier" in data:
        return Source(
            identifier=_check_re2(data["identifier"], f"{what}.identifier"), label=label, weak=weak
        )
    decorators, first = _parameters(data["parameters"], what)
    return Source(decorators=decorators, first_parameter=first, label=label, weak=weak)


def _literals(value: Any, what: str) -> dict[Any, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
        isinstance(k, str) or (isinstance(k, int) and not isinstance(k, bool) and 0 <= k < 64)
        for k in value
    ):
        raise SpecError(
            f"{what} must map keyword names or argument positions to literals, e.g. {{shell: true}}"
        )
    out: dict[Any, Any] = {}
    for k, v in value.items():
        if isinstance(k, str) and k.isdigit():  # a position, as JSON writes it back
            k = int(k)
        options = v if isinstance(v, list) else [v]
        if not options or not all(isinstance(o, bool | int | str) or o is None for o in options):
            raise SpecError(f"{what}.{k} must be a literal or a list of literals")
        out[k] = tuple(options)
    return out


def _sink(entry: Any, i: int) -> Sink:
    what = f"taint.sinks[{i}]"
    data = _keys(entry, _SINK_KEYS, what)
    kinds = [k for k in ("name", "returns", "store", "assign") if k in data]
    if len(kinds) != 1:
        raise SpecError(f"{what}: give exactly one of name, returns, store, assign")
    label = _label(data, what)
    shape = data.get("shape")
    if shape not in SHAPES:
        raise SpecError(f"{what}: 'shape' may only be one of {', '.join(SHAPES[1:])}")
    if "name" in data:
        args = data.get("args", [])
        if isinstance(args, int) and not isinstance(args, bool):
            args = [args]
        if not isinstance(args, list) or not all(
            isinstance(a, int) and not isinstance(a, bool) and 0 <= a < 64 for a in args
        ):
            raise SpecError(f"{what}: 'args' must be argument positions (0 is the first)")
        keywords = data.get("keywords", [])
        if isinstance(keywords, str):
            keywords = [keywords]
        if not isinstance(keywords, list) or not all(
            isinstance(k, str) and k.isidentifier() for k in keywords
        ):
            raise SpecError(f"{what}: 'keywords' must be keyword argument names")
        receiver = data.get("receiver", False)
        if not isinstance(receiver, bool):
            raise SpecError(f"{what}: 'receiver' must be true or false")
        safe_with = data.get("safe_with", [])
        if not isinstance(safe_with, list) or not all(
            (isinstance(k, int) and not isinstance(k, bool) and 0 <= k < 64)
            or (isinstance(k, str) and k.isidentifier())
            for k in safe_with
        ):
            raise SpecError(f"{what}: 'safe_with' must list argument positions or keywords")
        argv0 = data.get("argv0", [])
        if not isinstance(argv0, list) or not all(isinstance(a, str) and a for a in argv0):
            raise SpecError(f"{what}: 'argv0' must list program names")
        when_match = data.get("when_match", {})
        if not isinstance(when_match, dict) or not all(
            (isinstance(k, int) and not isinstance(k, bool) and 0 <= k < 64)
            or (isinstance(k, str) and (k.isidentifier() or k.isdigit()))
            for k in when_match
        ):
            raise SpecError(f"{what}: 'when_match' maps argument positions or keywords to RE2")
        when_match = {
            (int(k) if isinstance(k, str) and k.isdigit() else k): _check_re2(
                v, f"{what}.when_match.{k}"
            )
            for k, v in when_match.items()
        }
        when_from = data.get("when_from", {})
        if not isinstance(when_from, dict) or not all(
            (isinstance(k, int) and not isinstance(k, bool) and 0 <= k < 64)
            or (isinstance(k, str) and (k.isidentifier() or k.isdigit()))
            for k in when_from
        ):
            raise SpecError(
                f"{what}: 'when_from' maps argument positions, keywords or receiver to labels"
            )
        labels: dict[Any, tuple[str, ...]] = {}
        for k, v in when_from.items():
            v = [v] if isinstance(v, str) else v
            if not isinstance(v, list) or not v or not all(isinstance(x, str) and x for x in v):
                raise SpecError(f"{what}.when_from.{k} must be a source label or a list of them")
            labels[int(k) if isinstance(k, str) and k.isdigit() else k] = tuple(v)
        return Sink(
            names=_names(data["name"], what),
            args=tuple(args),
            keywords=tuple(keywords),
            receiver=receiver,
            safe_with=tuple(safe_with),
            argv0=tuple(argv0),
            when_match=when_match,
            when_from=labels,
            exclude=_names(data["exclude"], f"{what}.exclude") if "exclude" in data else (),
            when=_literals(data.get("when"), f"{what}.when"),
            unless=_literals(data.get("unless"), f"{what}.unless"),
            shape=shape,
            prefix=_check_re2(data["prefix"], f"{what}.prefix") if "prefix" in data else None,
            safe_prefix=(
                _check_re2(data["safe_prefix"], f"{what}.safe_prefix")
                if "safe_prefix" in data
                else None
            ),
            label=label,
        )
    for key in (
        "args",
        "keywords",
        "when",
        "unless",
        "receiver",
        "exclude",
        "safe_with",
        "argv0",
        "when_match",
        "when_from",
    ):
        if key in data:
            raise SpecError(f"{what}: '{key}' applies to call sinks (name) only")
    prefixes = {
        k: _check_re2(data[k], f"{what}.{k}") for k in ("prefix", "safe_prefix") if k in data
    }
    if "returns" in data:
        value = data["returns"]
        function = None
        if isinstance(value, dict) and "function" in value:
            value = dict(value)
            function = _check_re2(value.pop("function"), f"{what}.returns.function")
        decorators, first = _parameters(value, f"{what}.returns") if value else ((), None)
        return Sink(
            returns=decorators,
            returns_first_parameter=first,
            returns_function=function,
            shape=shape,
            label=label,
            **prefixes,
        )
    if "store" in data:
        return Sink(
            store=_names(data["store"], f"{what}.store"), shape=shape, label=label, **prefixes
        )
    return Sink(
        assign=_check_re2(data["assign"], f"{what}.assign"), shape=shape, label=label, **prefixes
    )


def _sanitizer(entry: Any, i: int) -> Sanitizer:
    what = f"taint.sanitizers[{i}]"
    data = _keys(entry, _SANITIZER_KEYS, what)
    kinds = [k for k in ("name", "guard", "membership") if k in data]
    if len(kinds) != 1:
        raise SpecError(f"{what}: give exactly one of name, guard, membership")
    label = _label(data, what)
    if "prefix" in data and "guard" not in data:
        raise SpecError(f"{what}: 'prefix' applies to a guard only")
    if "name" in data:
        return Sanitizer(names=_names(data["name"], what), label=label)
    if "guard" in data:
        prefix = _check_re2(data["prefix"], f"{what}.prefix") if "prefix" in data else None
        return Sanitizer(guard=_names(data["guard"], f"{what}.guard"), prefix=prefix, label=label)
    if data["membership"] is not True:
        raise SpecError(f"{what}: 'membership' must be true")
    return Sanitizer(membership=True, label=label)


def _propagator(entry: Any, i: int) -> Propagator:
    what = f"taint.propagators[{i}]"
    data = _keys(entry, _PROPAGATOR_KEYS, what)
    if "name" not in data:
        raise SpecError(f"{what}: 'name' is required")
    to = data.get("to", "receiver")
    if to != "receiver":
        raise SpecError(f"{what}: 'to' may only be 'receiver'")
    return Propagator(_names(data["name"], what), to)


def _list(data: Mapping[str, Any], key: str, *, trusted: bool) -> list[Any]:
    value = data.get(key, [])
    if value is None:
        return []
    if not isinstance(value, list):
        raise SpecError(f"taint.{key} must be a list")
    if any(isinstance(e, list) for e in value):  # [*shared, own]: a YAML anchor spliced in
        value = [x for e in value for x in (e if isinstance(e, list) else [e])]
    if not trusted and len(value) > MAX_ENTRIES:
        raise SpecError(
            f"taint.{key} has {len(value)} entries; repository rules may use at most {MAX_ENTRIES}"
        )
    return value


def parse_spec(data: Any, *, trusted: bool = True) -> TaintSpec:
    """Validate a rule's ``taint:`` mapping; raises :class:`SpecError` naming the problem."""
    if not isinstance(data, dict):
        raise SpecError("'taint' must be a mapping with sources, sinks, sanitizers, propagators")
    unknown = sorted(str(k) for k in data if k not in _TOP_KEYS)
    if unknown:
        raise SpecError(
            f"taint: unknown key(s) {', '.join(unknown)} (allowed: {', '.join(sorted(_TOP_KEYS))})"
        )
    sources = tuple(_source(e, i) for i, e in enumerate(_list(data, "sources", trusted=trusted)))
    sinks = tuple(_sink(e, i) for i, e in enumerate(_list(data, "sinks", trusted=trusted)))
    if not sinks:
        raise SpecError("taint.sinks must list at least one sink")
    unknown_level = data.get("unknown", "off")
    if unknown_level not in UNKNOWN_LEVELS:
        raise SpecError(f"taint.unknown must be one of {', '.join(UNKNOWN_LEVELS)}")
    if not sources and unknown_level == "off":
        raise SpecError("taint.sources is empty and unknown is off: the rule could never fire")
    labels = {s.label for s in sources if s.label}
    for i, sink in enumerate(sinks):
        for key, wanted in sink.when_from.items():
            if not set(wanted) & labels:
                raise SpecError(
                    f"taint.sinks[{i}].when_from.{key}: no source of this rule has the label"
                    f" {', '.join(wanted)}"
                )
    return TaintSpec(
        sources=sources,
        sinks=sinks,
        sanitizers=tuple(
            _sanitizer(e, i) for i, e in enumerate(_list(data, "sanitizers", trusted=trusted))
        ),
        propagators=tuple(
            _propagator(e, i) for i, e in enumerate(_list(data, "propagators", trusted=trusted))
        ),
        unknown=unknown_level,
        raw=data,
    )
