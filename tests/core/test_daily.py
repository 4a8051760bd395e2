"""From first run to daily use (daily.py): the first run, event mode's end, the one line read."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from followup import api
from followup.checklist import checklist
from followup.daily import doors_words, parse_line, role_words
from followup.model import OpportunityId, PersonId
from followup.pipeline import stage_since

from . import builders as b
from .test_codec import CAPTURE

NOW, TODAY = "2026-12-05T18:00:00Z", "2026-12-05"


def call(**request: Any) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(api.call(json.dumps(request)))
    return result


@pytest.fixture(autouse=True)
def empty() -> Iterator[None]:
    assert call(op="load", data={})["ok"]
    yield
    call(op="load", data={})


def command(name: str, payload: dict[str, Any]) -> dict[str, Any]:
    return call(op="command", name=name, payload=payload, now=NOW, today=TODAY)


def test_a_new_user_is_offered_the_first_run_in_three_steps() -> None:
    answer = call(op="first_run")
    assert answer["show"] is True
    assert [s["id"] for s in answer["steps"]] == ["name", "data", "people"]
    assert answer["install"]["ios"].count("Add to Home Screen") == 1


def test_the_first_run_keeps_being_offered_after_the_name_is_saved_until_it_is_finished() -> None:
    assert command("save_profile", {"name": "Ana Lima"})["ok"]
    answer = call(op="first_run")
    assert answer["show"] is True
    assert answer["signature"] == "Ana Lima"
    assert command("save_settings", {"settings": {"first_run": {"done": True}}})["ok"]
    assert call(op="first_run")["show"] is False


def test_someone_who_already_has_people_saved_is_not_offered_the_first_run() -> None:
    assert call(op="load", data=CAPTURE)["ok"]
    assert call(op="first_run")["show"] is False


def test_finishing_the_first_run_is_kept_in_the_settings_record() -> None:
    answer = command("save_settings", {"settings": {"first_run": {"done": True}}})
    (meta,) = answer["put"]["meta"]
    assert meta["first_run"] == {"done": True}


def test_a_first_run_setting_that_is_not_true_or_false_is_refused_naming_the_field() -> None:
    answer = command("save_settings", {"settings": {"first_run": {"done": "yes"}}})
    assert answer["ok"] is False
    assert answer["field"].endswith("first_run.done")


def event_mode(**args: Any) -> dict[str, Any]:
    return call(op="event_mode", name="Media Sales Meetup", **args)


def test_event_mode_stays_on_through_the_events_day() -> None:
    answer = event_mode(date="2026-12-05", now=NOW, today=TODAY)
    assert answer["on"] is True
    assert answer["ended"] is None


def test_event_mode_ends_by_itself_the_next_day() -> None:
    answer = event_mode(date="2026-12-05", now="2026-12-06T08:00:00Z", today="2026-12-06")
    assert answer["on"] is False
    assert "Media Sales Meetup" in answer["ended"]
    assert "Sat 5 Dec" in answer["ended"]


def test_event_mode_ends_at_the_time_the_user_set() -> None:
    until = "2026-12-05T21:00:00Z"
    assert event_mode(date="2026-12-05", until=until, now=NOW, today=TODAY)["on"] is True
    later = event_mode(date="2026-12-05", until=until, now="2026-12-05T21:00:00Z", today=TODAY)
    assert later["on"] is False
    assert "time you set" in later["ended"]


def test_an_event_date_that_is_not_a_date_is_refused_naming_the_field() -> None:
    answer = event_mode(date="tomorrow", now=NOW, today=TODAY)
    assert answer["ok"] is False
    assert answer["field"] == "date"


@pytest.mark.parametrize(
    ("line", "role", "organisation", "rest"),
    [
        ("Head of sales at Acme", "Head of sales", "Acme", ""),
        ("PM @ Globex", "PM", "Globex", ""),
        ("PM@Globex", "PM", "Globex", ""),
        ("recruiter, Initech", "recruiter", "Initech", ""),
        ("Head of sales at Acme, talk about media sales", "Head of sales", "Acme",
         "talk about media sales"),
    ],
)  # fmt: skip
def test_one_line_of_context_names_a_role_and_an_organisation(
    line: str, role: str, organisation: str, rest: str
) -> None:
    assert parse_line(line) == {"role": role, "organisation": organisation, "rest": rest}


@pytest.mark.parametrize(
    "line", ["", "Paris, France", "Ana, Bruno", "met at the meetup", "ana@example.com"]
)
def test_a_line_that_names_no_role_is_left_as_it_is(line: str) -> None:
    assert parse_line(line) is None


def test_the_parse_line_op_asks_before_filling_anything() -> None:
    answer = call(op="parse_line", text="PM @ Globex")
    assert answer["found"] == {"role": "PM", "organisation": "Globex", "rest": ""}
    assert "Globex" in answer["question"]
    assert "put" not in answer


# --- The words of issue 14 -----------------------------------------------------------------------


def test_the_doors_line_agrees_with_the_list_of_names_beside_it() -> None:
    assert doors_words(0, 0) is None
    assert doors_words(2, 2) == "Introduced you to 2 people."
    assert doors_words(1, 1) == "Introduced you to 1 person."
    assert doors_words(3, 2) == "Introduced you to 2 people, and through them to 1 more."


@pytest.mark.parametrize(
    ("days", "words"),
    [(0, "since today"), (1, "since yesterday"), (5, "for 5 days"), (21, "for 3 weeks"),
     (90, "for 3 months")],
)  # fmt: skip
def test_a_pipeline_card_says_how_long_it_has_been_in_its_stage(days: int, words: str) -> None:
    today = date(2026, 12, 5)
    assert stage_since(today - timedelta(days=days), today) == words


def test_the_hiring_manager_at_the_end_of_the_chain_is_not_said_to_have_introduced_anyone() -> None:
    state = b.state_of(
        b.person("ana"),
        b.person("ben"),
        b.introduction("i1", "ana", "ben"),
        b.opportunity(
            "job", people={"ben": "hiring_manager"}, introduction_id="i1", stage="accepted"
        ),
    )
    opp = state.opportunities[OpportunityId("job")]
    found = {
        i.person_id: role_words(state, opp, i) for i in checklist(state, opp, b.NOW, b.TODAY).items
    }
    assert found[PersonId("ana")][0] == "Introduced you along the way"
    assert "Introduced you along the way" not in found[PersonId("ben")]
    assert found[PersonId("ben")][0] == "Hiring manager"
