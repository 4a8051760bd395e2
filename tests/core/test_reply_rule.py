"""Issue 18, what the history changes: who is waiting for your reply, the history window, who
answered, and the thank-you already sent."""

from __future__ import annotations

from typing import Any

from followup.bundle import bundle_key, bundled_agenda
from followup.model import Interaction
from followup.stop import stops_for

from .builders import (
    DAY,
    HOUR,
    NOW,
    TODAY,
    draft_for,
    followup,
    interaction,
    keys,
    person,
    promise,
    state_of,
    with_settings,
)

BEA = person("bea", "Bea Chen")


def received(iid: str, at: Any, **fields: Any) -> Interaction:
    base: dict[str, Any] = {"asks": True, "subject": "The analyst role", "thread": "t1"}
    return interaction(iid, "bea", kind="message_received", at=at, **(base | fields))


def sent(iid: str, at: Any, **fields: Any) -> Interaction:
    return interaction(iid, "bea", kind="message_sent", at=at, **({"thread": "t1"} | fields))


# --- The reply rule -----------------------------------------------------------------------------


def test_a_question_left_two_days_shows_reply_to_them_with_the_subject_and_the_wait() -> None:
    state = state_of(BEA, received("r1", NOW - 3 * DAY))

    f = followup(state, "reply:r1:bea")

    assert keys(state) == ["reply:r1:bea"]
    assert f.why.startswith("Reply to Bea Chen")
    assert "\u201cThe analyst role\u201d" in f.why
    assert "3 days ago" in f.why


def test_a_question_asked_yesterday_is_not_due_yet() -> None:
    assert keys(state_of(BEA, received("r1", NOW - 1 * DAY))) == []


def test_the_reply_window_is_a_setting() -> None:
    state = state_of(BEA, received("r1", NOW - 1 * DAY))
    rules = dict(state.settings.rules)
    rules[next(r for r in rules if r.value == "reply")] = rules[
        next(r for r in rules if r.value == "reply")
    ].__class__(due_hours=12, expire_days=30)

    assert keys(with_settings(state, rules=rules)) == ["reply:r1:bea"]


def test_not_due_after_you_replied() -> None:
    state = state_of(BEA, received("r1", NOW - 3 * DAY), sent("s1", NOW - 2 * DAY))

    assert keys(state) == []


def test_not_due_after_you_answered_in_another_way_such_as_a_call() -> None:
    call = interaction("c1", "bea", kind="call", at=NOW - 2 * DAY)

    assert "reply:r1:bea" not in keys(state_of(BEA, received("r1", NOW - 3 * DAY), call))


def test_not_due_for_a_message_that_needs_no_answer() -> None:
    assert keys(state_of(BEA, received("r1", NOW - 3 * DAY, asks=False))) == []


def test_only_the_last_message_of_a_thread_counts() -> None:
    later = received("r2", NOW - 2 * DAY - HOUR, asks=False, subject="Re: The analyst role")
    state = state_of(BEA, received("r1", NOW - 3 * DAY), later)

    assert keys(state) == []


def test_a_question_in_another_thread_still_waits() -> None:
    other = received("r2", NOW - 4 * DAY, thread="t2", subject="Coffee?")
    state = state_of(BEA, received("r1", NOW - 3 * DAY, asks=False), other)

    assert keys(state) == ["reply:r2:bea"]


def test_not_due_for_history_older_than_the_window() -> None:
    old = received("r1", NOW - 31 * DAY, source_id="<m1@mail>")

    assert keys(state_of(BEA, old)) == []


def test_the_history_window_is_a_setting() -> None:
    old = received("r1", NOW - 20 * DAY, source_id="<m1@mail>")
    state = state_of(BEA, old)

    assert keys(state) == ["reply:r1:bea"]
    assert keys(with_settings(state, history_window_days=10)) == []


def test_a_reply_ranks_above_keep_in_touch_and_joins_the_persons_bundle() -> None:
    ann = person("ann", "Ann Smith")
    catch_up = interaction("m0", "ann", at=NOW - 90 * DAY)
    noted = interaction("n1", "bea", kind="note", at=NOW - 5 * DAY, promises=(promise(due=TODAY),))
    state = state_of(ann, BEA, catch_up, noted, received("r1", NOW - 3 * DAY))

    today = bundled_agenda(state, NOW, NOW.date()).followups

    assert [f.key for f in today] == [bundle_key("bea"), "keep-in-touch:ann"]
    parts = [p.key for p in today[0].parts]
    assert parts == ["reply:r1:bea", "promise:n1:0"]


def test_the_reply_draft_names_their_subject_in_every_tone() -> None:
    state = state_of(BEA, received("r1", NOW - 3 * DAY, subject="Re: Fwd: The analyst role"))

    for tone in ("warm", "brief", "formal"):
        d = draft_for(with_settings(state, tone=tone), "reply:r1:bea")
        assert d.subject == "Re: The analyst role", tone
        assert "The analyst role" in d.body, tone


# --- The history window, for every rule --------------------------------------------------------


def test_an_old_imported_meeting_asks_for_no_thank_you_and_a_recent_one_does() -> None:
    old = interaction("m1", "bea", kind="meeting", at=NOW - 40 * DAY, source_id="uid1")
    recent = interaction("m2", "bea", kind="meeting", at=NOW - 20 * HOUR, source_id="uid2")

    assert keys(state_of(BEA, old)) == []
    assert keys(state_of(BEA, recent)) == ["thank-you:m2:bea"]


def test_old_imported_history_still_sets_when_you_were_last_in_touch() -> None:
    # Spoken to 40 days ago (imported): keep-in-touch counts from then, not from never.
    old = interaction("m1", "bea", kind="meeting", at=NOW - 40 * DAY, source_id="uid1")
    past = interaction("m1", "bea", kind="meeting", at=NOW - 70 * DAY, source_id="uid1")

    assert keys(state_of(BEA, old)) == []
    assert keys(state_of(BEA, past)) == ["keep-in-touch:bea"]
    assert followup(state_of(BEA, past), "keep-in-touch:bea").rule == "keep-in-touch"


def test_an_old_interaction_typed_by_hand_is_not_history() -> None:
    by_hand = received("r1", NOW - 31 * DAY)

    assert keys(state_of(BEA, by_hand)) == ["reply:r1:bea"]


# --- Who answered, and the thank-you already sent ----------------------------------------------


def test_a_message_from_them_after_your_nudges_counts_as_an_answer() -> None:
    nudges = [sent(f"s{i}", NOW - (10 - i) * DAY) for i in range(2)]
    answer = received("r1", NOW - 5 * DAY, asks=False, source_id="<m@x>")
    state = state_of(BEA, *nudges)

    assert [s.code for s in stops_for(state, BEA.id, NOW)] == ["unanswered"]
    assert stops_for(state_of(BEA, *nudges, answer), BEA.id, NOW) == ()


def test_a_message_sent_within_the_thank_you_window_is_the_thank_you_already_sent() -> None:
    met = interaction("m1", "bea", kind="interview", at=NOW - 20 * HOUR, source_id="uid")
    note = sent("s1", NOW - 10 * HOUR, source_id="<m@x>")

    assert keys(state_of(BEA, met, note)) == []


def test_a_message_sent_before_the_meeting_is_not_a_thank_you() -> None:
    met = interaction("m1", "bea", kind="interview", at=NOW - 20 * HOUR)
    before = sent("s1", NOW - 30 * HOUR)

    assert keys(state_of(BEA, met, before)) == ["thank-you:m1:bea"]
