"""The rules for what you said you would do: act on advice and report back, keep promises."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from datetime import timedelta

from .catalog import channels_of
from .context import Context, Owed, owe_on, span, who_of
from .model import OUTBOUND_KINDS, PersonId, Refs
from .schedule import deadline, is_expired
from .settings import Rule


def act_on_advice(ctx: Context) -> Iterator[Owed]:
    """Seed 001: when someone gives you names, a book or resume advice, follow through within a
    week. Marking the follow-up done records the advice as acted on (which opens the report-back);
    sending its draft closes both."""
    timing = ctx.timing(Rule.ACT_ON_ADVICE)
    state, index = ctx.state, ctx.state.index
    oldest = ctx.now - timedelta(days=timing.expire_days, hours=timing.due_hours)
    given = index.log.advice_given
    for at, interaction_id in given[bisect_left(given, (oldest,)) :]:
        if at > ctx.now:
            break
        due = deadline(at, timing.due_hours)
        if is_expired(due, ctx.now, timing.expire_days):
            continue
        interaction = state.interactions[interaction_id]
        for item, advice in enumerate(interaction.advice):
            key = f"act-on-advice:{interaction_id}:{item}"
            if advice.done_at is not None or key in index.log.answered:
                continue
            yield Owed(
                rule=Rule.ACT_ON_ADVICE,
                key=key,
                person_ids=interaction.person_ids,
                since=at,
                due=due,
                channels=channels_of(Rule.ACT_ON_ADVICE),
                explain=_why_act_on_advice,
                refs=Refs(interaction_id=interaction_id, item=item),
            )


def _why_act_on_advice(ctx: Context, owed: Owed) -> str:
    advice = _advice_text(ctx, owed)
    return (
        f"{_giver(ctx, owed.person_ids)} suggested: “{advice}”. Act on it within "
        f"{span(ctx.timing(Rule.ACT_ON_ADVICE).due_hours)}, then tell them you did: it shows "
        "you take initiative."
    )


def report_back(ctx: Context) -> Iterator[Owed]:
    """Seed 001: once you have acted on someone's advice, tell them within 2 days. Anything you
    send or say to them after acting on it closes it."""
    timing = ctx.timing(Rule.REPORT_BACK)
    state, index = ctx.state, ctx.state.index
    oldest = ctx.now - timedelta(days=timing.expire_days, hours=timing.due_hours)
    done = index.log.advice_done
    for at, interaction_id, item in done[bisect_left(done, (oldest,)) :]:
        if at > ctx.now:
            break
        due = deadline(at, timing.due_hours)
        key = f"report-back:{interaction_id}:{item}"
        givers = state.interactions[interaction_id].person_ids
        if (
            is_expired(due, ctx.now, timing.expire_days)
            or key in index.log.answered
            or f"act-on-advice:{interaction_id}:{item}" in index.log.answered
            or any(state.log(p).first_since(at, OUTBOUND_KINDS) for p in givers)
        ):
            continue
        yield Owed(
            rule=Rule.REPORT_BACK,
            key=key,
            person_ids=givers,
            since=at,
            due=due,
            channels=channels_of(Rule.REPORT_BACK),
            explain=_why_report_back,
            refs=Refs(interaction_id=interaction_id, item=item),
        )


def _why_report_back(ctx: Context, owed: Owed) -> str:
    return (
        f"You acted on {_giver(ctx, owed.person_ids)}'s advice (“{_advice_text(ctx, owed)}”). "
        "Tell them: people remember who followed through."
    )


def promise(ctx: Context) -> Iterator[Owed]:
    """PRODUCT.md rule 5 (no seed covers it): "I'll send you my portfolio" is due on the day you
    promised. Marking it done records the promise as kept; sending its draft closes it too."""
    timing = ctx.timing(Rule.PROMISE)
    state, index = ctx.state, ctx.state.index
    oldest = ctx.today - timedelta(days=timing.expire_days)
    promises = index.log.promises
    for due, interaction_id, item in promises[bisect_left(promises, (oldest,)) :]:
        interaction = state.interactions[interaction_id]
        key = f"promise:{interaction_id}:{item}"
        if interaction.at > ctx.now or key in index.log.answered:
            continue
        yield Owed(
            rule=Rule.PROMISE,
            key=key,
            person_ids=interaction.person_ids,
            since=interaction.at,
            due=owe_on(due),
            due_date=due,
            channels=channels_of(Rule.PROMISE),
            explain=_why_promise,
            refs=Refs(interaction_id=interaction_id, item=item),
        )


def _why_promise(ctx: Context, owed: Owed) -> str:
    kept = ctx.state.interactions[owed.refs.interaction_id].promises[owed.refs.item or 0]  # type: ignore[index]
    return (
        f"You promised {who_of(ctx, owed.person_ids)}: “{kept.text.strip()}”, by "
        f"{kept.due.strftime('%a %d %b')}. Keeping small promises builds trust."
    )


def _advice_text(ctx: Context, owed: Owed) -> str:
    interaction = ctx.state.interactions[owed.refs.interaction_id]  # type: ignore[index]
    return interaction.advice[owed.refs.item or 0].text.strip()


def _giver(ctx: Context, person_ids: tuple[PersonId, ...]) -> str:
    who = who_of(ctx, person_ids)
    return who[:1].upper() + who[1:]
