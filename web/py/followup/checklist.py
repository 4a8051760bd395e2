"""The gratitude round as a checklist: everyone a landing's round thanks and every other employer
it tells, each with where it stands (open, snoozed, done, skipped, sent or thanked).

Who is in the round comes from its record (rounds.py), written when the round opened, so
people stay listed once they are thanked; without a record (data imported already accepted),
the round is worked out from the records as they are now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .agenda import open_followups
from .context import Landing, make_context
from .gratitude import MOST_DOORS, gratitude_round
from .model import (
    DecisionStatus,
    FollowUp,
    FollowUpStatus,
    Opportunity,
    OpportunityId,
    OpportunityRole,
    PersonId,
    RoundRecord,
    Stage,
)
from .settings import Rule
from .state import State

# The states an item can be in; the last four are ticked off.
STATES = ("open", "snoozed", "done", "skipped", "sent", "thanked")
_ROLE_ORDER = ("chain", "reference", "helper")


@dataclass(frozen=True, slots=True, kw_only=True)
class Item:
    key: str  # the follow-up's key
    kind: str  # "thanks" (a person) or "courtesy" (another employer)
    person_id: PersonId | None
    name: str
    organisation: str
    roles: tuple[str, ...]
    most: bool  # opened the most doors
    state: str
    followup: FollowUp | None  # while it is owed (open or snoozed)
    when: datetime | None  # when it was done, sent or skipped, or until when it is snoozed
    opportunity_id: OpportunityId


@dataclass(frozen=True, slots=True, kw_only=True)
class Checklist:
    opportunity: Opportunity
    current: bool  # the latest landing (an earlier one's round is kept as a record)
    items: tuple[Item, ...]


def landing_of(state: State, opp: Opportunity) -> Landing:
    """When the search that led to this accepted job began: as for the latest landing, the
    gratitude lookback before it, or the landing before it if that came later."""
    earlier = [
        o.stage_at
        for o in state.opportunities.values()
        if o.stage is Stage.ACCEPTED and o.stage_at < opp.stage_at
    ]
    lookback = opp.stage_at - timedelta(days=state.settings.gratitude_lookback_days)
    return Landing(opportunity=opp, at=opp.stage_at, search_start=max([lookback, *earlier]))


def record_of(state: State, opp: Opportunity) -> RoundRecord | None:
    """The round's record, else the round worked out now (None before the job is accepted)."""
    record = state.rounds.get(opp.id)
    if record is not None:
        return record
    if opp.stage is not Stage.ACCEPTED:
        return None
    found = gratitude_round(state, landing_of(state, opp))
    return RoundRecord(
        opportunity_id=opp.id,
        at=opp.stage_at,
        person_ids=tuple(sorted(found.roles)),
        most_doors=found.most_doors,
        roles=tuple(sorted(found.roles.items())),
    )


def checklist(state: State, opp: Opportunity, now: datetime, today: date) -> Checklist:
    """Seeds 001 and 003: the round of one landing, most doors first, then the chain, the
    references and the helpers, each by name."""
    landing = make_context(state, now, today).landing
    current = landing is not None and landing.opportunity.id == opp.id
    record = record_of(state, opp)
    roles = dict(record.roles) if record else {}
    most = record.most_doors if record else None
    thanks_prefix = f"gratitude:{opp.id}:"
    items: dict[str, Item] = {}

    def put(item: Item) -> None:
        items.setdefault(item.key, item)

    def thanks(key: str, state_: str, when: datetime | None, f: FollowUp | None) -> Item:
        pid = PersonId(key[len(thanks_prefix) :])
        person = state.people.get(pid)
        return Item(
            key=key,
            kind="thanks",
            person_id=pid,
            name=f.who if f else (person.name if person else "Someone you removed"),
            organisation=person.organisation if person else "",
            roles=f.roles if f else roles.get(pid, ()),
            most=f.mark == MOST_DOORS if f else pid == most,
            state=state_,
            followup=f,
            when=when,
            opportunity_id=opp.id,
        )

    def courtesy(key: str, state_: str, when: datetime | None, f: FollowUp | None) -> Item:
        other_id = OpportunityId(key[len("courtesy-note:") :])
        other = state.opportunities.get(other_id)
        names = [
            state.name(link.person_id)
            for link in (other.people if other else ())
            if link.role is not OpportunityRole.REFERENCE and state.name(link.person_id)
        ]
        organisation = other.organisation if other else ""
        return Item(
            key=key,
            kind="courtesy",
            person_id=f.person_ids[0] if f and f.person_ids else None,
            name=f.who if f else ", ".join(names) or f"the team at {organisation}",
            organisation=organisation or (f.who if f else ""),
            roles=(),
            most=False,
            state=state_,
            followup=f,
            when=when,
            opportunity_id=other_id,
        )

    rules = [Rule.GRATITUDE, Rule.COURTESY_NOTE]
    for f in open_followups(state, now, today, rules) if current else ():
        snoozed = f.status is FollowUpStatus.SNOOZED
        state_ = "snoozed" if snoozed else "open"
        if f.key.startswith(thanks_prefix):
            put(thanks(f.key, state_, f.snoozed_until, f))
        elif f.rule == Rule.COURTESY_NOTE:
            put(courtesy(f.key, state_, None, f))

    told = set(record.courtesy_notes) if record and opp.id in state.rounds else None

    def closed(key: str, state_: str, when: datetime | None) -> None:
        if key.startswith(thanks_prefix):
            put(thanks(key, state_, when, None))
        elif key.startswith("courtesy-note:") and (when is None or when >= opp.stage_at):
            other = OpportunityId(key[len("courtesy-note:") :])
            if other in state.opportunities and (other in told if told is not None else current):
                put(courtesy(key, state_, when, None))

    for d in state.decisions.values():
        if d.status is DecisionStatus.SNOOZED:
            closed(d.key, "snoozed", d.until)
        else:
            closed(d.key, d.status.value, d.at)
    for key, at in state.index.log.answered.items():
        closed(key, "sent", at)
    # In the round, and no longer owed: a thank-you was logged for them some other way.
    for pid in record.person_ids if record else ():
        closed(f"{thanks_prefix}{pid}", "thanked", None)
    for other in told or ():
        closed(f"courtesy-note:{other}", "thanked", None)

    def order(item: Item) -> tuple[int, int, str]:
        role = item.roles[0] if item.roles else "helper"
        rank = _ROLE_ORDER.index(role) if role in _ROLE_ORDER else len(_ROLE_ORDER)
        return (0 if item.most else 1, rank, item.name.lower())

    return Checklist(
        opportunity=opp, current=current, items=tuple(sorted(items.values(), key=order))
    )
