"""Stored records the engine could not read (docs/engine-api.md, "Records the engine cannot
read"): how later reads update the list, and the guard that refuses to touch one.

A set-aside record is not in memory and stays on disk as it was. The engine never writes over
it or deletes it: an op that names one, or whose answer would write one, is refused with the
code `set-aside`, and nothing changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from .errors import EngineError
from .model import FollowUpDecision, Profile, RoundRecord
from .rounds import ROUND_PREFIX
from .settings import Settings
from .state import STORE_OF, SetAside, State, Stored, apply
from .trashed import Trashed

# Ops that read stored records into memory: they report set-aside records rather than refuse.
READING_OPS = frozenset(("load", "upsert", "apply", "rollback", "merge"))
_WHAT = {
    "people": "person",
    "events": "event",
    "introductions": "introduction",
    "interactions": "interaction",
    "opportunities": "opportunity",
    "decisions": "follow-up decision",
    "meta": "record",
}


class SetAsideError(EngineError):
    """An op would touch a record the engine set aside."""

    def __init__(self, record: SetAside) -> None:
        where = f", at {record.field}" if record.field else ""
        super().__init__(
            "set-aside",
            f"The {_WHAT.get(record.store, 'record')} '{record.id}' is set aside: it could not be "
            f"read ({record.message.rstrip('.')}{where}), so it is kept exactly as it was stored "
            "and nothing can change it until it is repaired. Nothing was changed.",
            f"{record.store}.{record.id}",
        )


def encode(state: State) -> list[dict[str, Any]]:
    return [x.encode() for x in state.set_aside]


def updated(
    state: State,
    put: Iterable[Stored],
    delete: Iterable[tuple[str, str]] = (),
    bad: Iterable[SetAside] = (),
) -> State:
    """`state` (records already applied) with its list brought up to date: a record read again
    or deleted is no longer set aside; a `bad` one now is (and leaves memory)."""
    bad = tuple(bad)
    if not state.set_aside and not bad:
        return state
    gone = {_where(r) for r in put} | set(delete) | {(x.store, x.id) for x in bad}
    kept = tuple(x for x in state.set_aside if (x.store, x.id) not in gone)
    new = replace(state, set_aside=(*kept, *bad))
    # A second copy under one id leaves the first in memory.
    out = [
        (x.store, x.id)
        for x in bad
        if x.store in STORE_OF.values() and x.id is not None and x.error != "duplicate-id"
    ]
    if out:
        new = apply(new, (), out)
    return new


def check_request(state: State, op: str, raw: Mapping[str, Any]) -> None:
    """Raises SetAsideError if the request names a set-aside record."""
    if not state.set_aside or op in READING_OPS:
        return
    by_id = {x.id: x for x in state.set_aside if x.id is not None}
    for key, value in raw.items():
        _named(key, value, by_id)


def check_answer(state: State, op: str, answer: Mapping[str, Any]) -> None:
    """Raises SetAsideError if the answer would write over or delete a set-aside record."""
    if not state.set_aside or op in READING_OPS:
        return
    aside = {(x.store, x.id): x for x in state.set_aside if x.id is not None}
    for store, records in _items(answer.get("put")):
        for record in records if isinstance(records, list) else ():
            found = _id_of(store, record)
            if found is not None and (store, found) in aside:
                raise SetAsideError(aside[(store, found)])
    for store, ids in _items(answer.get("delete")):
        for found in ids if isinstance(ids, list) else ():
            if isinstance(found, str) and (store, found) in aside:
                raise SetAsideError(aside[(store, found)])


def _named(key: object, value: object, by_id: Mapping[str, SetAside]) -> None:
    """Any id in a request (a field called `id`, `…_id` or `…_ids`) that is set aside."""
    if isinstance(value, Mapping):
        for k, v in value.items():
            _named(k, v, by_id)
    elif isinstance(value, list):
        for v in value:
            _named(key, v, by_id)
    elif (
        isinstance(value, str)
        and value in by_id
        and isinstance(key, str)
        and (key in ("id", "ids", "key") or key.endswith(("_id", "_ids")))
    ):
        raise SetAsideError(by_id[value])


def _items(value: object) -> Iterable[tuple[str, Any]]:
    return value.items() if isinstance(value, Mapping) else ()


def _id_of(store: str, record: object) -> str | None:
    found = (
        record.get("key" if store == "decisions" else "id") if isinstance(record, Mapping) else None
    )
    return found if isinstance(found, str) else None


def _where(record: Stored) -> tuple[str, str]:
    if isinstance(record, Settings):
        return "meta", "settings"
    if isinstance(record, Profile):
        return "meta", "profile"
    if isinstance(record, RoundRecord):
        return "meta", f"{ROUND_PREFIX}{record.opportunity_id}"
    if isinstance(record, Trashed):
        return record.store, record.key
    key = record.key if isinstance(record, FollowUpDecision) else record.id
    return STORE_OF[type(record)], key
