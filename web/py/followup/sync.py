"""Record merge for sync: each record is a map field -> (value, HLC) merged per field by the
later clock, so merges commute, associate and ignore duplicates (SYNC-DESIGN §6.2).

Tags are one field per tag (`tags:<name>` -> true/false), so concurrent additions both
survive. Deletion is a `_deleted` field, so edits to other fields never resurrect a record.
A missing record or field is never a deletion. When a concurrent edit meets a local note that
was not yet synced, both texts are kept in the note behind `CONFLICT_MARKER` ("2 versions —
review"), never as a second record. The shell encrypts, stores and sends; this module has no
clock (`now` comes in) and no randomness (node ids come in).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from . import hlc
from .codec import DECODERS, decode_meta, read_stored
from .errors import CodecError
from .state import Stored

FORMAT_VERSION = 1
DELETED = "_deleted"
# "Erase now": a record erased on any device keeps only this mark (and `_deleted`) everywhere,
# and the device that sees older content anywhere pushes the mark again, so that the server
# drops every older ciphertext of it (docs/sync-protocol.md, "Erasing a record").
ERASED = "_erased"
TAG_PREFIX = "tags:"
# Stores whose records sync, with each one's key field; in `meta` only these ids do.
KEY_OF: Mapping[str, str] = {
    "people": "id",
    "events": "id",
    "introductions": "id",
    "interactions": "id",
    "opportunities": "id",
    "decisions": "key",
    "meta": "id",
}
SYNCED_META = frozenset({"settings", "profile", "push_devices"})
# Free text where two devices' concurrent versions are both kept rather than one dropped.
NOTE_FIELDS: Mapping[str, frozenset[str]] = {
    "people": frozenset({"notes"}),
    "interactions": frozenset({"notes"}),
    "opportunities": frozenset({"notes"}),
    "introductions": frozenset({"context", "outcome"}),
}
CONFLICT_MARKER = (
    "\n\n——— 2 versions — review: this text was written on another device at the same time ———\n\n"
)
MAX_FIELDS = 2_000
# A clock as this module writes it (lowercase hex); others are parsed and rewritten.
_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z-[0-9a-f]{4}-[0-9a-f]{16}")

Entry = tuple[Any, str]


class SyncError(Exception):
    """A remote record that cannot be used; `code` is kebab-case for the shell."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class Replica:
    """The merged sync state of one record: its store, its key, and every field's entry."""

    store: str
    id: str
    fields: Mapping[str, Entry]

    @property
    def key(self) -> str:
        return f"{self.store}/{self.id}"


@dataclass(frozen=True, slots=True)
class Applied:
    """A record after remote versions were merged into it."""

    replica: Replica
    # Fields edited here and not yet acknowledged by the server -> the clock they were based on.
    pending: Mapping[str, str]
    conflict: bool
    clock: hlc.Clock
    # A remote stamp more than a day ahead of this device's clock: merged, not adopted.
    future: bool = False


def is_synced(store: str, key: str) -> bool:
    """Whether a record of this store (and key, for `meta`) travels between devices."""
    return store in KEY_OF and (store != "meta" or key in SYNCED_META)


def is_erased(fields: Mapping[str, Entry]) -> bool:
    entry = fields.get(ERASED)
    return entry is not None and entry[0] is True


def erased_only(fields: Mapping[str, Entry]) -> dict[str, Entry]:
    """An erased record's fields: the mark, and deleted as of it. Nothing else survives."""
    mark = fields[ERASED]
    return {DELETED: (True, mark[1]), ERASED: mark}


def is_deleted(replica: Replica) -> bool:
    entry = replica.fields.get(DELETED)
    return entry is not None and entry[0] is True


