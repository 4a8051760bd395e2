"""The merge of remote record states into the local ones (the `merge` op, SYNC-DESIGN §6.2):
per record, the states pulled from the server merged field by field with the local state and
what was edited here and not yet sent; a note edited on both sides keeps both texts. The first
pull of a device is almost only new records with one state each: those take a short path that
checks them and adopts their clocks without merging anything (same answer, a fraction of the
cost: 27,000 of them on a newly paired phone).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from . import hlc
from .codec import DECODERS, decode_meta, read_stored
from .errors import CodecError
from .state import Stored
from .sync import (
    DELETED,
    ERASED,
    NOTE_FIELDS,
    Applied,
    Replica,
    SyncError,
    _after,
    _combine,
    _wins,
    canonical,
    decode_pending,
    decode_replica,
    encode_replica,
    is_deleted,
    is_erased,
    is_synced,
    materialise,
    merge,
)


def apply_remote(
    local: Replica | None,
    pending: Mapping[str, str],
    remotes: Sequence[Replica],
    clock: hlc.Clock,
    now_ms: int,
) -> Applied:
    """Merge remote states into the local one.

    A local field edit not yet synced that meets a concurrent remote edit (one newer than the
    state the local edit was based on) is a conflict. For notes both texts are kept, as a new
    local edit; for other fields the later clock wins. Pending fields that lost are no longer
    pending: there is nothing of ours left to send.
    """
    if not remotes:
        raise ValueError("nothing to apply")
    if local is None and not pending and len(remotes) == 1 and not is_erased(remotes[0].fields):
        # A new record with one state (nearly all of a first pull): nothing to merge, no pending
        # edit to weigh; only its clock is seen. The same answer as the long way below.
        return _adopt(remotes[0], clock, now_ms)
    merged = local if local is not None else remotes[0]
    for remote in remotes if local is not None else remotes[1:]:
        merged = merge(merged, remote)
    future = False
    for remote in remotes:
        latest = max((s for _, s in remote.fields.values()), default=None)
        seen = hlc.parse(latest) if latest is not None else None
        if seen is not None:  # a clock after the latest one seen is after all of them
            future = future or hlc.is_future(seen, now_ms)
            clock = hlc.recv(clock, seen, now_ms)
    mine = local.fields if local else {}
    fields = dict(merged.fields)
    pending_out: dict[str, str] = {}
    conflict = False
    notes = NOTE_FIELDS.get(merged.store, frozenset())
    if is_erased(fields):
        # Anyone still holding older content of an erased record pushes the mark again, so the
        # server drops that ciphertext too.
        pending_out = {n: v for n, v in pending.items() if n in fields}
        if any(set(r.fields) - {ERASED, DELETED} for r in remotes):
            pending_out.setdefault(ERASED, hlc.ZERO)
        replica = Replica(merged.store, merged.id, fields)
        return Applied(replica, pending_out, False, clock)
    for name, base in sorted(pending.items()):
        ours = mine.get(name)
        if ours is None or name not in fields:
            continue
        rivals = [
            r.fields[name]
            for r in remotes
            if name in r.fields
            and r.fields[name][1] > base
            and r.fields[name][1] != ours[1]
            and canonical(r.fields[name][0]) != canonical(ours[0])
        ]
        if name in notes and rivals and isinstance(ours[0], str):
            rival = max(rivals, key=lambda e: (e[1], canonical(e[0])))
            winner, loser = (ours, rival) if _wins(ours, rival) else (rival, ours)
            if isinstance(winner[0], str) and isinstance(loser[0], str) and loser[0].strip():
                clock = hlc.send(clock, now_ms)
                top = max(e[1] for e in [*rivals, ours, fields[name]])
                fields[name] = (_combine(winner[0], loser[0]), _after(clock, top))
                pending_out[name] = max(e[1] for e in [*rivals, (None, base)])
                conflict = True
                continue
        if fields[name] == ours:
            pending_out[name] = max([base, *(r[1] for r in rivals)])
    replica = Replica(merged.store, merged.id, dict(sorted(fields.items())))
    return Applied(replica, pending_out, conflict, clock, future)


def _adopt(remote: Replica, clock: hlc.Clock, now_ms: int) -> Applied:
    latest = max((s for _, s in remote.fields.values()), default=None)
    seen = hlc.parse(latest) if latest is not None else None
    if seen is None:
        return Applied(remote, {}, False, clock)
    future = hlc.is_future(seen, now_ms)
    return Applied(remote, {}, False, hlc.recv(clock, seen, now_ms), future)


# --- The merge op ---------------------------------------------------------------------------------


_UNKNOWN_FIELD = re.compile(r"record(?:\[0\])?\.([^.\[]+)")


def to_stored(store: str, record: Mapping[str, Any]) -> tuple[dict[str, Any], Stored | None]:
    """The record as this version of the app can store it, and the engine's value of it
    (None for a `meta` record the engine does not own).

    Fields this version does not know (written by a newer app) stay in the sync state and are
    left out here, one at a time, so the rest of the record still shows. Raises CodecError for
    a record the engine cannot read at all.
    """
    current = dict(record)
    while True:
        try:
            if store == "meta":
                settings, profile = decode_meta([current], "record")
                return current, settings or profile
            # Read as a load reads it: an older device's long text is kept (codec.read_stored).
            return current, read_stored(DECODERS[store], current, "record")
        except CodecError as error:
            unknown = _UNKNOWN_FIELD.fullmatch(error.field or "")
            if error.code != "unknown-field" or unknown is None or unknown[1] not in current:
                raise
            del current[unknown[1]]


@dataclass(frozen=True, slots=True)
class MergeResult:
    """What `merge_request` returns: the answer for the shell, and the engine's changes."""

    answer: dict[str, Any]
    put: list[Stored]
    delete: list[tuple[str, str]]


