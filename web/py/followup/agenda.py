"""Today: every rule's follow-ups, the user's decisions applied, ranked, and capped.

Today shows what is overdue, due within 24 hours, and upcoming within the horizon (7 days by
default). Keep-in-touch notes are capped per day (10 by default) and never shown for someone
who already has another follow-up; the whole list is capped (100 by default). `counts` tells
what was left out, so nothing is hidden silently.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import MappingProxyType

from .cadence import due_notes, keep_in_touch, note_owed
from .commitments import act_on_advice, promise, report_back
from .context import Context, Owed, finish, lateness, make_context, priority
from .gratitude import courtesy_note, gratitude
from .model import DecisionStatus, FollowUp, FollowUpStatus, PersonId
from .reply_rule import history_cutoff, is_old_history, reply
from .rules import (
    close_loop,
    close_loop_outcome,
    met_at_event,
    reach_out,
    rejection_thanks,
    thank_you,
)
from .schedule import DAY, hours_late
from .settings import Rule
from .state import State
from .stop import is_stopped, last_note, nudges_stopped

RULES: Mapping[Rule, Callable[[Context], Iterable[Owed]]] = MappingProxyType(
    {
        Rule.REACH_OUT: reach_out,
        Rule.THANK_YOU: thank_you,
        Rule.MET_AT_EVENT: met_at_event,
        Rule.REJECTION_THANKS: rejection_thanks,
        Rule.CLOSE_LOOP: close_loop,
        Rule.CLOSE_LOOP_OUTCOME: close_loop_outcome,
        Rule.ACT_ON_ADVICE: act_on_advice,
        Rule.REPORT_BACK: report_back,
        Rule.PROMISE: promise,
        Rule.GRATITUDE: gratitude,
        Rule.COURTESY_NOTE: courtesy_note,
        Rule.KEEP_IN_TOUCH: keep_in_touch,
        Rule.LAST_NOTE: last_note,
        Rule.REPLY: reply,
    }
)
# Done or skipped ends these only until the next round (the decision resets the count).
RECURRING = frozenset({Rule.KEEP_IN_TOUCH})
_NOT_CADENCE = tuple(r for r in RULES if r not in RECURRING)


@dataclass(frozen=True, slots=True, kw_only=True)
class Counts:
    overdue: int
    due: int  # due within 24 hours (all-day: today), not yet late
    upcoming: int
    snoozed: int
    hidden: int  # beyond `max_items`
    resting: int  # keep-in-touch notes beyond today's `max_per_day`


@dataclass(frozen=True, slots=True, kw_only=True)
class Agenda:
    followups: tuple[FollowUp, ...]
    counts: Counts


def owed_now(
    ctx: Context, rules: Iterable[Rule] = tuple(RULES)
) -> list[tuple[Owed, datetime | None]]:
    """Every follow-up owed now, whatever its due time, with the user's decisions applied: done
    and skipped ones removed, snoozed ones paired with the time they come back (else None)."""
    state, now = ctx.state, ctx.now
    decisions = state.decisions
    cutoff = history_cutoff(state, now)
    found: list[tuple[Owed, datetime | None]] = []
    for rule in rules:
        if not ctx.timing(rule).enabled:
            continue
        recurring = rule in RECURRING
        for owed in RULES[rule](ctx):
            if is_stopped(state, owed, now) or (
                # Old imported history creates no follow-up; keep-in-touch counts from it.
                not recurring and owed.since < cutoff and is_old_history(state, owed, cutoff)
            ):
                continue
            decision = decisions.get(owed.key)
            if decision is None:
                found.append((owed, None))
            elif decision.status is DecisionStatus.SNOOZED:
                until = decision.until
                found.append((owed, until if until is not None and until > now else None))
            elif recurring:
                found.append((owed, None))
    return found


def open_followups(
    state: State, now: datetime, today: date, rules: Iterable[Rule] = tuple(RULES)
) -> list[FollowUp]:
    """`owed_now`, written up."""
    ctx = make_context(state, now, today)
    return [_finish(ctx, owed, until) for owed, until in owed_now(ctx, rules)]


def agenda(state: State, now: datetime, today: date) -> Agenda:
    """Today's ranked list: late and due-soon work first, then by priority, due time and key."""
    ctx = make_context(state, now, today)
    ranked, snoozed, resting = _ranked(ctx)
    shown = ranked[: state.settings.max_items]
    overdue = sum(1 for entry in ranked if entry[1])
    soon_count = sum(1 for entry in ranked if entry[0][0] == 0)
    return Agenda(
        followups=tuple(_finish(ctx, owed, None) for _, _, owed in shown),
        counts=Counts(
            overdue=overdue,
            due=soon_count - overdue,
            upcoming=len(ranked) - soon_count,
            snoozed=snoozed,
            hidden=len(ranked) - len(shown),
            resting=resting,
        ),
    )


