"""Commands (commands.py, engine.py): what each one changes, the events it reports, and errors
that name the field."""

from __future__ import annotations

from typing import Any

import pytest
from followup.errors import EngineError
from followup.events import encode_event
from followup.model import IntroductionStatus, Stage

from .builders import (
    HOUR,
    NOW,
    event,
    interaction,
    introduction,
    opportunity,
    person,
    run,
    state_of,
)

BASE = state_of(person("ann", "Ann Smith"), person("bea", "Bea Chen"), event())


def _error(name: str, payload: dict[str, Any]) -> tuple[str, str | None]:
    with pytest.raises(EngineError) as error:
        run(BASE, name, payload)
    return error.value.code, error.value.field


def test_adding_a_person_stores_them_with_the_time_it_happened() -> None:
    decision = run(BASE, "add_person", {"id": "cy", "name": "Cy Doe", "event_id": "mixer"})

    assert decision.put == (decision.state.people["cy"],)
    assert decision.state.people["cy"].created_at == NOW
    assert [encode_event(e) for e in decision.events] == [
        {"type": "person_added", "person_id": "cy"}
    ]


def test_updating_a_person_changes_only_the_fields_sent() -> None:
    decision = run(BASE, "update_person", {"id": "ann", "organisation": "Yahoo"})

    ann = decision.state.people["ann"]
    assert (ann.organisation, ann.name, ann.updated_at) == ("Yahoo", "Ann Smith", NOW)


def test_recording_an_introduction_starts_it_as_offered_now() -> None:
    decision = run(
        BASE, "record_introduction", {"id": "i1", "introducer_id": "ann", "introduced_id": "bea"}
    )

    intro = decision.state.introductions["i1"]
    assert (intro.status, intro.at) == (IntroductionStatus.OFFERED, NOW)


def test_contact_with_the_referral_moves_the_introduction_on() -> None:
    state = state_of(person("ann"), person("bea"), introduction("i1", "ann", "bea"))

    decision = run(
        state, "log_interaction", {"id": "m1", "person_ids": ["bea"], "kind": "message_sent"}
    )

    intro = decision.state.introductions["i1"]
    assert (intro.status, intro.status_at) == (IntroductionStatus.CONTACTED, NOW)
    assert "introduction_advanced" in [encode_event(e)["type"] for e in decision.events]


def test_meeting_the_referral_moves_the_introduction_to_met_and_never_back() -> None:
    state = state_of(person("ann"), person("bea"), introduction("i1", "ann", "bea"))
    met = run(state, "log_interaction", {"id": "m1", "person_ids": ["bea"], "kind": "coffee"}).state

    later = run(
        met, "log_interaction", {"id": "m2", "person_ids": ["bea"], "kind": "message_sent"}
    ).state

    assert later.introductions["i1"].status is IntroductionStatus.MET


def test_moving_an_opportunity_records_when() -> None:
    state = state_of(opportunity("o1", stage="applied"))

    decision = run(state, "move_opportunity", {"id": "o1", "stage": "interviewing"})

    opp = decision.state.opportunities["o1"]
    assert (opp.stage, opp.stage_at) == (Stage.INTERVIEWING, NOW)


def test_moving_an_opportunity_to_the_stage_it_is_in_changes_nothing() -> None:
    state = state_of(opportunity("o1", stage="applied"))

    decision = run(state, "move_opportunity", {"id": "o1", "stage": "applied"})

    assert (decision.put, decision.events) == ((), ())


def test_merging_two_people_moves_everything_to_the_one_kept() -> None:
    state = state_of(
        person("ann", "Ann Smith", emails=("ann@a.example",)),
        person("ann2", "Ann S.", emails=("ann@b.example",), phones=("+1555",)),
        person("bea"),
        introduction("i1", "ann2", "bea"),
        interaction("m1", "ann2", "ann", at=NOW - HOUR),
        opportunity("o1", people={"ann2": "reference"}),
    )

    decision = run(state, "merge_people", {"keep_id": "ann", "drop_id": "ann2"})

    merged = decision.state
    assert "ann2" not in merged.people
    assert merged.people["ann"].emails == ("ann@a.example", "ann@b.example")
    assert merged.people["ann"].phones == ("+1555",)
    assert merged.introductions["i1"].introducer_id == "ann"
    assert merged.interactions["m1"].person_ids == ("ann",)
    assert merged.opportunities["o1"].people[0].person_id == "ann"
    assert ("people", "ann2") in decision.delete


def test_merging_keeps_decisions_about_the_person_dropped() -> None:
    state = state_of(person("ann"), person("ann2"), interaction("m1", "ann2"))
    skipped = run(state, "skip", {"key": "thank-you:m1:ann2"}).state

    merged = run(skipped, "merge_people", {"keep_id": "ann", "drop_id": "ann2"}).state

    assert "thank-you:m1:ann" in merged.decisions


