"""One message for several follow-ups owed to one person (drafts.compose): the greeting once,
each part in the given order, one sign-off and one signature."""

from __future__ import annotations

from followup.drafts import compose, draft
from followup.model import Profile
from followup.state import Record, State

from .builders import (
    DAY,
    HOUR,
    NOW,
    TODAY,
    followup,
    interaction,
    introduction,
    person,
    state_of,
)

ANN = person("ann", "Ann Smith", phones=("+15550100",))
BEA, CY = person("bea", "Bea Chen"), person("cy", "Cy Doe")


def _state() -> State:
    return state_of(
        ANN, BEA, CY,
        interaction("m1", "ann", kind="coffee", at=NOW - 20 * HOUR, notes="Her media plans"),
        introduction("i1", "ann", "bea", at=NOW - 3 * DAY),
        interaction("b1", "bea", kind="call", at=NOW - 2 * DAY),
        profile=Profile(name="Sam Seeker"),
    )  # fmt: skip


def test_a_single_part_composes_to_exactly_its_draft() -> None:
    state = _state()
    f = followup(state, "thank-you:m1:ann", NOW, TODAY)

    assert compose(state, [f], NOW) == draft(state, f, NOW)


def test_two_parts_greet_once_sign_once_and_keep_their_order() -> None:
    state = _state()
    thanks = followup(state, "thank-you:m1:ann", NOW, TODAY)
    update = followup(state, "close-loop:i1", NOW, TODAY)

    body = compose(state, [thanks, update], NOW).body

    assert body.startswith("Hi Ann,\n\n")
    assert body.count("Hi Ann") == 1
    assert body.endswith("Best wishes,\nSam Seeker")
    assert body.count("Sam Seeker") == 1
    assert body.index("Thank you for taking the time") < body.index("introducing me to Bea")


def test_only_the_last_part_keeps_its_closing_words() -> None:
    state = _state()
    thanks = followup(state, "thank-you:m1:ann", NOW, TODAY)
    update = followup(state, "close-loop:i1", NOW, TODAY)

    body = compose(state, [thanks, update], NOW).body

    assert "I really appreciated it" not in body
    assert body.count("keep you posted") == 1


def test_the_text_message_greets_once_and_is_signed_once() -> None:
    state = _state()
    thanks = followup(state, "thank-you:m1:ann", NOW, TODAY)
    update = followup(state, "close-loop:i1", NOW, TODAY)

    sms = compose(state, [thanks, update], NOW).sms

    assert sms.startswith("Hi Ann, ")
    assert sms.count("Hi Ann") == 1
    assert sms.count("Sam Seeker") == 1
    assert sms.endswith("Sam Seeker")


def test_the_subject_is_the_first_parts() -> None:
    state = _state()
    thanks = followup(state, "thank-you:m1:ann", NOW, TODAY)
    update = followup(state, "close-loop:i1", NOW, TODAY)

    assert compose(state, [thanks, update], NOW).subject == draft(state, thanks, NOW).subject


def test_parts_asking_the_same_question_are_answered_each_by_their_own_key() -> None:
    state = state_of(
        ANN, BEA, CY,
        introduction("i1", "ann", "bea", at=NOW - 3 * DAY),
        introduction("i2", "ann", "cy", at=NOW - 3 * DAY),
        interaction("s1", "bea", kind="message_sent", at=NOW - 2 * DAY),
        interaction("s2", "cy", kind="message_sent", at=NOW - 2 * DAY),
        profile=Profile(name="Sam Seeker"),
    )  # fmt: skip
    parts = [followup(state, "close-loop:i1"), followup(state, "close-loop:i2")]

    asked = compose(state, parts, NOW)
    answers = {
        "how_it_went@close-loop:i1": "bea is keen",
        "how_it_went@close-loop:i2": "cy is away",
    }
    told = compose(state, parts, NOW, answers=answers)

    assert [n.field for n in asked.needs] == [
        "how_it_went@close-loop:i1",
        "how_it_went@close-loop:i2",
    ]
    assert told.body.index("Bea is keen.") < told.body.index("Cy is away.")
    assert told.needs == ()


def test_several_introductions_are_told_one_after_another_without_repeating_the_thanks() -> None:
    records: list[Record] = [ANN]
    for pid, name in (("bea", "Bea Chen"), ("cy", "Cy Doe"), ("dee", "Dee Park")):
        records += [
            person(pid, name),
            introduction(f"i-{pid}", "ann", pid, at=NOW - 4 * DAY),
            interaction(f"m-{pid}", pid, kind="coffee", at=NOW - 2 * DAY, notes="Q3 hiring"),
        ]
    state = state_of(*records, profile=Profile(name="Sam Seeker"))
    parts = [followup(state, f"close-loop:i-{p}") for p in ("bea", "cy", "dee")]

    d = compose(state, parts, NOW)

    assert d.body.count("Thank you again for introducing me to") == 1
    assert "You also introduced me to Cy Doe." in d.body
    assert "You also introduced me to Dee Park." in d.body
    assert d.sms.count("Thank you for making the connection") == 1
    assert d.sms.endswith("I'll keep you posted! Sam Seeker")
