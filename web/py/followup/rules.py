"""The contact rules: reach out to referrals, thank people for their time, tell introducers.

Each rule is a generator of open follow-ups (triggered, not closed by the records, not expired).
The user's done/snoozed/skipped decisions are applied afterwards, in `agenda.py`.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from datetime import datetime, timedelta

from .catalog import channels_of
from .context import Context, Landing, Owed, ago, span
from .landing import on_landing_chain, settled_by_landing
from .model import (
    CONTACT_KINDS,
    MEETING_KINDS,
    OUTBOUND_KINDS,
    THANK_YOU_KINDS,
    UPDATE_KINDS,
    Introduction,
    IntroductionId,
    IntroductionKind,
    IntroductionStatus,
    Opportunity,
    OpportunityId,
    OpportunityRole,
    PersonId,
    Refs,
    Stage,
)
from .schedule import deadline, is_expired
from .settings import Rule
from .state import State

_OFFERED = IntroductionStatus.OFFERED
_MEETING_WORDS = {
    "meeting": "met",
    "call": "had a call with",
    "coffee": "had coffee with",
    "interview": "had an interview with",
    "informational_interview": "had an informational interview with",
    "meal": "had a meal with",
    "video_call": "had a video call with",
}


def reach_out(ctx: Context) -> Iterator[Owed]:
    """Seed 004: reach out to a new referral within 24 hours of getting the name, whether or not
    the introducer has made the introduction yet. Any contact with them, at or after the
    introduction, closes it; so does moving the introduction past "offered"."""
    timing = ctx.timing(Rule.REACH_OUT)
    state, index = ctx.state, ctx.state.index
    oldest = ctx.now - timedelta(days=timing.expire_days, hours=timing.due_hours)
    by_time = index.intro.by_time
    # Once landed, the search is over: no reaching out as a job seeker to names from it.
    retired = ctx.landing.at if ctx.landing is not None and ctx.is_landed else None
    for at, intro_id in by_time[bisect_left(by_time, (oldest,)) :]:
        if at > ctx.now:
            break
        if retired is not None and at <= retired:
            continue
        intro = state.introductions[intro_id]
        contact = index.intro.contact.get(intro_id)
        due = deadline(at, timing.due_hours)
        key = f"reach-out:{intro_id}"
        if (
            intro.status is not _OFFERED
            or (contact is not None and contact[0] <= ctx.now)
            or is_expired(due, ctx.now, timing.expire_days)
            or key in index.log.answered
            or intro.introducer_id == intro.introduced_id
        ):
            continue
        yield Owed(
            rule=Rule.REACH_OUT,
            key=key,
            person_ids=(intro.introduced_id,),
            since=at,
            due=due,
            channels=channels_of(Rule.REACH_OUT),
            explain=_why_reach_out,
            refs=Refs(introduction_id=intro_id),
        )


def _why_reach_out(ctx: Context, owed: Owed) -> str:
    intro = ctx.state.introductions[owed.refs.introduction_id]  # type: ignore[index]
    introducer, name = ctx.name(intro.introducer_id), ctx.name(intro.introduced_id)
    if intro.kind is IntroductionKind.NAME:
        what = f"{introducer} gave you {name}'s name {ago(intro.at, ctx.now)}"
    else:
        what = f"{introducer} introduced you to {name} {ago(intro.at, ctx.now)}"
    first = ctx.first(intro.introducer_id)
    if ctx.now > owed.due:
        return f"{what}. You're late: every day you wait reflects on {first}, so reach out now."
    return (
        f"{what}. Reach out within {span(ctx.timing(Rule.REACH_OUT).due_hours)}, without "
        f"waiting for {first} to make the intro: your urgency reflects on {first}."
    )


def thank_you(ctx: Context) -> Iterator[Owed]:
    """Seed 001: thank everyone you met, called or were interviewed by within 24 hours, with a
    reminder of what you discussed. A thank-you of any kind to that person (email, handwritten
    card as seed 002 suggests, or call) at or after the meeting closes it."""
    timing = ctx.timing(Rule.THANK_YOU)
    state, index = ctx.state, ctx.state.index
    oldest = ctx.now - timedelta(days=timing.expire_days, hours=timing.due_hours)
    channels = channels_of(Rule.THANK_YOU)
    for at, interaction_id in index.log.meetings[bisect_left(index.log.meetings, (oldest,)) :]:
        if at > ctx.now:
            break
        due = deadline(at, timing.due_hours)
        if is_expired(due, ctx.now, timing.expire_days):
            continue
        refs = Refs(interaction_id=interaction_id)
        for pid in state.interactions[interaction_id].person_ids:
            key = f"thank-you:{interaction_id}:{pid}"
            log = state.log(pid)
            if (
                key in index.log.answered
                or log.first_since(at, THANK_YOU_KINDS)
                or _sent_within(log.first_since(at + _TICK, _SENT), due)
            ):
                continue
            yield Owed(
                rule=Rule.THANK_YOU,
                key=key,
                person_ids=(pid,),
                since=at,
                due=due,
                channels=channels,
                explain=_why_thank_you,
                refs=refs,
            )


# Issue 18: a message sent to them within the thank-you window after the meeting (from an
# imported mailbox, say) is the thank-you already sent.
_SENT = frozenset({"message_sent"})
_TICK = timedelta(microseconds=1)


def _sent_within(sent: datetime | None, due: datetime) -> bool:
    return sent is not None and sent <= due


def _why_thank_you(ctx: Context, owed: Owed) -> str:
    interaction = ctx.state.interactions[owed.refs.interaction_id]  # type: ignore[index]
    verb = _MEETING_WORDS.get(interaction.kind.value, "met")
    return (
        f"You {verb} {ctx.name(owed.person_ids[0])} {ago(interaction.at, ctx.now)}. A thank-you "
        f"within {span(ctx.timing(Rule.THANK_YOU).due_hours)}, reminding them what you "
        "discussed, keeps you in mind."
    )


def met_at_event(ctx: Context) -> Iterator[Owed]:
    """Seed 001: people you met at an event get a note within 24 hours of meeting them (when you
    captured them). Anything you send them closes it. People who were introduced to you get the
    reach-out instead, whose draft names the event too."""
    timing = ctx.timing(Rule.MET_AT_EVENT)
    state, index = ctx.state, ctx.state.index
    oldest = ctx.now - timedelta(days=timing.expire_days, hours=timing.due_hours)
    captured = index.net.met_at_events
    for at, pid in captured[bisect_left(captured, (oldest,)) :]:
        if at > ctx.now:
            break
        person = state.people[pid]
        event = state.events.get(person.event_id) if person.event_id else None
        due = deadline(at, timing.due_hours)
        key = f"met-at-event:{pid}"
        if (
            event is None
            or event.date > ctx.today
            or is_expired(due, ctx.now, timing.expire_days)
            or key in index.log.answered
            or pid in index.intro.by_introduced
            or state.log(pid).first_since(at, OUTBOUND_KINDS)
        ):
            continue
        yield Owed(
            rule=Rule.MET_AT_EVENT,
            key=key,
            person_ids=(pid,),
            since=at,
            due=due,
            channels=channels_of(Rule.MET_AT_EVENT),
            explain=_why_met_at_event,
            refs=Refs(event_id=event.id),
        )


def _why_met_at_event(ctx: Context, owed: Owed) -> str:
    event = ctx.state.events[owed.refs.event_id]  # type: ignore[index]
    return (
        f"You met {ctx.name(owed.person_ids[0])} at {event.name or 'an event'}. A short note "
        f"within {span(ctx.timing(Rule.MET_AT_EVENT).due_hours)} turns a handshake into a "
        "contact."
    )


def rejection_thanks(ctx: Context) -> Iterator[Owed]:
    """Seed 002: after a rejection, thank the recruiter or hiring manager anyway: a gracious note
    keeps the door open. A thank-you to any of them after the rejection closes it."""
    timing = ctx.timing(Rule.REJECTION_THANKS)
    state = ctx.state
    for opp in state.opportunities.values():
        if opp.stage is not Stage.REJECTED or opp.stage_at > ctx.now:
            continue
        due = deadline(opp.stage_at, timing.due_hours)
        key = f"rejection-thanks:{opp.id}"
        if is_expired(due, ctx.now, timing.expire_days) or key in state.index.log.answered:
            continue
        people = people_at(opp)
        if any(state.log(p).first_since(opp.stage_at, THANK_YOU_KINDS) for p in people):
            continue
        yield Owed(
            rule=Rule.REJECTION_THANKS,
            key=key,
            person_ids=people,
            who=None if people else team_at(opp),
            since=opp.stage_at,
            due=due,
            channels=channels_of(Rule.REJECTION_THANKS),
            explain=_why_rejection_thanks,
            refs=Refs(opportunity_id=opp.id),
        )


def _why_rejection_thanks(ctx: Context, owed: Owed) -> str:
    opp = ctx.state.opportunities[owed.refs.opportunity_id]  # type: ignore[index]
    role = f" to the {opp.role} role" if opp.role else ""
    return (
        f"{opp.organisation or 'They'} said no{role}. Thank them anyway: a gracious note keeps "
        "the door open for the next role."
    )


def close_loop(ctx: Context) -> Iterator[Owed]:
    """Seeds 000 and 003: once you have contacted or met the person someone introduced you to,
    tell the introducer what came of it, even if it led nowhere. An introducer update to them
    after that first contact closes it. When the outcome is already final, the outcome update
    (below) takes its place."""
    timing = ctx.timing(Rule.CLOSE_LOOP)
    state, index = ctx.state, ctx.state.index
    oldest = ctx.now - timedelta(days=timing.expire_days, hours=timing.due_hours)
    contacts = index.intro.contacts
    landing = ctx.landing if ctx.is_landed else None
    for at, intro_id in contacts[bisect_left(contacts, (oldest,)) :]:
        if at > ctx.now:
            break
        intro = state.introductions[intro_id]
        due = deadline(at, timing.due_hours)
        key = f"close-loop:{intro_id}"
        if (
            # Landed: the round tells the introducer of the job, the outcome update the rest.
            landing is not None
            and at <= landing.at
            and (
                on_landing_chain(state, landing, intro) or settled_by_landing(state, landing, intro)
            )
        ) or (
            intro_id in index.opp.outcomes
            or intro.introducer_id not in state.people
            or intro.introducer_id == intro.introduced_id
            or is_expired(due, ctx.now, timing.expire_days)
            or key in index.log.answered
            or state.log(intro.introducer_id).first_since(at, UPDATE_KINDS)
        ):
            continue
        yield Owed(
            rule=Rule.CLOSE_LOOP,
            key=key,
            person_ids=(intro.introducer_id,),
            since=at,
            due=due,
            channels=channels_of(Rule.CLOSE_LOOP),
            explain=_why_close_loop,
            refs=Refs(introduction_id=intro_id),
        )


def _why_close_loop(ctx: Context, owed: Owed) -> str:
    intro = ctx.state.introductions[owed.refs.introduction_id]  # type: ignore[index]
    kind = how_in_touch(ctx.state, intro, ctx.now)[0]
    verb = _MEETING_WORDS.get(kind, "got in touch with")
    return (
        f"You {verb} {ctx.name(intro.introduced_id)}, whom {ctx.name(intro.introducer_id)} "
        f"introduced you to. Tell {ctx.first(intro.introducer_id)} how it went, even if it led "
        "nowhere."
    )


def close_loop_outcome(ctx: Context) -> Iterator[Owed]:
    """Seeds 000 and 003: when what an introduction led to is final (every opportunity from it
    is declined, rejected or withdrawn, or you marked the outcome), tell the introducer how it
    ended. An introducer update after that closes it. An accepted offer is told by the
    gratitude round instead."""
    timing = ctx.timing(Rule.CLOSE_LOOP_OUTCOME)
    state = ctx.state
    settled = dict(state.index.opp.outcomes)
    if ctx.landing is not None and ctx.is_landed:
        settled.update(_settled_by_landing(ctx, ctx.landing))
    for intro_id, (at, opp_id) in sorted(settled.items()):
        intro = state.introductions[intro_id]
        if at > ctx.now or intro.introducer_id not in state.people:
            continue
        due = deadline(at, timing.due_hours)
        key = f"close-loop-outcome:{intro_id}"
        if (
            is_expired(due, ctx.now, timing.expire_days)
            or key in state.index.log.answered
            or state.log(intro.introducer_id).first_since(at, UPDATE_KINDS)
        ):
            continue
        yield Owed(
            rule=Rule.CLOSE_LOOP_OUTCOME,
            key=key,
            person_ids=(intro.introducer_id,),
            since=at,
            due=due,
            channels=channels_of(Rule.CLOSE_LOOP_OUTCOME),
            explain=_why_close_loop_outcome,
            refs=Refs(introduction_id=intro_id, opportunity_id=opp_id),
        )


def _settled_by_landing(
    ctx: Context, landing: Landing
) -> dict[IntroductionId, tuple[datetime, OpportunityId | None]]:
    """Introductions followed up during the search with no outcome of their own: landing the
    job settles them (landing.settled_by_landing)."""
    by_time = ctx.state.index.intro.by_time
    lo = bisect_left(by_time, (landing.search_start,))
    found: dict[IntroductionId, tuple[datetime, OpportunityId | None]] = {}
    for at, intro_id in by_time[lo:]:
        if at > landing.at:
            break
        if settled_by_landing(ctx.state, landing, ctx.state.introductions[intro_id]):
            found[intro_id] = (landing.at, None)
    return found


def _why_close_loop_outcome(ctx: Context, owed: Owed) -> str:
    intro = ctx.state.introductions[owed.refs.introduction_id]  # type: ignore[index]
    opp = ctx.state.opportunities.get(OpportunityId(owed.refs.opportunity_id or ""))
    what = f"{opp.organisation}: {opp.stage.value}" if opp else "the outcome is final"
    if opp is None and ctx.landing is not None and owed.since == ctx.landing.at:
        what = f"you landed the job at {ctx.landing.opportunity.organisation or 'your new place'}"
    return (
        f"What {ctx.name(intro.introducer_id)}'s introduction to "
        f"{ctx.name(intro.introduced_id)} led to is settled ({what}). Tell them how it ended: "
        "they will remember that you did."
    )


def how_in_touch(state: State, intro: Introduction, now: datetime) -> tuple[str, str]:
    """How far you got with the person introduced, for telling the introducer: the kind of
    your latest meeting with them since the introduction (else of your first contact), and the
    notes of that interaction ("" when only the status says you were in touch)."""
    log = state.log(intro.introduced_id)
    met = log.last_between(intro.at, now, MEETING_KINDS)
    if met is not None:
        return met[1], state.interactions[met[2]].notes
    first = log.first_kind_since(intro.at, CONTACT_KINDS)
    if first is None or first[0] > now:
        return "", ""
    return first[1], state.interactions[log.ids[log.times.index(first[0])]].notes


def people_at(opp: Opportunity) -> tuple[PersonId, ...]:
    """The people you dealt with at an organisation (references are on your side, not theirs)."""
    return tuple(p.person_id for p in opp.people if p.role is not OpportunityRole.REFERENCE)


def team_at(opp: Opportunity) -> str:
    return f"the team at {opp.organisation}" if opp.organisation else "the team"
