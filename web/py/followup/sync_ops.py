"""The api's sync operations: `merge` (remote record states into the local ones, sync.py) and
`sync_review` (notes that hold two devices' versions, for the user to review)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .fields import Fields
from .state import State, apply
from .sync import NOTE_FIELDS, has_conflict, merge_request

Answer = tuple[State, dict[str, Any]]


def _merge(state: State, f: Fields) -> Answer:
    """Remote record states merged into local ones; the merged records enter the state at once,
    so a command right after sees them."""
    result = merge_request(f.raw)
    return apply(state, result.put, result.delete), result.answer


def _review(state: State, f: Fields) -> Answer:
    """Records with a note that holds two versions, each named as the user knows it."""
    found: list[dict[str, str]] = []
    for store in sorted(NOTE_FIELDS):
        fields = sorted(NOTE_FIELDS[store])
        records: Mapping[str, Any] = getattr(state, store)
        for key in sorted(records):
            record = records[key]
            if any(has_conflict(getattr(record, name, None)) for name in fields):
                found.append({"store": store, "id": key, "name": _label(state, store, record)})
    return state, {"records": found}


def _label(state: State, store: str, record: Any) -> str:
    if store == "people":
        return str(record.name)
    if store == "opportunities":
        return str(record.organisation)
    if store == "introductions":
        return f"{state.name(record.introducer_id)} → {state.name(record.introduced_id)}"
    names = ", ".join(state.name(p) for p in record.person_ids)
    return f"{record.kind.value.replace('_', ' ')} with {names}"


SYNC_OPS: Mapping[str, tuple[tuple[str, ...], Callable[[State, Fields], Answer]]] = {
    "merge": (("now", "node", "clock", "records"), _merge),
    "sync_review": ((), _review),
}
