"""The keep-in-touch rule: a gentle cadence per relationship, reset by any interaction.

A heavy user may owe thousands of these at once; `due_notes` finds them with one pass over the
network index (oldest touch first, stopping where nobody can be due), as plain tuples, so Today
ranks them cheaply and writes up only the few it shows.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from datetime import datetime, timedelta

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
    """Everyone due a keep-in-touch note now (snoozes are the caller's business)."""
    if not ctx.timing(Rule.KEEP_IN_TOUCH).enabled:
        return []
    index, now = ctx.state.index, ctx.now
    table = cadence_table(ctx)
    best = [relationship(bits, table) for bits in range(8)]
    gaps = [timedelta(days=b[1]) if b else timedelta(0) for b in best]
    usable = [g for b, g in zip(best, gaps, strict=True) if b]
    resets = index.choice.resets
    notes: list[Note] = []
    if usable:
        entries = index.net.entries
        # Nobody touched after this can be due yet.
        stop = bisect_right(entries, (now - min(usable), "\uffff"))
        for touched, pid, bits in entries[:stop]:
            found = best[bits]
            if found is None:
                continue
            reset = resets.get(pid)
            due = (touched if reset is None or reset < touched else reset) + gaps[bits]
            if due <= now:
                notes.append((-BONUS[found[0]], due, pid, found[0]))
    people = ctx.state.people
    chosen = index.net.chosen
    for due, pid in chosen[: bisect_right(chosen, (now, "\uffff"))]:
        reset = resets.get(pid)
        days = people[pid].cadence_days or 0
        if reset is not None:
            due = max(due, reset + timedelta(days=days))
        if due <= now:
            notes.append((-BONUS["chosen"], due, pid, "chosen"))
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
