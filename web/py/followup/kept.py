"""Values derived from one input object, kept across states while that object is the same.

A state's `memo` starts empty with every new state, and every command makes one. Some values
derived from the records, worked out for every Today, depend on one store alone (say, every
"no reply" among 20,000 interactions): a store's mapping is a new object whenever any of its
records is put or deleted, and the very same object otherwise. Such a value is kept here by
the identity of that mapping, so a command that changes something else does not cost it again.
A pure function's memo: the same input gives the same value.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

# name -> (the object it was derived from, the value)
_KEPT: dict[str, tuple[object, object]] = {}


def kept(name: str, source: object, derive: Callable[[], T]) -> T:
    """`derive()`, worked out again only when `source` is not the object it was last time."""
    found = _KEPT.get(name)
    if found is not None and found[0] is source:
        return found[1]  # type: ignore[return-value]
    value = derive()
    _KEPT[name] = (source, value)
    return value
