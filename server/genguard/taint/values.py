"""Abstract values the taint engine computes: where a value may have come from.

A value carries *traces*: one per origin it may derive from (a source, a
parameter of the function being analysed, or an unknown origin), each with the
sanitizers it went through and a few steps for the path shown to people. It
may also carry a folded constant (for dead-branch elimination), whether it is a
string built by formatting, and the element values of a small list or dict so
``l.pop(0)`` or ``d.get("k")`` can pick the right one. Everything is immutable
and bounded (traces, steps, elements), so analysis cost stays linear.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Any

MAX_TRACES = 4
MAX_STEPS = 4
MAX_ELEMS = 16
UNKNOWN = -1
"""``Trace.origin`` for a value of unknown origin; >= 0 is a source, <= -2 a parameter."""


class _NotConst:
    __slots__ = ()

    def __repr__(self) -> str:
        return "NC"


NC: Any = _NotConst()
"""No folded constant."""


FIELD_SLOTS = 1 << 16
"""Parameter positions from here on stand for fields of the object a method is called
on (``self.path``, stored by the constructor): see :func:`field_slot`."""


def field_slot(name: str) -> int:
    """The parameter position that stands for field ``name`` of ``self``: stable across
    files and edits (a summary cached by content keeps meaning the same field)."""
    return FIELD_SLOTS + (zlib.crc32(name.encode()) & 0xFFFF)


def param_origin(index: int) -> int:
    return -2 - index


def origin_param(origin: int) -> int:
    return -2 - origin


@dataclass(frozen=True, slots=True)
class Step:
    start: int
    end: int
    label: str


@dataclass(frozen=True, slots=True)
class Trace:
    origin: int
    start: int
    end: int
    label: str
    weak: bool = False
    clean: frozenset[int] = frozenset()
    steps: tuple[Step, ...] = ()

    def key(self) -> tuple[int, frozenset[int]]:
        return (self.origin, self.clean)

    def step(self, step: Step) -> Trace:
        if len(self.steps) >= MAX_STEPS or (self.steps and self.steps[-1] == step):
            return self
        # the constructor, not dataclasses.replace: this runs for every step of a flow
        steps = (*self.steps, step)
        return Trace(self.origin, self.start, self.end, self.label, self.weak, self.clean, steps)

    def cleaned(self, index: int) -> Trace:
        if index in self.clean:
            return self
        clean = self.clean | {index}
        return Trace(self.origin, self.start, self.end, self.label, self.weak, clean, self.steps)


def _rank(trace: Trace) -> tuple[int, int]:
    # real sources first (strong before weak), then parameters, then unknown
    if trace.origin >= 0:
        return (0 if not trace.weak else 1, len(trace.clean))
    return (2 if trace.origin <= -2 else 3, len(trace.clean))


def merge_traces(*groups: tuple[Trace, ...]) -> tuple[Trace, ...]:
    seen: dict[tuple[int, frozenset[int]], Trace] = {}
    for group in groups:
        for t in group:
            k = t.key()
            if k not in seen:
                seen[k] = t
    if len(seen) <= MAX_TRACES:
        return tuple(seen.values())
    return tuple(sorted(seen.values(), key=_rank)[:MAX_TRACES])


@dataclass(frozen=True, slots=True)
class Val:
    traces: tuple[Trace, ...] = ()
    const: Any = NC
    text: bool = False
    elems: tuple[Val, ...] | None = None
    keys: tuple[tuple[Any, Val], ...] | None = None
    prefix: str | None = None  # constant text a built string starts with

    @property
    def tainted(self) -> bool:
        return bool(self.traces)

    def plain(self) -> Val:
        """The same origins without constant, shape or elements."""
        if (
            self.const is NC
            and not self.text
            and self.elems is None
            and self.keys is None
            and self.prefix is None
        ):
            return self
        return Val(self.traces)

    def with_step(self, step: Step) -> Val:
        if not self.traces:
            return self
        traces = tuple(t.step(step) for t in self.traces)
        return Val(traces, self.const, self.text, self.elems, self.keys, self.prefix)

    def cleaned(self, index: int) -> Val:
        if not self.traces:
            return self
        traces = tuple(t.cleaned(index) for t in self.traces)
        return Val(traces, self.const, self.text, prefix=self.prefix)


CLEAN = Val()


def join(*vals: Val) -> Val:
    """What a value may be when it comes from any of ``vals`` (may-flow)."""
    vals = tuple(v for v in vals if v is not None)
    if not vals:
        return CLEAN
    if len(vals) == 1:
        return vals[0]
    first = vals[0]
    if all(v is first for v in vals):
        return first
    traces = merge_traces(*(v.traces for v in vals))
    const = first.const
    if const is not NC and not all(
        v.const is not NC and type(v.const) is type(const) and v.const == const for v in vals
    ):
        const = NC
    text = any(v.text for v in vals)
    elems = None
    if all(v.elems is not None for v in vals) and len({len(v.elems) for v in vals}) == 1:  # type: ignore[arg-type]
        elems = tuple(join(*parts) for parts in zip(*(v.elems for v in vals), strict=True))  # type: ignore[misc]
    keys = None
    if all(v.keys is not None for v in vals):
        names = [k for k, _ in first.keys]  # type: ignore[union-attr]
        if all([k for k, _ in v.keys] == names for v in vals):  # type: ignore[union-attr]
            keys = tuple(
                (name, join(*(dict(v.keys)[name] for v in vals)))  # type: ignore[arg-type]
                for name in names
            )
    prefixes = {
        v.prefix if v.const is NC else (v.const if isinstance(v.const, str) else None) for v in vals
    }
    prefix = prefixes.pop() if len(prefixes) == 1 else None
    return Val(traces, const, text, elems, keys, prefix)


def combine(*vals: Val, text: bool = False, prefix: str | None = None) -> Val:
    """A value computed from all of ``vals`` (concatenation, an unknown call)."""
    traces = merge_traces(*(v.traces for v in vals))
    return Val(traces, NC, text or any(v.text for v in vals), prefix=prefix)


def leading(val: Val) -> str | None:
    """The constant text ``val`` starts with, if known."""
    if isinstance(val.const, str):
        return val.const
    return val.prefix


def sequence(elems: list[Val]) -> Val:
    """A list or tuple of known elements."""
    traces = merge_traces(*(e.traces for e in elems))
    kept = tuple(elems) if len(elems) <= MAX_ELEMS else None
    return Val(traces, NC, False, kept)


def mapping(items: list[tuple[Any, Val]] | None, rest: list[Val]) -> Val:
    """A dict; ``items`` when every key is a constant, else None."""
    traces = merge_traces(*(v.traces for _, v in items or ()), *(v.traces for v in rest))
    keys = tuple(items) if items is not None and len(items) <= MAX_ELEMS and not rest else None
    return Val(traces, NC, False, None, keys)
