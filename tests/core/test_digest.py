"""The morning digest (`schedule`): what will be due at each coming morning, in words, at the
time and on the days the user chose, in the device's own time zone, and only when something is
due."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from followup import api
from followup.bundle import bundled_agenda
from followup.digest import MAX_ITEMS, _schedule
from followup.errors import CodecError
from followup.fields import Fields
from followup.reminder_settings import Reminders
from followup.settings import decode_settings, encode_settings, merge_settings
from followup.state import State
from hypothesis import given, settings
from hypothesis import strategies as st

from .builders import DAY, HOUR, NOW, TODAY, interaction, introduction, person, run, state_of
from .strategies import states

ON = Reminders(enabled=True)
PARIS = 60  # minutes east of UTC in winter


def schedule(state: State, **args: Any) -> dict[str, Any]:
    fields = {"now": NOW.isoformat(), "today": TODAY.isoformat(), **args}
    return _schedule(state, Fields(fields, "", tuple(fields)))[1]


def reminding(state: State, r: Reminders = ON) -> State:
    return replace(state, settings=replace(state.settings, reminders=r))


def referral_and_thanks() -> State:
    """Ana introduced Wei Chen this morning; Sam and three others were met an hour ago."""
    met = ["sam", "kim", "lee"]
    return reminding(
        state_of(
            person("ana", "Ana Lopez"),
            person("wei", "Wei Chen"),
            person("sam", "Sam Okafor"),
            person("kim", "Kim Park"),
            person("lee", "Lee Ross"),
            introduction("i1", "ana", "wei", at=NOW),
            *(interaction(f"m-{p}", p, at=NOW - HOUR) for p in met),
        )
    )


def test_reminders_are_off_until_turned_on_then_at_08_30_every_day() -> None:
    stored = encode_settings(decode_settings({}))["reminders"]
    assert stored == {
        "enabled": False,
        "time": "08:30",
        "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        "quiet_devices": [],
    }
    state = replace(referral_and_thanks(), settings=decode_settings({}))
    assert schedule(state)["mornings"] == []
    assert schedule(state)["notifies"] is False


def test_a_morning_digest_counts_the_follow_ups_and_names_the_first_two_in_words() -> None:
    answer = schedule(referral_and_thanks(), offsets=[PARIS])
    tomorrow = answer["mornings"][1]
    assert tomorrow["date"] == "2026-11-24"
    assert tomorrow["at"] == "2026-11-24T07:30:00+00:00"  # 08:30 in Paris
    assert tomorrow["count"] == 4
    assert tomorrow["title"] == "4 follow-ups due today"
    assert tomorrow["body"] == (
        "Reach out to Wei Chen: Ana's referral, due 10:00 · Thank Kim Park, due 09:00 · 2 more"
    )
    assert tomorrow["url"] == "./#/today/reach-out%3Ai1"
    assert tomorrow["tag"] == "followthrough-digest"
    assert tomorrow["snooze_until"] == "2026-11-25T07:30:00+00:00"
    assert tomorrow["items"][0]["key"] == "reach-out:i1"
    assert tomorrow["items"][0]["who"] == "Wei Chen"
    assert tomorrow["items"][0]["url"] == "./#/today/reach-out%3Ai1"


def test_a_morning_with_nothing_due_has_no_digest() -> None:
    state = reminding(state_of(person("ana", "Ana Lopez")))
    assert schedule(state)["mornings"] == []


def test_the_digest_comes_only_on_the_chosen_days_and_at_the_chosen_time() -> None:
    weekdays = Reminders(enabled=True, at=time(7, 15), days=frozenset({0, 2}))  # Mon, Wed
    answer = schedule(reminding(referral_and_thanks(), weekdays))
    assert [(m["date"], m["at"][11:16]) for m in answer["mornings"]][:2] == [
        ("2026-11-23", "07:15"),
        ("2026-11-25", "07:15"),
    ]
    assert {date.fromisoformat(m["date"]).weekday() for m in answer["mornings"]} <= {0, 2}


def test_the_time_stays_local_across_a_daylight_saving_change() -> None:
    # Summer time ends between the first and the second day: 120 minutes east, then 60.
    answer = schedule(referral_and_thanks(), offsets=[120, 60], days=3)
    assert [m["at"] for m in answer["mornings"]][1:] == [
        "2026-11-24T07:30:00+00:00",
        "2026-11-25T07:30:00+00:00",
    ]


def test_a_quiet_device_gets_no_digest_and_the_others_do() -> None:
    quiet = Reminders(enabled=True, quiet_devices=("laptop-1",))
    state = reminding(referral_and_thanks(), quiet)
    assert schedule(state, device="laptop-1") | {"words": None, "computed_at": None} == {
        "notifies": False,
        "time": "08:30",
        "mornings": [],
        "words": None,
        "computed_at": None,
    }
    assert schedule(state, device="phone-2")["mornings"]


def test_a_snoozed_follow_up_leaves_the_digest_until_it_comes_back() -> None:
    state = referral_and_thanks()
    tomorrow = schedule(state)["mornings"][1]
    key = tomorrow["items"][0]["key"]
    until = datetime.fromisoformat(tomorrow["snooze_until"])
    at = NOW + DAY - HOUR  # the notification's "Snooze to tomorrow", as the service worker sends it
    snoozed = run(state, "snooze", {"key": key, "until": tomorrow["snooze_until"]}, at, TODAY + DAY)
    later = schedule(snoozed.state, now=at.isoformat(), today="2026-11-24")
    by_day = {m["date"]: [i["key"] for i in m["items"]] for m in later["mornings"]}
    assert key not in by_day["2026-11-24"]
    assert key in by_day[until.date().isoformat()]


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"time": "8:30"}, "settings.reminders.time"),
        ({"time": "24:00"}, "settings.reminders.time"),
        ({"days": ["monday"]}, "settings.reminders.days[0]"),
        ({"enabled": "yes"}, "settings.reminders.enabled"),
        ({"quiet_devices": ["a b"]}, "settings.reminders.quiet_devices[0]"),
        ({"snooze": 3}, "settings.reminders.snooze"),
    ],
)
def test_bad_reminder_settings_are_refused_naming_the_field(
    patch: dict[str, Any], field: str
) -> None:
    with pytest.raises(CodecError) as refused:
        merge_settings(decode_settings({}), {"reminders": patch})
    assert refused.value.field == field


def test_saving_part_of_the_reminder_settings_keeps_the_rest() -> None:
    first = merge_settings(decode_settings({}), {"reminders": {"enabled": True, "time": "07:45"}})
    second = merge_settings(first, {"reminders": {"days": ["sat", "sun"]}})
    assert second.reminders == Reminders(enabled=True, at=time(7, 45), days=frozenset({5, 6}))


def test_the_schedule_op_refuses_bad_offsets_and_devices() -> None:
    for args, field in (
        ({"offsets": [2000]}, "offsets[0]"),
        ({"offsets": "60"}, "offsets"),
        ({"device": "a:b"}, "device"),
        ({"days": 60}, "days"),
    ):
        answer = json.loads(
            api.call(
                json.dumps({"op": "schedule", "now": NOW.isoformat(), "today": "2026-11-23"} | args)
            )
        )
        assert answer["ok"] is False, answer
        assert answer["field"] == field


@settings(max_examples=25, deadline=None)
@given(states(), st.integers(-12 * 60, 14 * 60), st.integers(0, 23 * 60 + 59))
def test_for_unchanged_data_each_morning_is_today_computed_at_that_morning(
    state: State, offset: int, minute: int
) -> None:
    r = Reminders(enabled=True, at=time(minute // 60, minute % 60))
    state = reminding(state, r)
    answer = schedule(state, offsets=[offset])
    entries = {m["date"]: m for m in answer["mornings"]}
    for n in range(14):
        day = TODAY + timedelta(days=n)
        at = datetime.combine(day, r.at, UTC) - timedelta(minutes=offset)
        today = bundled_agenda(state, max(at, NOW), day)  # Today, bundles and all
        due = today.counts.overdue + today.counts.due
        entry = entries.get(day.isoformat())
        if due == 0:
            assert entry is None
            continue
        assert entry is not None
        assert entry["at"] == at.isoformat()
        assert entry["count"] == due
        listed = today.followups[: min(due, MAX_ITEMS)]
        assert [i["key"] for i in entry["items"]] == [f.key for f in listed]
        assert [i["why"] for i in entry["items"]] == [f.why for f in listed]
        assert entry["url"].endswith(entry["items"][0]["key"].replace(":", "%3A"))
