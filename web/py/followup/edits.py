"""Editing what is already saved, and many people at once.

- `update_interaction` and `update_event`: change any field of a logged interaction or an
  event; errors name the field.
- `tag_people`, `set_met_at`, `set_introduced_by`: the People screen's bulk actions on a list of
  people. Each is all or nothing: one unknown person or a bad value refuses the whole command,
  naming the field (`ids[3]`), and nothing changes.

The commands are parsed and decided here and plugged into `commands.py` (`EDIT_PARSERS`) and
`engine.py` (`EDIT_HANDLERS`). A handler answers `(events, put, delete)`; engine.py makes that a
Decision. This module does not import engine.py or commands.py.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from .capture import fold
from .codec import (
    EVENT_FIELDS,
    INTERACTION_FIELDS,
    decode_event,
    decode_interaction,
    encode_record,
)
from .errors import NotFoundError, ValidationError
from .events import DomainEvent
from .fields import Fields
from .model import (
    EventId,
    Interaction,
    InteractionId,
    Introduction,
    IntroductionId,
    IntroductionKind,
    Person,
    PersonId,
)
from .state import State, Stored

BULK_MAX = 10_000  # more than anyone's network; keeps one answer a sane size
_ENGINE_SET = ("created_at", "updated_at")


# --- Events ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class InteractionUpdated(DomainEvent):
    interaction_id: InteractionId
    fields: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class EventUpdated(DomainEvent):
    event_id: EventId
    fields: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class PeopleTagged(DomainEvent):
    person_ids: tuple[PersonId, ...]  # those whose tags changed
    added: tuple[str, ...]
    removed: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class PeopleMetAt(DomainEvent):
    person_ids: tuple[PersonId, ...]
    event_id: EventId | None


@dataclass(frozen=True, slots=True, kw_only=True)
class PeopleIntroducedBy(DomainEvent):
    person_ids: tuple[PersonId, ...]  # those newly introduced (the others already were)
    introducer_id: PersonId


# --- Commands -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class UpdateInteraction:
    interaction_id: InteractionId
    changes: Mapping[str, Any]


@dataclass(frozen=True, slots=True, kw_only=True)
class UpdateEvent:
    event_id: EventId
    changes: Mapping[str, Any]


@dataclass(frozen=True, slots=True, kw_only=True)
class TagPeople:
    person_ids: tuple[PersonId, ...]
    add: tuple[str, ...]
    remove: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class SetMetAt:
    person_ids: tuple[PersonId, ...]
    event_id: EventId | None  # None: "met at" is cleared


@dataclass(frozen=True, slots=True, kw_only=True)
class SetIntroducedBy:
    person_ids: tuple[PersonId, ...]
    introducer_id: PersonId
    # The new introductions' ids are `<id>-<n>`: the shell sends one fresh id for the batch.
    batch_id: str
    kind: IntroductionKind
    at: datetime


EditCommand = UpdateInteraction | UpdateEvent | TagPeople | SetMetAt | SetIntroducedBy


def _changes(
    payload: Mapping[str, Any], allowed: tuple[str, ...], fixed: tuple[str, ...] = ()
) -> tuple[str, dict[str, Any]]:
    ident = Fields(payload, "", allowed).ident("id")
    changes = {k: v for k, v in payload.items() if k != "id" and not k.startswith("_")}
    for key in changes:
        if key in _ENGINE_SET or key in fixed:
            raise ValidationError("unknown-field", f"'{key}' cannot be changed here.", key)
    return ident, changes


def _update_interaction(payload: Mapping[str, Any], now: datetime) -> EditCommand:
    ident, changes = _changes(payload, INTERACTION_FIELDS, ("followup_key",))
    return UpdateInteraction(interaction_id=InteractionId(ident), changes=changes)


def _update_event(payload: Mapping[str, Any], now: datetime) -> EditCommand:
    ident, changes = _changes(payload, EVENT_FIELDS)
    return UpdateEvent(event_id=EventId(ident), changes=changes)


def _people(f: Fields) -> tuple[PersonId, ...]:
    ids = f.ids("ids")
    if not ids:
        raise ValidationError("missing-field", "Choose at least one person.", "ids")
    if len(ids) > BULK_MAX:
        raise ValidationError("too-many", f"Choose at most {BULK_MAX:,} people at once.", "ids")
    return tuple(PersonId(p) for p in dict.fromkeys(ids))


def _tags(f: Fields, key: str) -> tuple[str, ...]:
    tags = tuple(dict.fromkeys(t.strip() for t in f.texts(key)))
    for i, tag in enumerate(tags):
        if not tag:
            raise ValidationError("missing-field", "A tag cannot be empty.", f"{key}[{i}]")
    return tags


def _tag_people(payload: Mapping[str, Any], now: datetime) -> EditCommand:
    f = Fields(payload, "", ("ids", "add", "remove"))
    people = _people(f)
    add, remove = _tags(f, "add"), _tags(f, "remove")
    if not add and not remove:
        raise ValidationError("missing-field", "Say which tag to add or remove.", "add")
    both = set(add) & set(remove)
    if both:
        raise ValidationError(
            "conflict", f"“{sorted(both)[0]}” cannot be both added and removed.", "remove"
        )
    return TagPeople(person_ids=people, add=add, remove=remove)


def _set_met_at(payload: Mapping[str, Any], now: datetime) -> EditCommand:
    f = Fields(payload, "", ("ids", "event_id"))
    people = _people(f)
    if not f.has("event_id"):
        raise ValidationError("missing-field", "Say which event (or null to clear).", "event_id")
    event = f.ref("event_id")
    return SetMetAt(person_ids=people, event_id=None if event is None else EventId(event))


def _set_introduced_by(payload: Mapping[str, Any], now: datetime) -> EditCommand:
    f = Fields(payload, "", ("ids", "introducer_id", "id", "kind", "at"))
    people = _people(f)
    return SetIntroducedBy(
        person_ids=people,
        introducer_id=PersonId(f.ident("introducer_id")),
        batch_id=f.ident("id"),
        kind=f.choice("kind", IntroductionKind, IntroductionKind.INTRODUCTION),
        at=f.instant("at", now),
    )


EDIT_PARSERS: Mapping[str, Callable[[Mapping[str, Any], datetime], EditCommand]] = {
    "update_interaction": _update_interaction,
    "update_event": _update_event,
    "tag_people": _tag_people,
    "set_met_at": _set_met_at,
    "set_introduced_by": _set_introduced_by,
}


# --- Decisions ------------------------------------------------------------------------------

Outcome = tuple[list[DomainEvent], list[Stored], list[tuple[str, str]]]


def _need(table: Mapping[Any, Any], key: str, field: str, what: str) -> Any:
    if key not in table:
        raise NotFoundError(f"unknown-{what}", f"There is no {what} with id '{key}'.", field)
    return table[key]


def _saved_people(state: State, ids: tuple[PersonId, ...]) -> list[Person]:
    people = state.people
    found = []
    for i, pid in enumerate(ids):
        person = people.get(pid)
        if person is None:
            raise NotFoundError(
                "unknown-person", f"There is no person with id '{pid}'.", f"ids[{i}]"
            )
        found.append(person)
    return found


def _decide_update_interaction(
    state: State, c: UpdateInteraction, now: datetime, today: date
) -> Outcome:
    it: Interaction = _need(state.interactions, c.interaction_id, "id", "interaction")
    updated = decode_interaction({**encode_record(it), **c.changes}, "")
    if not updated.person_ids:
        raise ValidationError("missing-field", "Say who this was with.", "person_ids")
    for i, pid in enumerate(updated.person_ids):
        _need(state.people, pid, f"person_ids[{i}]", "person")
    if updated.opportunity_id is not None:
        _need(state.opportunities, updated.opportunity_id, "opportunity_id", "opportunity")
    for i, advice in enumerate(updated.advice):
        if not advice.text.strip():
            raise ValidationError(
                "missing-field", "Write down what the advice was.", f"advice[{i}].text"
            )
    for i, promise in enumerate(updated.promises):
        if not promise.text.strip():
            raise ValidationError(
                "missing-field", "Write down what you promised.", f"promises[{i}].text"
            )
    updated = replace(updated, person_ids=tuple(dict.fromkeys(updated.person_ids)))
    if updated == it:
        return [], [], []
    changed = tuple(sorted(k for k in c.changes if encode_record(it).get(k) != c.changes[k]))
    return [InteractionUpdated(interaction_id=it.id, fields=changed)], [updated], []


def _decide_update_event(state: State, c: UpdateEvent, now: datetime, today: date) -> Outcome:
    event = _need(state.events, c.event_id, "id", "event")
    updated = decode_event({**encode_record(event), **c.changes}, "")
    if not updated.name.strip():
        raise ValidationError("missing-field", "Give the event a name.", "name")
    if updated == event:
        return [], [], []
    put: list[Stored] = [updated]
    if updated.name != event.name:
        # "Met at <old name>", written for people captured there, follows the new name.
        old = f"Met at {event.name}"
        put.extend(
            replace(p, how_met=f"Met at {updated.name}", updated_at=now)
            for p in state.people.values()
            if p.event_id == event.id and p.how_met == old
        )
    return [EventUpdated(event_id=event.id, fields=tuple(sorted(c.changes)))], put, []


def _decide_tag_people(state: State, c: TagPeople, now: datetime, today: date) -> Outcome:
    folded: dict[str, str] = {}  # thousands of people share a few tags: fold each once

    def key(tag: str) -> str:
        found = folded.get(tag)
        if found is None:
            found = folded[tag] = fold(tag)
        return found

    remove = {key(t) for t in c.remove}
    put: list[Stored] = []
    for person in _saved_people(state, c.person_ids):
        kept = [t for t in person.tags if key(t) not in remove] if remove else list(person.tags)
        have = {key(t) for t in kept}
        tags = (*kept, *(t for t in c.add if key(t) not in have))
        if tags != person.tags:
            put.append(replace(person, tags=tags, updated_at=now))
    if not put:
        return [], [], []
    ids = tuple(p.id for p in put if isinstance(p, Person))
    return [PeopleTagged(person_ids=ids, added=c.add, removed=c.remove)], put, []


def _decide_set_met_at(state: State, c: SetMetAt, now: datetime, today: date) -> Outcome:
    event = None if c.event_id is None else _need(state.events, c.event_id, "event_id", "event")
    names = {f"Met at {e.name}" for e in state.events.values()}
    put: list[Stored] = []
    for person in _saved_people(state, c.person_ids):
        if person.event_id == c.event_id:
            continue
        # Words the app wrote ("Met at <event>") follow the event; the user's own stay.
        how = person.how_met
        if not how or how in names:
            how = f"Met at {event.name}" if event is not None else ""
        put.append(replace(person, event_id=c.event_id, how_met=how, updated_at=now))
    if not put:
        return [], [], []
    ids = tuple(p.id for p in put if isinstance(p, Person))
    return [PeopleMetAt(person_ids=ids, event_id=c.event_id)], put, []


def _decide_set_introduced_by(
    state: State, c: SetIntroducedBy, now: datetime, today: date
) -> Outcome:
    _need(state.people, c.introducer_id, "introducer_id", "person")
    people = _saved_people(state, c.person_ids)
    already = {
        state.introductions[i].introduced_id
        for i in state.index.intro.by_introducer.get(c.introducer_id, ())
    }
    put: list[Stored] = []
    for n, person in enumerate(people):
        if person.id == c.introducer_id:
            raise ValidationError(
                "same-person",
                f"{person.name} cannot have introduced you to themselves.",
                f"ids[{n}]",
            )
        if person.id in already:
            continue
        ident = IntroductionId(f"{c.batch_id}-{n}")
        if ident in state.introductions:
            raise ValidationError(
                "already-exists", f"Something with id '{ident}' already exists.", "id"
            )
        put.append(
            Introduction(
                id=ident,
                introducer_id=c.introducer_id,
                introduced_id=person.id,
                at=c.at,
                kind=c.kind,
                created_at=now,
            )
        )
    if not put:
        return [], [], []
    ids = tuple(r.introduced_id for r in put if isinstance(r, Introduction))
    return [PeopleIntroducedBy(person_ids=ids, introducer_id=c.introducer_id)], put, []


EDIT_HANDLERS: Mapping[type, Callable[[State, Any, datetime, date], Outcome]] = {
    UpdateInteraction: _decide_update_interaction,
    UpdateEvent: _decide_update_event,
    TagPeople: _decide_tag_people,
    SetMetAt: _decide_set_met_at,
    SetIntroducedBy: _decide_set_introduced_by,
}
