"""``repr``, ``==`` and ``hash`` for value classes, written once instead of per class.

``@dataclass`` writes and compiles these methods for every class it decorates, and
building the few dozen dataclasses a git hook imports was a third of what the hook
spent importing genguard. The value classes on that path are declared with
``repr=False, eq=False`` and derive from :class:`Value` (mutable, unhashable, as an
``eq`` dataclass is) or :class:`FrozenValue`, whose methods read the fields at call
time and answer as the generated ones would. Those every commit's note is built from
are plain classes (even their ``__init__`` costs each hook its compilation): their
fields are their ``__slots__``, in order, all compared and shown, and
:meth:`Value.replace` and :meth:`Value.to_dict` stand for ``dataclasses.replace`` and
``asdict``.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typing import Self


class Value:
    """Compared and shown by its fields, like a dataclass with ``eq`` and ``repr``."""

    __slots__ = ()
    __hash__ = None  # type: ignore[assignment]  # mutable: as an eq dataclass, unhashable

    def _field_values(self, hashed: bool = False) -> tuple[Any, ...]:
        """The fields ``==`` compares, or (``hashed``) those ``hash`` covers."""
        if not dataclasses.is_dataclass(self):
            return tuple(getattr(self, name) for name in self.__slots__)
        return tuple(
            getattr(self, f.name)
            for f in dataclasses.fields(self)
            if (f.compare if f.hash is None or not hashed else f.hash)
        )

    def _shown(self) -> Iterator[str]:
        if not dataclasses.is_dataclass(self):
            return iter(self.__slots__)
        return (f.name for f in dataclasses.fields(self) if f.repr)

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._shown())
        return f"{type(self).__qualname__}({inner})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._field_values() == other._field_values()  # type: ignore[attr-defined]

    def replace(self, **changes: Any) -> Self:
        """A copy with ``changes`` (``dataclasses.replace``)."""
        return type(self)(**{**{n: getattr(self, n) for n in self._names()}, **changes})

    def to_dict(self) -> dict[str, Any]:
        """The fields, and the values inside them, as copies (``dataclasses.asdict``)."""
        return {name: _plain(getattr(self, name)) for name in self._names()}

    def _names(self) -> Iterator[str]:
        if not dataclasses.is_dataclass(self):
            return iter(self.__slots__)
        return (f.name for f in dataclasses.fields(self))


def _plain(value: Any) -> Any:
    if isinstance(value, Value):
        return value.to_dict()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, list | tuple):
        return type(value)(_plain(v) for v in value)
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    return copy.deepcopy(value)


class FrozenValue(Value):
    """A :class:`Value` that is frozen, and so hashed by its fields."""

    __slots__ = ()

    def __hash__(self) -> int:
        return hash(self._field_values(hashed=True))
