"""Who is waiting for your reply (issue 18), and which history is too old to act on.

- `reply`: when the last message of a thread is theirs (`message_received`), it asks something
  (`asks`), and you have not answered after the reply window (the rule's `due_hours`, 2 days by
  default), Today shows "Reply to X" with the thread's subject and how long they have waited.
  Anything you send them, or time spent with them, after their message closes it; so does a
  later message in the same thread (the last message is then that one).
- `is_old_history`: a follow-up triggered by imported history (an interaction with a
  `source_id`) older than the history window (30 days by default) is not shown: the history
  sets dates and states (last in touch, keep-in-touch) but creates no pile of overdue items.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta

from .catalog import channels_of
from .context import Context, Owed, ago
from .kept import kept
from .model import OUTBOUND_KINDS, Interaction, InteractionId, PersonId, Refs
from .schedule import deadline, is_expired
from .settings import Rule
from .state import State

_THREAD_KINDS = frozenset({"message_sent", "message_received", "reply"})
_RECEIVED = "message_received"
_TICK = timedelta(microseconds=1)


def waiting(state: State) -> tuple[tuple[datetime, InteractionId], ...]:
    """The messages from them that ask something and are the last of their thread, by time
    (worked out once per set of interactions). A message without a thread is a thread of its
    own."""
    interactions = state.interactions
    return kept("reply-waiting", interactions, lambda: _waiting(interactions))


def _waiting(
    interactions: Mapping[InteractionId, Interaction],
) -> tuple[tuple[datetime, InteractionId], ...]:
    last: dict[str, tuple[datetime, InteractionId, bool]] = {}
    asking: list[tuple[datetime, InteractionId]] = []
    for it in interactions.values():
        kind = it.kind._value_
        if kind not in _THREAD_KINDS:
            continue
        asks = it.asks and kind == _RECEIVED
        if not it.thread:
            if asks:
                asking.append((it.at, it.id))
            continue
        seen = last.get(it.thread)
        if seen is None or (it.at, it.id) > (seen[0], seen[1]):
            last[it.thread] = (it.at, it.id, asks)
    asking.extend((at, iid) for at, iid, asks in last.values() if asks)
    asking.sort()
    return tuple(asking)


def reply(ctx: Context) -> Iterator[Owed]:
    timing = ctx.timing(Rule.REPLY)
    state, now = ctx.state, ctx.now
    oldest = now - timedelta(days=timing.expire_days, hours=timing.due_hours)
    messages = waiting(state)
    answered = state.index.log.answered
    channels = channels_of(Rule.REPLY)
    for at, iid in messages[bisect_left(messages, (oldest,)) :]:
        due = deadline(at, timing.due_hours)
        if due > now:  # still inside the reply window: nothing to show yet
            break
        if is_expired(due, now, timing.expire_days):
            continue
        refs = Refs(interaction_id=iid)
        for pid in state.interactions[iid].person_ids:
            key = f"reply:{iid}:{pid}"
            if (
                pid not in state.people
                or key in answered
                or state.log(pid).first_since(at + _TICK, OUTBOUND_KINDS) is not None
            ):
                continue
            yield Owed(
                rule=Rule.REPLY,
                key=key,
                person_ids=(pid,),
                since=at,
                due=due,
                channels=channels,
                explain=_why_reply,
                refs=refs,
            )


def _why_reply(ctx: Context, owed: Owed) -> str:
    it = ctx.state.interactions[owed.refs.interaction_id]  # type: ignore[index]
    name = ctx.name(owed.person_ids[0])
    about = f" about \u201c{it.subject}\u201d" if it.subject else ""
    return (
        f"Reply to {name}: they asked you something{about} {ago(it.at, ctx.now)}, and are "
        "still waiting for your answer."
    )


def history_cutoff(state: State, now: datetime) -> datetime:
    return now - timedelta(days=state.settings.history_window_days)


def is_old_history(state: State, owed: Owed, cutoff: datetime) -> bool:
    """Whether `owed` was set off by imported history older than `cutoff`: the interaction it
    refers to, or one at its trigger time with the people concerned, was imported (has a
    `source_id`)."""
    if owed.since >= cutoff:
        return False
    interactions = state.interactions
    if owed.refs.interaction_id is not None:
        it = interactions.get(owed.refs.interaction_id)
        if it is not None:
            return bool(it.source_id)
    people: list[PersonId] = list(owed.person_ids)
    if owed.refs.introduction_id is not None:
        intro = state.introductions.get(owed.refs.introduction_id)
        if intro is not None:
            people.append(intro.introduced_id)
    for pid in people:
        log = state.log(pid)
        times = log.times
        i = bisect_left(times, owed.since)
        while i < len(times) and times[i] == owed.since:
            if interactions[log.ids[i]].source_id:
                return True
            i += 1
    return False
