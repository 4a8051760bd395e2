"""The contact rules (rules.py): reach out, thank-you, met at an event, thanks after a rejection,
close the loop, and the outcome update. Each: trigger, due time, what closes it, a seed case."""

from __future__ import annotations

from datetime import timedelta

from followup.model import IntroductionKind, IntroductionStatus
from followup.settings import Rule, RuleTiming
from followup.state import Record

from .builders import (
    DAY,
    HOUR,
    NOW,
    TODAY,
    event,
    followup,
    interaction,
    introduction,
    keys,
    opportunity,
    person,
    state_of,
    with_settings,
)

ANN, BEA = person("ann", "Ann Smith"), person("bea", "Bea Chen")


# reach-out (seed 004)


def test_a_new_referral_asks_you_to_reach_out() -> None:
    state = state_of(ANN, BEA, introduction("i1", "ann", "bea"))

    assert "reach-out:i1" in keys(state)


def test_reaching_out_is_due_24_hours_after_getting_the_name() -> None:
    state = state_of(ANN, BEA, introduction("i1", "ann", "bea", at=NOW - 3 * HOUR))

    assert followup(state, "reach-out:i1").due == NOW + 21 * HOUR


def test_a_referral_is_owed_even_when_the_introducer_only_gave_the_name() -> None:
    state = state_of(ANN, BEA, introduction("i1", "ann", "bea", kind=IntroductionKind.NAME))

    assert "gave you Bea Chen's name" in followup(state, "reach-out:i1").why


def test_any_contact_with_the_referral_closes_the_reach_out() -> None:
    state = state_of(
        ANN, BEA, introduction("i1", "ann", "bea"), interaction("m1", "bea", kind="message_sent")
    )

    assert "reach-out:i1" not in keys(state)


def test_the_referral_getting_in_touch_first_also_counts_as_contact() -> None:
    state = state_of(
        ANN,
        BEA,
        introduction("i1", "ann", "bea"),
        interaction("m1", "bea", kind="message_received"),
    )

    assert "reach-out:i1" not in keys(state)


def test_a_contact_from_before_the_introduction_does_not_close_the_reach_out() -> None:
    state = state_of(
        ANN,
        BEA,
        introduction("i1", "ann", "bea", at=NOW - 5 * HOUR),
        interaction("m1", "bea", kind="message_sent", at=NOW - 50 * DAY),
    )

    assert "reach-out:i1" in keys(state)


def test_moving_the_introduction_on_by_hand_closes_the_reach_out() -> None:
    intro = introduction(
        "i1", "ann", "bea", status=IntroductionStatus.CONTACTED, status_at=NOW - HOUR
    )

    assert "reach-out:i1" not in keys(state_of(ANN, BEA, intro))


def test_an_overdue_referral_rises_above_everything_else() -> None:
    state = state_of(
        ANN,
        BEA,
        person("cy"),
        introduction("i1", "ann", "bea", at=NOW - 3 * DAY),
        interaction("m1", "cy", at=NOW - 2 * HOUR),
    )

    assert keys(state)[0] == "reach-out:i1"
    assert followup(state, "reach-out:i1").priority > followup(state, "thank-you:m1:cy").priority


def test_the_longer_a_referral_waits_the_higher_it_rises() -> None:
    state = state_of(
        ANN,
        BEA,
        person("cy"),
        introduction("i1", "ann", "bea", at=NOW - 2 * DAY),
        introduction("i2", "ann", "cy", at=NOW - 6 * DAY),
    )

    assert followup(state, "reach-out:i2").priority > followup(state, "reach-out:i1").priority


def test_a_referral_not_followed_up_for_a_month_is_dropped_rather_than_nagged_about() -> None:
    state = state_of(ANN, BEA, introduction("i1", "ann", "bea", at=NOW - 32 * DAY))

    assert "reach-out:i1" not in keys(state)


def test_the_reach_out_timing_follows_the_users_setting() -> None:
    state = state_of(ANN, BEA, introduction("i1", "ann", "bea", at=NOW - HOUR))
    rules = {**state.settings.rules, Rule.REACH_OUT: RuleTiming(due_hours=4, expire_days=30)}

    assert followup(with_settings(state, rules=rules), "reach-out:i1").due == NOW + 3 * HOUR


def test_seed_004_the_introducer_is_named_because_their_reputation_is_at_stake() -> None:
    state = state_of(ANN, BEA, introduction("i1", "ann", "bea", at=NOW - 2 * DAY))

    assert "reflects on Ann" in followup(state, "reach-out:i1").why


