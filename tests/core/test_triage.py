"""Everyday editing: bulk triage on People (tag, met at, introduced by: all or nothing), the
People filters that pick whom to triage, snoozed and skipped follow-ups listed with a way back,
every field of a logged interaction and of an event editable, and search that reads notes,
advice and promises."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from followup.api import _OPS
from followup.errors import EngineError
from followup.fields import Fields
from followup.state import State

from .builders import (
    DAY,
    HOUR,
    NOW,
    TODAY,
    advice,
    decision,
    event,
    interaction,
    introduction,
    keys,
    person,
    promise,
    run,
    state_of,
)


def ask(state: State, op: str, **args: Any) -> dict[str, Any]:
    """One op, as api.call runs it (with the shell's clock)."""
    allowed, handler = _OPS[op]
    request = {"op": op, "now": NOW.isoformat(), "today": TODAY.isoformat(), **args}
    answer: dict[str, Any] = handler(state, Fields(request, "", ("op", "now", "today", *allowed)))[
        1
    ]
    return answer


def refused(state: State, name: str, payload: dict[str, Any]) -> EngineError:
    with pytest.raises(EngineError) as caught:
        run(state, name, payload)
    return caught.value


def crowd(n: int = 5) -> State:
    return state_of(
        *(person(f"p{i}", f"Person {i}", tags=("old",) if i % 2 else ()) for i in range(n)),
        person("ashok", "Ashok Mehta"),
        event("mixer", "Tech Mixer"),
    )


# --- Bulk triage ----------------------------------------------------------------------------


def test_tagging_many_people_adds_the_tag_once_and_removes_another() -> None:
    done = run(crowd(), "tag_people", {"ids": ["p0", "p1", "p2"], "add": ["media"],
                                        "remove": ["OLD"]})  # fmt: skip
    people = done.state.people

    assert [people[p].tags for p in ("p0", "p1", "p2")] == [("media",)] * 3
    assert people["p3"].tags == ("old",)
    assert [e.__class__.__name__ for e in done.events] == ["PeopleTagged"]
    again = run(done.state, "tag_people", {"ids": ["p0"], "add": ["Media"]})
    assert again.put == ()
    assert again.events == ()


def test_one_unknown_person_refuses_the_whole_bulk_edit_naming_it() -> None:
    error = refused(crowd(), "tag_people", {"ids": ["p0", "gone"], "add": ["media"]})

    assert (error.code, error.field) == ("unknown-person", "ids[1]")


def test_a_bulk_edit_needs_people_and_something_to_do() -> None:
    assert refused(crowd(), "tag_people", {"ids": [], "add": ["x"]}).field == "ids"
    assert refused(crowd(), "tag_people", {"ids": ["p0"]}).field == "add"
    assert refused(crowd(), "tag_people", {"ids": ["p0"], "add": [" "]}).field == "add[0]"
    assert refused(crowd(), "tag_people", {"ids": ["p0"], "add": ["a"], "remove": ["a"]}).field == (
        "remove"
    )


def test_setting_met_at_for_many_people_writes_how_you_met_and_clears_it_again() -> None:
    done = run(crowd(), "set_met_at", {"ids": ["p0", "p1"], "event_id": "mixer"})
    p0 = done.state.people["p0"]

    assert (p0.event_id, p0.how_met) == ("mixer", "Met at Tech Mixer")
    cleared = run(done.state, "set_met_at", {"ids": ["p0"], "event_id": None})
    assert (cleared.state.people["p0"].event_id, cleared.state.people["p0"].how_met) == (None, "")
    assert refused(crowd(), "set_met_at", {"ids": ["p0"], "event_id": "nope"}).field == "event_id"


def test_met_at_keeps_how_you_met_in_your_own_words() -> None:
    state = state_of(person("p0", how_met="Sat next to me on the train"), event("mixer"))

    done = run(state, "set_met_at", {"ids": ["p0"], "event_id": "mixer"})

    assert done.state.people["p0"].how_met == "Sat next to me on the train"


def test_introduced_by_records_one_introduction_each_and_skips_those_already_introduced() -> None:
    state = state_of(*crowd().people.values(), introduction("old", "ashok", "p1"))

    done = run(state, "set_introduced_by",
               {"ids": ["p0", "p1", "p2"], "introducer_id": "ashok", "id": "batch"})  # fmt: skip
    made = sorted((i.id, i.introduced_id) for i in done.put)  # type: ignore[union-attr]

    assert made == [("batch-0", "p0"), ("batch-2", "p2")]
    assert "reach-out:batch-0" in keys(done.state, NOW + HOUR)


def test_nobody_introduced_you_to_themselves() -> None:
    error = refused(crowd(), "set_introduced_by",
                    {"ids": ["p0", "ashok"], "introducer_id": "ashok", "id": "b"})  # fmt: skip

    assert (error.code, error.field) == ("same-person", "ids[1]")


def test_the_people_list_picks_those_with_nothing_logged_and_those_one_import_added() -> None:
    imported = NOW - DAY
    state = state_of(
        person("a", "Ann"),
        person("b", "Bob", created_at=imported),
        person("c", "Cy", created_at=imported),
        interaction("met-a", "a"),
        interaction("met-b", "b"),
    )

    nothing = ask(state, "people", logged="none", all_ids=True)
    batches = ask(state, "people")["added"]
    batch = ask(state, "people", added=imported.isoformat(), all_ids=True)

    assert nothing["ids"] == ["c"]
    assert batches == [{"at": imported.isoformat(), "count": 2}]
    assert sorted(batch["ids"]) == ["b", "c"]
    assert batch["filters"]["added"] == imported.isoformat()


# --- Snoozed and skipped ----------------------------------------------------------------------


def test_snoozed_and_skipped_follow_ups_are_listed_with_until_and_reason() -> None:
    state = state_of(
        person("ana", "Ana Díaz"),
        person("bo", "Bo Li"),
        interaction("met-ana", "ana"),
        interaction("met-bo", "bo"),
        decision("thank-you:met-ana:ana", "snoozed", until=NOW + 2 * DAY),
        decision("thank-you:met-bo:bo", "skipped", reason="We are already in touch"),
    )

    found = ask(state, "later")

    assert [(x["who"], x["until"]) for x in found["snoozed"]] == [
        ("Ana Díaz", (NOW + 2 * DAY).isoformat())
    ]
    assert [(x["who"], x["reason"], x["returns"]) for x in found["skipped"]] == [
        ("Bo Li", "We are already in touch", True)
    ]
    assert "thank-you:met-bo:bo" not in keys(state)


def test_bringing_a_skipped_follow_up_back_puts_it_on_today_again() -> None:
    state = state_of(
        person("bo", "Bo Li"),
        interaction("met-bo", "bo"),
        decision("thank-you:met-bo:bo", "skipped", reason="Not now"),
    )

    back = run(state, "reopen", {"key": "thank-you:met-bo:bo"}).state

    assert "thank-you:met-bo:bo" in keys(back)
    assert ask(back, "later") == {"snoozed": [], "skipped": []}


def test_a_snooze_that_has_run_out_is_not_listed() -> None:
    state = state_of(
        person("ana"),
        interaction("met", "ana"),
        decision("thank-you:met:ana", "snoozed", until=NOW - HOUR),
    )

    assert ask(state, "later")["snoozed"] == []


def test_a_skipped_follow_up_whose_meeting_is_gone_still_names_the_person() -> None:
    state = state_of(person("bo", "Bo Li"), decision("thank-you:gone:bo", "skipped"))

    [entry] = ask(state, "later")["skipped"]

    assert (entry["who"], entry["returns"], entry["person_ids"]) == ("Bo Li", False, ["bo"])


# --- Edit anything ----------------------------------------------------------------------------


def test_moving_a_logged_meeting_to_another_day_moves_its_thank_you() -> None:
    state = state_of(person("ana"), interaction("met", "ana", at=NOW - 15 * HOUR))
    assert "thank-you:met:ana" in keys(state)

    moved = run(state, "update_interaction", {"id": "met", "at": (NOW + 3 * DAY).isoformat()})

    assert moved.state.interactions["met"].at == NOW + 3 * DAY  # type: ignore[index]
    assert "thank-you:met:ana" not in keys(moved.state)
    assert [e.__class__.__name__ for e in moved.events] == ["InteractionUpdated"]


def test_every_field_of_a_logged_interaction_can_be_changed() -> None:
    state = state_of(person("ana"), person("bo"), interaction("met", "ana"))

    done = run(state, "update_interaction", {
        "id": "met", "kind": "coffee", "notes": "Talked about media sales",
        "person_ids": ["ana", "bo", "ana"],
        "advice": [{"text": "Read Never Eat Alone", "kind": "book"}],
        "promises": [{"text": "Send my portfolio", "due": (TODAY + timedelta(days=2)).isoformat()}],
    })  # fmt: skip
    it = done.state.interactions["met"]  # type: ignore[index]

    assert (it.kind.value, it.notes, it.person_ids) == (
        "coffee",
        "Talked about media sales",
        ("ana", "bo"),
    )
    assert [a.text for a in it.advice] == ["Read Never Eat Alone"]
    assert [p.text for p in it.promises] == ["Send my portfolio"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"at": "yesterday"}, "at"),
        ({"kind": "lunch"}, "kind"),
        ({"person_ids": []}, "person_ids"),
        ({"person_ids": ["ghost"]}, "person_ids[0]"),
        ({"advice": [{"text": " "}]}, "advice[0].text"),
        ({"promises": [{"text": "Call", "due": "soon"}]}, "promises[0].due"),
        ({"followup_key": None}, "followup_key"),
        ({"created_at": NOW.isoformat()}, "created_at"),
    ],
)
def test_a_bad_edit_to_an_interaction_names_the_field_and_changes_nothing(
    change: dict[str, Any], field: str
) -> None:
    state = state_of(person("ana"), interaction("met", "ana"))

    error = refused(state, "update_interaction", {"id": "met", **change})

    assert error.field == field


