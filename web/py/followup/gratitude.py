"""The landing rules: the gratitude round, the most-doors special thanks, and courtesy notes
to every other organisation where you are still a candidate.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from .catalog import channels_of
from .context import MOST_DOORS_BONUS, Context, Landing, Owed, join_names
from .graph import chain_people, most_doors
from .landing import people_told_elsewhere, withdrawn_at_landing
from .model import (
    CANDIDATE_STAGES,
    OUTBOUND_KINDS,
    THANK_YOU_KINDS,
    UPDATE_KINDS,
    OpportunityRole,
    PersonId,
    Refs,
)
from .rules import people_at, team_at
from .schedule import deadline, is_expired
from .settings import Rule
from .state import State

MOST_DOORS = "most-doors"
_THANKED = THANK_YOU_KINDS | UPDATE_KINDS
_ROLE_ORDER = ("chain", "reference", "helper")
# Within the round: the most doors first, then the chain and references, then helpers.
_ROLE_BONUS = {"chain": 1, "reference": 1, "helper": 0}


@dataclass(frozen=True, slots=True, kw_only=True)
class Member:
    """One person in the round, with what their follow-up needs."""

    person_id: PersonId
    key: str
    roles: tuple[str, ...]
    mark: str | None
    bonus: int


@dataclass(frozen=True, slots=True, kw_only=True)
class GratitudeRound:
    """Who is thanked for a landing, why (their roles), and whom each introduced on the chain."""

    roles: dict[PersonId, tuple[str, ...]]
    introduced: dict[PersonId, set[PersonId]]
    most_doors: PersonId | None
    members: tuple[Member, ...]  # by person id


def gratitude_round(state: State, landing: Landing) -> GratitudeRound:
    """Seeds 001 and 003: everyone on the chains of introductions that led to the accepted job
    (see graph.chain_people), every reference, and everyone who gave time (a meeting, call or
    interview), advice or names (an introduction) between the start of the search and the
    landing. Of them, the one who opened the most doors (graph.most_doors) is marked.

    Worked out once per state: a heavy user's round has thousands of people."""
    key = ("gratitude-round", landing.opportunity.id, landing.at, landing.search_start)
    found = state.memo.get(key)
    if not isinstance(found, GratitudeRound):
        found = state.memo[key] = _gratitude_round(state, landing)
    return found


def _gratitude_round(state: State, landing: Landing) -> GratitudeRound:
    roles: dict[PersonId, set[str]] = {}
    chain = chain_people(state, landing.opportunity)
    for pid in chain:
        roles.setdefault(pid, set()).add("chain")
    start, end = landing.search_start, landing.at
    for opp in state.opportunities.values():
        relevant = opp.id == landing.opportunity.id or (
            opp.created_at <= end and max(opp.created_at, opp.stage_at) >= start
        )
        if relevant:
            for link in opp.people:
                if link.role is OpportunityRole.REFERENCE:
                    roles.setdefault(link.person_id, set()).add("reference")
    index = state.index
    meetings = index.log.meetings
    lo, hi = bisect_left(meetings, (start,)), bisect_right(meetings, (end, "\uffff"))
    helpers: set[PersonId] = set()
    for _, interaction_id in meetings[lo:hi]:
        helpers.update(state.interactions[interaction_id].person_ids)
    given = index.log.advice_given
    lo, hi = bisect_left(given, (start,)), bisect_right(given, (end, "\uffff"))
    for _, interaction_id in given[lo:hi]:
        helpers.update(state.interactions[interaction_id].person_ids)
    by_time = index.intro.by_time
    lo, hi = bisect_left(by_time, (start,)), bisect_right(by_time, (end, "\uffff"))
    for _, intro_id in by_time[lo:hi]:
        helpers.add(state.introductions[intro_id].introducer_id)
    # Someone at an organisation told you accepted elsewhere is not also sent the good news
    # as a helper: one organisation, one note (landing.py).
    helpers -= people_told_elsewhere(state, landing) - roles.keys()
    for pid in helpers:
        roles.setdefault(pid, set()).add("helper")
    members = {
        pid: tuple(r for r in _ROLE_ORDER if r in found)
        for pid, found in roles.items()
        if pid in state.people
    }
    doors = most_doors(state, members)
    return GratitudeRound(
        roles=members,
        introduced={pid: chain[pid] for pid in members if chain.get(pid)},
        most_doors=doors,
        members=tuple(
            Member(
                person_id=pid,
                key=f"gratitude:{landing.opportunity.id}:{pid}",
                roles=found,
                mark=MOST_DOORS if pid == doors else None,
                bonus=MOST_DOORS_BONUS if pid == doors else _ROLE_BONUS[found[0]],
            )
            for pid, found in sorted(members.items())
        ),
    )


