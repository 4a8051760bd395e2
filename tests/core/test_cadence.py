"""Keep-in-touch (cadence.py, seed 001): a cadence per relationship, reset by any interaction,
slower once you have landed, capped per day."""

from __future__ import annotations

from datetime import timedelta

from followup.model import Interaction
from followup.settings import Rule

from .builders import (
    DAY,
    HOUR,
    NOW,
    counts,
    decision,
    followup,
    interaction,
    introduction,
    keys,
    opportunity,
    person,
    run,
    state_of,
)

ANN = person("ann", "Ann Smith")


def _met(days_ago: int, pid: str = "ann") -> Interaction:
    return interaction(f"m-{pid}", pid, at=NOW - timedelta(days=days_ago))


def _thanked(days_ago: int, pid: str = "ann") -> Interaction:
    return interaction(f"t-{pid}", pid, kind="thank_you_email", at=NOW - timedelta(days=days_ago))


def test_someone_you_met_gets_a_keep_in_touch_note_after_60_days_of_quiet() -> None:
    state = state_of(ANN, _met(70), _thanked(69))

    found = followup(state, "keep-in-touch:ann")

    assert found.due == NOW - 9 * DAY
    assert found.group == "keep-in-touch"


def test_any_interaction_starts_the_count_again() -> None:
    state = state_of(
        ANN, _met(70), _thanked(69), interaction("n1", "ann", kind="note", at=NOW - 5 * DAY)
    )

    assert "keep-in-touch:ann" not in keys(state)


def test_an_introducer_hears_from_you_every_30_days() -> None:
    state = state_of(
        ANN, person("bea"), introduction("i1", "ann", "bea", at=NOW - 35 * DAY,
                                         status="met", status_at=NOW - 34 * DAY)
    )  # fmt: skip

    assert followup(state, "keep-in-touch:ann").due == NOW - 5 * DAY


def test_once_you_have_landed_the_cadence_slows_down() -> None:
    searching = state_of(ANN, _met(70), _thanked(69))
    landed = state_of(
        ANN, _met(70), _thanked(69), opportunity("o1", stage="accepted", at=NOW - 200 * DAY)
    )

    assert "keep-in-touch:ann" in keys(searching)
    assert "keep-in-touch:ann" not in keys(landed)
    assert "keep-in-touch:ann" in keys(landed, NOW + 60 * DAY)


def test_a_persons_own_cadence_overrides_the_relationship() -> None:
    state = state_of(person("ann", cadence_days=7), _met(8), _thanked(8))

    assert followup(state, "keep-in-touch:ann").roles == ("chosen",)


def test_a_cadence_of_zero_means_never_remind() -> None:
    state = state_of(person("ann", cadence_days=0), _met(300), _thanked(299))

    assert keys(state) == []


def test_a_contact_you_never_dealt_with_gets_no_cadence() -> None:
    assert keys(state_of(person("ann", created_at=NOW - 400 * DAY))) == []


def test_marking_the_note_done_starts_the_count_again() -> None:
    state = state_of(ANN, _met(70), _thanked(69))

    after = run(state, "mark_done", {"key": "keep-in-touch:ann"}).state

    assert "keep-in-touch:ann" not in keys(after, NOW + 59 * DAY)
    assert "keep-in-touch:ann" in keys(after, NOW + 61 * DAY)


def test_the_same_records_asked_later_then_earlier_give_each_time_its_own_notes() -> None:
    state = state_of(ANN, _met(70), _thanked(69))  # due 9 days ago

    assert "keep-in-touch:ann" not in keys(state, NOW - 10 * DAY)
    assert "keep-in-touch:ann" in keys(state, NOW)
    assert "keep-in-touch:ann" not in keys(state, NOW - 10 * DAY)


def test_skipping_the_note_also_starts_the_count_again() -> None:
    state = state_of(ANN, _met(70), _thanked(69), decision("keep-in-touch:ann", "skipped"))

    assert "keep-in-touch:ann" not in keys(state)


def test_snoozing_the_note_hides_it_until_then() -> None:
    state = state_of(ANN, _met(70), _thanked(69))

    after = run(state, "snooze", {"key": "keep-in-touch:ann", "until": (NOW + 3 * DAY).isoformat()})

    assert "keep-in-touch:ann" not in keys(after.state)
    assert counts(after.state)["snoozed"] == 1
    assert "keep-in-touch:ann" in keys(after.state, NOW + 3 * DAY + HOUR)


def test_at_most_ten_keep_in_touch_notes_a_day_and_the_rest_rest() -> None:
    people = [person(f"p{i:02d}") for i in range(14)]
    met = [_met(70 + i, f"p{i:02d}") for i in range(14)]
    thanked = [_thanked(69 + i, f"p{i:02d}") for i in range(14)]

    state = state_of(*people, *met, *thanked)

    assert len(keys(state)) == 10
    assert counts(state)["resting"] == 4


def test_the_quietest_relationships_come_first() -> None:
    state = state_of(ANN, person("bo"), _met(70), _thanked(69), _met(100, "bo"), _thanked(99, "bo"))

    assert keys(state) == ["keep-in-touch:bo", "keep-in-touch:ann"]


def test_no_keep_in_touch_note_for_someone_already_owed_a_follow_up() -> None:
    state = state_of(ANN, _met(70), _thanked(69), interaction("m2", "ann", at=NOW - HOUR))

    assert keys(state) == ["thank-you:m2:ann"]


def test_keep_in_touch_ranks_below_everything_else() -> None:
    state = state_of(
        ANN, person("bo"), _met(70), _thanked(69), interaction("m2", "bo", at=NOW - 30 * HOUR)
    )

    assert keys(state) == ["thank-you:m2:bo", "keep-in-touch:ann"]


def test_keep_in_touch_can_be_turned_off() -> None:
    state = state_of(ANN, _met(70), _thanked(69))

    after = run(
        state,
        "save_settings",
        {"settings": {"rules": {Rule.KEEP_IN_TOUCH.value: {"enabled": False}}}},
    )

    assert keys(after.state) == []


def test_seed_001_after_landing_the_network_is_kept_alive() -> None:
    state = state_of(
        ANN, _met(200), _thanked(199), opportunity("o1", stage="accepted", at=NOW - 100 * DAY)
    )

    assert "since you landed" in followup(state, "keep-in-touch:ann").why
