"""The api's sync operations: `stamp` (local writes as field entries with fresh clocks, for the
worker to save in the write's own transaction), `merge` (remote record states into the local
ones, sync_merge.py) and `sync_review` (notes that hold two devices' versions, for the user)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from . import collector, hlc, setaside
from .errors import CodecError
from .fields import Fields, parse_instant
from .state import State, apply
from .sync import (
    NOTE_FIELDS,
    Replica,
    SyncError,
    canonical,
    decode_pending,
    decode_replica,
    encode_replica,
    has_conflict,
    is_synced,
    merge_request,
)
from .sync_stamp import stamp

Answer = tuple[State, dict[str, Any]]


def _merge(state: State, f: Fields) -> Answer:
    """Remote record states merged into local ones; the merged records enter the state at once,
    so a command right after sees them."""
    # A page of 500 records makes tens of thousands of small objects and no cycles; with the
    # cyclic collector on, each page would also walk the whole state (a third of a first
    # pull's engine time for 27,000 records). Collection resumes when the page is merged.
    with collector.paused():
        result = merge_request(f.raw)
        merged = apply(state, result.put, result.delete)
        return setaside.updated(merged, result.put, result.delete), result.answer


def _stamp(state: State, f: Fields) -> Answer:
    """Stamp local writes: `{now, node, clock, known: {key: {f, pending}}, writes: [{store, key,
    record | null, erase?}]}` (`erase: true` with a null record: "Erase now") answers `{clock,
    stamped: [{key, store, id, f, pending}]}`, one entry per record whose fields changed (`f`
    as canonical JSON text, the plaintext's `f` as is)."""
    raw_now = f.value("now")
    if isinstance(raw_now, str) and raw_now[:1] in "+-":
        raise CodecError("out-of-range", hlc.UNWRITABLE, "now")
    try:
        now_ms = hlc.checked_now(hlc.millis_of(parse_instant(raw_now, "now")))
    except hlc.ClockError as error:
        raise CodecError("out-of-range", str(error), "now") from error
    node = f.text("node")
    if not hlc.is_node(node):
        raise CodecError("bad-node", "'node' should be 16 lowercase hex digits.", "node")
    parsed = hlc.parse(f.text("clock", ""))
    clock = hlc.Clock(parsed.millis, parsed.counter, node) if parsed else hlc.Clock(0, 0, node)
    known = f.value("known") if f.has("known") else {}
    if not isinstance(known, Mapping):
        raise CodecError("wrong-type", "'known' should map keys to sync states.", "known")
    writes = f.value("writes")
    if not isinstance(writes, list):
        raise CodecError("wrong-type", "'writes' should be a list.", "writes")
    current: dict[str, tuple[Replica | None, dict[str, str]]] = {}
    changed: dict[str, None] = {}
    for i, write in enumerate(writes):
        if not isinstance(write, Mapping):
            raise CodecError("wrong-type", "A write should be an object.", f"writes[{i}]")
        store, key, record = write.get("store"), write.get("key"), write.get("record")
        if not isinstance(store, str) or not isinstance(key, str) or not is_synced(store, key):
            raise CodecError("unknown-value", "This write does not sync.", f"writes[{i}]")
        if record is not None and not isinstance(record, Mapping):
            raise CodecError("wrong-type", "A record should be an object.", f"writes[{i}].record")
        name = f"{store}/{key}"
        if name not in current:
            current[name] = _known(known.get(name), store, key)
        local, pending = current[name]
        erase = write.get("erase") is True and record is None
        replica, pending, clock = stamp(
            local, store, key, record, pending, clock, now_ms, erase=erase
        )
        if local is None or replica.fields != local.fields:
            changed[name] = None
        current[name] = (replica, pending)
    stamped = []
    for name in changed:
        done, queued = current[name]
        assert done is not None
        text = canonical(encode_replica(done)["f"]).decode()
        stamped.append(
            {"key": name, "store": done.store, "id": done.id, "f": text, "pending": queued}
        )
    return state, {"clock": str(clock), "stamped": stamped}


def _known(raw: object, store: str, key: str) -> tuple[Replica | None, dict[str, str]]:
    if raw is None:
        return None, {}
    if not isinstance(raw, Mapping):
        raise CodecError("wrong-type", "A known sync state should be an object.", "known")
    try:
        fields = raw.get("f")
        if isinstance(fields, str):
            fields = json.loads(fields)
        local = decode_replica({"t": store, "i": key, "f": fields}) if fields is not None else None
        return local, decode_pending(raw.get("pending"))
    except (SyncError, ValueError) as error:
        raise CodecError(
            "bad-record", f"The sync state of {store}/{key} is damaged.", "known"
        ) from error


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
    "stamp": (("now", "node", "clock", "known", "writes"), _stamp),
    "merge": (("now", "node", "clock", "records"), _merge),
    "sync_review": ((), _review),
}
