"""``repr``, ``==`` and ``hash`` for dataclasses, written once instead of per class.

``@dataclass`` writes and compiles these methods for every class it decorates, and
building the few dozen dataclasses a git hook imports was a third of what the hook
spent importing genguard. The value classes on that path are declared with
``repr=False, eq=False`` and derive from :class:`Value` (mutable, unhashable, as an
``eq`` dataclass is) or :class:`FrozenValue`, whose methods read the fields at call
time and answer as the generated ones would.
"""

from __future__ import annotations

import dataclasses
from typing import Any


class Value:
    """Compared and shown by its fields, like a dataclass with ``eq`` and ``repr``."""

    __slots__ = ()
    __hash__ = None  # type: ignore[assignment]  # mutable: as an eq dataclass, unhashable

    def _field_values(self, hashed: bool = False) -> tuple[Any, ...]:
        """The fields ``==`` compares, or (``hashed``) those ``hash`` covers."""
        return tuple(
            getattr(self, f.name)
            for f in dataclasses.fields(self)  # type: ignore[arg-type]
            if (f.compare if f.hash is None or not hashed else f.hash)
        )

    def __repr__(self) -> str:
        shown = (f for f in dataclasses.fields(self) if f.repr)  # type: ignore[arg-type]
        inner = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in shown)
        return f"{type(self).__qualname__}({inner})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._field_values() == other._field_values()  # type: ignore[attr-defined]


class FrozenValue(Value):
    """A :class:`Value` that is frozen, and so hashed by its fields."""

    __slots__ = ()

    def __hash__(self) -> int:
        return hash(self._field_values(hashed=True))
