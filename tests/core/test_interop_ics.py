"""The calendar of follow-ups: written with vobject, read back with icalendar (an independent
library), one event per follow-up with its due time, the draft's first line and an alarm."""

from __future__ import annotations

from datetime import date, timedelta

import icalendar
from followup.agenda import agenda
from followup.interop.ics import opening_line, write_ics
from followup.state import State, new_state

from .builders import DAY, HOUR, NOW, TODAY, introduction, person


def _referral_state() -> State:
    return new_state(
        people=[person("ashok", "Ashok Mehta"), person("maria", "Maria López")],
        introductions=[introduction("i1", "ashok", "maria", at=NOW - 2 * HOUR)],
    )


def _events(text: str) -> list[icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(text)
    assert calendar["VERSION"] == "2.0"
    assert "PRODID" in calendar
    return list(calendar.walk("VEVENT"))


def test_each_open_follow_up_is_an_event_at_its_due_time_with_an_alarm() -> None:
    state = _referral_state()
    [followup] = agenda(state, NOW, TODAY).followups

    [event] = _events(write_ics(state, [followup], NOW))

    assert str(event["SUMMARY"]) == "Reach out to Maria López"
    assert event.decoded("DTSTART") == followup.due.replace(second=0, microsecond=0)
    assert str(event["UID"]) == f"{followup.key}@followthrough.invalid"
    description = str(event["DESCRIPTION"])
    assert description.startswith(followup.why)
    assert "Draft: Ashok Mehta suggested I get in touch with you." in description
    [alarm] = event.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm.decoded("TRIGGER") == -HOUR


def test_an_overdue_follow_up_is_put_at_the_next_quarter_hour_so_its_alarm_rings() -> None:
    state = new_state(
        people=[person("ashok", "Ashok Mehta"), person("maria", "Maria López")],
        introductions=[introduction("i1", "ashok", "maria", at=NOW - 3 * DAY)],
    )
    [followup] = agenda(state, NOW, TODAY).followups
    assert followup.overdue

    [event] = _events(write_ics(state, [followup], NOW + timedelta(minutes=7)))

    assert event.decoded("DTSTART") == NOW + timedelta(minutes=15)
    assert "It was due" in str(event["DESCRIPTION"])
    assert event.walk("VALARM")[0].decoded("TRIGGER") == timedelta(0)


def test_exporting_twice_keeps_the_same_uids_so_calendars_update_rather_than_duplicate() -> None:
    state = _referral_state()
    followups = agenda(state, NOW, TODAY).followups

    first = [str(e["UID"]) for e in _events(write_ics(state, followups, NOW))]
    second = [str(e["UID"]) for e in _events(write_ics(state, followups, NOW + HOUR))]

    assert first == second


def test_an_empty_calendar_is_still_a_valid_calendar() -> None:
    assert _events(write_ics(new_state(), [], NOW)) == []


def test_the_file_is_crlf_folded_at_75_octets() -> None:
    state = new_state(
        people=[person("ashok", "Ashok " + "Mehta" * 30), person("maria", "María " + "é" * 80)],
        introductions=[introduction("i1", "ashok", "maria", at=NOW - 2 * HOUR)],
    )

    data = write_ics(state, agenda(state, NOW, TODAY).followups, NOW).encode()

    assert b"\n" not in data.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    for line in data.split(b"\r\n"):
        line.decode("utf-8")


def test_the_opening_line_skips_a_bare_greeting() -> None:
    assert (
        opening_line("Hi Maria,\n\nThank you for the coffee.\nMore") == "Thank you for the coffee."
    )
    assert opening_line("Thanks!") == "Thanks!"
    assert opening_line("") == ""


def test_an_all_day_follow_up_is_a_date_with_a_morning_alarm() -> None:
    from followup.model import Promise

    from .builders import interaction

    met = interaction(
        "x1",
        "maria",
        at=NOW - 3 * DAY,
        promises=(Promise(text="Send portfolio", due=date(2026, 11, 25)),),
    )
    state = new_state(people=[person("maria", "Maria López")], interactions=[met])
    promised = [f for f in agenda(state, NOW, TODAY).followups if f.rule == "promise"]

    [event] = _events(write_ics(state, promised, NOW))

    assert event.decoded("DTSTART") == date(2026, 11, 25)
    assert event.walk("VALARM")[0].decoded("TRIGGER") == timedelta(hours=9)