def merge_request(raw: Mapping[str, Any]) -> MergeResult:
    """The `merge` op: remote record states merged into the local ones.

    Request: `{now, node, clock, records: [{key, local, pending, remote: [state...]}]}`.
    Answer: `{clock, drifting, records: [{key, replica, pending, conflict, changed, held}],
    put: {store: [record]}, delete: {store: [id]}, rejected: [{key, error, message}]}`;
    `replica` is null when it is the one remote state sent for a record with no local state.
    A damaged state is rejected alone and the others still apply; a state the engine cannot
    show (`held`, e.g. from a newer app) is kept for sync but not shown.
    """
    now_ms = _now_ms(raw.get("now"))
    node = raw.get("node")
    if not isinstance(node, str) or not hlc.is_node(node):
        raise CodecError("bad-node", "'node' should be 16 lowercase hex digits.", "node")
    clock = _clock(raw.get("clock"), node)
    items = raw.get("records")
    if not isinstance(items, list):
        raise CodecError("wrong-type", "'records' should be a list.", "records")
    records: list[dict[str, Any]] = []
    rejected: list[dict[str, str]] = []
    put: dict[str, list[dict[str, Any]]] = {}
    delete: dict[str, list[str]] = {}
    engine_put: list[Stored] = []
    engine_delete: list[tuple[str, str]] = []
    future = False
    for index, item in enumerate(items):
        key = item.get("key") if isinstance(item, Mapping) else None
        try:
            local, pending, remotes = _decode_item(item)
        except SyncError as error:
            label = key if isinstance(key, str) else f"records[{index}]"
            rejected.append({"key": label, "error": error.code, "message": error.message})
            continue
        applied = apply_remote(local, pending, remotes, clock, now_ms)
        clock = applied.clock
        future = future or applied.future
        replica = applied.replica
        changed = local is None or local.fields != replica.fields
        record = materialise(replica)
        held: str | None = None
        shown: tuple[dict[str, Any], Stored | None] | None = None
        if record is not None and is_synced(replica.store, replica.id):
            try:
                shown = to_stored(replica.store, record)
            except CodecError as error:
                held = error.message
        # A new record's state is the one remote state the shell sent: not sent back (the
        # first pull of a device is thousands of these).
        echo = local is None and len(remotes) == 1 and replica.fields == remotes[0].fields
        records.append(
            {
                "key": replica.key,
                "replica": None if echo else encode_replica(replica),
                "pending": dict(applied.pending),
                "conflict": applied.conflict,
                "changed": changed,
                "held": held,
            }
        )
        if not changed or not is_synced(replica.store, replica.id):
            continue
        if record is None:
            if local is None or not is_deleted(local):
                delete.setdefault(replica.store, []).append(replica.id)
                engine_delete.append((replica.store, replica.id))
        elif shown is not None:
            put.setdefault(replica.store, []).append(shown[0])
            if shown[1] is not None:
                engine_put.append(shown[1])
    answer = {
        "clock": str(clock),
        "drifting": future or hlc.is_drifting(clock, now_ms),
        "future": future,
        "records": records,
        "put": put,
        "delete": delete,
        "rejected": rejected,
    }
    return MergeResult(answer, engine_put, engine_delete)


def _decode_item(item: object) -> tuple[Replica | None, dict[str, str], list[Replica]]:
    if not isinstance(item, Mapping):
        raise SyncError("bad-request", "Each record should be an object.")
    local = decode_replica(item["local"]) if item.get("local") is not None else None
    raw_remotes = item.get("remote")
    if not isinstance(raw_remotes, list) or not raw_remotes:
        raise SyncError("bad-request", "'remote' should be a non-empty list of record states.")
    remotes = [decode_replica(r) for r in raw_remotes]
    ident = (remotes[0].store, remotes[0].id)
    if any((r.store, r.id) != ident for r in remotes) or (
        local is not None and (local.store, local.id) != ident
    ):
        raise SyncError("mixed-records", "States of different records were mixed up.")
    return local, decode_pending(item.get("pending")), remotes


def _now_ms(raw: object) -> int:
    try:
        now = datetime.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        now = None
    if now is None and isinstance(raw, str) and raw[:1] in "+-":
        raise CodecError("out-of-range", hlc.UNWRITABLE, "now")
    if now is None or now.tzinfo is None:
        raise CodecError("bad-time", "'now' should be a time with an offset.", "now")
    try:
        return hlc.checked_now(hlc.millis_of(now))
    except hlc.ClockError as error:
        raise CodecError("out-of-range", str(error), "now") from error


def _clock(raw: object, node: str) -> hlc.Clock:
    parsed = hlc.parse(raw) if isinstance(raw, str) else None
    return hlc.Clock(parsed.millis, parsed.counter, node) if parsed else hlc.Clock(0, 0, node)
