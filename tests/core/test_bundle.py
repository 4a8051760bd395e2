"""One follow-up per person per day: everything owed to one person is one item on Today, with
one draft, one decision, and one interaction when it is sent. Through the api, as the shell
calls it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from followup import api
from followup.codec import encode_state
from followup.model import Profile
from followup.state import State

from .builders import DAY, HOUR, NOW, TODAY, interaction, introduction, person, state_of

CLOCK = {"now": NOW.isoformat(), "today": TODAY.isoformat()}
LATER = {"now": (NOW + 2 * HOUR).isoformat(), "today": TODAY.isoformat()}


def call(**request: Any) -> dict[str, Any]:
    answer: dict[str, Any] = json.loads(api.call(json.dumps(request)))
    return answer


def load(state: State) -> None:
    assert call(op="load", data=encode_state(state))["ok"]


@pytest.fixture(autouse=True)
def empty_after() -> Iterator[None]:
    yield
    call(op="load", data={})


def ana_is_owed_two_things() -> State:
    """Ana introduced the user to Wei; the user met Wei, then had coffee with Ana: Ana is owed
    a thank-you for the coffee and an update on Wei. Bo is owed a thank-you too."""
    return state_of(
        person("ana", "Ana Lima"),
        person("wei", "Wei Chen"),
        person("bo", "Bo Park"),
        introduction("i1", "ana", "wei", at=NOW - 4 * DAY),
        interaction("m1", "wei", kind="coffee", at=NOW - 3 * DAY, notes="Media sales"),
        interaction("t1", "wei", kind="thank_you_email", at=NOW - 3 * DAY + HOUR),
        interaction("m2", "ana", kind="meal", at=NOW - 10 * HOUR, notes="Her new team"),
        interaction("m3", "bo", kind="video_call", at=NOW - 8 * HOUR),
        profile=Profile(name="Sam Seeker"),
    )


def today(clock: dict[str, str] = CLOCK) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = call(op="today", **clock)["followups"]
    return items


def test_everything_owed_to_one_person_is_one_item_on_today() -> None:
    load(ana_is_owed_two_things())

    items = today()

    assert [f["key"] for f in items if "ana" in f["person_ids"]] == ["bundle:ana"]
    ana = next(f for f in items if f["key"] == "bundle:ana")
    assert [p["key"] for p in ana["parts"]] == ["thank-you:m2:ana", "close-loop:i1"]
    assert ana["label"] == "2 things for Ana: thanks · Wei's introduction"
    assert "thank-you:m3:bo" in [f["key"] for f in items]
    assert "parts" not in next(f for f in items if f["key"] == "thank-you:m3:bo")


def test_a_bundle_ranks_where_its_most_urgent_part_ranks() -> None:
    load(ana_is_owed_two_things())

    keys = [f["key"] for f in today()]

    # The close-loop alone would rank after Bo's thank-you; the thank-you lifts the bundle.
    assert keys.index("bundle:ana") < keys.index("thank-you:m3:bo")
    ana = next(f for f in today() if f["key"] == "bundle:ana")
    assert ana["priority"] == max(p["priority"] for p in ana["parts"])


def test_the_draft_of_a_bundle_is_one_message_covering_each_part_in_order() -> None:
    load(ana_is_owed_two_things())

    answer = call(op="draft", key="bundle:ana", **CLOCK)

    body = answer["draft"]["body"]
    assert answer["followup"]["key"] == "bundle:ana"
    assert body.count("Hi Ana") == 1
    assert body.count("Sam Seeker") == 1
    assert "Wei" in body
    assert body.index("Thank you") < body.index("Wei")


def test_marking_a_bundle_done_decides_each_part_under_its_own_key() -> None:
    load(ana_is_owed_two_things())

    answer = call(op="command", name="mark_done", payload={"key": "bundle:ana"}, **CLOCK)

    decided = {d["key"]: d["status"] for d in answer["put"]["decisions"]}
    assert decided == {"thank-you:m2:ana": "done", "close-loop:i1": "done"}
    assert "bundle:ana" not in [f["key"] for f in today()]
    assert not [f for f in today() if "ana" in f["person_ids"]]


def test_snoozing_a_bundle_snoozes_every_part_until_the_same_time() -> None:
    load(ana_is_owed_two_things())
    until = (NOW + DAY).isoformat()

    answer = call(
        op="command", name="snooze", payload={"key": "bundle:ana", "until": until}, **CLOCK
    )

    decided = answer["put"]["decisions"]
    assert {d["key"] for d in decided} == {"thank-you:m2:ana", "close-loop:i1"}
    assert {d["status"] for d in decided} == {"snoozed"}
    assert not [f for f in today() if "ana" in f["person_ids"]]


def test_skipping_a_bundle_skips_every_part_with_the_reason() -> None:
    load(ana_is_owed_two_things())

    answer = call(
        op="command",
        name="skip",
        payload={"key": "bundle:ana", "reason": "We are already in touch"},
        **CLOCK,
    )

    assert {d["reason"] for d in answer["put"]["decisions"]} == {"We are already in touch"}
    assert len(answer["put"]["decisions"]) == 2


def test_sending_a_bundle_logs_one_interaction_that_closes_every_part() -> None:
    load(ana_is_owed_two_things())

    answer = call(
        op="command",
        name="log_interaction",
        payload={
            "id": "s1",
            "person_ids": ["ana"],
            "kind": "thank_you_email",
            "followup_key": "bundle:ana",
        },
        **CLOCK,
    )

    assert [i["id"] for i in answer["put"]["interactions"]] == ["s1"]
    assert {d["key"] for d in answer["put"]["decisions"]} == {"thank-you:m2:ana", "close-loop:i1"}
    assert not [f for f in today(LATER) if "ana" in f["person_ids"]]


def test_a_part_added_later_joins_without_undoing_decisions_already_made() -> None:
    load(ana_is_owed_two_things())
    call(
        op="command",
        name="snooze",
        payload={"key": "thank-you:m2:ana", "until": (NOW + DAY).isoformat()},
        **CLOCK,
    )
    # Ana gives the user another name, and the user meets her the same day.
    call(
        op="command",
        name="record_introduction",
        payload={"id": "i2", "introducer_id": "ana", "introduced_id": "bo", "at": NOW.isoformat()},
        **CLOCK,
    )

    ana = [f for f in today(LATER) if "ana" in f["person_ids"]]

    # The snoozed thank-you stays snoozed; the update on Wei is still owed, on its own key.
    assert [f["key"] for f in ana] == ["close-loop:i1"]
    person_page = call(op="person", id="ana", **LATER)
    assert person_page["bundle"] is None
    assert "thank-you:m2:ana" in [
        f["key"] for f in person_page["followups"] if f["status"] == "snoozed"
    ]


def test_the_person_page_shows_the_bundle_today_shows() -> None:
    load(ana_is_owed_two_things())

    page = call(op="person", id="ana", **CLOCK)

    assert page["bundle"]["key"] == "bundle:ana"
    assert page["stopped"] == []


def test_a_bundle_key_for_nobody_owed_anything_is_a_clear_error() -> None:
    load(ana_is_owed_two_things())

    answer = call(op="draft", key="bundle:nobody", **CLOCK)

    assert answer["ok"] is False
    assert answer["field"] == "key"
