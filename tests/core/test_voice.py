"""Drafts say only what the records show (and ask for the rest), are always signed, and come
in three tones; the user's own templates still win."""

from __future__ import annotations

from dataclasses import replace

import pytest
from followup.drafts import draft
from followup.errors import EngineError
from followup.model import Profile
from followup.settings import Rule, Settings, Template, decode_settings, encode_settings
from followup.template import check, render
from followup.wording import BUILT_IN
from followup.wording_tones import built_in

from .builders import (
    DAY,
    HOUR,
    NOW,
    TODAY,
    advice,
    followup,
    interaction,
    introduction,
    person,
    scenario,
    state_of,
)
from .interop_helpers import call, load

ANN, BEA = person("ann", "Ann Smith"), person("bea", "Bea Chen")


def _advised(done: bool) -> tuple[object, str]:
    met = interaction(
        "m1", "bea", kind="coffee", at=NOW - 20 * HOUR,
        advice=(advice("talk to the agency side too", done_at=NOW - HOUR if done else None),),
    )  # fmt: skip
    thanked = interaction("t1", "bea", kind="thank_you_email", at=NOW - 19 * HOUR)
    state = state_of(BEA, met, thanked)
    return state, "report-back:m1:0" if done else "act-on-advice:m1:0"


def test_advice_not_yet_acted_on_is_never_claimed_as_followed() -> None:
    state, key = _advised(done=False)
    d = draft(state, followup(state, key), NOW)  # type: ignore[arg-type]

    assert "followed through" not in d.body
    assert "made a difference" not in d.body
    assert "I'm going to act on it" in d.body
    assert [n.field for n in d.needs] == ["what_i_did"]


def test_saying_what_you_did_turns_it_into_a_report() -> None:
    state, key = _advised(done=False)
    f = followup(state, key)  # type: ignore[arg-type]

    d = draft(state, f, NOW, answers={"what_i_did": "Called two agencies on Monday."})  # type: ignore[arg-type]

    assert "I followed through: called two agencies on Monday." in d.body
    assert d.subject == "I took your advice"
    assert d.needs == ()


def test_advice_marked_as_acted_on_may_say_you_followed_through() -> None:
    state, key = _advised(done=True)
    f = followup(state, key)  # type: ignore[arg-type]

    d = draft(state, f, NOW)  # type: ignore[arg-type]
    told = draft(state, f, NOW, answers={"what_i_did": "Met two agency heads"})  # type: ignore[arg-type]

    assert "I followed through, and I wanted you to know." in d.body
    assert [n.field for n in d.needs] == ["what_i_did"]
    assert "I followed through: met two agency heads, and I wanted you to know." in told.body


def test_an_update_on_a_meeting_says_when_it_was_and_what_it_was_about() -> None:
    met = interaction("m1", "bea", kind="coffee", at=NOW - 2 * DAY, notes="Talk about Q3 hiring")
    state = state_of(ANN, BEA, introduction("i1", "ann", "bea", at=NOW - 3 * DAY), met)

    d = draft(state, followup(state, "close-loop:i1"), NOW)

    assert "I had coffee with Bea on Saturday. We talked about Q3 hiring." in d.body
    assert d.needs == ()


def test_an_update_with_nothing_known_asks_how_it_went_and_weaves_the_answer_in() -> None:
    state = state_of(
        ANN, BEA, introduction("i1", "ann", "bea", at=NOW - 3 * DAY),
        interaction("c1", "bea", kind="message_sent", at=NOW - 2 * DAY),
    )  # fmt: skip
    f = followup(state, "close-loop:i1")

    asked = draft(state, f, NOW)
    told = draft(state, f, NOW, answers={"how_it_went": "she offered to pass my CV on"})

    assert [(n.field, n.question) for n in asked.needs] == [
        ("how_it_went", "How did it go with Bea?")
    ]
    assert "wanted you to know how it went" not in asked.body
    assert "She offered to pass my CV on." in told.body
    assert told.needs == ()


