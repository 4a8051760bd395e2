"""From first run to daily use (daily.py): the first run, event mode's end, the one line read."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from followup import api
from followup.daily import parse_line

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
