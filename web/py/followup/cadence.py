"""The keep-in-touch rule: a gentle cadence per relationship, reset by any interaction.

A heavy user may owe thousands of these at once; `due_notes` finds them as plain tuples, from
every note worked out once (one pass over the network index) while the records they depend on
stay the same, so Today ranks them cheaply and writes up only the few it shows.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from .catalog import channels_of
from .context import Context, Owed
from .index import INTRODUCER, MET, REFERENCE, relationship_bits
from .model import PersonId
from .settings import Cadences, Rule

# Among keep-in-touch notes, the people who opened doors come first.
BONUS = {"introducer": 3, "reference": 2, "chosen": 2, "met": 1}
Note = tuple[int, datetime, PersonId, str]  # (-bonus, due, person, relationship): sorts by rank


def keep_in_touch(ctx: Context) -> Iterator[Owed]:
    """Seed 001: don't end your network overnight. Everyone who introduced you, vouched for you
    or met you gets a note every so many days (per relationship; slower once you have landed;
    a person's own `cadence_days` overrides it, 0 turns it off). Any interaction with them, an
    introduction they make, or marking the note done or skipped starts the count again."""
    for note in sorted(due_notes(ctx)):
        yield note_owed(note)


def due_notes(ctx: Context) -> list[Note]:
    """Everyone due a keep-in-touch note now (snoozes are the caller's business), in rank order.

    When each note falls due depends on the network index, the resets, the people's own
    cadences and the cadence table, not on `now`: every note is worked out once for those (see
    `_every_note`) and kept while they are the same, and each call keeps those due by `now`."""
    if not ctx.timing(Rule.KEEP_IN_TOUCH).enabled:
        return []
    state = ctx.state
    index = state.index
    table = cadence_table(ctx)
    resets = index.choice.resets
    memo = _NOTES_MEMO
    if not (
        memo
        and memo[0] is index.net
        and memo[1] is state.people
        and (memo[2] is resets or memo[2] == resets)
        and memo[3] == table
    ):
        memo[:] = [index.net, state.people, resets, table, _every_note(ctx, table)]
    now = ctx.now
    return [note for note in memo[4] if note[1] <= now]


# `due_notes`' memo: [network index, people, resets, cadence table, every note in rank order].
_NOTES_MEMO: list[Any] = []


def _every_note(ctx: Context, table: Cadences) -> list[Note]:
    """Every keep-in-touch note whatever the time, each with when it falls due, sorted."""
    index = ctx.state.index
    best = [relationship(bits, table) for bits in range(8)]
    gaps = [timedelta(days=b[1]) if b else timedelta(0) for b in best]
    resets = index.choice.resets
    notes: list[Note] = []
    for touched, pid, bits in index.net.entries:
        found = best[bits]
        if found is None:
            continue
        reset = resets.get(pid)
        due = (touched if reset is None or reset < touched else reset) + gaps[bits]
        notes.append((-BONUS[found[0]], due, pid, found[0]))
    people = ctx.state.people
    for due, pid in index.net.chosen:
        reset = resets.get(pid)
        days = people[pid].cadence_days or 0
        if reset is not None:
            due = max(due, reset + timedelta(days=days))
        notes.append((-BONUS["chosen"], due, pid, "chosen"))
    notes.sort()
    return notes


def note_owed(note: Note) -> Owed:
    _, due, pid, role = note
    return Owed(
        rule=Rule.KEEP_IN_TOUCH,
        key=f"keep-in-touch:{pid}",
        person_ids=(pid,),
        since=due,
        due=due,
        channels=channels_of(Rule.KEEP_IN_TOUCH),
        explain=_why_keep_in_touch,
        group="keep-in-touch",
        roles=(role,),
        bonus=BONUS[role],
    )


def relationship(bits: int, table: Cadences) -> tuple[str, int] | None:
    """For a person with these relationship bits, which relationship sets the pace (the most
    frequent one with a cadence; ties go to the larger bonus) and every how many days."""
    best: tuple[str, int] | None = None
    for bit, role, days in (
        (INTRODUCER, "introducer", table.introducer),
        (REFERENCE, "reference", table.reference),
        (MET, "met", table.met),
    ):
        if bits & bit and days > 0 and (best is None or days < best[1]):
            best = (role, days)
    return best


def cadence_table(ctx: Context) -> Cadences:
    kit = ctx.state.settings.keep_in_touch
    return kit.landed if ctx.is_landed else kit.searching


def _why_keep_in_touch(ctx: Context, owed: Owed) -> str:
    pid = owed.person_ids[0]
    person = ctx.state.people[pid]
    if owed.roles == ("chosen",):
        days = person.cadence_days or 0
    else:
        index = ctx.state.index
        bits = relationship_bits(pid, index.log, index.intro, index.opp)
        found = relationship(bits, cadence_table(ctx))
        days = found[1] if found else 0
    quiet = (ctx.now - owed.due).days + days
    when = "since you landed" if ctx.is_landed else "during your search"
    return (
        f"You haven't been in touch with {ctx.name(pid)} for {quiet} days (every {days} days "
        f"is your rhythm {when}). A short hello keeps the relationship alive."
    )
