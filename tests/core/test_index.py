"""Indices (index.py, logs.py): refreshed part by part after a change, they are exactly what a
full rebuild would give, so Today never sees a stale index."""

from __future__ import annotations

from dataclasses import replace

from followup.index import build
from followup.model import Advice, Interaction, InteractionId, InteractionKind, Promise
from followup.state import State, apply
from hypothesis import given, settings
from hypothesis import strategies as st

from .builders import NOW, TODAY
from .strategies import states, times


def _rebuilt(state: State) -> object:
    return build(
        state.people, state.introductions, state.interactions, state.opportunities, state.decisions
    )


@st.composite
def changes(draw: st.DrawFn, state: State) -> tuple[list[Interaction], list[tuple[str, str]]]:
    """Interactions to put (new ones, or edits of existing ones) and some to delete."""
    pids = sorted(state.people)
    put = [
        Interaction(
            id=InteractionId(draw(st.sampled_from(["new1", "new2", *sorted(state.interactions)]))),
            person_ids=tuple(
                draw(st.lists(st.sampled_from(pids), min_size=1, max_size=2, unique=True))
            ),
            kind=draw(st.sampled_from(InteractionKind)),
            at=(at := draw(times)),
            advice=(Advice(text="x", done_at=draw(st.none() | times)),)
            if draw(st.booleans())
            else (),
            promises=(Promise(text="y", due=TODAY),) if draw(st.booleans()) else (),
            followup_key=draw(
                st.none() | st.sampled_from([f"keep-in-touch:{pids[0]}", "reach-out:i0"])
            ),
            created_at=at,
        )
        for _ in range(draw(st.integers(0, 2)))
    ]
    put = list({i.id: i for i in put}.values())
    deletable = sorted(set(state.interactions) - {i.id for i in put})
    delete = (
        [
            ("interactions", i)
            for i in draw(st.lists(st.sampled_from(deletable), max_size=2, unique=True))
        ]
        if deletable
        else []
    )
    return put, delete


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_the_index_after_logged_interactions_equals_a_full_rebuild(data: st.DataObject) -> None:
    state = data.draw(states())
    put, delete = data.draw(changes(state))

    after = apply(state, put, delete)

    assert after.index == _rebuilt(after)


@settings(max_examples=15, deadline=None)
@given(states())
def test_the_index_after_any_store_changes_equals_a_full_rebuild(state: State) -> None:
    people = [replace(p, cadence_days=7) for p in list(state.people.values())[:1]]
    intros = [replace(i, status_at=NOW) for i in list(state.introductions.values())[:1]]

    after = apply(state, [*people, *intros])

    assert after.index == _rebuilt(after)


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_the_index_after_people_put_or_removed_equals_a_full_rebuild(
    data: st.DataObject,
) -> None:
    state = data.draw(states())
    people = list(state.people.values())
    edited = [
        replace(
            p,
            cadence_days=data.draw(st.none() | st.integers(0, 30)),
            event_id=data.draw(st.none() | st.sampled_from([None, *sorted(state.events)])),
            created_at=data.draw(times),
        )
        for p in data.draw(st.lists(st.sampled_from(people), max_size=3, unique_by=id))
    ]
    added = [replace(people[0], id=f"new{i}") for i in range(data.draw(st.integers(0, 2)))]
    kept = {p.id for p in edited}
    removed = [
        ("people", p.id)
        for p in data.draw(st.lists(st.sampled_from(people), max_size=2, unique_by=id))
        if p.id not in kept
    ]

    after = apply(state, [*edited, *added], removed)

    assert after.index == _rebuilt(after)
