"""Capture's pickers (capture.py): who matches what was typed in "introduced by", who a typed
name means, and what was captured recently."""

from __future__ import annotations

import json
from typing import Any

from followup.api import call
from followup.codec import encode_state

from .builders import HOUR, NOW, event, person, state_of

PEOPLE = [
    person("sam-n", "Sam Lee", organisation="Northwind", created_at=NOW - 5 * HOUR),
    person("sam-c", "Sam Lee", organisation="Contoso", role="Recruiter", created_at=NOW - 4 * HOUR),
    person("ashok", "Ashok Mehta", organisation="Fabrikam", created_at=NOW - 3 * HOUR),
    person("jose", "José Álvarez", created_at=NOW - 2 * HOUR, notes="Ask about Madrid"),
    person("lee", "Lee Chen", event_id="mixer", created_at=NOW - HOUR),
]


def api(op: str, **args: Any) -> dict[str, Any]:
    state = state_of(*PEOPLE, event("mixer"))
    assert json.loads(call(json.dumps({"op": "load", "data": encode_state(state)})))["ok"]
    answer: dict[str, Any] = json.loads(call(json.dumps({"op": op, **args})))
    return answer


def names(answer: dict[str, Any]) -> list[str]:
    return [p["label"] for p in answer["people"]]


def test_accents_and_case_do_not_matter_and_a_new_name_can_be_added() -> None:
    answer = api("capture_people", query="jose")

    assert names(answer) == ["José Álvarez"]
    assert answer["new_name"] == "jose"


def test_names_that_start_with_the_text_come_before_organisations_and_inner_matches() -> None:
    assert names(api("capture_people", query="lee")) == [
        "Lee Chen",
        "Sam Lee (Contoso)",
        "Sam Lee (Northwind)",
    ]
    assert names(api("capture_people", query="fabri")) == ["Ashok Mehta (Fabrikam)"]
    assert names(api("capture_people", query="hok")) == ["Ashok Mehta (Fabrikam)"]


def test_an_option_says_the_role_and_organisation() -> None:
    [contoso] = [p for p in api("capture_people", query="sam")["people"] if p["id"] == "sam-c"]

    assert contoso == {
        "id": "sam-c",
        "name": "Sam Lee",
        "label": "Sam Lee (Contoso)",
        "detail": "Recruiter, Contoso",
    }


def test_a_saved_name_or_label_is_not_offered_as_new() -> None:
    assert api("capture_people", query="sam lee")["new_name"] is None
    assert api("capture_people", query="Ashok Mehta (Fabrikam)")["new_name"] is None
    assert api("capture_people", query="  Rita   Moreno ")["new_name"] == "Rita Moreno"


def test_with_nothing_typed_the_newest_people_come_first() -> None:
    answer = api("capture_people", query="", limit=2)

    assert names(answer) == ["Lee Chen", "José Álvarez"]
    assert answer["new_name"] is None


def test_a_typed_name_means_the_one_person_with_that_name_or_label() -> None:
    assert api("capture_introducer", text="ashok mehta")["person"]["id"] == "ashok"
    assert api("capture_introducer", text="Sam Lee (Contoso)")["person"]["id"] == "sam-c"


def test_a_name_two_people_share_asks_which_one() -> None:
    answer = api("capture_introducer", text="Sam Lee")

    assert (answer["ok"], answer["error"], answer["field"]) == (False, "ambiguous-person", "text")
    assert answer["message"].startswith("2 saved people are called “Sam Lee”")


def test_a_name_nobody_has_says_how_to_add_them() -> None:
    answer = api("capture_introducer", text="Rita Moreno")

    assert (answer["ok"], answer["error"]) == (False, "unknown-person")
    assert "Add Rita Moreno as a new person" in answer["message"]


def test_recently_captured_people_say_what_was_noted_and_where_they_were_met() -> None:
    answer = api("capture_recent")

    assert answer["people"][:2] == [
        {"id": "lee", "name": "Lee Chen", "lines": ["Met at Tech Mixer"]},
        {"id": "jose", "name": "José Álvarez", "lines": ["Ask about Madrid"]},
    ]
    assert len(answer["people"]) == 5
    assert answer["event_names"] == ["Tech Mixer"]


def test_everyone_can_be_listed_by_name_for_a_plain_choice() -> None:
    answer = api("capture_people", order="name", limit=5000)

    assert [p["name"] for p in answer["people"]] == [
        "Ashok Mehta",
        "José Álvarez",
        "Lee Chen",
        "Sam Lee",
        "Sam Lee",
    ]
    assert api("capture_people", order="newest")["field"] == "order"
