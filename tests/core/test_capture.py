"""The `capture` command: a person and how you know them, decided as one (all or nothing), with
errors that name the payload field."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from followup.api import call
from followup.errors import EngineError
from followup.events import encode_event
from followup.model import IntroductionStatus

from .builders import HOUR, NOW, event, person, run, state_of

BASE = state_of(person("ann", "Ann Smith"), person("bea", "Bea Chen"), event("mixer"))
MET_AT = (NOW - HOUR).isoformat()


def _types(decision: Any) -> list[str]:
    return [encode_event(e)["type"] for e in decision.events]


def _error(payload: dict[str, Any]) -> tuple[str, str | None]:
    with pytest.raises(EngineError) as error:
        run(BASE, "capture", payload)
    return error.value.code, error.value.field


def test_a_new_person_met_today_at_a_new_event_introduced_by_someone_new_is_saved_at_once() -> None:
    decision = run(
        BASE,
        "capture",
        {
            "person": {"id": "cy", "name": "Cy Doe", "notes": "Runs the meetup"},
            "event": {"id": "fair", "name": "Career Fair", "date": "2026-11-22"},
            "introduced_by": {"id": "dee", "name": "Dee Ray", "organisation": "Contoso"},
            "introduction": {"id": "i1", "context": "Runs the meetup"},
            "met": {"id": "m1", "at": MET_AT},
        },
    )

    state = decision.state
    cy = state.people["cy"]
    assert (cy.name, cy.notes, cy.event_id, cy.how_met) == (
        "Cy Doe",
        "Runs the meetup",
        "fair",
        "Met at Career Fair",
    )
    assert state.events["fair"].date == date(2026, 11, 22)
    assert state.people["dee"].organisation == "Contoso"
    intro = state.introductions["i1"]
    assert (intro.introducer_id, intro.introduced_id, intro.context) == (
        "dee",
        "cy",
        "Runs the meetup",
    )
    assert state.interactions["m1"].person_ids == ("cy",)
    assert state.interactions["m1"].kind.value == "meeting"
    assert _types(decision) == [
        "event_added",
        "person_added",
        "person_added",
        "introduction_recorded",
        "interaction_logged",
    ]
    assert {type(r).__name__ for r in decision.put} == {
        "Event",
        "Person",
        "Introduction",
        "Interaction",
    }
    assert len(decision.put) == 5


def test_meeting_someone_introduced_before_the_meeting_moves_the_introduction_to_met() -> None:
    decision = run(
        BASE,
        "capture",
        {
            "person": {"id": "cy", "name": "Cy Doe"},
            "introduced_by": {"id": "ann"},
            "introduction": {"id": "i1", "at": (NOW - 2 * HOUR).isoformat()},
            "met": {"id": "m1", "at": MET_AT, "kind": "coffee"},
        },
    )

    [intro] = [r for r in decision.put if type(r).__name__ == "Introduction"]
    assert intro.status is IntroductionStatus.MET
    assert "introduction_advanced" in _types(decision)


def test_a_saved_person_introduced_by_a_saved_person_adds_only_the_introduction() -> None:
    decision = run(
        BASE,
        "capture",
        {
            "person": {"id": "bea"},
            "introduced_by": {"id": "ann"},
            "introduction": {"id": "i1", "kind": "referral"},
        },
    )

    intro = decision.state.introductions["i1"]
    assert (intro.introducer_id, intro.introduced_id, intro.kind.value) == (
        "ann",
        "bea",
        "referral",
    )
    assert (intro.status, intro.at) == (IntroductionStatus.OFFERED, NOW)
    assert decision.put == (intro,)
    assert decision.state.people["bea"] == BASE.people["bea"]


def test_a_saved_person_met_at_a_new_event_is_linked_to_it() -> None:
    decision = run(
        BASE,
        "capture",
        {
            "person": {"id": "bea"},
            "event": {"id": "fair", "name": "Career Fair", "date": "2026-11-22"},
        },
    )

    bea = decision.state.people["bea"]
    assert (bea.event_id, bea.how_met, bea.updated_at) == ("fair", "Met at Career Fair", NOW)
    assert _types(decision) == ["event_added", "person_updated"]


def test_a_saved_event_can_be_named_by_its_id() -> None:
    decision = run(
        BASE, "capture", {"person": {"id": "cy", "name": "Cy Doe"}, "event": {"id": "mixer"}}
    )

    cy = decision.state.people["cy"]
    assert (cy.event_id, cy.how_met) == ("mixer", "Met at Tech Mixer")
    assert _types(decision) == ["person_added"]


def test_a_new_event_with_the_name_and_day_of_a_saved_one_is_that_event() -> None:
    """Event mode mints an event with every capture, perhaps before the engine saw the first."""
    yesterday = BASE.events["mixer"].date.isoformat()

    decision = run(
        BASE,
        "capture",
        {
            "person": {"id": "cy", "name": "Cy Doe"},
            "event": {"id": "e2", "name": "  tech  MIXER ", "date": yesterday},
        },
    )

    assert decision.state.people["cy"].event_id == "mixer"
    assert set(decision.state.events) == {"mixer"}


def test_the_same_name_on_another_day_is_another_event() -> None:
    decision = run(
        BASE,
        "capture",
        {
            "person": {"id": "cy", "name": "Cy Doe"},
            "event": {"id": "e2", "name": "Tech Mixer", "date": "2026-11-23"},
        },
    )

    assert decision.state.people["cy"].event_id == "e2"


def test_a_person_alone_is_just_added() -> None:
    decision = run(BASE, "capture", {"person": {"id": "cy", "name": "Cy Doe"}, "event": None})

    assert decision.put == (decision.state.people["cy"],)
    assert decision.state.people["cy"].created_at == NOW


def test_a_bad_introducer_id_changes_nothing_and_names_the_field() -> None:
    payload = {
        "person": {"id": "cy", "name": "Cy Doe"},
        "event": {"id": "fair", "name": "Career Fair", "date": "2026-11-22"},
        "introduced_by": {"id": "nobody"},
        "introduction": {"id": "i1"},
    }

    assert _error(payload) == ("unknown-person", "payload.introduced_by.id")


def test_an_error_in_the_last_part_leaves_the_engine_state_as_it_was() -> None:
    def api(request: dict[str, Any]) -> dict[str, Any]:
        import json

        answer: dict[str, Any] = json.loads(call(json.dumps(request)))
        return answer

    clock = {"now": NOW.isoformat(), "today": "2026-11-23"}
    assert api({"op": "load", "data": {}})["ok"]
    answer = api(
        {
            "op": "command",
            "name": "capture",
            "payload": {
                "person": {"id": "cy", "name": "Cy Doe"},
                "event": {"id": "fair", "name": "Career Fair", "date": "2026-11-22"},
                "introduced_by": {"id": "dee", "name": "Dee Ray"},
                "introduction": {"id": "i1"},
                "met": {"id": "m1", "at": MET_AT, "kind": "lunch"},
            },
            **clock,
        }
    )

    assert (answer["ok"], answer["field"]) == (False, "payload.met.kind")
    assert api({"op": "export"})["data"]["people"] == []


@pytest.mark.parametrize(
    ("payload", "code", "field"),
    [
        ({}, "missing-field", "payload.person"),
        ({"person": {"id": "cy"}}, "unknown-person", "payload.person.id"),
        ({"person": {"id": "cy", "name": " "}}, "missing-field", "payload.person.name"),
        ({"person": {"id": "ann", "name": "Ann"}}, "already-exists", "payload.person.id"),
        (
            {"person": {"id": "cy", "name": "Cy", "emails": ["cy at home"]}},
            "invalid-email",
            "payload.person.emails[0]",
        ),
        (
            {"person": {"id": "cy", "name": "Cy", "created_at": NOW.isoformat()}},
            "unknown-field",
            "payload.person.created_at",
        ),
        (
            {"person": {"id": "cy", "name": "Cy"}, "surprise": 1},
            "unknown-field",
            "payload.surprise",
        ),
        (
            {"person": {"id": "cy", "name": "Cy"}, "introduced_by": {"id": "dee", "name": ""}},
            "missing-field",
            "payload.introduction",
        ),
        (
            {
                "person": {"id": "cy", "name": "Cy"},
                "introduced_by": {"id": "dee", "name": ""},
                "introduction": {"id": "i1"},
            },
            "missing-field",
            "payload.introduced_by.name",
        ),
        (
            {"person": {"id": "cy", "name": "Cy"}, "introduction": {"id": "i1"}},
            "missing-field",
            "payload.introduced_by",
        ),
        (
            {
                "person": {"id": "ann"},
                "introduced_by": {"id": "ann"},
                "introduction": {"id": "i1"},
            },
            "same-person",
            "payload.introduced_by.id",
        ),
        (
            {
                "person": {"id": "cy", "name": "Cy"},
                "introduced_by": {"id": "cy", "name": "Cy again"},
                "introduction": {"id": "i1"},
            },
            "already-exists",
            "payload.introduced_by.id",
        ),
        (
            {
                "person": {"id": "cy", "name": "Cy"},
                "introduced_by": {"id": "ann"},
                "introduction": {"id": "i1", "kind": "favour"},
            },
            "unknown-value",
            "payload.introduction.kind",
        ),
        (
            {"person": {"id": "cy", "name": "Cy"}, "event": {"id": "gone"}},
            "unknown-event",
            "payload.event.id",
        ),
        (
            {
                "person": {"id": "cy", "name": "Cy"},
                "event": {"id": "e", "name": "", "date": "2026-11-22"},
            },
            "missing-field",
            "payload.event.name",
        ),
        (
            {"person": {"id": "cy", "name": "Cy"}, "event": {"id": "e", "name": "Fair"}},
            "missing-field",
            "payload.event.date",
        ),
        (
            {"person": {"id": "cy", "name": "Cy"}, "met": {"id": "m1"}},
            "missing-field",
            "payload.met.at",
        ),
        (
            {"person": {"id": "cy", "name": "Cy"}, "met": {"id": "m1", "at": "2026-11-23T08:00"}},
            "naive-time",
            "payload.met.at",
        ),
        (
            {
                "person": {"id": "cy", "name": "Cy", "event_id": "mixer"},
                "event": {"id": "e", "name": "Fair", "date": "2026-11-22"},
            },
            "conflict",
            "payload.person.event_id",
        ),
    ],
)
def test_a_wrong_part_is_refused_naming_its_field(
    payload: dict[str, Any], code: str, field: str
) -> None:
    assert _error(payload) == (code, field)


@pytest.mark.parametrize("email", ["ann", "ann@example", "ann @example.com", "@example.com"])
def test_an_email_address_needs_a_name_an_at_and_a_domain_with_a_dot(email: str) -> None:
    payload = {"person": {"id": "cy", "name": "Cy", "emails": [email]}}

    assert _error(payload) == ("invalid-email", "payload.person.emails[0]")


def test_a_saved_address_the_rule_would_refuse_now_does_not_block_an_edit() -> None:
    state = state_of(person("ann", emails=("ann@localhost",)))

    decision = run(state, "update_person", {"id": "ann", "role": "Recruiter"})

    assert decision.state.people["ann"].emails == ("ann@localhost",)