def gratitude(ctx: Context) -> Iterator[Owed]:
    """Seeds 001 and 003: once you accept a job, thank everyone in the gratitude round within
    3 days. A thank-you (or an introducer update) to them after the landing closes theirs."""
    landing = ctx.landing
    timing = ctx.timing(Rule.GRATITUDE)
    if landing is None:
        return
    due = deadline(landing.at, timing.due_hours)
    if is_expired(due, ctx.now, timing.expire_days):
        return
    # Who is still owed thanks depends on the records only, so it is worked out once per state.
    memo_key = ("gratitude-owed", landing.opportunity.id, landing.at, due)
    owed = ctx.state.memo.get(memo_key)
    if not isinstance(owed, tuple):
        owed = ctx.state.memo[memo_key] = tuple(_still_owed(ctx.state, landing, due))
    yield from owed


def _still_owed(state: State, landing: Landing, due: datetime) -> Iterator[Owed]:
    answered, logs = state.index.log.answered, state.index.log.logs
    refs = Refs(opportunity_id=landing.opportunity.id)
    channels = channels_of(Rule.GRATITUDE)
    for member in gratitude_round(state, landing).members:
        pid, key = member.person_id, member.key
        log = logs.get(pid)
        if key in answered or (log is not None and log.first_since(landing.at, _THANKED)):
            continue
        yield Owed(
            rule=Rule.GRATITUDE,
            key=key,
            person_ids=(pid,),
            since=landing.at,
            due=due,
            channels=channels,
            explain=_why_gratitude,
            refs=refs,
            group="gratitude",
            mark=member.mark,
            roles=member.roles,
            bonus=member.bonus,
        )


def _why_gratitude(ctx: Context, owed: Owed) -> str:
    opp = ctx.state.opportunities[owed.refs.opportunity_id]  # type: ignore[index]
    job = " at ".join(p for p in (opp.role, opp.organisation) if p) or "a new job"
    pid = owed.person_ids[0]
    introduced = gratitude_round(ctx.state, ctx.landing).introduced if ctx.landing else {}
    reasons = {
        "chain": "introduced you along the way" if introduced.get(pid) else "was your way in",
        "reference": "was your reference",
        "helper": "gave you time, advice or names",
    }
    said = join_names([reasons[r] for r in owed.roles])
    why = f"You landed {job}. {ctx.name(pid)} {said}: thank them and tell them the news."
    if owed.mark == MOST_DOORS:
        why += " They opened the most doors for you: offer to take them to dinner."
    return why


def courtesy_note(ctx: Context) -> Iterator[Owed]:
    """Seed 001: once you take a job, tell every other organisation where you are still a
    candidate (applied, interviewing or holding an offer) that you accepted another position,
    within 24 hours. Withdrawing or declining there, or writing to anyone there, closes it."""
    landing = ctx.landing
    timing = ctx.timing(Rule.COURTESY_NOTE)
    if landing is None:
        return
    due = deadline(landing.at, timing.due_hours)
    if is_expired(due, ctx.now, timing.expire_days):
        return
    state = ctx.state
    for opp in state.opportunities.values():
        if (
            opp.id == landing.opportunity.id
            or (opp.stage not in CANDIDATE_STAGES and not withdrawn_at_landing(state, landing, opp))
            or opp.created_at > landing.at
        ):
            continue
        key = f"courtesy-note:{opp.id}"
        people = people_at(opp)
        if key in state.index.log.answered or any(
            state.log(p).first_since(landing.at, OUTBOUND_KINDS) for p in people
        ):
            continue
        yield Owed(
            rule=Rule.COURTESY_NOTE,
            key=key,
            person_ids=people,
            who=None if people else team_at(opp),
            since=landing.at,
            due=due,
            channels=channels_of(Rule.COURTESY_NOTE),
            explain=_why_courtesy_note,
            refs=Refs(opportunity_id=opp.id),
            group="gratitude",
        )


def _why_courtesy_note(ctx: Context, owed: Owed) -> str:
    opp = ctx.state.opportunities[owed.refs.opportunity_id]  # type: ignore[index]
    return (
        f"You are still a candidate at {opp.organisation or 'this organisation'} "
        f"({opp.stage.value}). Tell them now that you accepted another position, before they "
        "invest more time in you."
    )