def test_merging_drops_an_introduction_of_someone_to_themselves() -> None:
    state = state_of(person("ann"), person("ann2"), introduction("i1", "ann", "ann2"))

    decision = run(state, "merge_people", {"keep_id": "ann", "drop_id": "ann2"})

    assert decision.state.introductions == {}


def test_saving_settings_changes_the_rules_at_once() -> None:
    state = state_of(person("ann"), interaction("m1", "ann", at=NOW - 3 * HOUR))

    decision = run(state, "save_settings", {"settings": {"rules": {"thank-you": {"due_hours": 4}}}})

    assert decision.state.settings.rules["thank-you"].due_hours == 4


@pytest.mark.parametrize(
    ("name", "payload", "code", "field"),
    [
        ("add_person", {"id": "cy", "name": "  "}, "missing-field", "name"),
        ("add_person", {"id": "ann", "name": "Ann again"}, "already-exists", "id"),
        (
            "add_person",
            {"id": "cy", "name": "Cy", "emails": ["cy at home"]},
            "invalid-email",
            "emails[0]",
        ),
        ("add_person", {"id": "cy", "name": "Cy", "event_id": "gala"}, "unknown-event", "event_id"),
        (
            "add_person",
            {"id": "cy", "name": "Cy", "created_at": "2026-01-01T00:00:00Z"},
            "unknown-field",
            "created_at",
        ),
        ("add_person", {"name": "Cy"}, "missing-field", "id"),
        ("update_person", {"id": "zed", "name": "Zed"}, "unknown-person", "id"),
        ("update_person", {"id": "ann", "name": ""}, "missing-field", "name"),
        (
            "record_introduction",
            {"id": "i1", "introducer_id": "ann", "introduced_id": "ann"},
            "same-person",
            "introduced_id",
        ),
        (
            "record_introduction",
            {"id": "i1", "introducer_id": "ann", "introduced_id": "zed"},
            "unknown-person",
            "introduced_id",
        ),
        (
            "log_interaction",
            {"id": "m1", "person_ids": [], "kind": "call"},
            "missing-field",
            "person_ids",
        ),
        (
            "log_interaction",
            {"id": "m1", "person_ids": ["ann", "zed"], "kind": "call"},
            "unknown-person",
            "person_ids[1]",
        ),
        (
            "log_interaction",
            {"id": "m1", "person_ids": ["ann"], "kind": "lunch"},
            "unknown-value",
            "kind",
        ),
        (
            "log_interaction",
            {"id": "m1", "person_ids": ["ann"], "kind": "call", "advice": [{"text": " "}]},
            "missing-field",
            "advice[0].text",
        ),
        (
            "log_interaction",
            {"id": "m1", "person_ids": ["ann"], "kind": "call", "followup_key": "hug:ann"},
            "unknown-followup",
            "followup_key",
        ),
        (
            "log_interaction",
            {"id": "m1", "person_ids": ["ann"], "kind": "call", "at": "2026-11-23"},
            "naive-time",
            "at",
        ),
        ("add_opportunity", {"id": "o1", "organisation": ""}, "missing-field", "organisation"),
        (
            "add_opportunity",
            {
                "id": "o1",
                "organisation": "Acme",
                "people": [{"person_id": "zed", "role": "recruiter"}],
            },
            "unknown-person",
            "people[0].person_id",
        ),
        ("move_opportunity", {"id": "o9", "stage": "offer"}, "unknown-opportunity", "id"),
        ("move_opportunity", {"id": "o9", "stage": "hired"}, "unknown-value", "stage"),
        (
            "snooze",
            {"key": "reach-out:i1", "until": "2026-11-22T09:00:00Z"},
            "not-in-future",
            "until",
        ),
        ("snooze", {"key": "reach-out:i1"}, "missing-field", "until"),
        ("skip", {"key": "reach-out"}, "unknown-followup", "key"),
        ("mark_done", {"key": "promise:m9:0"}, "unknown-interaction", "key"),
        ("merge_people", {"keep_id": "ann", "drop_id": "ann"}, "same-person", "drop_id"),
        (
            "save_settings",
            {"settings": {"today": {"horizon_days": 365}}},
            "out-of-range",
            "settings.today.horizon_days",
        ),
        ("dance", {}, "unknown-command", "name"),
    ],
)
def test_a_wrong_command_is_refused_naming_the_field(
    name: str, payload: dict[str, Any], code: str, field: str
) -> None:
    assert _error(name, payload) == (code, field)
