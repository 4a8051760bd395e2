"""Indices over the records, so that Today looks at time windows (recent meetings, recent first
contacts, people due a keep-in-touch note) instead of at every record.

Built once at load, in parts that depend on different stores; `refresh` rebuilds only the parts a
change touches, and updates the interaction-derived parts in place for a few logged interactions.
"""

from __future__ import annotations

from bisect import insort
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from .logs import (
    EMPTY_LOG,
    InteractionIndex,
    index_interactions,
    patch_interactions,
)
from .model import (
    CONTACT_KINDS,
    FINAL_STAGES,
    DecisionStatus,
    FollowUpDecision,
    Interaction,
    InteractionId,
    Introduction,
    IntroductionId,
    IntroductionStatus,
    Opportunity,
    OpportunityId,
    OpportunityRole,
    Person,
    PersonId,
    Stage,
)

# Relationship bits for keep-in-touch (see cadence.py).
INTRODUCER, REFERENCE, MET = 1, 2, 4
KEEP_IN_TOUCH_PREFIX = "keep-in-touch:"
# Above this many changed interactions, rebuilding is simpler than patching.
_PATCH_LIMIT = 50
# The people you dealt with at an organisation; references vouch for you but open no doors.
SOURCE_ROLES = frozenset(
    {
        OpportunityRole.RECRUITER,
        OpportunityRole.INTERVIEWER,
        OpportunityRole.CONTACT,
        OpportunityRole.HIRING_MANAGER,
    }
)


@dataclass(frozen=True, slots=True, kw_only=True)
class IntroductionIndex:
    by_introduced: Mapping[PersonId, tuple[IntroductionId, ...]]  # oldest first
    by_introducer: Mapping[PersonId, tuple[IntroductionId, ...]]
    by_time: tuple[tuple[datetime, IntroductionId], ...]
    # First contact with the introduced person at or after the introduction: when, and the
    # interaction kind ("" when only the status, moved on by hand, says you were in touch).
    contact: Mapping[IntroductionId, tuple[datetime, str]]
    contacts: tuple[tuple[datetime, IntroductionId], ...]  # the same, by time


@dataclass(frozen=True, slots=True, kw_only=True)
class OpportunityIndex:
    by_introduction: Mapping[IntroductionId, tuple[OpportunityId, ...]]
    by_person: Mapping[PersonId, tuple[OpportunityId, ...]]
    references: frozenset[PersonId]
    # Introductions whose result is settled and is not a job accepted: when, and the
    # opportunity that settled it (None when the user marked the outcome by hand).
    outcomes: Mapping[IntroductionId, tuple[datetime, OpportunityId | None]]


@dataclass(frozen=True, slots=True, kw_only=True)
class NetworkIndex:
    # (last touch, person, relationship bits), oldest touch first; people with a relationship
    # and no cadence of their own.
    entries: tuple[tuple[datetime, PersonId, int], ...]
    # (last touch + own cadence, person) for people with a cadence of their own.
    chosen: tuple[tuple[datetime, PersonId], ...]
    touched: Mapping[PersonId, datetime]  # last interaction, introduction made, or creation
    met_at_events: tuple[tuple[datetime, PersonId], ...]  # captured at an event, by creation


@dataclass(frozen=True, slots=True, kw_only=True)
class DecisionIndex:
    resets: Mapping[PersonId, datetime]  # keep-in-touch marked done or skipped, when
    snoozes: Mapping[PersonId, datetime]  # keep-in-touch snoozed, until when


@dataclass(frozen=True, slots=True, kw_only=True)
class Index:
    log: InteractionIndex
    intro: IntroductionIndex
    opp: OpportunityIndex
    net: NetworkIndex
    choice: DecisionIndex


def build(
    people: Mapping[PersonId, Person],
    introductions: Mapping[IntroductionId, Introduction],
    interactions: Mapping[InteractionId, Interaction],
    opportunities: Mapping[OpportunityId, Opportunity],
    decisions: Mapping[str, FollowUpDecision],
) -> Index:
    log = index_interactions(interactions)
    intro = _index_introductions(introductions, log)
    opp = _index_opportunities(opportunities, introductions, intro)
    return Index(
        log=log,
        intro=intro,
        opp=opp,
        net=_index_network(people, introductions, log, intro, opp),
        choice=_index_decisions(decisions),
    )


