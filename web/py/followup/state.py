"""The whole decoded state, and the indices built once from it so that Today stays fast.

`new_state` builds the indices (index.py); `apply` returns a new state with records put or
deleted, refreshing only the parts of the index that the change touches.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .index import Index, build, refresh
from .logs import EMPTY_LOG, PersonLog
from .model import (
    NO_PROFILE,
    Event,
    EventId,
    FollowUpDecision,
    Interaction,
    InteractionId,
    Introduction,
    IntroductionId,
    Opportunity,
    OpportunityId,
    Person,
    PersonId,
    Profile,
    RoundRecord,
)
from .rounds import ROUND_PREFIX
from .settings import DEFAULT_SETTINGS, Settings
from .trashed import Record as Record
from .trashed import Trashed

if TYPE_CHECKING:
    from .history import Entry

# What a command may put: a record (live or trashed), or one of the `meta` records the engine owns.
Stored = Record | Trashed | Settings | Profile | RoundRecord

# IndexedDB store for each record type (docs/engine-api.md).
STORE_OF: Mapping[type, str] = MappingProxyType(
    {
        Person: "people",
        Event: "events",
        Introduction: "introductions",
        Interaction: "interactions",
        Opportunity: "opportunities",
        FollowUpDecision: "decisions",
    }
)


@dataclass(frozen=True, slots=True)
class SetAside:
    """A stored record the engine could not read: kept out of memory, left as it is on disk,
    and reported (docs/engine-api.md, "Records the engine cannot read")."""

    store: str
    id: str | None  # as found; None when it has no text id
    field: str | None
    error: str
    message: str
    raw: Any = dataclasses.field(compare=False, repr=False)  # the record as found, for export

    def encode(self) -> dict[str, Any]:
        return {
            "store": self.store,
            "id": self.id,
            "field": self.field,
            "error": self.error,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class State:
    people: Mapping[PersonId, Person]
    events: Mapping[EventId, Event]
    introductions: Mapping[IntroductionId, Introduction]
    interactions: Mapping[InteractionId, Interaction]
    opportunities: Mapping[OpportunityId, Opportunity]
    decisions: Mapping[str, FollowUpDecision]
    settings: Settings = DEFAULT_SETTINGS
    profile: Profile = NO_PROFILE
    # Each landing's gratitude round as it opened (`meta` records `gratitude-round:<id>`).
    rounds: Mapping[OpportunityId, RoundRecord] = field(default_factory=dict)
    # Stored records that could not be read, in the order found; none of them is in memory.
    set_aside: tuple[SetAside, ...] = ()
    # Records in the trash by (store, key): out of every table above, kept for restore.
    trash: Mapping[tuple[str, str], Trashed] = field(default_factory=dict)
    # This device's recent commands with their before-images, oldest first (history.py).
    history: tuple[Entry, ...] = ()
    index: Index = field(compare=False, repr=False)
    # Values derived from this (immutable) state, computed once when first asked for, e.g. the
    # gratitude round. Not copied by `replace`, so a changed state starts empty.
    memo: dict[object, object] = field(default_factory=dict, init=False, compare=False, repr=False)

    def log(self, person_id: PersonId) -> PersonLog:
        return self.index.log.logs.get(person_id, EMPTY_LOG)

    def name(self, person_id: PersonId) -> str:
        person = self.people.get(person_id)
        return person.name if person else ""


def new_state(
    *,
    people: Iterable[Person] = (),
    events: Iterable[Event] = (),
    introductions: Iterable[Introduction] = (),
    interactions: Iterable[Interaction] = (),
    opportunities: Iterable[Opportunity] = (),
    decisions: Iterable[FollowUpDecision] = (),
    settings: Settings = DEFAULT_SETTINGS,
    profile: Profile = NO_PROFILE,
    rounds: Iterable[RoundRecord] = (),
    set_aside: Iterable[SetAside] = (),
    trash: Iterable[Trashed] = (),
) -> State:
    """A state from records in any order; the indices are built here, once."""
    people_map = {p.id: p for p in people}
    intro_map = {i.id: i for i in introductions}
    interaction_map = {i.id: i for i in interactions}
    opportunity_map = {o.id: o for o in opportunities}
    decision_map = {d.key: d for d in decisions}
    return State(
        people=people_map,
        events={e.id: e for e in events},
        introductions=intro_map,
        interactions=interaction_map,
        opportunities=opportunity_map,
        decisions=decision_map,
        settings=settings,
        profile=profile,
        rounds={r.opportunity_id: r for r in rounds},
        set_aside=tuple(set_aside),
        trash={(t.store, t.key): t for t in trash},
        index=build(people_map, intro_map, interaction_map, opportunity_map, decision_map),
    )


def apply(
    state: State, put: Iterable[Stored] = (), delete: Iterable[tuple[str, str]] = ()
) -> State:
    """A new state with `put` records stored (replacing same ids) and `delete` (store, id) gone."""
    put, delete = tuple(put), tuple(delete)
    maps: dict[str, dict[str, object]] = {}
    changes: dict[str, object] = {}

    def table(store: str) -> dict[str, object]:
        if store not in maps:
            maps[store] = dict(getattr(state, store))
        return maps[store]

    trash: dict[tuple[str, str], Trashed] | None = None
    gone: set[InteractionId] = set()
    people: set[PersonId] = {PersonId(k) for store, k in delete if store == "people"}
    for record in put:
        if isinstance(record, Trashed):
            trash = trash if trash is not None else dict(state.trash)
            trash[(record.store, record.key)] = record
            table(record.store).pop(record.key, None)
            if record.store == "interactions":
                gone.add(InteractionId(record.key))
            elif record.store == "people":
                people.add(PersonId(record.key))
        elif isinstance(record, Settings):
            changes["settings"] = record
        elif isinstance(record, Profile):
            changes["profile"] = record
        elif isinstance(record, RoundRecord):
            rounds = changes.setdefault("rounds", dict(state.rounds))
            rounds[record.opportunity_id] = record  # type: ignore[index]
        else:
            key = record.key if isinstance(record, FollowUpDecision) else record.id
            store = STORE_OF[type(record)]
            table(store)[key] = record
            if store == "people":
                people.add(PersonId(key))
            if (store, key) in state.trash:
                trash = trash if trash is not None else dict(state.trash)
                trash.pop((store, key), None)
    for store, key in delete:
        if store == "meta":  # a gratitude round taken back (an undone landing)
            if key.startswith(ROUND_PREFIX):
                rounds = changes.setdefault("rounds", dict(state.rounds))
                rounds.pop(key[len(ROUND_PREFIX) :], None)  # type: ignore[attr-defined]
            continue
        table(store).pop(key, None)
        if (store, key) in state.trash:
            trash = trash if trash is not None else dict(state.trash)
            trash.pop((store, key), None)
    changes.update(maps)
    if trash is not None:
        changes["trash"] = trash
    new = replace(state, **changes)  # type: ignore[arg-type]
    if not maps:
        return new
    new_interactions = [r for r in put if isinstance(r, Interaction)]
    touched = (
        {i.id for i in new_interactions}
        | {InteractionId(k) for store, k in delete if store == "interactions"}
        | gone
    )
    old_interactions = [state.interactions[i] for i in touched if i in state.interactions]
    index = refresh(
        state.index,
        set(maps),
        new.people,
        new.introductions,
        new.interactions,
        new.opportunities,
        new.decisions,
        old_interactions,
        new_interactions,
        people,
    )
    return replace(new, index=index)