# thank-you (seeds 001, 002)


def test_a_meeting_asks_for_a_thank_you() -> None:
    assert "thank-you:m1:ann" in keys(state_of(ANN, interaction("m1", "ann", kind="coffee")))


def test_a_thank_you_is_due_24_hours_after_the_meeting() -> None:
    state = state_of(ANN, interaction("m1", "ann", kind="call", at=NOW - 2 * HOUR))

    assert followup(state, "thank-you:m1:ann").due == NOW + 22 * HOUR


def test_every_person_in_a_panel_interview_is_thanked_separately() -> None:
    state = state_of(ANN, BEA, interaction("m1", "ann", "bea", kind="interview"))

    assert {"thank-you:m1:ann", "thank-you:m1:bea"} <= set(keys(state))


def test_a_message_or_a_note_asks_for_no_thank_you() -> None:
    state = state_of(
        ANN,
        interaction("m1", "ann", kind="message_received"),
        interaction("n1", "ann", kind="note"),
    )

    assert keys(state) == []


def test_a_meeting_in_the_future_asks_for_nothing_yet() -> None:
    assert keys(state_of(ANN, interaction("m1", "ann", at=NOW + 2 * HOUR))) == []


def test_seed_002_a_handwritten_card_counts_as_the_thank_you() -> None:
    state = state_of(
        ANN,
        interaction("m1", "ann", at=NOW - 20 * HOUR),
        interaction("t1", "ann", kind="thank_you_card", at=NOW - HOUR),
    )

    assert "thank-you:m1:ann" not in keys(state)


def test_a_thank_you_to_someone_else_does_not_close_yours() -> None:
    state = state_of(
        ANN, BEA, interaction("m1", "ann"), interaction("t1", "bea", kind="thank_you_email")
    )

    assert "thank-you:m1:ann" in keys(state)


def test_seed_001_after_a_week_a_thank_you_is_no_longer_suggested() -> None:
    state = state_of(ANN, interaction("m1", "ann", at=NOW - 9 * DAY))

    assert "thank-you:m1:ann" not in keys(state)


def test_seed_001_the_why_reminds_you_of_the_meeting() -> None:
    state = state_of(ANN, interaction("m1", "ann", kind="coffee"))

    assert followup(state, "thank-you:m1:ann").why.startswith("You had coffee with Ann Smith")


# met-at-event (seed 001)


def test_someone_captured_at_an_event_gets_a_note_within_24_hours() -> None:
    bea = person("bea", event_id="mixer", created_at=NOW - 14 * HOUR)
    state = state_of(event(), bea)

    assert followup(state, "met-at-event:bea").due == NOW + 10 * HOUR


def test_sending_anything_to_someone_met_at_an_event_closes_the_note() -> None:
    bea = person("bea", event_id="mixer", created_at=NOW - 14 * HOUR)
    state = state_of(event(), bea, interaction("s1", "bea", kind="message_sent", at=NOW - HOUR))

    assert "met-at-event:bea" not in keys(state)


def test_someone_introduced_at_the_event_gets_the_reach_out_instead() -> None:
    bea = person("bea", event_id="mixer", created_at=NOW - 14 * HOUR)
    state = state_of(event(), ANN, bea, introduction("i1", "ann", "bea", at=NOW - 14 * HOUR))

    assert keys(state) == ["reach-out:i1"]


def test_seed_001_the_note_after_an_event_reminds_them_where_you_met() -> None:
    bea = person("bea", event_id="mixer", created_at=NOW - 14 * HOUR)

    assert "You met Bea at Tech Mixer." in followup(state_of(event(), bea), "met-at-event:bea").why


def test_an_event_that_has_not_happened_yet_asks_for_nothing() -> None:
    bea = person("bea", event_id="mixer", created_at=NOW - 14 * HOUR)
    state = state_of(event(date=TODAY + timedelta(days=3)), bea)

    assert keys(state) == []


# rejection-thanks (seed 002)


def test_a_rejection_asks_for_a_thank_you_anyway() -> None:
    rita = person("rita", "Rita Ross")
    opp = opportunity("o1", stage="rejected", at=NOW - 3 * HOUR, people={"rita": "recruiter"})

    found = followup(state_of(rita, opp), "rejection-thanks:o1")

    assert found.person_ids == ("rita",)
    assert found.due == NOW + 21 * HOUR


def test_the_thank_you_after_a_rejection_goes_to_the_team_when_nobody_is_named() -> None:
    opp = opportunity("o1", "Globex", stage="rejected", at=NOW - 3 * HOUR)

    assert followup(state_of(opp), "rejection-thanks:o1").who == "the team at Globex"