def refresh(
    index: Index,
    changed: set[str],
    people: Mapping[PersonId, Person],
    introductions: Mapping[IntroductionId, Introduction],
    interactions: Mapping[InteractionId, Interaction],
    opportunities: Mapping[OpportunityId, Opportunity],
    decisions: Mapping[str, FollowUpDecision],
    old_interactions: Iterable[Interaction] = (),
    new_interactions: Iterable[Interaction] = (),
    people_ids: Iterable[PersonId] | None = None,
) -> Index:
    """The index after the stores in `changed` changed. When only a few interactions were put
    (`old_interactions` are the versions they replace), only what they touch is recomputed.
    `people_ids` names the people put or removed: their network entries alone are recomputed
    (a sync page of 500 people does not rebuild the entries of the 26,000 already there)."""
    old, new = list(old_interactions), list(new_interactions)
    affected: set[PersonId] | None = None
    log = index.log
    if "interactions" in changed:
        if len(old) + len(new) <= _PATCH_LIMIT and all(interactions.get(i.id) is i for i in new):
            affected = {p for i in (*old, *new) for p in i.person_ids}
            # A keep-in-touch note answered for someone not named in the interaction still
            # resets their count.
            affected.update(
                PersonId(i.followup_key[len(KEEP_IN_TOUCH_PREFIX) :])
                for i in (*old, *new)
                if i.followup_key and i.followup_key.startswith(KEEP_IN_TOUCH_PREFIX)
            )
            log = patch_interactions(index.log, interactions, old, new, affected)
        else:
            log = index_interactions(interactions)
    intro = index.intro
    if "introductions" in changed or ("interactions" in changed and affected is None):
        intro = _index_introductions(introductions, log)
        affected = None
    elif affected:
        intro = _patch_contacts(intro, introductions, log, affected)
    opp = index.opp
    if changed & {"opportunities", "introductions"}:
        opp = _index_opportunities(opportunities, introductions, intro)
    net = index.net
    touched = set(people_ids) if people_ids is not None and "people" in changed else None
    if (
        changed & {"introductions", "opportunities"}
        or ("interactions" in changed and affected is None)
        or ("people" in changed and touched is None)
    ):
        net = _index_network(people, introductions, log, intro, opp)
    elif affected or touched:
        ids = (affected or set()) | (touched or set())
        net = _patch_network(net, people, introductions, log, intro, opp, ids)
    choice = _index_decisions(decisions) if "decisions" in changed else index.choice
    return Index(log=log, intro=intro, opp=opp, net=net, choice=choice)


def _index_introductions(
    introductions: Mapping[IntroductionId, Introduction], log: InteractionIndex
) -> IntroductionIndex:
    by_introduced: dict[PersonId, list[IntroductionId]] = {}
    by_introducer: dict[PersonId, list[IntroductionId]] = {}
    by_time = sorted((i.at, i.id) for i in introductions.values())
    for _, intro_id in by_time:
        intro = introductions[intro_id]
        by_introduced.setdefault(intro.introduced_id, []).append(intro_id)
        by_introducer.setdefault(intro.introducer_id, []).append(intro_id)
    contact = {}
    for intro in introductions.values():
        found = _first_contact(intro, log)
        if found is not None:
            contact[intro.id] = found
    return IntroductionIndex(
        by_introduced={k: tuple(v) for k, v in by_introduced.items()},
        by_introducer={k: tuple(v) for k, v in by_introducer.items()},
        by_time=tuple(by_time),
        contact=contact,
        contacts=tuple(sorted((at, i) for i, (at, _) in contact.items())),
    )


def _first_contact(intro: Introduction, log: InteractionIndex) -> tuple[datetime, str] | None:
    found = log.logs.get(intro.introduced_id, EMPTY_LOG).first_kind_since(intro.at, CONTACT_KINDS)
    by_hand = intro.status is not IntroductionStatus.OFFERED and intro.status_at is not None
    if by_hand and intro.status_at is not None and (found is None or intro.status_at < found[0]):
        return intro.status_at, ""
    return found


def _patch_contacts(
    index: IntroductionIndex,
    introductions: Mapping[IntroductionId, Introduction],
    log: InteractionIndex,
    affected: set[PersonId],
) -> IntroductionIndex:
    touched = [i for p in affected for i in index.by_introduced.get(p, ())]
    if not touched:
        return index
    contact = dict(index.contact)
    for intro_id in touched:
        found = _first_contact(introductions[intro_id], log)
        if found is None:
            contact.pop(intro_id, None)
        else:
            contact[intro_id] = found
    contacts = [c for c in index.contacts if c[1] not in touched]
    for intro_id in touched:
        if intro_id in contact:
            insort(contacts, (contact[intro_id][0], intro_id))
    return replace(index, contact=contact, contacts=tuple(contacts))


def sources_of(
    opp: Opportunity, intro: IntroductionIndex, known: Mapping[IntroductionId, Introduction]
) -> list[IntroductionId]:
    """The introductions an opportunity came from: its own link, or else the introductions of
    the people you dealt with there."""
    if opp.introduction_id is not None:
        return [opp.introduction_id] if opp.introduction_id in known else []
    found: set[IntroductionId] = set()
    for link in opp.people:
        if link.role in SOURCE_ROLES:
            found.update(intro.by_introduced.get(link.person_id, ()))
    return sorted(found)


