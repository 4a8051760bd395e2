"""Delete to the trash, restore, erase: what goes with a record, in records and in words.

Deleting a person takes their interactions (those with no one else in them), their
introductions and the follow-up decisions about any of these; a meeting shared with others
and an opportunity only lose the link to them, and the link comes back on restore. Follow-ups
are computed from records, so those owed because of what went disappear with it, and Today,
People and the graph update. Everything deleted together is one trash entry, kept
`TRASH_DAYS` days (purged by `expired`), restored or erased as one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from .errors import NotFoundError, ValidationError
from .events import DomainEvent
from .fields import Fields
from .model import (
    Event,
    FollowUpDecision,
    Interaction,
    Introduction,
    Opportunity,
    OpportunityPerson,
    OpportunityRole,
    Person,
    PersonId,
)
from .state import State, Stored
from .trashed import Record, Trashed, Unlink

TRASH_DAYS = 30
TRASHABLE = ("people", "events", "introductions", "interactions", "opportunities", "decisions")
# What each store's records are called, one and many.
NOUNS: Mapping[str, tuple[str, str]] = {
    "people": ("person", "people"),
    "events": ("event", "events"),
    "introductions": ("introduction", "introductions"),
    "interactions": ("interaction", "interactions"),
    "opportunities": ("opportunity", "opportunities"),
    "decisions": ("follow-up decision", "follow-up decisions"),
}
Key = tuple[str, str]


# --- Commands -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Delete:
    records: tuple[Key, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Restore:
    entry: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Erase:
    entry: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordsTrashed(DomainEvent):
    entry: str
    count: int


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordsRestored(DomainEvent):
    entry: str
    count: int


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordsErased(DomainEvent):
    entry: str
    count: int


def parse_records(payload: Mapping[str, Any]) -> tuple[Key, ...]:
    """`{"records": [{"store", "id"}]}` as (store, id) pairs, each once, in order."""
    f = Fields(payload, "", ("records",))
    raw = f.raw.get("records")
    if not isinstance(raw, list) or not raw:
        raise ValidationError("missing-field", "Choose at least one thing to delete.", "records")
    out: dict[Key, None] = {}
    for i, item in enumerate(raw):
        r = Fields(item, f"records[{i}]", ("store", "id"))
        store = r.text("store")
        if store not in TRASHABLE:
            raise ValidationError(
                "unknown-value",
                f"'{store}' is not something that can be deleted.",
                f"records[{i}].store",
            )
        out[(store, r.key("id"))] = None
    return tuple(out)


def parse_delete(payload: Mapping[str, Any], now: datetime) -> Delete:
    return Delete(records=parse_records(payload))


def parse_entry(make: type[Restore] | type[Erase]) -> Any:
    def parse(payload: Mapping[str, Any], now: datetime) -> Restore | Erase:
        return make(entry=Fields(payload, "", ("id",)).key("id"))

    return parse


# --- Planning a delete --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Plan:
    """What a delete does: records to the trash, and live records that lose a link."""

    trashed: tuple[Trashed, ...]
    edited: tuple[Record, ...]
    entry: str


def _table(state: State, store: str) -> Mapping[str, Record]:
    table: Mapping[str, Record] = getattr(state, store)
    return table


def plan_delete(state: State, wanted: Iterable[Key], now: datetime) -> Plan:
    wanted = tuple(wanted)
    gone: dict[Key, Record] = {}
    for i, (store, key) in enumerate(wanted):
        record = _table(state, store).get(key)
        if record is None:
            where = f"records[{i}].id"
            if (store, key) in state.trash:
                raise ValidationError("in-trash", "This is already in the trash.", where)
            raise NotFoundError(
                "not-found", f"There is no {NOUNS[store][0]} with id '{key}'.", where
            )
        gone[(store, key)] = record
    people = {k for s, k in gone if s == "people"}
    if people:
        for it in state.interactions.values():
            if it.person_ids and set(it.person_ids) <= people:
                gone.setdefault(("interactions", it.id), it)
        for intro in state.introductions.values():
            if intro.introducer_id in people or intro.introduced_id in people:
                gone.setdefault(("introductions", intro.id), intro)
    ids = {k for _, k in gone}
    for dkey, decision in state.decisions.items():
        if any(s in ids for s in dkey.split(":")[1:]):
            gone.setdefault(("decisions", dkey), decision)
    entry = f"trash-{now.strftime('%Y%m%dT%H%M%S%f')}-{wanted[0][1]}"
    links: dict[Key, list[Unlink]] = {}
    edited = _unlink(state, gone, links)
    named = set(wanted)
    trashed = tuple(
        Trashed(
            store=store,
            record=record,
            entry=entry,
            at=now,
            main=(store, key) in named,
            unlinked=tuple(links.get((store, key), ())),
        )
        for (store, key), record in gone.items()
    )
    return Plan(trashed, edited, entry)


def _unlink(
    state: State, gone: Mapping[Key, Record], links: dict[Key, list[Unlink]]
) -> tuple[Record, ...]:
    """Live records that point at what goes, with the link cut (noted in `links` by the
    trashed record it pointed at, to be put back on restore)."""

    def cut(by: Key, store: str, rid: str, field: str, value: Any) -> None:
        links.setdefault(by, []).append(Unlink(store, rid, field, value))

    edited: list[Record] = []
    for it in state.interactions.values():
        if ("interactions", it.id) in gone:
            continue
        who = tuple(p for p in it.person_ids if ("people", p) not in gone)
        for at, p in enumerate(it.person_ids):
            if ("people", p) in gone:
                cut(("people", p), "interactions", it.id, "person_ids", {"id": p, "at": at})
        opp = it.opportunity_id
        if opp is not None and ("opportunities", opp) in gone:
            cut(("opportunities", opp), "interactions", it.id, "opportunity_id", opp)
            opp = None
        if who != it.person_ids or opp != it.opportunity_id:
            edited.append(replace(it, person_ids=who, opportunity_id=opp))
    for o in state.opportunities.values():
        if ("opportunities", o.id) in gone:
            continue
        kept = tuple(link for link in o.people if ("people", link.person_id) not in gone)
        for at, link in enumerate(o.people):
            if ("people", link.person_id) in gone:
                value = {"person_id": link.person_id, "role": link.role.value, "at": at}
                cut(("people", link.person_id), "opportunities", o.id, "people", value)
        intro = o.introduction_id
        if intro is not None and ("introductions", intro) in gone:
            cut(("introductions", intro), "opportunities", o.id, "introduction_id", intro)
            intro = None
        if kept != o.people or intro != o.introduction_id:
            edited.append(replace(o, people=kept, introduction_id=intro))
    for person in state.people.values():
        eid = person.event_id
        if ("people", person.id) not in gone and eid and ("events", eid) in gone:
            cut(("events", eid), "people", person.id, "event_id", eid)
            edited.append(replace(person, event_id=None))
    return tuple(edited)


def delete(state: State, c: Delete, now: datetime) -> tuple[list[DomainEvent], list[Stored]]:
    plan = plan_delete(state, c.records, now)
    event = RecordsTrashed(entry=plan.entry, count=len(plan.trashed))
    return [event], [*plan.edited, *plan.trashed]


# --- Restore and erase --------------------------------------------------------------------------


def entry_records(state: State, entry: str, field: str = "id") -> list[Trashed]:
    found = [t for t in state.trash.values() if t.entry == entry]
    if not found:
        raise NotFoundError("not-in-trash", "This is no longer in the trash.", field)
    return found


def restore(state: State, c: Restore) -> tuple[list[DomainEvent], list[Stored]]:
    """Everything in the entry back as it is now (edits made since on any device kept), with
    the links that were cut put back on records that are still here."""
    found = entry_records(state, c.entry)
    back: dict[Key, Record] = {(t.store, t.key): t.record for t in found}
    edited: dict[Key, Record] = {}
    for t in found:
        for u in t.unlinked:
            key = (u.store, u.id)
            target = edited.get(key) or back.get(key) or _table(state, u.store).get(u.id)
            if target is not None:
                relinked = _relink(target, u)
                if relinked != target:
                    edited[key] = relinked
    put: dict[Key, Record] = {**back, **edited}
    return [RecordsRestored(entry=c.entry, count=len(found))], list(put.values())


def _relink(target: Record, u: Unlink) -> Record:
    value = u.value if isinstance(u.value, Mapping) else {}
    at = value.get("at")
    at = at if isinstance(at, int) and not isinstance(at, bool) else 1_000_000
    if u.field == "person_ids" and isinstance(target, Interaction):
        pid = PersonId(str(value.get("id")))
        if pid in target.person_ids:
            return target
        ids = list(target.person_ids)
        ids.insert(at, pid)
        return replace(target, person_ids=tuple(ids))
    if u.field == "people" and isinstance(target, Opportunity):
        linked, role = PersonId(str(value.get("person_id"))), value.get("role")
        if any(link.person_id == linked for link in target.people):
            return target
        try:
            link = OpportunityPerson(person_id=linked, role=OpportunityRole(str(role)))
        except ValueError:
            return target
        links = list(target.people)
        links.insert(at, link)
        return replace(target, people=tuple(links))
    if u.field == "opportunity_id" and isinstance(target, Interaction):
        return target if target.opportunity_id else replace(target, opportunity_id=u.value)
    if u.field == "introduction_id" and isinstance(target, Opportunity):
        return target if target.introduction_id else replace(target, introduction_id=u.value)
    if u.field == "event_id" and isinstance(target, Person):
        return target if target.event_id else replace(target, event_id=u.value)
    return target


def erase(state: State, c: Erase) -> tuple[list[DomainEvent], list[Key]]:
    found = entry_records(state, c.entry)
    return [RecordsErased(entry=c.entry, count=len(found))], [(t.store, t.key) for t in found]


def expired(state: State, now: datetime) -> list[Key]:
    """Records whose trash entry is older than `TRASH_DAYS`: erased with the next command."""
    limit = now - timedelta(days=TRASH_DAYS)
    return [key for key, t in state.trash.items() if t.at < limit]


# --- Words --------------------------------------------------------------------------------------


def label(state: State, store: str, record: Record) -> str:
    """How the user knows a record."""
    if isinstance(record, Person):
        return record.name
    if isinstance(record, Event):
        return record.name
    if isinstance(record, Introduction):
        return (
            f"{_name(state, record.introducer_id)} introducing {_name(state, record.introduced_id)}"
        )
    if isinstance(record, Interaction):
        who = " and ".join(_name(state, p) for p in record.person_ids) or "no one"
        kind = record.kind.value.replace("_", " ")
        return f"{kind} with {who} on {record.at.date().isoformat()}"
    if isinstance(record, Opportunity):
        return f"{record.role} at {record.organisation}" if record.role else record.organisation
    assert isinstance(record, FollowUpDecision)
    return f"a decision on a follow-up ({record.status.value})"


def _name(state: State, pid: str) -> str:
    person = state.people.get(pid)  # type: ignore[call-overload]
    if person is not None:
        return str(person.name)
    t = state.trash.get(("people", pid))
    return t.record.name if t is not None and isinstance(t.record, Person) else "someone"


def count_words(counts: Mapping[str, int]) -> str:
    """{"interactions": 3, "introductions": 1} -> "3 interactions and 1 introduction"."""
    parts = [f"{n} {NOUNS[store][0 if n == 1 else 1]}" for store, n in counts.items() if n]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def summary(state: State, trashed: Iterable[Trashed], unlinked: int = 0) -> dict[str, Any]:
    trashed = list(trashed)
    main = [t for t in trashed if t.main]
    names = [label(state, t.store, t.record) for t in main]
    counts: dict[str, int] = {}
    for t in trashed:
        if not t.main:
            counts[t.store] = counts.get(t.store, 0) + 1
    what = _join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return {
        "label": what,
        "main": [
            {"store": t.store, "id": t.key, "label": n} for t, n in zip(main, names, strict=True)
        ],
        "with": counts,
        "with_words": count_words(counts),
        "count": len(trashed),
        "unlinked": unlinked,
    }


def _join(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def preview(state: State, wanted: tuple[Key, ...], now: datetime) -> dict[str, Any]:
    plan = plan_delete(state, wanted, now)
    unlinked = sum(len(t.unlinked) for t in plan.trashed)
    out = summary(state, plan.trashed, unlinked)
    sentence = f"{out['label']} will go to the trash"
    if out["with_words"]:
        sentence += f", with {out['with_words']}"
    sentence += "."
    if plan.edited:
        sentence += (
            f" {count_words(_stores_of(plan.edited))} shared with others will lose the link."
        )
    sentence += (
        " Follow-ups owed because of them go away; Today, People and the graph update."
        f" You can restore everything from Trash for {TRASH_DAYS} days."
    )
    return {**out, "words": sentence, "edited": len(plan.edited)}


def _stores_of(records: Iterable[Record]) -> dict[str, int]:
    names = {Person: "people", Interaction: "interactions", Opportunity: "opportunities"}
    counts: dict[str, int] = {}
    for r in records:
        store = names.get(type(r), "people")
        counts[store] = counts.get(store, 0) + 1
    return counts


def entries(state: State, now: datetime) -> list[dict[str, Any]]:
    """The trash, newest first: each entry with what went with it and when it goes for good."""
    groups: dict[str, list[Trashed]] = {}
    for t in state.trash.values():
        groups.setdefault(t.entry, []).append(t)
    out = []
    for entry, items in groups.items():
        at = min(t.at for t in items)
        ends = at + timedelta(days=TRASH_DAYS)
        days = max(0, -int(-(ends - now).total_seconds() // 86400))  # whole days, rounded up
        out.append(
            {
                "id": entry,
                "at": at.isoformat(),
                "erased_on": ends.date().isoformat(),
                "days_left": days,
                "days_left_words": "goes for good today"
                if days == 0
                else f"goes for good in {days} day{'s' if days != 1 else ''}",
                **summary(state, items),
            }
        )
    out.sort(key=lambda e: (e["at"], e["id"]), reverse=True)
    return out
