"""Today (agenda.py): decisions (done, snoozed, skipped) for every rule, ranking, the horizon,
counts and caps."""

from __future__ import annotations

from datetime import timedelta

import pytest
from followup.agenda import agenda, plan
from followup.settings import Rule

from .builders import (
    DAY,
    HOUR,
    NOW,
    TODAY,
    advice,
    counts,
    followup,
    interaction,
    introduction,
    keys,
    person,
    promise,
    run,
    scenario,
    state_of,
    with_settings,
)

RULES = [r.value for r in Rule]
ONE_OFF = [r for r in RULES if r != "keep-in-touch"]


@pytest.mark.parametrize("rule", RULES)
def test_each_rule_owes_its_follow_up_in_its_scenario(rule: str) -> None:
    state, key = scenario(rule)

    assert key in keys(state)
    assert followup(state, key).rule == rule


@pytest.mark.parametrize("rule", RULES)
def test_snoozing_hides_a_follow_up_until_the_time_chosen(rule: str) -> None:
    state, key = scenario(rule)
    until = NOW + 5 * HOUR

    snoozed = run(state, "snooze", {"key": key, "until": until.isoformat()}).state

    assert key not in keys(snoozed)
    assert counts(snoozed)["snoozed"] == 1
    assert key in keys(snoozed, until + HOUR)


@pytest.mark.parametrize("rule", ONE_OFF)
def test_skipping_removes_a_follow_up_for_good(rule: str) -> None:
    state, key = scenario(rule)

    skipped = run(state, "skip", {"key": key, "reason": "not relevant"}).state

    assert key not in keys(skipped)
    assert key not in keys(skipped, NOW + 3 * DAY, TODAY + timedelta(days=3))


@pytest.mark.parametrize("rule", ONE_OFF)
def test_marking_done_removes_a_follow_up_for_good(rule: str) -> None:
    state, key = scenario(rule)

    done = run(state, "mark_done", {"key": key}).state

    assert key not in keys(done, NOW + HOUR)
    assert key not in keys(done, NOW + 3 * DAY, TODAY + timedelta(days=3))


@pytest.mark.parametrize("rule", RULES)
def test_logging_the_sent_draft_closes_the_follow_up(rule: str) -> None:
    state, key = scenario(rule)
    pids = followup(state, key).person_ids or ("bea",)
    if "bea" not in state.people:
        state = run(state, "add_person", {"id": "bea", "name": "Bea"}).state

    sent = run(
        state,
        "log_interaction",
        {"id": "sent", "person_ids": list(pids) if pids[0] in state.people else ["bea"],
         "kind": "message_sent", "followup_key": key},
    ).state  # fmt: skip

    assert key not in keys(sent, NOW + HOUR)


@pytest.mark.parametrize("rule", ONE_OFF)
def test_reopening_brings_a_skipped_follow_up_back(rule: str) -> None:
    state, key = scenario(rule)
    skipped = run(state, "skip", {"key": key}).state

    reopened = run(skipped, "reopen", {"key": key}).state

    assert key in keys(reopened)


def test_a_referral_comes_before_a_thank_you_due_at_the_same_time() -> None:
    state = state_of(
        person("ann"),
        person("bea"),
        interaction("m1", "ann", at=NOW - 2 * HOUR),
        introduction("i1", "ann", "bea", at=NOW - 2 * HOUR),
    )

    assert keys(state) == ["reach-out:i1", "thank-you:m1:ann"]


def test_work_due_today_comes_before_work_due_later_whatever_its_priority() -> None:
    state = state_of(
        person("ann"),
        person("bea"),
        interaction("m1", "ann", at=NOW - 70 * DAY),
        interaction("t1", "ann", kind="thank_you_card", at=NOW - 70 * DAY),
        interaction("m2", "bea", kind="note", at=NOW - DAY, advice=(advice(),)),
    )

    assert keys(state) == ["keep-in-touch:ann", "act-on-advice:m2:0"]


def test_equal_priorities_are_ordered_by_due_time_then_key() -> None:
    state = state_of(
        person("ann"),
        person("bea"),
        interaction("m2", "bea", at=NOW - 3 * HOUR),
        interaction("m1", "ann", at=NOW - 3 * HOUR),
        interaction("m0", "ann", at=NOW - 5 * HOUR),
    )

    assert keys(state) == ["thank-you:m0:ann", "thank-you:m1:ann", "thank-you:m2:bea"]


def test_counts_say_how_much_is_overdue_due_and_upcoming() -> None:
    state = state_of(
        person("ann"),
        person("bea"),
        interaction("m1", "ann", at=NOW - 30 * HOUR),
        interaction("m2", "bea", at=NOW - 2 * HOUR),
        interaction(
            "m3",
            "bea",
            kind="note",
            at=NOW - HOUR,
            promises=(promise(due=TODAY + timedelta(days=3)),),
        ),
    )

    assert counts(state) == {
        "overdue": 1, "due": 1, "upcoming": 1, "snoozed": 0, "hidden": 0, "resting": 0,
    }  # fmt: skip


def test_the_list_is_capped_and_the_count_says_how_many_were_left_out() -> None:
    people = [person(f"p{i}") for i in range(5)]
    meetings = [interaction(f"m{i}", f"p{i}", at=NOW - HOUR) for i in range(5)]
    state = with_settings(state_of(*people, *meetings), max_items=3)

    assert len(plan(state, NOW, TODAY)) == 3
    assert counts(state)["hidden"] == 2


def test_overdue_follow_ups_say_by_how_many_hours() -> None:
    found = followup(state_of(person("ann"), interaction("m1", "ann", at=NOW - 30 * HOUR)),
                     "thank-you:m1:ann")  # fmt: skip

    assert found.overdue
    assert found.overdue_hours == 6


def test_today_is_the_same_list_every_time_for_the_same_data() -> None:
    state, _ = scenario("close-loop")

    assert agenda(state, NOW, TODAY) == agenda(state, NOW, TODAY)
