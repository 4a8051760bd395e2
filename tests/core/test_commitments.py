"""Act on advice, report back, keep promises (commitments.py; seed 001 and PRODUCT rule 5)."""

from __future__ import annotations

from datetime import datetime, timedelta

from followup.model import Interaction

from .builders import (
    DAY,
    HOUR,
    NOW,
    TODAY,
    advice,
    followup,
    interaction,
    keys,
    person,
    promise,
    run,
    state_of,
)

ANN = person("ann", "Ann Smith")


def _advised(at: datetime = NOW - 2 * DAY, done_at: datetime | None = None) -> Interaction:
    return interaction("m1", "ann", at=at, advice=(advice(done_at=done_at),))


def test_advice_asks_you_to_act_on_it() -> None:
    assert "act-on-advice:m1:0" in keys(state_of(ANN, _advised()))


def test_acting_on_advice_is_due_a_week_after_it_was_given() -> None:
    state = state_of(ANN, _advised(at=NOW - 2 * DAY))

    assert followup(state, "act-on-advice:m1:0").due == NOW + 5 * DAY


def test_seed_001_the_why_quotes_the_advice() -> None:
    state = state_of(ANN, _advised())

    assert "“read Never Eat Alone”" in followup(state, "act-on-advice:m1:0").why


def test_marking_advice_done_records_when_you_acted_on_it() -> None:
    state = state_of(ANN, _advised())

    decision = run(state, "mark_done", {"key": "act-on-advice:m1:0"})

    assert decision.state.interactions["m1"].advice[0].done_at == NOW
    assert "act-on-advice:m1:0" not in keys(decision.state, NOW + HOUR)


def test_acting_on_advice_asks_you_to_report_back_within_two_days() -> None:
    state = state_of(ANN, _advised(at=NOW - 5 * DAY, done_at=NOW - 3 * HOUR))

    assert followup(state, "report-back:m1:0").due == NOW + 45 * HOUR


def test_seed_001_telling_them_you_did_closes_the_report_back() -> None:
    state = state_of(
        ANN,
        _advised(at=NOW - 5 * DAY, done_at=NOW - 3 * HOUR),
        interaction("s1", "ann", kind="message_sent", at=NOW - HOUR),
    )

    assert "report-back:m1:0" not in keys(state)


def test_hearing_from_them_is_not_reporting_back() -> None:
    state = state_of(
        ANN,
        _advised(at=NOW - 5 * DAY, done_at=NOW - 3 * HOUR),
        interaction("r1", "ann", kind="message_received", at=NOW - HOUR),
    )

    assert "report-back:m1:0" in keys(state)


def test_sending_the_act_on_advice_draft_closes_both_steps() -> None:
    state = state_of(ANN, _advised())

    decision = run(
        state,
        "log_interaction",
        {"id": "s1", "person_ids": ["ann"], "kind": "message_sent",
         "followup_key": "act-on-advice:m1:0"},
    )  # fmt: skip

    assert not [k for k in keys(decision.state, NOW + DAY) if "m1:0" in k]


def test_a_promise_is_due_on_the_day_promised() -> None:
    made = interaction("m1", "ann", at=NOW - DAY, promises=(promise(due=TODAY + timedelta(2)),))

    found = followup(state_of(ANN, made), "promise:m1:0")

    assert found.due_date == TODAY + timedelta(days=2)
    assert not found.overdue


def test_a_promise_past_its_day_is_overdue() -> None:
    made = interaction("m1", "ann", at=NOW - 5 * DAY, promises=(promise(due=TODAY - timedelta(2)),))

    found = followup(state_of(ANN, made), "promise:m1:0")

    assert found.overdue
    assert found.overdue_hours == 48


def test_a_promise_far_ahead_waits_outside_today_until_it_is_near() -> None:
    made = interaction("m1", "ann", at=NOW - DAY, promises=(promise(due=TODAY + timedelta(20)),))
    state = state_of(ANN, made)

    assert "promise:m1:0" not in keys(state)
    assert "promise:m1:0" in keys(state, NOW + 14 * DAY, TODAY + timedelta(days=14))


def test_marking_a_promise_done_keeps_it() -> None:
    made = interaction("m1", "ann", at=NOW - DAY, promises=(promise(),))

    decision = run(state_of(ANN, made), "mark_done", {"key": "promise:m1:0"})

    assert decision.state.interactions["m1"].promises[0].done_at == NOW
    assert "promise:m1:0" not in keys(decision.state)


def test_a_promise_made_in_a_meeting_still_to_come_is_not_owed_yet() -> None:
    made = interaction("m1", "ann", at=NOW + DAY, promises=(promise(),))

    assert "promise:m1:0" not in keys(state_of(ANN, made))
