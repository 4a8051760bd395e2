"""Merging two records of the same person: one person remains, and everything that pointed at
the other (introductions, interactions, opportunities, decisions, answered keys) points at it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from .events import PeopleMerged
from .model import OpportunityPerson, Person, PersonId
from .state import State, Stored


def merge_people(
    state: State, keep_id: PersonId, drop_id: PersonId, now: datetime
) -> tuple[PeopleMerged, list[Stored], list[tuple[str, str]]]:
    """`keep` wins where both have a value; lists are united; notes are joined; an introduction
    that would now introduce someone to themselves is deleted."""
    keep, drop = state.people[keep_id], state.people[drop_id]
    put: list[Stored] = [_merged(keep, drop, now)]
    delete: list[tuple[str, str]] = [("people", drop_id)]

    def swap(pid: PersonId) -> PersonId:
        return keep_id if pid == drop_id else pid

    for intro in state.introductions.values():
        if drop_id not in (intro.introducer_id, intro.introduced_id):
            continue
        moved = replace(
            intro, introducer_id=swap(intro.introducer_id), introduced_id=swap(intro.introduced_id)
        )
        if moved.introducer_id == moved.introduced_id:
            delete.append(("introductions", intro.id))
        else:
            put.append(moved)
    for it in state.interactions.values():
        key = _rekey(it.followup_key, drop_id, keep_id) if it.followup_key else None
        if drop_id in it.person_ids or key != it.followup_key:
            people = tuple(dict.fromkeys(swap(p) for p in it.person_ids))
            put.append(replace(it, person_ids=people, followup_key=key))
    for opp in state.opportunities.values():
        if any(link.person_id == drop_id for link in opp.people):
            links = dict.fromkeys(
                OpportunityPerson(person_id=swap(link.person_id), role=link.role)
                for link in opp.people
            )
            put.append(replace(opp, people=tuple(links)))
    for key, decision in state.decisions.items():
        new_key = _rekey(key, drop_id, keep_id)
        if new_key != key:
            delete.append(("decisions", key))
            if new_key not in state.decisions:
                put.append(replace(decision, key=new_key))
    return PeopleMerged(keep_id=keep_id, drop_id=drop_id), put, delete


def _merged(keep: Person, drop: Person, now: datetime) -> Person:
    def union(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*a, *b)))

    notes = "\n".join(n for n in dict.fromkeys((keep.notes.strip(), drop.notes.strip())) if n)
    return replace(
        keep,
        organisation=keep.organisation or drop.organisation,
        role=keep.role or drop.role,
        emails=union(keep.emails, drop.emails),
        phones=union(keep.phones, drop.phones),
        urls=union(keep.urls, drop.urls),
        tags=union(keep.tags, drop.tags),
        notes=notes,
        how_met=keep.how_met or drop.how_met,
        given_name=keep.given_name or drop.given_name,
        call_them=keep.call_them or drop.call_them,
        event_id=keep.event_id or drop.event_id,
        cadence_days=keep.cadence_days if keep.cadence_days is not None else drop.cadence_days,
        created_at=min(keep.created_at, drop.created_at),
        updated_at=now,
    )


def _rekey(key: str, old: str, new: str) -> str:
    """A follow-up key with one subject id swapped (keys are "rule:subject:subject")."""
    rule, *subjects = key.split(":")
    return ":".join([rule, *(new if s == old else s for s in subjects)])