def _index_opportunities(
    opportunities: Mapping[OpportunityId, Opportunity],
    introductions: Mapping[IntroductionId, Introduction],
    intro: IntroductionIndex,
) -> OpportunityIndex:
    by_intro: dict[IntroductionId, list[OpportunityId]] = {}
    by_person: dict[PersonId, list[OpportunityId]] = {}
    references: set[PersonId] = set()
    led_to: dict[IntroductionId, list[Opportunity]] = {}
    for opp in sorted(opportunities.values(), key=lambda o: o.id):
        if opp.introduction_id is not None:
            by_intro.setdefault(opp.introduction_id, []).append(opp.id)
        for link in opp.people:
            by_person.setdefault(link.person_id, []).append(opp.id)
            if link.role is OpportunityRole.REFERENCE:
                references.add(link.person_id)
        for intro_id in sources_of(opp, intro, introductions):
            led_to.setdefault(intro_id, []).append(opp)
    outcomes: dict[IntroductionId, tuple[datetime, OpportunityId | None]] = {}
    for intro_id, opps in led_to.items():
        stages = {o.stage for o in opps}
        if stages <= FINAL_STAGES and Stage.ACCEPTED not in stages:
            last = max(opps, key=lambda o: (o.stage_at, o.id))
            outcomes[intro_id] = (last.stage_at, last.id)
    for item in introductions.values():
        if (
            item.id not in led_to
            and item.status is IntroductionStatus.OUTCOME
            and item.status_at is not None
        ):
            outcomes[item.id] = (item.status_at, None)
    return OpportunityIndex(
        by_introduction={k: tuple(v) for k, v in by_intro.items()},
        by_person={k: tuple(v) for k, v in by_person.items()},
        references=frozenset(references),
        outcomes=outcomes,
    )


def _network_entry(
    person: Person,
    introductions: Mapping[IntroductionId, Introduction],
    log: InteractionIndex,
    intro: IntroductionIndex,
    opp: OpportunityIndex,
) -> tuple[datetime, int]:
    pid = person.id
    touched = log.logs.get(pid, EMPTY_LOG).last_at() or person.created_at
    made = intro.by_introducer.get(pid)
    if made:
        touched = max(touched, introductions[made[-1]].at)
    answered = log.answered.get(KEEP_IN_TOUCH_PREFIX + pid)
    if answered is not None:
        touched = max(touched, answered)
    return touched, relationship_bits(pid, log, intro, opp)


def relationship_bits(
    pid: PersonId, log: InteractionIndex, intro: IntroductionIndex, opp: OpportunityIndex
) -> int:
    """INTRODUCER | REFERENCE | MET, as far as they apply to this person."""
    return (
        (INTRODUCER if pid in intro.by_introducer else 0)
        | (REFERENCE if pid in opp.references else 0)
        | (MET if pid in log.met else 0)
    )


def _index_network(
    people: Mapping[PersonId, Person],
    introductions: Mapping[IntroductionId, Introduction],
    log: InteractionIndex,
    intro: IntroductionIndex,
    opp: OpportunityIndex,
) -> NetworkIndex:
    return _patch_network(
        NetworkIndex(entries=(), chosen=(), touched={}, met_at_events=()),
        people,
        introductions,
        log,
        intro,
        opp,
        set(people),
    )


def _patch_network(
    index: NetworkIndex,
    people: Mapping[PersonId, Person],
    introductions: Mapping[IntroductionId, Introduction],
    log: InteractionIndex,
    intro: IntroductionIndex,
    opp: OpportunityIndex,
    affected: set[PersonId],
) -> NetworkIndex:
    entries = [e for e in index.entries if e[1] not in affected]
    chosen = [c for c in index.chosen if c[1] not in affected]
    events = [e for e in index.met_at_events if e[1] not in affected]
    touched = dict(index.touched)
    for pid in affected:
        person = people.get(pid)
        if person is None:
            touched.pop(pid, None)
            continue
        at, bits = _network_entry(person, introductions, log, intro, opp)
        touched[pid] = at
        if person.cadence_days is None and bits:
            entries.append((at, pid, bits))
        elif person.cadence_days:
            chosen.append((at + timedelta(days=person.cadence_days), pid))
        if person.event_id is not None:
            events.append((person.created_at, pid))
    entries.sort()
    chosen.sort()
    events.sort()
    return NetworkIndex(
        entries=tuple(entries), chosen=tuple(chosen), touched=touched, met_at_events=tuple(events)
    )


def _index_decisions(decisions: Mapping[str, FollowUpDecision]) -> DecisionIndex:
    resets: dict[PersonId, datetime] = {}
    snoozes: dict[PersonId, datetime] = {}
    for key, decision in decisions.items():
        if not key.startswith(KEEP_IN_TOUCH_PREFIX):
            continue
        pid = PersonId(key[len(KEEP_IN_TOUCH_PREFIX) :])
        if decision.status is DecisionStatus.SNOOZED:
            if decision.until is not None:
                snoozes[pid] = decision.until
        else:
            resets[pid] = decision.at
    return DecisionIndex(resets=resets, snoozes=snoozes)
