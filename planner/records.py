"""``record``: a frozen dataclass made without compiling code at import.

``dataclasses.dataclass(frozen=True)`` writes and compiles the source of six methods for each
class (``__init__``, ``__repr__``, ``__eq__``, ``__hash__``, ``__setattr__``, ``__delattr__``):
about 0.6 ms a class, paid by every start of the app before its first paint. ``record`` makes a
class that behaves the same (same fields for ``dataclasses.fields``, ``replace`` and
``asdict``; the same constructor arguments, defaults and default factories; the same repr,
equality, hash and refusal to assign or delete a field) from methods shared by every record.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform

T = TypeVar("T")

_MISSING = dataclasses.MISSING


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field,))
def record(cls: type[T]) -> type[T]:
    """Make ``cls`` a frozen dataclass (as ``@dataclass(frozen=True)`` would) without codegen."""
    # init/repr/eq off: dataclass registers the fields (and __match_args__) and compiles nothing.
    cls = dataclasses.dataclass(init=False, repr=False, eq=False)(cls)
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    names = tuple(f.name for f in fields)
    index = frozenset(names)
    defaults = {f.name: f.default for f in fields if f.default is not _MISSING}
    factories: dict[str, Callable[[], Any]] = {
        f.name: f.default_factory
        for f in fields
        if f.default_factory is not _MISSING
    }
    qualname = cls.__qualname__

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:  # noqa: N807
        if not kwargs and len(args) == len(names):  # every field given in order
            self.__dict__.update(zip(names, args, strict=True))
            return
        if len(args) > len(names):
            raise TypeError(
                f"{qualname}.__init__() takes {len(names) + 1} positional arguments"
                f" but {len(args) + 1} were given"
            )
        values = dict(zip(names, args, strict=False))
        for key, value in kwargs.items():
            if key not in index:
                raise TypeError(f"{qualname}.__init__() got an unexpected keyword argument {key!r}")
            if key in values:
                raise TypeError(f"{qualname}.__init__() got multiple values for argument {key!r}")
            values[key] = value
        state = self.__dict__
        for name in names:
            if name in values:
                state[name] = values[name]
            elif name in defaults:
                state[name] = defaults[name]
            elif name in factories:
                state[name] = factories[name]()
            else:
                missing = [repr(n) for n in names if n not in values and n not in defaults
                           and n not in factories]  # fmt: skip
                listed = missing[0] if len(missing) == 1 else (
                    ", ".join(missing[:-1]) + ("," if len(missing) > 2 else "")
                    + " and " + missing[-1])  # fmt: skip
                raise TypeError(
                    f"{qualname}.__init__() missing {len(missing)} required positional"
                    f" argument{'s' if len(missing) > 1 else ''}: {listed}"
                )

    # The fields' values as a tuple (made in C: equality and hashing are on hot paths).
    _values: Callable[[Any], tuple[Any, ...]] = (
        attrgetter(*names) if len(names) > 1 else lambda obj: tuple(getattr(obj, n) for n in names)
    )

    def __repr__(self: Any) -> str:  # noqa: N807
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{self.__class__.__qualname__}({inner})"

    def __eq__(self: Any, other: object) -> bool:  # noqa: N807
        if other.__class__ is self.__class__:
            # A record's attributes are its fields (no other can be set): comparing them by
            # name is comparing them in order, and faster.
            return bool(self.__dict__ == other.__dict__)
        return NotImplemented

    def __hash__(self: Any) -> int:  # noqa: N807
        return hash(_values(self))

    def __setattr__(self: Any, name: str, value: Any) -> None:  # noqa: N807
        if type(self) is cls or name in index:
            raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:  # noqa: N807
        if type(self) is cls or name in index:
            raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    for method in (__init__, __repr__, __eq__, __hash__, __setattr__, __delattr__):
        method.__qualname__ = f"{qualname}.{method.__name__}"
        setattr(cls, method.__name__, method)
    cls.__repr__ = _recursive(cls.__repr__)  # type: ignore[method-assign]
    return cls


def _recursive(method: Callable[[Any], str]) -> Callable[[Any], str]:
    """A repr that shows ``...`` for an object already being shown (as dataclasses does)."""
    import _thread

    running: set[tuple[int, int]] = set()

    def wrapper(self: Any) -> str:
        key = id(self), _thread.get_ident()
        if key in running:
            return "..."
        running.add(key)
        try:
            return method(self)
        finally:
            running.discard(key)

    wrapper.__qualname__ = method.__qualname__
    wrapper.__name__ = method.__name__
    return wrapper