def test_without_a_name_in_the_profile_the_draft_asks_for_it_and_never_signs_off_bare() -> None:
    state, key = scenario("thank-you")
    state = replace(state, profile=Profile())
    f = followup(state, key)

    unsigned = draft(state, f, NOW)
    signed = draft(state, f, NOW, answers={"my_name": "Sam Seeker"})

    assert "my_name" in [n.field for n in unsigned.needs]
    assert "Best wishes" not in unsigned.body
    assert signed.body.endswith("Best wishes,\nSam Seeker")


@pytest.mark.parametrize("rule", sorted(r.value for r in Rule))
def test_every_rule_has_a_warm_a_brief_and_a_formal_draft(rule: str) -> None:
    state, key = scenario(rule)
    f = followup(state, key)

    bodies = {tone: draft(state, f, NOW, tone=tone).body for tone in ("warm", "brief", "formal")}

    assert len(set(bodies.values())) == 3
    assert bodies["formal"].startswith(("Dear ", "Hello,"))
    assert len(bodies["brief"]) < len(bodies["warm"])
    assert all(b.endswith("Sam Seeker") for b in bodies.values())


def test_the_tone_setting_chooses_the_voice_and_the_users_own_template_still_wins() -> None:
    state, key = scenario("thank-you")
    formal = replace(state, settings=Settings(tone="formal"))
    own = replace(
        formal,
        settings=Settings(tone="formal", templates={Rule.THANK_YOU: Template(body="Cheers!")}),
    )

    assert draft(formal, followup(formal, key), NOW).body.startswith("Dear Bea,")
    assert draft(own, followup(own, key), NOW).body == "Cheers!"


def test_the_tone_setting_is_stored_and_checked() -> None:
    assert decode_settings({"drafts": {"tone": "brief"}}).tone == "brief"
    assert encode_settings(Settings(tone="brief"))["drafts"] == {"tone": "brief"}
    with pytest.raises(EngineError) as error:
        decode_settings({"drafts": {"tone": "shouty"}})
    assert error.value.field == "settings.drafts.tone"


def test_the_draft_op_takes_a_tone_and_answers_and_says_what_it_needs() -> None:
    at = {"at": "2026-11-22T13:00:00Z", "created_at": "2026-11-22T13:00:00Z"}
    bea = {"id": "bea", "name": "Bea Chen", "created_at": "2026-01-01T00:00:00Z"}
    met = {"id": "m1", "person_ids": ["bea"], "kind": "coffee", **at}
    thanked = {"id": "t1", "person_ids": ["bea"], "kind": "thank_you_email", **at}
    load(
        {"people": [bea], "interactions": [{**met, "advice": [{"text": "see agencies"}]}, thanked]}
    )
    clock = {"now": NOW.isoformat(), "today": TODAY.isoformat()}

    asked = call("draft", key="act-on-advice:m1:0", tone="brief", **clock)
    told = call("draft", key="act-on-advice:m1:0", answers={"what_i_did": "called two"}, **clock)
    wrong = call("draft", key="act-on-advice:m1:0", tone="shouty", **clock)

    assert asked["draft"]["tone"] == "brief"
    assert [n["field"] for n in asked["draft"]["needs"]] == ["what_i_did", "my_name"]
    assert [t["value"] for t in asked["draft"]["tones"]] == ["warm", "brief", "formal"]
    assert "I followed through: called two." in told["draft"]["body"]
    assert wrong["ok"] is False
    assert wrong["field"] == "tone"


@pytest.mark.parametrize("tone", ["brief", "formal"])
def test_every_toned_template_is_valid_and_never_renders_empty(tone: str) -> None:

    for rule in Rule:
        template = built_in(rule, tone)
        for text in (template.subject, template.body, template.sms):
            check(text, f"{rule}.{tone}")
            assert render(text, {}), (rule, tone)


def test_a_rule_without_a_toned_template_is_written_in_the_warm_one() -> None:

    assert built_in(Rule.THANK_YOU, "no such tone") == BUILT_IN[Rule.THANK_YOU]
