"""Every op survives records at both ends of the date range, asked at both ends (bounds.py):
Today, drafts, a person, insights, the graph and every export answer, never `internal-error`;
and a clock past the range is refused naming `now` or `today`, whichever op it is sent to."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from followup import api

from .test_bounds import FAR_DAYS, FAR_TIMES, call

FIRST, LAST = "1900-01-01T00:00:00Z", "9000-12-31T23:59:59.999999Z"
FIRST_DAY, LAST_DAY = "1900-01-01", "9000-12-31"
CLOCKS = {
    "first": (FIRST, FIRST_DAY),
    "last": (LAST, LAST_DAY),
    "now": ("2026-11-23T09:00:00Z", "2026-11-23"),
}


def _person(pid: str, at: str, **more: Any) -> dict[str, Any]:
    return {"id": pid, "name": f"Person {pid}", "emails": [f"{pid}@example.com"],
            "phones": ["+15550100"], "created_at": at, **more}  # fmt: skip


def _meeting(xid: str, at: str, day: str, who: str) -> dict[str, Any]:
    return {
        "id": xid, "person_ids": [who], "kind": "coffee", "at": at, "notes": "Talked shop",
        "advice": [{"text": "Read X", "kind": "book", "done_at": None},
                   {"text": "Call Y", "kind": "names", "done_at": at}],
        "promises": [{"text": "Send CV", "due": day, "done_at": None}],
    }  # fmt: skip


EDGES = {
    "people": [
        _person("a", FIRST, event_id="e1", cadence_days=3650),
        _person("b", LAST, event_id="e2", cadence_days=1),
        _person("c", FIRST, updated_at=LAST),
    ],
    "events": [
        {"id": "e1", "name": "First", "date": FIRST_DAY, "created_at": FIRST},
        {"id": "e2", "name": "Last", "date": LAST_DAY, "created_at": LAST},
    ],
    "introductions": [
        {"id": "i1", "introducer_id": "a", "introduced_id": "b", "at": FIRST},
        {
            "id": "i2",
            "introducer_id": "b",
            "introduced_id": "c",
            "at": LAST,
            "kind": "referral",
            "status": "outcome",
            "status_at": LAST,
            "outcome": "Hired",
        },
        {
            "id": "i3",
            "introducer_id": "c",
            "introduced_id": "a",
            "at": LAST,
            "status": "contacted",
            "status_at": FIRST,
        },
    ],
    "interactions": [
        _meeting("x1", FIRST, FIRST_DAY, "a"),
        _meeting("x2", LAST, LAST_DAY, "b"),
        {
            "id": "x3",
            "person_ids": ["c"],
            "kind": "message_sent",
            "at": LAST,
            "followup_key": "close-loop:i3",
        },
    ],
    "opportunities": [
        {
            "id": "o1",
            "organisation": "Old",
            "stage": "rejected",
            "stage_at": FIRST,
            "people": [{"person_id": "a", "role": "recruiter"}],
            "introduction_id": "i1",
        },
        {
            "id": "o2",
            "organisation": "New",
            "role": "Lead",
            "stage": "accepted",
            "stage_at": LAST,
            "people": [{"person_id": "b", "role": "reference"}],
        },
        {
            "id": "o3",
            "organisation": "Other",
            "stage": "interviewing",
            "stage_at": LAST,
            "people": [{"person_id": "c", "role": "contact"}],
        },
    ],
    "decisions": [
        {"key": "keep-in-touch:a", "status": "snoozed", "until": LAST, "at": FIRST},
        {"key": "keep-in-touch:c", "status": "done", "at": LAST},
    ],
    "meta": [
        {
            "id": "settings",
            "rules": {
                r: {"due_hours": 8760, "expire_days": 3650} for r in ("thank-you", "promise")
            },
            "keep_in_touch": {"max_per_day": 1000},
            "gratitude": {"lookback_days": 3650},
            "today": {"horizon_days": 90, "max_items": 1000},
        },
        {"id": "profile", "name": "Sam"},
    ],
}


@pytest.fixture(autouse=True)
def loaded() -> Iterator[None]:
    assert call(op="load", data=EDGES)["ok"]
    yield
    call(op="load", data={})


def _ok(**request: Any) -> dict[str, Any]:
    answer = call(**request)
    assert answer["ok"], (request["op"], answer)
    return answer


@pytest.mark.parametrize("clock", CLOCKS)
def test_every_op_answers_over_records_at_both_ends_of_the_range(clock: str) -> None:
    now, today = CLOCKS[clock]
    at = {"now": now, "today": today}

    listed = _ok(op="today", **at)["followups"]
    people = [p["id"] for p in EDGES["people"]]
    keys = {f["key"] for f in listed}
    for pid in people:
        keys |= {f["key"] for f in _ok(op="person", id=pid, **at)["followups"]}
    for key in sorted(keys):
        _ok(op="draft", key=key, **at)
    _ok(op="insights", **at)
    _ok(op="graph")
    _ok(op="export")
    _ok(op="export_json", **at)
    _ok(op="export_vcard", ids=people, today=today)
    _ok(op="export_csv", today=today)
    _ok(op="export_ics", **at)
    if keys:
        _ok(op="export_ics", keys=sorted(keys), **at)


@pytest.mark.parametrize("clock", CLOCKS)
def test_commands_work_over_records_at_both_ends_of_the_range(clock: str) -> None:
    now, today = CLOCKS[clock]
    at = {"now": now, "today": today}

    for key in ("promise:x1:0", "promise:x2:0", "act-on-advice:x2:0", "reach-out:i2"):
        _ok(op="command", name="mark_done", payload={"key": key}, **at)
    _ok(op="command", name="skip", payload={"key": "thank-you:x2:b"}, **at)
    _ok(op="command", name="landed", payload={"opportunity_id": "o3", "at": LAST}, **at)
    _ok(op="command", name="merge_people", payload={"keep_id": "a", "drop_id": "c"}, **at)
    _ok(op="today", **at)


def test_a_promise_due_on_the_last_day_asked_about_on_the_last_day_is_due() -> None:
    answer = _ok(op="today", now=LAST, today=LAST_DAY)

    # The promise may be a part of the bundle of everything owed to that person.
    items = [p for f in answer["followups"] for p in f.get("parts", [f])]
    promises = [f for f in items if f["key"] == "promise:x2:0"]
    assert [(f["due"], f["all_day"]) for f in promises] == [(LAST_DAY, True)]


def test_snoozing_until_the_last_moment_is_accepted_and_past_it_is_refused() -> None:
    at = {"now": LAST[:-8] + "Z", "today": LAST_DAY}
    snooze = {"key": "promise:x2:0"}

    assert _ok(op="command", name="snooze", payload={**snooze, "until": LAST}, **at)
    past = call(op="command", name="snooze", payload={**snooze, "until": FAR_TIMES[4]}, **at)
    assert (past["error"], past["field"]) == ("out-of-range", "until")


# Every op, with what it needs besides the clock; one missing here is sent the clock alone.
ARGS: dict[str, dict[str, Any]] = {
    "command": {"name": "mark_done", "payload": {"key": "reach-out:i1"}},
    "draft": {"key": "reach-out:i1"},
    "person": {"id": "a"},
    "load": {"data": {}},
    "upsert": {"data": {}},
    "import_preview": {"text": "Name\nAnn\n"},
    "import_commit": {"text": "Name\nAnn\n", "ids": ["n1"]},
    "restore_preview": {"text": "{}"},
    "restore": {"text": "{}"},
    "merge": {"node": "0123456789abcdef", "clock": None, "records": []},
}


@pytest.mark.parametrize("op", sorted(api._OPS))
@pytest.mark.parametrize("which", ["now", "today"])
def test_a_clock_past_the_range_is_refused_naming_it_or_ignored_by_every_op(
    op: str, which: str
) -> None:
    for far in FAR_TIMES if which == "now" else FAR_DAYS:
        clock = {"now": CLOCKS["now"][0], "today": CLOCKS["now"][1], which: far}

        answer = call(op=op, **ARGS.get(op, {}), **clock)

        assert answer["ok"] or answer["field"] == which or answer["field"] not in CLOCKS, answer
        if not answer["ok"] and answer["field"] == which:
            assert answer["error"] == "out-of-range", answer


@pytest.mark.parametrize("op", ["today", "draft", "person", "insights", "command", "export_ics"])
@pytest.mark.parametrize("which", ["now", "today"])
def test_the_ops_that_compute_with_the_clock_refuse_one_past_the_range(op: str, which: str) -> None:
    far = {"now": "9999-12-31T23:59:59Z", "today": "9999-12-31"}[which]
    clock = {"now": CLOCKS["now"][0], "today": CLOCKS["now"][1], which: far}

    answer = call(op=op, **ARGS.get(op, {}), **clock)

    assert (answer["ok"], answer["error"], answer["field"]) == (False, "out-of-range", which)
