"""Who in an imported file is already known (by the file's own id for them, email, phone,
LinkedIn URL, then name), what a merge would add, and the records an import writes.

Planning is deterministic, so the preview and the commit of the same file against the same
state agree; new records get placeholder ids that the commit swaps for ids minted by the shell.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from followup.errors import ValidationError
from followup.model import Event, EventId, Introduction, IntroductionId, Person, PersonId
from followup.state import State

from .contact import Contact, EventRef, IntroducedBy, scrubbed

_NEW = "\x00new:"  # placeholder ids: no real id holds a NUL
_LINKEDIN = re.compile(r"linkedin\.com/in/([^/?#\s]+)", re.IGNORECASE)
_EXTENSION = re.compile(r"(?i)[;,]|ext|x|#")
DECISIONS = ("merge", "new", "skip")


def email_key(email: str) -> str:
    return email.strip().casefold()


def phone_key(phone: str) -> str:
    """The last ten digits (so +1 905 555 1234 matches 905-555-1234), extensions cut off;
    numbers of fewer than seven digits are too short to match on."""
    digits = re.sub(r"\D", "", _EXTENSION.split(phone, 1)[0])
    return digits[-10:] if len(digits) >= 7 else ""


def linkedin_key(url: str) -> str:
    found = _LINKEDIN.search(url)
    return found[1].rstrip("/").casefold() if found else ""


def name_key(name: str) -> str:
    return " ".join(name.casefold().split())


@dataclass(slots=True, kw_only=True)
class RowPlan:
    """One contact's fate: `new`, `merge` into a known person, `same` (known, nothing to add),
    or `skip` (the user said so)."""

    contact: Contact
    action: str
    key: str  # the person it lands on: an id, or a placeholder for a new person
    by: str = ""  # what matched: uid, email, phone, linkedin, name, or file (an earlier row)
    adds: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True, kw_only=True)
class Plan:
    rows: list[RowPlan]
    people: dict[str, Person]  # new and changed people by key (placeholders for new ones)
    introductions: list[Introduction]
    events: list[Event]
    placeholders: list[str]  # in the order ids are handed out

    @property
    def ids_needed(self) -> int:
        return len(self.placeholders)


class _Directory:
    """Known people, and the ones this import adds, by every key they can be matched on."""

    def __init__(self, people: Iterable[Person]) -> None:
        self.by: dict[str, dict[str, list[str]]] = {
            k: {} for k in ("uid", "email", "phone", "linkedin", "name")
        }
        for person in sorted(people, key=lambda p: (p.created_at, p.id)):
            self.add(person.id, person, "")

    def add(self, key: str, person: Person, uid: str) -> None:
        keys = {
            "uid": [uid] if uid else ([] if key.startswith(_NEW) else [key]),
            "email": [email_key(e) for e in person.emails],
            "phone": [phone_key(p) for p in person.phones],
            "linkedin": [linkedin_key(u) for u in person.urls],
            "name": [name_key(person.name)],
        }
        for kind, values in keys.items():
            for value in values:
                targets = self.by[kind].setdefault(value, []) if value else []
                if value and key not in targets:
                    targets.append(key)

    def find(self, contact: Contact) -> tuple[str, str] | None:
        probes = {
            "uid": [contact.uid],
            "email": [email_key(e) for e in contact.emails],
            "phone": [phone_key(p) for p in contact.phones],
            "linkedin": [linkedin_key(u) for u in contact.urls],
        }
        for kind, values in probes.items():
            for value in values:
                if value and self.by[kind].get(value):
                    return self.by[kind][value][0], kind
        # A name alone is a weak clue: only when exactly one person has it.
        named = self.by["name"].get(name_key(contact.name), [])
        return (named[0], "name") if len(named) == 1 else None


def plan_import(
    state: State, contacts: Sequence[Contact], decisions: Mapping[str, str], now: datetime
) -> Plan:
    """What importing `contacts` does: each row is new, merged, unchanged or skipped (the user's
    `decisions`, by row number, can force "new" or "skip"). Nothing is applied here."""
    contacts = [scrubbed(c) for c in contacts]
    directory = _Directory(state.people.values())
    people: dict[str, Person] = {}
    placeholders: list[str] = []
    rows: list[RowPlan] = []
    by_uid: dict[str, str] = {}

    def current(key: str) -> Person:
        return people.get(key) or state.people[PersonId(key)]

    def new_key() -> str:
        placeholders.append(f"{_NEW}{len(placeholders)}")
        return placeholders[-1]

    events: dict[tuple[str, str], Event] = {}

    def event_id(ref: EventRef | None) -> EventId | None:
        if ref is None:
            return None
        wanted = (name_key(ref.name), ref.date.isoformat())
        for event in sorted(state.events.values(), key=lambda e: e.id):
            if (name_key(event.name), event.date.isoformat()) == wanted:
                return event.id
        if wanted not in events:
            events[wanted] = Event(
                id=EventId(new_key()), name=ref.name, date=ref.date, place=ref.place, created_at=now
            )
        return events[wanted].id

    for contact in contacts:
        decision = decisions.get(str(contact.row), "merge")
        found = None if decision == "new" else directory.find(contact)
        if decision == "skip":
            rows.append(RowPlan(contact=contact, action="skip", key=found[0] if found else ""))
            continue
        if found is None:
            key = new_key()
            person = _person(contact, key, event_id(contact.event), now)
            people[key] = person
            directory.add(key, person, contact.uid)
            rows.append(RowPlan(contact=contact, action="new", key=key))
        else:
            key, by = found
            before = current(key)
            after = _merge(before, contact, event_id(contact.event), now)
            adds = _added(before, after)
            if adds:
                people[key] = after
                directory.add(key, after, contact.uid)
            by = "file" if key.startswith(_NEW) else by
            rows.append(
                RowPlan(contact=contact, action="merge" if adds else "same", key=key, by=by)
            )
            rows[-1].adds = adds
        if contact.uid:
            by_uid.setdefault(contact.uid, rows[-1].key)

    introductions = _introductions(state, rows, by_uid, directory, people, new_key, now)
    for plan in rows:
        if plan.action == "same" and any(i.introduced_id == plan.key for i in introductions):
            plan.action = "merge"
            plan.adds["introduced_by"] = True
    return Plan(
        rows=rows,
        people=people,
        introductions=introductions,
        events=list(events.values()),
        placeholders=placeholders,
    )


def _introductions(
    state: State,
    rows: list[RowPlan],
    by_uid: Mapping[str, str],
    directory: _Directory,
    people: dict[str, Person],
    new_key: Any,
    now: datetime,
) -> list[Introduction]:
    existing = {(i.introducer_id, i.introduced_id) for i in state.introductions.values()}
    made: list[Introduction] = []
    for plan in rows:
        if plan.action == "skip":
            continue
        for intro in plan.contact.introduced_by:
            introducer = _introducer(intro, by_uid, directory, state)
            if introducer is None:
                # Named but unknown: the introducer becomes a person too; the chain matters.
                introducer = new_key()
                people[introducer] = Person(
                    id=PersonId(introducer), name=intro.name, created_at=now, updated_at=now
                )
                directory.add(introducer, people[introducer], intro.uid)
            pair = (PersonId(introducer), PersonId(plan.key))
            if introducer == plan.key or pair in existing:
                continue
            existing.add(pair)
            at = intro.at or now
            made.append(
                Introduction(
                    id=IntroductionId(new_key()),
                    introducer_id=pair[0],
                    introduced_id=pair[1],
                    at=at,
                    kind=intro.kind,
                    context=intro.context,
                    status=intro.status,
                    status_at=None if intro.status.value == "offered" else (intro.status_at or at),
                    outcome=intro.outcome,
                    created_at=now,
                )
            )
    return made


def _introducer(
    intro: IntroducedBy, by_uid: Mapping[str, str], directory: _Directory, state: State
) -> str | None:
    if intro.uid and intro.uid in by_uid:
        return by_uid[intro.uid]
    if intro.uid and intro.uid in state.people:
        return intro.uid
    named = directory.by["name"].get(name_key(intro.name), [])
    return named[0] if len(named) == 1 else None


def _person(contact: Contact, key: str, event: EventId | None, now: datetime) -> Person:
    return Person(
        id=PersonId(key),
        name=contact.name,
        given_name=contact.given_name,
        call_them=contact.call_them,
        organisation=contact.organisation,
        role=contact.role,
        emails=contact.emails,
        phones=contact.phones,
        urls=contact.urls,
        tags=contact.tags,
        notes=contact.notes,
        how_met=contact.how_met,
        event_id=event,
        cadence_days=contact.cadence_days,
        created_at=now,
        updated_at=now,
    )


def _merge(person: Person, contact: Contact, event: EventId | None, now: datetime) -> Person:
    """What is known stays; the file fills gaps, adds new ways to reach them, and notes it
    does not already hold."""

    def union(old: tuple[str, ...], new: tuple[str, ...], key: Any) -> tuple[str, ...]:
        seen = {key(v) for v in old}
        out = list(old)
        for value in new:
            if key(value) not in seen:
                seen.add(key(value))
                out.append(value)
        return tuple(out)

    notes = person.notes
    if contact.notes.strip() and contact.notes.strip() not in notes:
        notes = f"{notes}\n{contact.notes}" if notes.strip() else contact.notes
    merged = replace(
        person,
        given_name=person.given_name or contact.given_name,
        call_them=person.call_them or contact.call_them,
        organisation=person.organisation or contact.organisation,
        role=person.role or contact.role,
        emails=union(person.emails, contact.emails, email_key),
        phones=union(person.phones, contact.phones, lambda p: phone_key(p) or p),
        urls=union(person.urls, contact.urls, str.strip),
        tags=union(person.tags, contact.tags, str.casefold),
        notes=notes,
        how_met=person.how_met or contact.how_met,
        event_id=person.event_id or event,
        cadence_days=person.cadence_days
        if person.cadence_days is not None
        else contact.cadence_days,
    )
    return merged if merged == person else replace(merged, updated_at=now)


def _added(before: Person, after: Person) -> dict[str, Any]:
    adds: dict[str, Any] = {}
    for name in ("emails", "phones", "urls", "tags"):
        extra = [v for v in getattr(after, name) if v not in getattr(before, name)]
        if extra:
            adds[name] = extra
    for name in ("organisation", "role", "how_met"):
        if getattr(after, name) != getattr(before, name):
            adds[name] = getattr(after, name)
    if after.notes != before.notes:
        adds["notes"] = after.notes[len(before.notes) :].strip()
    if after.event_id != before.event_id:
        adds["event"] = True
    if after.cadence_days != before.cadence_days:
        adds["cadence_days"] = after.cadence_days
    return adds


def materialize(plan: Plan, ids: Sequence[str]) -> list[Person | Event | Introduction]:
    """The plan's records with every placeholder replaced by an id the shell minted."""
    if len(ids) < plan.ids_needed:
        raise ValidationError(
            "missing-ids",
            f"This import needs {plan.ids_needed} new ids and got {len(ids)}; preview it again.",
            "ids",
        )
    if len(set(ids)) != len(ids) or not all(isinstance(i, str) and i for i in ids):
        raise ValidationError("bad-ids", "The new ids must be distinct, non-empty text.", "ids")
    swap = dict(zip(plan.placeholders, ids, strict=False))

    def real(key: str | None) -> Any:
        return None if key is None else swap.get(key, key)

    records: list[Person | Event | Introduction] = []
    records += [replace(e, id=real(e.id)) for e in plan.events]
    records += [replace(p, id=real(p.id), event_id=real(p.event_id)) for p in plan.people.values()]
    records += [
        replace(
            i,
            id=real(i.id),
            introducer_id=real(i.introducer_id),
            introduced_id=real(i.introduced_id),
        )
        for i in plan.introductions
    ]
    return records


def real_key(plan: Plan, ids: Sequence[str], key: str) -> str:
    swap = dict(zip(plan.placeholders, ids, strict=False))
    return swap.get(key, key)