def shown_owed(state: State, now: datetime, today: date) -> list[Owed]:
    """What `agenda` shows, in its order, not written up (who is owed what, for People)."""
    ranked = _ranked(make_context(state, now, today))[0]
    return [owed for _, _, owed in ranked[: state.settings.max_items]]


def _ranked(
    ctx: Context,
) -> tuple[list[tuple[tuple[int, int, datetime, str], bool, Owed]], int, int]:
    """Every follow-up Today could show, ranked (rank, is late, follow-up); how many are snoozed
    and how many keep-in-touch notes rest beyond today's cap."""
    state, now, today = ctx.state, ctx.now, ctx.today
    settings = state.settings
    horizon = now + timedelta(days=settings.horizon_days)
    last_day = today + timedelta(days=settings.horizon_days)
    snoozed = 0
    # (rank, is late, follow-up); worked out once per follow-up, as there may be thousands.
    ranked: list[tuple[tuple[int, int, datetime, str], bool, Owed]] = []
    for owed, until in owed_now(ctx, _NOT_CADENCE):
        due_date = owed.due_date
        if due_date is not None:
            if due_date > last_day:
                continue
            late = float((today - due_date).days * 24) if due_date < today else 0.0
            soon = due_date <= today
        else:
            if owed.due > horizon:
                continue
            late = hours_late(owed.due, now)
            soon = owed.due <= now + DAY
        if until is not None:
            snoozed += 1
            continue
        rank = (0 if soon else 1, -priority(owed, late), owed.due, owed.key)
        ranked.append((rank, late > 0, owed))
    # Keep-in-touch notes: at most `max_per_day`, never for someone already owed something.
    busy = {p for _, _, owed in ranked for p in owed.person_ids}
    snoozes = state.index.choice.snoozes
    resting = cadence = 0
    stopped = nudges_stopped(state, now)
    for note in sorted(due_notes(ctx)):
        pid = note[2]
        if pid in busy or stopped(pid):
            continue
        if snoozes.get(pid, now) > now:
            snoozed += 1
            continue
        cadence += 1
        if cadence > settings.keep_in_touch.max_per_day:
            resting += 1
            continue
        owed = note_owed(note)
        ranked.append((_rank(owed, now, today), True, owed))
    ranked.sort(key=_first)
    return ranked, snoozed, resting


def _first(
    entry: tuple[tuple[int, int, datetime, str], bool, Owed],
) -> tuple[int, int, datetime, str]:
    return entry[0]


def plan(state: State, now: datetime, today: date) -> list[FollowUp]:
    """Today's follow-ups, in order."""
    return list(agenda(state, now, today).followups)


def find(state: State, key: str, now: datetime, today: date) -> FollowUp | None:
    """The open (or snoozed) follow-up with this key, whatever its due time; only its rule runs.
    A bundle's key (`bundle:<person>`) finds the bundle Today shows for that person."""
    if key.startswith("bundle:"):
        from .bundle import find_bundle  # bundle.py builds on this module

        return find_bundle(state, PersonId(key.split(":", 1)[1]), now, today)
    try:
        rule = Rule(key.split(":", 1)[0])
    except ValueError:
        return None
    return next((f for f in open_followups(state, now, today, [rule]) if f.key == key), None)


def for_person(state: State, person_id: PersonId, now: datetime, today: date) -> list[FollowUp]:
    """Everything owed to or about one person, snoozed included, ranked as Today ranks."""
    ctx = make_context(state, now, today)
    mine = [(o, u) for o, u in owed_now(ctx) if person_id in o.person_ids]
    mine.sort(key=lambda pair: _rank(pair[0], now, today))
    return [_finish(ctx, owed, until) for owed, until in mine]


def _rank(owed: Owed, now: datetime, today: date) -> tuple[int, int, datetime, str]:
    late = lateness(owed, now, today)
    soon = owed.due_date <= today if owed.due_date is not None else owed.due <= now + DAY
    return (0 if soon else 1, -priority(owed, late), owed.due, owed.key)


def _finish(ctx: Context, owed: Owed, until: datetime | None) -> FollowUp:
    if until is None:
        return finish(ctx, owed)
    return finish(ctx, owed, FollowUpStatus.SNOOZED, until)