def test_an_unknown_interaction_cannot_be_edited() -> None:
    assert refused(state_of(person("ana")), "update_interaction", {"id": "x"}).field == "id"


def test_renaming_an_event_renames_how_you_met_there() -> None:
    state = state_of(
        event("mixer", "Tech Mixer"),
        person("ana", event_id="mixer", how_met="Met at Tech Mixer"),
        person("bo", event_id="mixer", how_met="Spilled coffee on me"),
    )

    done = run(state, "update_event", {"id": "mixer", "name": "Tech Mixer 2026",
                                       "place": "Berlin"})  # fmt: skip

    assert done.state.events["mixer"].place == "Berlin"  # type: ignore[index]
    assert done.state.people["ana"].how_met == "Met at Tech Mixer 2026"  # type: ignore[index]
    assert done.state.people["bo"].how_met == "Spilled coffee on me"  # type: ignore[index]
    assert refused(state, "update_event", {"id": "mixer", "name": " "}).field == "name"
    assert refused(state, "update_event", {"id": "mixer", "date": "May"}).field == "date"


# --- Find anything ----------------------------------------------------------------------------


def test_search_finds_a_meetings_notes_advice_and_promises_and_shows_where() -> None:
    state = state_of(
        person("ana", "Ana Díaz"),
        person("bo", "Bo Li"),
        interaction("met", "ana", kind="coffee", notes="She runs the Lisbon podcast network",
                    advice=(advice("Read Never Eat Alone"),), promises=(promise("Send the deck"),)),
    )  # fmt: skip

    for query, label in (("podcast", "Notes"), ("never eat", "Advice"), ("DECK", "Promise")):
        [row] = ask(state, "people", query=query)["rows"]
        assert row["id"] == "ana"
        assert row["match"]["label"].startswith(label)
        assert query.lower() in row["match"]["text"].lower()


def test_a_match_on_the_name_needs_no_snippet() -> None:
    state = state_of(person("ana", "Ana Díaz", notes="Ana knows everyone"))

    [row] = ask(state, "people", query="ana")["rows"]

    assert "match" not in row


def test_a_persons_page_lists_their_introductions_to_open_and_fix() -> None:
    state = state_of(
        person("ashok", "Ashok Mehta"),
        person("maria", "María López"),
        person("li", "Li Wei"),
        introduction("i-maria", "ashok", "maria", at=NOW - 2 * DAY),
        introduction("i-li", "maria", "li", at=NOW - DAY),
    )

    found = ask(state, "person", id="maria")["introductions"]

    assert [(x["id"], x["introducer_name"], x["introduced_name"]) for x in found] == [
        ("i-maria", "Ashok Mehta", "María López"),
        ("i-li", "María López", "Li Wei"),
    ]
    assert ask(state, "catalog")["introduction_statuses"]["contacted"] == "In touch"