def canonical(value: Any) -> bytes:
    """The bytes that decide between two values with the same clock (never in practice)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _wins(a: Entry, b: Entry) -> bool:
    """Whether `a` beats `b`: the later clock, then (equal clocks) the larger value bytes."""
    if a[1] != b[1]:
        return a[1] > b[1]
    return canonical(a[0]) > canonical(b[0])


def merge_fields(a: Mapping[str, Entry], b: Mapping[str, Entry]) -> dict[str, Entry]:
    """Per field, the entry with the later clock; a field on one side only is kept."""
    merged = dict(a)
    for name, entry in b.items():
        mine = merged.get(name)
        if mine is None or _wins(entry, mine):
            merged[name] = entry
    if is_erased(merged):
        return erased_only(merged)
    return {name: merged[name] for name in sorted(merged)}


def merge(a: Replica, b: Replica) -> Replica:
    """The merge of two states of the same record."""
    if (a.store, a.id) != (b.store, b.id):
        raise ValueError(f"cannot merge {a.key} with {b.key}")
    return Replica(a.store, a.id, merge_fields(a.fields, b.fields))


def flatten(store: str, record: Mapping[str, Any]) -> dict[str, Any]:
    """A record as sync fields: every field but the key, and people's tags one per tag.

    Removed tags are not listed here; `stamp` turns a tag the record no longer has to false.
    """
    key = KEY_OF[store]
    out: dict[str, Any] = {}
    for name, value in record.items():
        if name in (key, DELETED, ERASED):
            continue
        if store == "people" and name == "tags" and isinstance(value, list):
            for tag in value:
                if isinstance(tag, str):
                    out[TAG_PREFIX + tag] = True
            continue
        out[name] = value
    return out


def materialise(replica: Replica) -> dict[str, Any] | None:
    """The record as the app stores it, or None for a deleted one."""
    if is_deleted(replica):
        return None
    record: dict[str, Any] = {KEY_OF.get(replica.store, "id"): replica.id}
    tags: list[str] = []
    for name, (value, _) in replica.fields.items():
        if name == DELETED:
            continue
        if replica.store == "people" and name.startswith(TAG_PREFIX):
            if value is True:
                tags.append(name[len(TAG_PREFIX) :])
            continue
        record[name] = value
    if replica.store == "people":
        record["tags"] = sorted(tags)
    return record


def _after(clock: hlc.Clock, above: str | None) -> str:
    """A new local stamp: the clock's, or, for a field stamped ahead of the clock (by a device
    whose clock ran fast), the first stamp after that one, so the edit still wins everywhere
    while the clock itself stays where it is (remote times are not adopted, hlc.recv)."""
    new = str(clock)
    ahead = hlc.parse(above) if above is not None and above >= new else None
    return str(hlc.overtake(ahead, clock.node)) if ahead else new


def _combine(winner: str, loser: str) -> str:
    return f"{winner}{CONFLICT_MARKER}{loser}"


def has_conflict(value: object) -> bool:
    """Whether a note holds two versions to review."""
    return isinstance(value, str) and CONFLICT_MARKER in value


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


# --- JSON forms ---------------------------------------------------------------------------------


def encode_replica(replica: Replica) -> dict[str, Any]:
    """The plaintext object of a record state, before canonical JSON and encryption."""
    return {
        "f": {name: [value, stamp_] for name, (value, stamp_) in replica.fields.items()},
        "i": replica.id,
        "t": replica.store,
        "v": FORMAT_VERSION,
    }


def plaintext(replica: Replica) -> bytes:
    """Canonical JSON of a record state: sorted keys, no spaces, UTF-8."""
    return canonical(encode_replica(replica))


def decode_replica(raw: object) -> Replica:
    """A record state from its JSON object; clocks that do not parse count as the oldest."""
    if not isinstance(raw, Mapping):
        raise SyncError("bad-record", "A synced record should be an object.")
    version = raw.get("v", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        raise SyncError(
            "newer-format",
            "A record was saved by a newer version of Followthrough; update the app to read it.",
        )
    store, key, fields = raw.get("t"), raw.get("i"), raw.get("f")
    if not isinstance(store, str) or not store or not isinstance(key, str) or not key:
        raise SyncError("bad-record", "A synced record lacks its type or id.")
    if not isinstance(fields, Mapping) or len(fields) > MAX_FIELDS:
        raise SyncError("bad-record", "A synced record's fields are not readable.")
    out: dict[str, Entry] = {}
    for name, entry in fields.items():
        if not isinstance(name, str) or not isinstance(entry, list) or len(entry) != 2:
            raise SyncError("bad-record", f"The field '{name}' of a synced record is damaged.")
        stamp_ = entry[1]
        if not isinstance(stamp_, str) or _STAMP.fullmatch(stamp_) is None:
            # One spelling per clock, so that strings compare as clocks do.
            parsed = hlc.parse(stamp_) if isinstance(stamp_, str) else None
            stamp_ = str(parsed) if parsed else hlc.ZERO
        out[name] = (entry[0], stamp_)
    if DELETED in out and not isinstance(out[DELETED][0], bool):
        raise SyncError("bad-record", "A synced record's deletion mark is damaged.")
    return Replica(store, key, dict(sorted(out.items())))


def decode_pending(raw: object) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in raw.items()
    ):
        raise SyncError("bad-request", "'pending' should map field names to clocks.")
    return dict(raw)


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


def __getattr__(name: str) -> Any:
    """`stamp` moved to sync_stamp.py; `from followup.sync import stamp` still finds it."""
    if name == "stamp":
        from .sync_stamp import stamp

        return stamp
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
