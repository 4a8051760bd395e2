"""Undo for every command, at the pipeline: each op that writes (a command, an import, a backup
restore) is kept with the before- and after-image of every record it put or deleted, in this
device's history (`meta` records `history:<id>`, not synced; the last `KEEP` entries and the
last `KEEP_IMPORTS` imports). No command needs code of its own to be undone.

Undo works field by field against what is there now: a field still as the command left it
goes back to what it was; a field changed since (by another command or another device) is
kept. A record the command created goes away if it is still as created and nothing else points
at it; if it was edited or linked since, it goes to the trash with what points at it, so
nothing is lost. The undo is a command like any other: it syncs, and it can be undone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from .codec import DECODERS, STORES, decode_meta, encode_any, encode_profile
from .errors import NotFoundError
from .events import DomainEvent
from .fields import Fields
from .model import FollowUpDecision, Interaction, Introduction, Opportunity, Person
from .rounds import ROUND_PREFIX, decode_rounds, encode_round
from .settings import encode_settings
from .state import State, Stored
from .trash import plan_delete
from .trashed import TRASHED, Record, Trashed, encode_info

PREFIX = "history:"
KEEP = 50
KEEP_IMPORTS = 20
Key = tuple[str, str]
Image = dict[str, Any] | None


# A change's `before` when the command only moved the record to the trash: it was `after`
# without the trash mark (kept so, not copied: a bulk delete holds thousands).
UNMARKED = "unmarked"


@dataclass(frozen=True, slots=True)
class Change:
    store: str
    key: str
    before: Image | str  # or UNMARKED
    after: Image

    @property
    def was(self) -> Image:
        """The record before the command."""
        if self.before == UNMARKED and self.after is not None:
            return _unmarked(self.after)
        return self.before if isinstance(self.before, dict) else None


@dataclass(frozen=True, slots=True, kw_only=True)
class Entry:
    id: str
    at: datetime
    op: str  # the command's name, or the op's ("import_commit")
    label: str
    changes: tuple[Change, ...]
    undone_by: str | None = None
    undoes: str | None = None
    # An import: {"file", "format", "added", "changed"}.
    batch: Mapping[str, Any] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Undo:
    id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CommandUndone(DomainEvent):
    history_id: str


def parse_undo(payload: Mapping[str, Any], now: datetime) -> Undo:
    return Undo(id=Fields(payload, "", ("id",)).key("id"))


# --- Images -------------------------------------------------------------------------------------


def current(state: State, store: str, key: str) -> Image:
    """The record as stored now (trashed ones with their mark), or None."""
    if store == "meta":
        if key == "settings":
            return encode_settings(state.settings)
        if key == "profile":
            return encode_profile(state.profile)
        if key.startswith(ROUND_PREFIX):
            found = state.rounds.get(key[len(ROUND_PREFIX) :])  # type: ignore[call-overload]
            return encode_round(found) if found is not None else None
        return None
    record = getattr(state, store).get(key)
    if record is not None:
        return encode_any(record)
    trashed = state.trash.get((store, key))
    return encode_any(trashed) if trashed is not None else None


def decode_image(store: str, image: Mapping[str, Any]) -> Stored | None:
    if store == "meta":
        if str(image.get("id", "")).startswith(ROUND_PREFIX):
            rounds = decode_rounds([image])
            return rounds[0] if rounds else None
        settings, profile = decode_meta([image], "meta")
        return settings or profile
    return DECODERS[store](image, "")


def _key_field(store: str) -> str:
    return "key" if store == "decisions" else "id"


def changes_of(
    before: State, answer: Mapping[str, Any], after: State | None = None
) -> tuple[Change, ...]:
    """Every record an answer puts or deletes, with its image before and after (erased records,
    which cannot come back, and the history itself are left out)."""
    erased = {(s, k) for s, ids in (answer.get("erase") or {}).items() for k in ids}
    out: dict[Key, Change] = {}
    for store, records in (answer.get("put") or {}).items():
        for record in records:
            key = record.get(_key_field(store))
            if not _kept(store, key) or (store, key) in erased:
                continue
            if (
                store == "meta"
                and key not in ("settings", "profile")
                and not key.startswith(ROUND_PREFIX)
            ):
                continue
            if (store, key) in out:
                old = out[(store, key)].before
            elif _just_trashed(before, after, store, key, record):
                old = UNMARKED  # moved to the trash as it was
            elif (back := _just_restored(before, after, store, key)) is not None:
                old = {**_unmarked(record), TRASHED: encode_info(back)}
            else:
                old = current(before, store, key)
            out[(store, key)] = Change(store, key, old, dict(record))
    for store, ids in (answer.get("delete") or {}).items():
        for key in ids:
            if not _kept(store, key) or (store, key) in erased:
                continue
            old = out[(store, key)].before if (store, key) in out else current(before, store, key)
            out[(store, key)] = Change(store, key, old, None)
    return tuple(c for c in out.values() if c.before != c.after)


def _just_restored(before: State, after: State | None, store: str, key: str) -> Trashed | None:
    """The trashed record that came back as it was (a restore, an undone delete), if so."""
    t = before.trash.get((store, key)) if after is not None else None
    if t is None or after is None or store not in STORES:
        return None
    return t if getattr(after, store).get(key) is t.record else None


def _unmarked(image: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in image.items() if k != TRASHED}


def _kept(store: str, key: object) -> bool:
    """Whether the history keeps images of this record: the engine's records and its own
    `meta` records; not the history itself, nor a store the engine does not read."""
    if not isinstance(key, str) or key.startswith(PREFIX):
        return False
    return store in STORES or store == "meta"


def _just_trashed(
    before: State, after: State | None, store: str, key: str, record: Mapping[str, Any]
) -> bool:
    if after is None or not record.get(TRASHED) or store not in STORES:
        return False
    live = getattr(before, store).get(key)
    moved = after.trash.get((store, key))
    return live is not None and moved is not None and moved.record is live


# --- Undo ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UndoPlan:
    put: tuple[Stored, ...]
    delete: tuple[Key, ...]
    reverted: int  # fields put back
    kept: int  # fields changed since, kept
    removed: int  # records the command created, gone
    trashed: int  # records it created that were edited or linked since: to the trash


def find(state: State, history_id: str, field: str = "id") -> Entry:
    for entry in state.history:
        if entry.id == history_id:
            return entry
    raise NotFoundError("not-in-history", "This is no longer in the history.", field)


def plan_undo(state: State, entry: Entry, now: datetime) -> UndoPlan:
    put: list[Stored] = []
    created: list[Key] = []
    reverted = kept = 0
    for change in entry.changes:
        now_image = current(state, change.store, change.key)
        trashed = state.trash.get((change.store, change.key))
        if change.before == UNMARKED and trashed is not None and now_image == change.after:
            # Moved to the trash and untouched since (a delete): the record itself comes back.
            put.append(trashed.record)
            reverted += 1
            continue
        c = Change(change.store, change.key, change.was, change.after)
        assert not isinstance(c.before, str)
        if c.before is None:
            if now_image is not None:
                created.append((c.store, c.key))
            continue
        if now_image is None:
            if c.after is None:  # the command deleted it: back as it was
                record = decode_image(c.store, c.before)
                if record is not None:
                    put.append(record)
                    reverted += len(c.before)
            continue  # deleted since: a later change, kept
        if c.after is None:
            continue  # restored or made again since: kept
        result: dict[str, Any] = {}
        for name in {*c.before, *now_image, *c.after}:
            if now_image.get(name) == c.after.get(name):
                if now_image.get(name) != c.before.get(name):
                    reverted += 1
                if name in c.before:
                    result[name] = c.before[name]
                elif name in now_image:
                    result[name] = None if name == "trashed" else now_image[name]
            else:
                kept += 1
                if name in now_image:
                    result[name] = now_image[name]
        if result != now_image:
            record = decode_image(c.store, result)
            if record is not None:
                put.append(record)
    removed, to_trash = _creations(state, entry, created, put)
    extra: list[Stored] = []
    if to_trash:
        plan = plan_delete(state, to_trash, now)
        extra = [*plan.edited, *plan.trashed]
    return UndoPlan(
        put=(*put, *extra),
        delete=tuple(removed),
        reverted=reverted,
        kept=kept,
        removed=len(removed),
        trashed=len(to_trash),
    )


def _creations(
    state: State, entry: Entry, created: list[Key], put: list[Stored]
) -> tuple[list[Key], list[Key]]:
    """Records the command created: unchanged and unused ones go; the rest go to the trash."""
    after = {(c.store, c.key): c.after for c in entry.changes}
    going = set(created)
    used = _referenced(state, going, put)
    removed, to_trash = [], []
    for store, key in created:
        image = current(state, store, key)
        if store == "meta" or (image == after[(store, key)] and key not in used):
            removed.append((store, key))
        elif (store, key) not in state.trash:
            to_trash.append((store, key))
    return removed, to_trash


def _referenced(state: State, going: set[Key], put: Iterable[Stored]) -> set[str]:
    """Ids that records staying after the undo point at."""
    replaced = {_where(r): r for r in put if isinstance(r, (*_RECORDS,))}
    ids: set[str] = set()
    for store in STORES:
        table: Mapping[str, Record] = getattr(state, store)
        for key, record in table.items():
            if (store, key) in going:
                continue
            r = replaced.get((store, key), record)
            ids.update(_refs(r))
    return ids


_RECORDS = (Person, Interaction, Introduction, Opportunity, FollowUpDecision)


def _where(record: Stored) -> Key:
    names = {
        Person: "people",
        Interaction: "interactions",
        Introduction: "introductions",
        Opportunity: "opportunities",
        FollowUpDecision: "decisions",
    }
    if isinstance(record, FollowUpDecision):
        return "decisions", record.key
    return names.get(type(record), ""), getattr(record, "id", "")


def _refs(record: Record | Stored) -> Iterable[str]:
    if isinstance(record, Person):
        return [record.event_id] if record.event_id else []
    if isinstance(record, Interaction):
        return [*record.person_ids, *([record.opportunity_id] if record.opportunity_id else [])]
    if isinstance(record, Introduction):
        return [record.introducer_id, record.introduced_id]
    if isinstance(record, Opportunity):
        links = [link.person_id for link in record.people]
        return [*links, *([record.introduction_id] if record.introduction_id else [])]
    if isinstance(record, FollowUpDecision):
        return record.key.split(":")[1:]
    return []


def undo_words(plan: UndoPlan) -> str:
    parts = []
    if plan.removed:
        parts.append(f"removes {_n(plan.removed, 'record')} it added")
    if plan.trashed:
        parts.append(f"moves {_n(plan.trashed, 'record')} it added and you used since to Trash")
    if plan.reverted:
        parts.append(f"puts back {_n(plan.reverted, 'field')} it changed")
    if plan.kept:
        parts.append(f"keeps {_n(plan.kept, 'field')} changed since")
    if not parts:
        return "Undo changes nothing: everything it did has changed since."
    text = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    return f"Undo {text}."


def _n(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


# --- The log ------------------------------------------------------------------------------------


def encode_entry(entry: Entry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "at": entry.at.isoformat(),
        "op": entry.op,
        "label": entry.label,
        "changes": [[c.store, c.key, c.before, c.after] for c in entry.changes],
        "undone_by": entry.undone_by,
        "undoes": entry.undoes,
        "batch": dict(entry.batch) if entry.batch is not None else None,
    }


def decode_entries(meta: object) -> list[Entry]:
    """History entries among `meta` records; one that cannot be read is left out (it is this
    device's convenience, never data)."""
    out = []
    for raw in meta if isinstance(meta, list) else []:
        if not isinstance(raw, Mapping) or not str(raw.get("id", "")).startswith(PREFIX):
            continue
        try:
            changes = tuple(
                Change(str(c[0]), str(c[1]), c[2], c[3]) for c in raw["changes"] if len(c) == 4
            )
            out.append(
                Entry(
                    id=raw["id"],
                    at=datetime.fromisoformat(raw["at"]),
                    op=str(raw["op"]),
                    label=str(raw["label"]),
                    changes=changes,
                    undone_by=raw.get("undone_by"),
                    undoes=raw.get("undoes"),
                    batch=raw.get("batch"),
                )
            )
        except (KeyError, TypeError, ValueError):
            continue
    out.sort(key=lambda e: (e.at, e.id))
    return out


def with_entries(state: State, entries: Iterable[Entry]) -> State:
    """The state's history with `entries` added or replaced, oldest first."""
    by_id = {e.id: e for e in state.history}
    by_id.update({e.id: e for e in entries})
    return replace(state, history=tuple(sorted(by_id.values(), key=lambda e: (e.at, e.id))))


def without(state: State, ids: Iterable[str]) -> State:
    gone = set(ids)
    return replace(state, history=tuple(e for e in state.history if e.id not in gone))


def trimmed(history: Iterable[Entry]) -> list[str]:
    """Ids of entries past the limits: the oldest commands beyond `KEEP`, imports beyond
    `KEEP_IMPORTS`."""
    history = list(history)
    imports = [e for e in history if e.batch is not None]
    others = [e for e in history if e.batch is None]
    return [e.id for e in others[:-KEEP]] + [e.id for e in imports[:-KEEP_IMPORTS]]


def new_id(state: State, now: datetime) -> str:
    """A new entry's id: the time, then a counter past any entry already at that time (one
    clock tick may see many commands), so ids sort as entries were made."""
    base = f"{PREFIX}{now.strftime('%Y%m%dT%H%M%S%f')}-"
    used = [int(e.id[len(base) :]) for e in state.history if e.id.startswith(base)]
    return f"{base}{max(used, default=-1) + 1:06d}"
