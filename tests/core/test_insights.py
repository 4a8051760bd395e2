"""Insights (insights.py): plain numbers the UI charts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from followup import api
from followup.fields import Fields
from followup.insights import insights
from followup.settings import DEFAULT_SETTINGS, Rule, RuleTiming
from followup.state import State

from .builders import (
    DAY,
    HOUR,
    NOW,
    TODAY,
    interaction,
    introduction,
    person,
    state_of,
    with_settings,
)


def _state() -> State:
    return state_of(
        person("ann", "Ann Smith"), person("bea"), person("cy"), person("dee"),
        introduction("i1", "ann", "bea", at=NOW - 10 * DAY),
        introduction("i2", "ann", "cy", at=NOW - 9 * DAY),
        introduction("i3", "bea", "dee", at=NOW - 8 * DAY),
        interaction("c1", "bea", kind="call", at=NOW - 10 * DAY + 2 * HOUR),
        interaction("c2", "cy", kind="coffee", at=NOW - 9 * DAY + 6 * HOUR),
        interaction("t1", "bea", kind="thank_you_email", at=NOW - 10 * DAY + 5 * HOUR),
        interaction("t2", "cy", kind="thank_you_card", at=NOW - 7 * DAY),
    )  # fmt: skip


def test_the_median_time_from_a_referral_to_first_contact_is_in_hours() -> None:
    assert insights(_state(), NOW, TODAY).referral_to_contact_median_hours == 4.0


def test_the_share_of_meetings_thanked_within_24_hours() -> None:
    assert insights(_state(), NOW, TODAY).thanked_within_24h_share == 0.5


def test_open_loops_count_introducers_still_waiting_to_hear_back() -> None:
    assert insights(_state(), NOW, TODAY).open_loops == 2


def test_introductions_per_introducer_most_first() -> None:
    found = insights(_state(), NOW, TODAY).introductions_per_introducer

    assert [(c.name, c.count) for c in found] == [("Ann Smith", 2), ("Bea", 1)]


def test_meetings_per_week_cover_the_last_twelve_weeks_this_week_last() -> None:
    weeks = insights(_state(), NOW, TODAY).meetings_per_week

    assert len(weeks) == 12
    assert weeks[-1].start == TODAY - timedelta(days=TODAY.weekday())
    assert [w.count for w in weeks[-3:]] == [2, 0, 0]


def test_with_nothing_to_measure_the_numbers_are_none() -> None:
    found = insights(state_of(), NOW, TODAY)

    assert (found.referral_to_contact_median_hours, found.thanked_within_24h_share) == (None, None)


def _insights_op(state: State) -> dict[str, Any]:
    request = {"op": "insights", "now": NOW.isoformat(), "today": TODAY.isoformat()}
    allowed, handler = api._OPS["insights"]
    answer: dict[str, Any] = handler(state, Fields(request, "", ("op", *allowed)))[1]
    return answer


def test_the_insights_op_measures_against_the_users_reach_out_window() -> None:
    timings = {**DEFAULT_SETTINGS.rules, Rule.REACH_OUT: RuleTiming(due_hours=12, expire_days=30)}
    state = with_settings(_state(), rules=timings)

    answer = _insights_op(state)

    assert answer["contact_goal_hours"] == 12
    assert answer["thanked_goal_share"] == 0.8


def test_the_insights_op_lists_todays_open_loops_and_says_when_there_is_nothing_yet() -> None:
    answer = _insights_op(_state())

    assert {f["rule"] for f in answer["open_loop_followups"]} == {"close-loop"}
    assert answer["nothing_yet"] is False
    assert _insights_op(state_of())["nothing_yet"] is True