def test_a_reference_is_not_the_one_to_thank_for_a_rejection() -> None:
    opp = opportunity(
        "o1", stage="rejected", at=NOW - HOUR, people={"ann": "reference", "rita": "recruiter"}
    )

    assert followup(state_of(ANN, person("rita"), opp), "rejection-thanks:o1").person_ids == (
        "rita",
    )


def test_seed_002_a_card_to_the_recruiter_after_the_rejection_closes_it() -> None:
    opp = opportunity("o1", stage="rejected", at=NOW - 3 * HOUR, people={"rita": "recruiter"})
    card = interaction("t1", "rita", kind="thank_you_card", at=NOW - HOUR)

    assert "rejection-thanks:o1" not in keys(state_of(person("rita"), opp, card))


# close-loop and the outcome update (seeds 000, 003)


def _met_bea() -> list[Record]:
    return [
        ANN,
        BEA,
        introduction("i1", "ann", "bea", at=NOW - 3 * DAY),
        interaction("c1", "bea", kind="coffee", at=NOW - 20 * HOUR),
    ]


def test_meeting_the_referral_asks_you_to_tell_the_introducer() -> None:
    found = followup(state_of(*_met_bea()), "close-loop:i1")

    assert found.person_ids == ("ann",)
    assert found.due == NOW + 28 * HOUR


def test_nothing_is_owed_to_the_introducer_before_you_contact_the_referral() -> None:
    state = state_of(ANN, BEA, introduction("i1", "ann", "bea"))

    assert "close-loop:i1" not in keys(state)


def test_an_introducer_update_after_the_contact_closes_the_loop() -> None:
    update = interaction("u1", "ann", kind="introducer_update", at=NOW - HOUR)

    assert "close-loop:i1" not in keys(state_of(*_met_bea(), update))


def test_an_update_sent_before_the_contact_does_not_close_the_loop() -> None:
    update = interaction("u1", "ann", kind="introducer_update", at=NOW - 2 * DAY)

    assert "close-loop:i1" in keys(state_of(*_met_bea(), update))


def test_seed_003_the_loop_is_closed_even_when_it_led_nowhere() -> None:
    found = followup(state_of(*_met_bea()), "close-loop:i1")

    assert "even if it led nowhere" in found.why


def test_when_the_opportunity_ends_the_introducer_hears_the_outcome() -> None:
    state = state_of(
        *_met_bea(),
        interaction("u1", "ann", kind="introducer_update", at=NOW - 19 * HOUR),
        opportunity("o1", stage="rejected", at=NOW - 2 * HOUR, introduction_id="i1"),
    )

    found = followup(state, "close-loop-outcome:i1")

    assert found.due == NOW + 46 * HOUR
    assert "close-loop:i1" not in keys(state)


def test_an_update_after_the_outcome_closes_the_outcome_update() -> None:
    state = state_of(
        *_met_bea(),
        opportunity("o1", stage="withdrawn", at=NOW - 5 * HOUR, introduction_id="i1"),
        interaction("u1", "ann", kind="introducer_update", at=NOW - HOUR),
    )

    assert "close-loop-outcome:i1" not in keys(state)


def test_an_outcome_is_final_only_when_every_opportunity_from_the_introduction_is() -> None:
    state = state_of(
        *_met_bea(),
        opportunity("o1", stage="rejected", at=NOW - 5 * HOUR, introduction_id="i1"),
        opportunity("o2", stage="interviewing", introduction_id="i1"),
    )

    assert "close-loop-outcome:i1" not in keys(state)
    assert "close-loop:i1" in keys(state)


def test_marking_the_outcome_by_hand_asks_for_the_outcome_update() -> None:
    intro = introduction(
        "i1", "ann", "bea", at=NOW - 9 * DAY, status=IntroductionStatus.OUTCOME,
        status_at=NOW - HOUR, outcome="She passed my CV to the hiring manager",
    )  # fmt: skip

    assert "close-loop-outcome:i1" in keys(state_of(ANN, BEA, intro))


def test_seed_000_an_offer_accepted_from_a_referral_is_told_by_the_gratitude_round() -> None:
    state = state_of(
        *_met_bea(),
        opportunity("o1", stage="accepted", at=NOW - 2 * HOUR, introduction_id="i1"),
    )

    assert "close-loop-outcome:i1" not in keys(state)
    assert {"gratitude:o1:ann", "gratitude:o1:bea"} <= set(keys(state))
