"""Drafts (drafts.py, wording.py): warm, personal, and the user's own templates win."""

from __future__ import annotations

from followup.model import Profile
from followup.settings import Rule, Settings, Template

from .builders import (
    DAY,
    HOUR,
    NOW,
    advice,
    draft_for,
    event,
    interaction,
    introduction,
    opportunity,
    person,
    promise,
    scenario,
    state_of,
    with_settings,
)

ANN, BEA = person("ann", "Ann Smith"), person("bea", "Bea Chen", phones=("+15550100",))


def test_a_reach_out_draft_names_the_introducer_the_reason_and_the_event() -> None:
    bea = person("bea", "Bea Chen", event_id="mixer", created_at=NOW - 14 * HOUR)
    state = state_of(event(), ANN, bea, introduction("i1", "ann", "bea", context="media sales"))

    draft = draft_for(state, "reach-out:i1")

    assert draft.subject == "Ann Smith suggested I get in touch"
    assert draft.body.startswith("Hi Bea,")
    assert "Ann Smith suggested I get in touch with you." in draft.body
    assert "It was good to meet you at Tech Mixer." in draft.body
    assert "Ann thought we should talk about media sales." in draft.body


def test_a_draft_is_signed_with_the_users_name() -> None:
    state = state_of(ANN, BEA, introduction("i1", "ann", "bea"), profile=Profile(name="Sam Seeker"))

    assert draft_for(state, "reach-out:i1").body.endswith("Thank you,\nSam Seeker")


def test_a_thank_you_reminds_them_of_what_you_discussed_and_thanks_them_for_the_advice() -> None:
    met = interaction(
        "m1", "ann", kind="coffee", notes="Her move into media sales\nfollow up re: NBC",
        advice=(advice("talk to her former team at NBC"),),
    )  # fmt: skip

    draft = draft_for(state_of(ANN, met), "thank-you:m1:ann")

    assert draft.subject == "Thank you for the coffee"
    assert "Our conversation about her move into media sales was really helpful." in draft.body
    # Nothing says the advice was acted on yet, so the draft does not claim it.
    assert "Thank you for the advice: talk to her former team at NBC." in draft.body


def test_a_thank_you_also_thanks_for_introductions_made_around_the_meeting() -> None:
    state = state_of(
        ANN, BEA, interaction("m1", "ann", at=NOW - 5 * HOUR),
        introduction("i1", "ann", "bea", at=NOW - 4 * HOUR),
    )  # fmt: skip

    assert "thank you for introducing me to Bea Chen" in draft_for(state, "thank-you:m1:ann").body


def test_closing_the_loop_tells_the_introducer_whom_you_met_and_how() -> None:
    state, key = scenario("close-loop")

    body = draft_for(state, key).body

    assert body.startswith("Hi Ann,")
    assert "Thank you again for introducing me to Bea Chen." in body
    assert "I had coffee with Bea" in body


def test_the_outcome_update_says_how_it_ended() -> None:
    state, key = scenario("close-loop-outcome")

    assert "In the end I withdrew from the process for the Sales Lead role at Acme." in (
        draft_for(state, key).body
    )


def test_the_outcome_the_user_wrote_wins_over_the_stage() -> None:
    state, _ = scenario("close-loop")
    intro = introduction(
        "i1", "ann", "bea", at=NOW - 3 * DAY, status="outcome", status_at=NOW - HOUR,
        outcome="She passed my CV to the hiring manager.",
    )  # fmt: skip
    state = state_of(*state.people.values(), intro)

    assert (
        "She passed my CV to the hiring manager." in draft_for(state, "close-loop-outcome:i1").body
    )


def test_a_promise_to_send_something_says_it_is_being_sent() -> None:
    state = state_of(
        ANN, interaction("m1", "ann", at=NOW - DAY, promises=(promise("send my portfolio"),))
    )

    assert "As promised, I'm sending my portfolio." in draft_for(state, "promise:m1:0").body


def test_a_rejection_thank_you_keeps_the_door_open() -> None:
    state, key = scenario("rejection-thanks")

    body = draft_for(state, key).body

    assert "I remain very interested in Acme" in body
    assert "future roles" in body


def test_the_sms_form_is_short() -> None:
    for rule in Rule:
        state, key = scenario(rule.value)
        assert len(draft_for(state, key).sms) <= 300


def test_the_draft_is_addressed_with_the_persons_email_and_phone() -> None:
    state = state_of(ANN, BEA, introduction("i1", "ann", "bea"))

    to = draft_for(state, "reach-out:i1").to

    assert (to.name, to.email, to.phone) == ("Bea Chen", "bea@example.com", "+15550100")


def test_the_users_own_template_overrides_the_built_in_one() -> None:
    own = Template(
        subject="Quick hello from {my_name}", body="Hey {first_name}! {introducer} sent me."
    )
    state = state_of(
        ANN, BEA, introduction("i1", "ann", "bea"),
        settings=Settings(templates={Rule.REACH_OUT: own}), profile=Profile(name="Sam"),
    )  # fmt: skip

    draft = draft_for(state, "reach-out:i1")

    assert draft.subject == "Quick hello from Sam"
    assert draft.body == "Hey Bea! Ann Smith sent me."
    assert "Ann Smith suggested I get in touch" in draft.sms


def test_an_own_template_that_renders_empty_falls_back_to_the_built_in_one() -> None:
    own = Template(subject="{event}")
    state = state_of(
        ANN,
        BEA,
        introduction("i1", "ann", "bea"),
        settings=Settings(templates={Rule.REACH_OUT: own}),
    )

    assert draft_for(state, "reach-out:i1").subject == "Ann Smith suggested I get in touch"


def test_a_person_without_a_name_is_greeted_politely() -> None:
    state = state_of(person("x", ""), interaction("m1", "x"))

    assert draft_for(state, "thank-you:m1:x").body.startswith("Hello,")


def test_a_keep_in_touch_note_after_landing_mentions_the_new_role() -> None:
    state, key = scenario("keep-in-touch")
    landed = state_of(
        *state.people.values(), *state.interactions.values(),
        opportunity("o1", "Yahoo", stage="accepted", at=NOW - 200 * DAY, role="Head of Sales"),
    )  # fmt: skip

    assert "my new role as Head of Sales at Yahoo" in draft_for(landed, key, NOW + 60 * DAY).body
    assert "new role" not in draft_for(state, key).body


def test_a_subject_whose_template_spans_lines_has_no_space_before_its_punctuation() -> None:
    # Found by test_properties: "Thanks Thanks Thanks Thanks ." from a subject ending "\n\n .".
    state, key = scenario("reach-out")
    own = Template(subject="Thanks Thanks Thanks Thanks \n\n .", body="Thanks\n, {first_name}")
    state = state_of(
        *state.people.values(),
        *state.introductions.values(),
        settings=Settings(templates={Rule.REACH_OUT: own}),
    )

    draft = draft_for(state, key)

    assert draft.subject == "Thanks Thanks Thanks Thanks"
    assert draft.body == "Thanks\n, Bea"


def test_a_subject_line_of_only_punctuation_leaves_no_space_before_anything() -> None:
    state, key = scenario("thank-you")
    own = with_settings(state, templates={Rule.THANK_YOU: Template(subject="Thanks \n\n .")})

    assert draft_for(own, key).subject == "Thanks"
