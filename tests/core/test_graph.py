"""The introduction graph (graph.py): chains, sources of an opportunity, and "most doors"."""

from __future__ import annotations

from followup.graph import chain_people, chain_to, doors, most_doors, sources
from followup.model import Person

from .builders import DAY, NOW, introduction, opportunity, person, state_of


def _people(*ids: str) -> list[Person]:
    return [person(p) for p in ids]


def test_doors_counts_everyone_reached_through_someones_introductions_transitively() -> None:
    state = state_of(
        *_people("a", "b", "c", "d"),
        introduction("i1", "a", "b", at=NOW - 9 * DAY),
        introduction("i2", "b", "c", at=NOW - 8 * DAY),
        introduction("i3", "c", "d", at=NOW - 7 * DAY),
    )

    assert [doors(state, p) for p in ("a", "b", "c", "d")] == [3, 2, 1, 0]


def test_an_introduction_made_before_you_met_the_introducer_is_not_a_door_they_opened() -> None:
    state = state_of(
        *_people("a", "b", "c"),
        introduction("i1", "a", "b", at=NOW - 2 * DAY),
        introduction("i2", "b", "c", at=NOW - 9 * DAY),
    )

    assert doors(state, "a") == 1


def test_someone_reached_by_two_paths_is_counted_once() -> None:
    state = state_of(
        *_people("a", "b", "c", "d"),
        introduction("i1", "a", "b", at=NOW - 9 * DAY),
        introduction("i2", "a", "c", at=NOW - 9 * DAY),
        introduction("i3", "b", "d", at=NOW - 8 * DAY),
        introduction("i4", "c", "d", at=NOW - 8 * DAY),
    )

    assert doors(state, "a") == 3


def test_a_cycle_of_introductions_ends_and_never_counts_the_person_themselves() -> None:
    state = state_of(
        *_people("a", "b"),
        introduction("i1", "a", "b", at=NOW - 9 * DAY),
        introduction("i2", "b", "a", at=NOW - 8 * DAY),
    )

    assert doors(state, "a") == 1


def test_most_doors_is_whoever_reached_the_most_people() -> None:
    state = state_of(
        *_people("a", "b", "c", "d", "e"),
        introduction("i1", "a", "b", at=NOW - 9 * DAY),
        introduction("i2", "c", "d", at=NOW - 9 * DAY),
        introduction("i3", "d", "e", at=NOW - 8 * DAY),
    )

    assert most_doors(state) == "c"


def test_a_tie_in_doors_goes_to_more_direct_introductions() -> None:
    state = state_of(
        *_people("a", "b", "c", "x", "y", "z"),
        introduction("i1", "a", "b", at=NOW - 9 * DAY),
        introduction("i2", "b", "c", at=NOW - 8 * DAY),
        introduction("i3", "x", "y", at=NOW - 9 * DAY),
        introduction("i4", "x", "z", at=NOW - 9 * DAY),
    )

    assert most_doors(state) == "x"


def test_a_full_tie_goes_to_the_earliest_introduction_then_the_id() -> None:
    earlier = state_of(
        *_people("a", "b", "x", "y"),
        introduction("i1", "x", "y", at=NOW - 5 * DAY),
        introduction("i2", "a", "b", at=NOW - 3 * DAY),
    )
    same_time = state_of(
        *_people("a", "b", "x", "y"),
        introduction("i1", "x", "y", at=NOW - 5 * DAY),
        introduction("i2", "a", "b", at=NOW - 5 * DAY),
    )

    assert most_doors(earlier) == "x"
    assert most_doors(same_time) == "a"


def test_nobody_has_the_most_doors_when_nobody_opened_one() -> None:
    assert most_doors(state_of(*_people("a", "b"))) is None


def test_the_chain_to_someone_runs_from_the_first_link_to_the_direct_introducer() -> None:
    state = state_of(
        *_people("a", "b", "c"),
        introduction("i1", "a", "b", at=NOW - 9 * DAY),
        introduction("i2", "b", "c", at=NOW - 8 * DAY),
    )

    assert chain_to(state, "c") == ["a", "b"]


def test_an_opportunity_comes_from_its_own_introduction() -> None:
    state = state_of(
        *_people("a", "b", "r"),
        introduction("i1", "a", "b"),
        opportunity("o1", introduction_id="i1", people={"r": "recruiter"}),
    )

    assert sources(state, state.opportunities["o1"]) == ("i1",)


def test_without_a_link_an_opportunity_comes_from_the_introductions_of_its_people() -> None:
    state = state_of(
        *_people("a", "b", "c", "d"),
        introduction("i1", "a", "b"),
        introduction("i2", "c", "d"),
        opportunity("o1", people={"b": "hiring_manager", "d": "reference"}),
    )

    assert sources(state, state.opportunities["o1"]) == ("i1",)


def test_the_chain_to_an_opportunity_follows_introductions_back_in_time() -> None:
    state = state_of(
        *_people("a", "b", "c", "late"),
        introduction("i1", "a", "b", at=NOW - 9 * DAY),
        introduction("i2", "b", "c", at=NOW - 8 * DAY),
        introduction("i3", "late", "b", at=NOW - DAY),
        opportunity("o1", introduction_id="i2"),
    )

    chain = chain_people(state, state.opportunities["o1"])

    assert chain == {"a": {"b"}, "b": {"c"}, "c": set()}
