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
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import hlc

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
    # A record's fields mostly share a few clocks (one per edit): each is checked once.
    good: set[str] = set()
    for name, entry in fields.items():
        if not isinstance(name, str) or not isinstance(entry, list) or len(entry) != 2:
            raise SyncError("bad-record", f"The field '{name}' of a synced record is damaged.")
        stamp_ = entry[1]
        if isinstance(stamp_, str) and stamp_ in good:
            pass
        elif isinstance(stamp_, str) and _STAMP.fullmatch(stamp_) is not None:
            good.add(stamp_)
        else:
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


# The merge (`merge` op) lives in sync_merge.py; these names stay importable from here.
from .sync_merge import MergeResult, apply_remote, merge_request, to_stored  # noqa: E402

__all__ = ["MergeResult", "apply_remote", "merge_request", "to_stored"]


def __getattr__(name: str) -> Any:
    """`stamp` moved to sync_stamp.py; `from followup.sync import stamp` still finds it."""
    if name == "stamp":
        from .sync_stamp import stamp

        return stamp
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
