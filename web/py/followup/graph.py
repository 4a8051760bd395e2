"""The introduction graph: chains of introductions, what led to an opportunity, and "most doors".

An edge runs from introducer to introduced. Chains respect time: an introduction only continues a
chain if it happened after the one before it, because only then did one lead to the other.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from datetime import datetime

from .index import sources_of
from .model import IntroductionId, Opportunity, PersonId
from .state import State


def sources(state: State, opp: Opportunity) -> tuple[IntroductionId, ...]:
    """The introductions an opportunity came from: its own link, or else the introductions
    of the people you dealt with there (not references, who vouch but do not open doors)."""
    return tuple(sources_of(opp, state.index.intro, state.introductions))


def chain_people(state: State, opp: Opportunity) -> dict[PersonId, set[PersonId]]:
    """Everyone on the chains of introductions that led to `opp`, each with the people they
    introduced you to along those chains (empty for the person at the end of a chain)."""
    on_chain: dict[PersonId, set[PersonId]] = {}
    seen: set[IntroductionId] = set()
    todo = list(sources(state, opp))
    for intro_id in todo:
        on_chain.setdefault(state.introductions[intro_id].introduced_id, set())
    while todo:
        intro_id = todo.pop()
        if intro_id in seen:
            continue
        seen.add(intro_id)
        intro = state.introductions[intro_id]
        on_chain.setdefault(intro.introducer_id, set()).add(intro.introduced_id)
        for upstream_id in state.index.intro.by_introduced.get(intro.introducer_id, ()):
            if state.introductions[upstream_id].at <= intro.at:
                todo.append(upstream_id)
    return on_chain


def chain_to(state: State, person_id: PersonId) -> list[PersonId]:
    """Who led you to this person, from the first link down to the direct introducer,
    following the earliest introduction at each step."""
    path: list[PersonId] = []
    seen = {person_id}
    current, before = person_id, None
    while True:
        options = [
            state.introductions[i]
            for i in state.index.intro.by_introduced.get(current, ())
            if before is None or state.introductions[i].at <= before
        ]
        options = [i for i in options if i.introducer_id not in seen]
        if not options:
            return list(reversed(path))
        intro = min(options, key=lambda i: (i.at, i.id))
        path.append(intro.introducer_id)
        seen.add(intro.introducer_id)
        current, before = intro.introducer_id, intro.at


def doors(state: State, person_id: PersonId) -> int:
    """How many people you reached through this person: those they introduced you to, those
    introduced by them in turn, and so on, counting each person once and only along chains that
    move forward in time."""
    arrival: dict[PersonId, datetime] = {}
    queue: list[tuple[datetime, PersonId]] = []
    for intro_id in state.index.intro.by_introducer.get(person_id, ()):
        intro = state.introductions[intro_id]
        _reach(arrival, queue, intro.introduced_id, intro.at)
    while queue:
        at, current = heapq.heappop(queue)
        if arrival.get(current) != at:
            continue
        for intro_id in state.index.intro.by_introducer.get(current, ()):
            intro = state.introductions[intro_id]
            if intro.at >= at:
                _reach(arrival, queue, intro.introduced_id, intro.at)
    arrival.pop(person_id, None)
    return len(arrival)


def _reach(
    arrival: dict[PersonId, datetime],
    queue: list[tuple[datetime, PersonId]],
    person_id: PersonId,
    at: datetime,
) -> None:
    best = arrival.get(person_id)
    if best is None or at < best:
        arrival[person_id] = at
        heapq.heappush(queue, (at, person_id))


def most_doors(state: State, among: Iterable[PersonId] | None = None) -> PersonId | None:
    """The person who opened the most doors (see `doors`), among `among` or everyone.

    Ties go to more direct introductions, then the earliest first introduction, then the id,
    so the answer never depends on storage order. Nobody is chosen if nobody opened a door."""
    candidates = state.index.intro.by_introducer.keys() if among is None else among
    best: tuple[int, int, datetime, PersonId] | None = None
    for pid in sorted(set(candidates)):
        intro_ids = state.index.intro.by_introducer.get(pid, ())
        count = doors(state, pid) if intro_ids else 0
        if count == 0:
            continue
        direct = len({state.introductions[i].introduced_id for i in intro_ids} - {pid})
        first = min(state.introductions[i].at for i in intro_ids)
        key = (-count, -direct, first, pid)
        if best is None or key < best:
            best = key
    return best[3] if best else None
