"""Indices derived from interactions alone: each person's history, and the time-ordered lists
(meetings, advice, promises) that Today bisects instead of scanning every interaction.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from .model import MEETING_KINDS, Interaction, InteractionId, PersonId


@dataclass(frozen=True, slots=True, kw_only=True)
class PersonLog:
    """One person's interactions, oldest first, as parallel tuples for bisecting."""

    times: tuple[datetime, ...]
    kinds: tuple[str, ...]  # InteractionKind values as plain strings: set lookups stay fast
    ids: tuple[InteractionId, ...]

    def first_since(self, at: datetime, kinds: frozenset[str]) -> datetime | None:
        """When the first interaction of one of `kinds` happened at or after `at`."""
        found = self.first_kind_since(at, kinds)
        return found[0] if found else None

    def first_kind_since(self, at: datetime, kinds: frozenset[str]) -> tuple[datetime, str] | None:
        times, found_kinds = self.times, self.kinds
        for i in range(bisect_left(times, at), len(times)):
            if found_kinds[i] in kinds:
                return times[i], found_kinds[i]
        return None

    def last_between(
        self, start: datetime, end: datetime, kinds: frozenset[str]
    ) -> tuple[datetime, str, InteractionId] | None:
        """The latest interaction of one of `kinds` from `start` to `end`, both included."""
        times = self.times
        for i in range(bisect_right(times, end) - 1, bisect_left(times, start) - 1, -1):
            if self.kinds[i] in kinds:
                return times[i], self.kinds[i], self.ids[i]
        return None

    def last_at(self) -> datetime | None:
        return self.times[-1] if self.times else None


EMPTY_LOG = PersonLog(times=(), kinds=(), ids=())


@dataclass(frozen=True, slots=True, kw_only=True)
class InteractionIndex:
    logs: Mapping[PersonId, PersonLog]
    meetings: tuple[tuple[datetime, InteractionId], ...]  # meetings, calls, interviews by time
    advice_given: tuple[tuple[datetime, InteractionId], ...]  # interactions with advice, by time
    advice_done: tuple[tuple[datetime, InteractionId, int], ...]  # acted-on advice, by when
    promises: tuple[tuple[date, InteractionId, int], ...]  # open promises, by due date
    answered: Mapping[str, datetime]  # followup_key -> when an interaction first answered it
    met: frozenset[PersonId]


def index_interactions(interactions: Mapping[InteractionId, Interaction]) -> InteractionIndex:
    ordered = sorted(interactions.values(), key=lambda i: (i.at, i.id))
    raw: dict[PersonId, tuple[list[datetime], list[str], list[InteractionId]]] = {}
    for it in ordered:
        kind = it.kind._value_  # the plain string; `.value` is a slow descriptor in 3.11
        for pid in it.person_ids:
            entry = raw.get(pid)
            if entry is None:
                entry = raw[pid] = ([], [], [])
            entry[0].append(it.at)
            entry[1].append(kind)
            entry[2].append(it.id)
    logs = {
        p: PersonLog(times=tuple(t), kinds=tuple(k), ids=tuple(i)) for p, (t, k, i) in raw.items()
    }
    meetings: list[tuple[datetime, InteractionId]] = []
    given: list[tuple[datetime, InteractionId]] = []
    done: list[tuple[datetime, InteractionId, int]] = []
    promises: list[tuple[date, InteractionId, int]] = []
    answered: dict[str, datetime] = {}
    met: set[PersonId] = set()
    for it in ordered:
        _collect(it, meetings, given, done, promises, met)
        if it.followup_key is not None and it.followup_key not in answered:
            answered[it.followup_key] = it.at
    done.sort()
    promises.sort()
    return InteractionIndex(
        logs=logs,
        meetings=tuple(meetings),
        advice_given=tuple(given),
        advice_done=tuple(done),
        promises=tuple(promises),
        answered=answered,
        met=frozenset(met),
    )


def _collect(
    it: Interaction,
    meetings: list[tuple[datetime, InteractionId]],
    given: list[tuple[datetime, InteractionId]],
    done: list[tuple[datetime, InteractionId, int]],
    promises: list[tuple[date, InteractionId, int]],
    met: set[PersonId],
) -> None:
    if it.kind._value_ in MEETING_KINDS:
        meetings.append((it.at, it.id))
        met.update(it.person_ids)
    if it.advice:
        given.append((it.at, it.id))
    for item, advice in enumerate(it.advice):
        if advice.done_at is not None:
            done.append((advice.done_at, it.id, item))
    for item, promise in enumerate(it.promises):
        if promise.done_at is None:
            promises.append((promise.due, it.id, item))


def patch_interactions(
    index: InteractionIndex,
    interactions: Mapping[InteractionId, Interaction],
    old: list[Interaction],
    new: list[Interaction],
    affected: set[PersonId],
) -> InteractionIndex:
    gone = {i.id for i in old} | {i.id for i in new}
    logs = dict(index.logs)
    for pid in affected:
        ids = {i for i in logs.get(pid, EMPTY_LOG).ids if i not in gone}
        ids.update(i.id for i in new if pid in i.person_ids)
        if not ids:
            logs.pop(pid, None)
            continue
        mine = sorted((interactions[i] for i in ids), key=lambda i: (i.at, i.id))
        logs[pid] = PersonLog(
            times=tuple(i.at for i in mine),
            kinds=tuple(i.kind._value_ for i in mine),
            ids=tuple(i.id for i in mine),
        )
    meetings = [m for m in index.meetings if m[1] not in gone]
    given = [g for g in index.advice_given if g[1] not in gone]
    done = [d for d in index.advice_done if d[1] not in gone]
    promises = [p for p in index.promises if p[1] not in gone]
    met: set[PersonId] = set()
    added: tuple[list[tuple[datetime, InteractionId]], ...] = ([], [])
    added_done: list[tuple[datetime, InteractionId, int]] = []
    added_promises: list[tuple[date, InteractionId, int]] = []
    for it in new:
        _collect(it, added[0], added[1], added_done, added_promises, met)
    for target, items in ((meetings, added[0]), (given, added[1])):
        for item in items:
            insort(target, item)
    for entry in added_done:
        insort(done, entry)
    for due in added_promises:
        insort(promises, due)
    answered = dict(index.answered)
    if any(i.followup_key for i in old):
        answered = {}
        for it in sorted(interactions.values(), key=lambda i: (i.at, i.id)):
            if it.followup_key is not None and it.followup_key not in answered:
                answered[it.followup_key] = it.at
    else:
        for it in new:
            key = it.followup_key
            if key is not None and (key not in answered or it.at < answered[key]):
                answered[key] = it.at
    still_met = {p for p in index.met if p not in affected} | {
        p for p in affected if any(k in MEETING_KINDS for k in logs.get(p, EMPTY_LOG).kinds)
    }
    return InteractionIndex(
        logs=logs,
        meetings=tuple(meetings),
        advice_given=tuple(given),
        advice_done=tuple(done),
        promises=tuple(promises),
        answered=answered,
        met=frozenset(still_met | met),
    )
