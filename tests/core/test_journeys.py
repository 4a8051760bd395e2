"""PRODUCT.md journeys 2 to 5, as the engine sees them: records in, Today and drafts out."""

from __future__ import annotations

from datetime import datetime

from followup.model import Profile
from followup.state import State, apply

from .builders import (
    DAY,
    HOUR,
    NOW,
    draft_for,
    event,
    followup,
    interaction,
    introduction,
    keys,
    opportunity,
    person,
    run,
    state_of,
)

EVENING = NOW - 15 * HOUR  # Sunday 18:00 UTC, at the Tech Mixer


def _after_the_event() -> State:
    """Journey 1 left this behind: three people captured at the Tech Mixer, one of them
    introduced by Ann, whom the user already knew. The shell wrote these records itself."""
    known = state_of(person("ann", "Ann Smith"), profile=Profile(name="Sam Seeker"))
    captured = [
        event(date=EVENING.date(), created_at=EVENING),
        person("dora", "Dora Okafor", event_id="mixer", created_at=EVENING + HOUR),
        person(
            "eli",
            "Eli Novak",
            event_id="mixer",
            created_at=EVENING + HOUR + 20 * 60 * (HOUR / 3600),
        ),
        person("carl", "Carl Diaz", event_id="mixer", created_at=EVENING + 2 * HOUR),
        introduction("i1", "ann", "carl", at=EVENING + 2 * HOUR, context="media sales"),
    ]
    return apply(known, captured)


def test_journey_2_next_morning_the_referral_comes_first_then_the_thank_yous() -> None:
    assert keys(_after_the_event()) == ["reach-out:i1", "met-at-event:dora", "met-at-event:eli"]


def test_journey_2_each_draft_names_the_introducer_and_the_event() -> None:
    state = _after_the_event()

    reach_out = draft_for(state, "reach-out:i1").body
    thank_you = draft_for(state, "met-at-event:dora").body

    assert "Ann Smith suggested I get in touch" in reach_out
    assert "Tech Mixer" in reach_out
    assert "It was great to meet you at Tech Mixer." in thank_you


def test_journey_2_sending_a_draft_logs_it_and_marks_it_done() -> None:
    state = _after_the_event()

    payload = {"id": "s1", "person_ids": ["carl"], "kind": "message_sent"}

    sent = run(state, "log_interaction", {**payload, "followup_key": "reach-out:i1"})

    assert "s1" in sent.state.interactions
    assert "reach-out:i1" not in keys(sent.state, NOW + HOUR)
    assert {"met-at-event:dora", "met-at-event:eli"} <= set(keys(sent.state, NOW + HOUR))


def _met_carl(at: datetime = NOW + 2 * DAY) -> State:
    state = run(_after_the_event(), "log_interaction",
                {"id": "s1", "person_ids": ["carl"], "kind": "message_sent"}).state  # fmt: skip
    return run(
        state, "log_interaction",
        {"id": "c1", "person_ids": ["carl"], "kind": "coffee", "at": at.isoformat(),
         "notes": "Media sales at NBC, and who is hiring"},
        now=at,
    ).state  # fmt: skip


def test_journey_3_after_meeting_the_referral_today_asks_you_to_update_the_introducer() -> None:
    later = NOW + 2 * DAY + HOUR

    found = followup(_met_carl(), "close-loop:i1", later)

    assert found.person_ids == ("ann",)
    assert "close-loop:i1" in keys(_met_carl(), later)
    assert "thank-you:c1:carl" in keys(_met_carl(), later)


def test_journey_3_the_update_draft_says_whom_you_met_and_what_about() -> None:
    body = draft_for(_met_carl(), "close-loop:i1", NOW + 2 * DAY + HOUR).body

    assert "Thank you again for introducing me to Carl Diaz." in body
    assert "I had coffee with Carl" in body


def test_journey_3_sending_the_update_closes_the_loop() -> None:
    later = NOW + 2 * DAY + HOUR
    updated = run(
        _met_carl(), "log_interaction",
        {"id": "u1", "person_ids": ["ann"], "kind": "introducer_update"}, now=later,
    ).state  # fmt: skip

    assert "close-loop:i1" not in keys(updated, later + DAY)


def test_journey_4_a_rejection_asks_for_a_thank_you_anyway() -> None:
    state = state_of(
        person("rita", "Rita Ross"),
        opportunity("o1", "Globex", stage="interviewing", people={"rita": "recruiter"}),
    )

    rejected = run(state, "move_opportunity", {"id": "o1", "stage": "rejected"}).state

    assert keys(rejected, NOW + HOUR) == ["rejection-thanks:o1"]
    body = draft_for(rejected, "rejection-thanks:o1", NOW + HOUR).body
    assert body.startswith("Hi Rita,")
    assert "I remain very interested in Globex" in body


def test_journey_5_landing_lists_exactly_the_right_people_with_most_doors_marked() -> None:
    state = state_of(
        *(person(p) for p in ("ann", "bea", "carl", "dan", "ref", "gus", "ivan", "zoe")),
        introduction("i1", "ann", "bea", at=NOW - 60 * DAY),
        introduction("i2", "bea", "carl", at=NOW - 50 * DAY),
        introduction("i3", "ann", "dan", at=NOW - 40 * DAY),
        interaction("m1", "gus", kind="informational_interview", at=NOW - 30 * DAY),
        interaction("t1", "gus", kind="thank_you_email", at=NOW - 30 * DAY + HOUR),
        opportunity("o1", "Yahoo", stage="offer", introduction_id="i2",
                    people={"carl": "hiring_manager", "ref": "reference"}),
        opportunity("o2", "Initech", stage="interviewing", people={"ivan": "recruiter"}),
        opportunity("o3", "Hooli", stage="rejected", at=NOW - 20 * DAY,
                    people={"zoe": "recruiter"}),
    )  # fmt: skip

    landed = run(state, "landed", {"opportunity_id": "o1"}).state
    round_ = [
        followup(landed, k, NOW + HOUR)
        for k in keys(landed, NOW + HOUR)
        if k.startswith("gratitude:")
    ]

    assert sorted(p for f in round_ for p in f.person_ids) == ["ann", "bea", "carl", "gus", "ref"]
    assert [f.person_ids for f in round_ if f.mark == "most-doors"] == [("ann",)]
    assert "courtesy-note:o2" in keys(landed, NOW + HOUR)
    assert "courtesy-note:o3" not in keys(landed, NOW + HOUR)
