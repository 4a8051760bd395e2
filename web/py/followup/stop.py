"""Knowing when to stop: the nudges Followthrough no longer suggests, and why.

- Someone who has not answered `stop_after_unanswered` messages (2 by default, in Settings)
  stops being nudged until they answer (a reply, a message from them, or time together).
- "No reply" (an interaction the user logs, or accepts when the person page suggests it) ends
  the chase until they answer; it opens one optional last, gracious note (rule `last-note`).
- A reply that says "no" stops every follow-up to them about that opportunity (a thank-you
  after a rejection excepted); a "no" about nothing in particular stops every nudge.

The person page lists the stops (`person` op, field `stopped`), so the user sees why a nudge is
no longer suggested where they look for it.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from .catalog import channels_of
from .context import Context, Owed, ago
from .kept import kept
from .logs import PersonLog
from .model import INBOUND_KINDS, OUTBOUND_KINDS, OpportunityId, PersonId, Refs, Reply
from .schedule import deadline, is_expired
from .settings import Rule
from .state import State

# The follow-ups that chase someone: they stop when the person does not answer.
NUDGE_RULES = frozenset({Rule.REACH_OUT, Rule.MET_AT_EVENT, Rule.KEEP_IN_TOUCH})
# A "no" about an opportunity leaves the thank-you after a rejection: it keeps the door open.
_AFTER_NO = frozenset({Rule.REJECTION_THANKS})
# The messages that count as a nudge left unanswered.
_NUDGES = frozenset({"message_sent"})
_REPLY = "reply"
_NO_REPLY = "no_reply"


@dataclass(frozen=True, slots=True, kw_only=True)
class Stop:
    """One reason Followthrough stopped suggesting follow-ups to a person."""

    code: str  # "unanswered", "no-reply" or "said-no"
    reason: str  # in words: "Not suggesting a nudge: no answer to 2 messages."
    rules: tuple[Rule, ...]  # the rules it stops
    opportunity_id: OpportunityId | None = None  # a "no" about this opportunity only
    since: datetime


def stops_for(state: State, pid: PersonId, now: datetime) -> tuple[Stop, ...]:
    """Why follow-ups to `pid` are no longer suggested, as of `now` (worked out once per state)."""
    memo = state.memo.get(("stops", now))
    if not isinstance(memo, dict):
        memo = state.memo[("stops", now)] = {}
    found = memo.get(pid)
    if found is None:
        found = memo[pid] = tuple(_stops(state, pid, now))
    return found


def _stops(state: State, pid: PersonId, now: datetime) -> Iterator[Stop]:
    log = state.index.log.logs.get(pid)
    if log is None:
        return
    nudges = tuple(sorted(NUDGE_RULES))
    unanswered: list[datetime] = []
    no_reply: datetime | None = None
    # From the latest back to their last answer.
    end = bisect_left(log.times, now + timedelta(microseconds=1))
    for i in range(end - 1, -1, -1):
        kind = log.kinds[i]
        if kind in INBOUND_KINDS:
            break
        if kind in _NUDGES:
            unanswered.append(log.times[i])
        elif kind == _NO_REPLY and no_reply is None:
            no_reply = log.times[i]
    limit = state.settings.stop_after_unanswered
    if no_reply is not None:
        yield Stop(
            code="no-reply",
            reason=f"Not suggesting a nudge: you marked {_first(state, pid)} as no reply "
            f"{ago(no_reply, now)}.",
            rules=nudges,
            since=no_reply,
        )
    elif len(unanswered) >= limit:
        yield Stop(
            code="unanswered",
            reason=f"Not suggesting a nudge: no answer to {len(unanswered)} messages.",
            rules=nudges,
            since=unanswered[0],
        )
    yield from _said_no(state, pid, now, nudges)


def _said_no(
    state: State, pid: PersonId, now: datetime, nudges: tuple[Rule, ...]
) -> Iterator[Stop]:
    """The "no" replies that still stand: the latest reply about each opportunity (or about
    nothing in particular) said no."""
    log = state.index.log.logs[pid]
    latest: dict[OpportunityId | None, tuple[datetime, Reply | None]] = {}
    for at, kind, iid in zip(log.times, log.kinds, log.ids, strict=True):
        if at > now:
            break
        if kind == _REPLY:
            it = state.interactions[iid]
            latest[it.opportunity_id] = (at, it.reply)
    for opp_id, (at, reply) in latest.items():
        if reply is not Reply.NO:
            continue
        if opp_id is None:
            answered_since = state.log(pid).first_since(
                at + timedelta(microseconds=1), INBOUND_KINDS
            )
            if answered_since is None:
                yield Stop(
                    code="said-no",
                    reason=f"Not suggesting a nudge: {_first(state, pid)} said no {ago(at, now)}.",
                    rules=nudges,
                    since=at,
                )
            continue
        opp = state.opportunities.get(opp_id)
        what = opp.organisation if opp and opp.organisation else "that opportunity"
        yield Stop(
            code="said-no",
            reason=f"Not suggesting follow-ups about {what}: {_first(state, pid)} said no "
            f"{ago(at, now)}.",
            rules=tuple(r for r in Rule if r not in _AFTER_NO),
            opportunity_id=opp_id,
            since=at,
        )


def is_stopped(state: State, owed: Owed, now: datetime) -> bool:
    """Whether a stop rule holds this follow-up back (every person it is for is stopped)."""
    if owed.rule not in NUDGE_RULES and owed.refs.opportunity_id is None:
        return False
    if not owed.person_ids:
        return False
    return all(_stopped_for(state, pid, owed, now) for pid in owed.person_ids)


def nudge_stopped(state: State, pid: PersonId, now: datetime) -> bool:
    """Whether nudges to `pid` (keep-in-touch notes, say) are held back.

    Today asks this of every person a keep-in-touch note is due for (thousands for a heavy
    user) on every call, and the answer rarely changes: it is kept from one call, and one
    state, to the next while its inputs are the same (see `_NUDGE_MEMO`)."""
    log = state.index.log.logs.get(pid)
    if log is None:
        return False
    end = bisect_left(log.times, now + _TICK)
    limit = state.settings.stop_after_unanswered
    kept = _NUDGE_MEMO.get(pid)
    if kept is not None and kept[0] is log and kept[1] == limit and kept[2] == end:
        return kept[3]
    found = any(s.opportunity_id is None for s in stops_for(state, pid, now))
    if len(_NUDGE_MEMO) >= _NUDGE_MEMO_MAX:
        _NUDGE_MEMO.clear()
    _NUDGE_MEMO[pid] = (log, limit, end, found)
    return found


def nudges_stopped(state: State, now: datetime) -> Callable[[PersonId], bool]:
    """`nudge_stopped` at one `now` for many people (Today asks it of thousands on every call).

    Answers are kept across calls while every person's log is the same (the same mapping of
    logs), the unanswered limit is the same and `now` stays between the entries around it of
    every person asked: then which entries are past is the same for each, and so is the
    answer. A clock moving on by a second (every Today asks at a new `now`) keeps them."""
    logs = state.index.log.logs
    limit = state.settings.stop_after_unanswered
    memo = _BATCH_MEMO
    if not (
        memo
        and memo[0] is logs
        and memo[1] == limit
        and (memo[2] is None or memo[2] <= now)
        and (memo[3] is None or now < memo[3])
    ):
        memo[:] = [logs, limit, None, None, {}]
    answers: dict[PersonId, bool] = memo[4]

    def stopped(pid: PersonId) -> bool:
        found = answers.get(pid)
        if found is not None:
            return found
        log = logs.get(pid)
        if log is not None:
            # The answer holds while `now` stays at or after the last entry past and before
            # the next one.
            times = log.times
            end = bisect_left(times, now + _TICK)
            if end and (memo[2] is None or times[end - 1] > memo[2]):
                memo[2] = times[end - 1]
            if end < len(times) and (memo[3] is None or times[end] < memo[3]):
                memo[3] = times[end]
        found = answers[pid] = nudge_stopped(state, pid, now)
        return found

    return stopped


# `nudges_stopped`'s answers: [logs mapping, limit, valid from, valid before, answer by person].
_BATCH_MEMO: list[Any] = []

# A pure function's memo: `nudge_stopped`'s answer by person, with what it was worked out from.
# It depends only on the person's log (a new `PersonLog` object whenever any of their
# interactions is put or deleted, so the interactions it names are the same too), the
# unanswered limit, and which of the log's entries are past at `now` (`end`): while all three
# are the same, so is the answer, whichever state or clock asks.
_NUDGE_MEMO: dict[PersonId, tuple[PersonLog, int, int, bool]] = {}
_NUDGE_MEMO_MAX = 100_000
_TICK = timedelta(microseconds=1)


def _stopped_for(state: State, pid: PersonId, owed: Owed, now: datetime) -> bool:
    for stop in stops_for(state, pid, now):
        if owed.rule not in stop.rules:
            continue
        if stop.opportunity_id is None or stop.opportunity_id == owed.refs.opportunity_id:
            return True
    return False


def suggest_no_reply(state: State, pid: PersonId, now: datetime) -> bool:
    """The person page offers "Mark as no reply" once the unanswered messages reach the limit."""
    return any(s.code == "unanswered" for s in stops_for(state, pid, now))


def last_note(ctx: Context) -> Iterator[Owed]:
    """Once the user marks someone as no reply, one optional last, gracious note: no hard
    feelings, the door stays open. Anything sent to them, or any answer from them, closes it."""
    timing = ctx.timing(Rule.LAST_NOTE)
    state = ctx.state
    oldest = ctx.now - timedelta(days=timing.expire_days, hours=timing.due_hours)
    interactions = state.interactions
    marked = kept(
        "no-replies",
        interactions,
        lambda: tuple(i for i in interactions.values() if i.kind._value_ == _NO_REPLY),
    )
    for it in marked:
        if it.at < oldest or it.at > ctx.now:
            continue
        due = deadline(it.at, timing.due_hours)
        if is_expired(due, ctx.now, timing.expire_days):
            continue
        after = it.at + timedelta(microseconds=1)
        for pid in it.person_ids:
            key = f"last-note:{it.id}:{pid}"
            log = state.log(pid)
            if (
                pid not in state.people
                or key in state.index.log.answered
                or log.first_since(after, OUTBOUND_KINDS | INBOUND_KINDS)
            ):
                continue
            yield Owed(
                rule=Rule.LAST_NOTE,
                key=key,
                person_ids=(pid,),
                since=it.at,
                due=due,
                channels=channels_of(Rule.LAST_NOTE),
                explain=_why_last_note,
                refs=Refs(interaction_id=it.id),
            )


def _why_last_note(ctx: Context, owed: Owed) -> str:
    return (
        f"{ctx.name(owed.person_ids[0])} never answered, and you stopped the chase. If you like, "
        "send one last, gracious note: no hard feelings, and the door stays open. Or skip it."
    )


def _first(state: State, pid: PersonId) -> str:
    name = state.name(pid).split()
    return name[0] if name else "they"
