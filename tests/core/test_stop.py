"""Knowing when to stop: unanswered messages, "no reply" and a "no" end the nudges, and the
person page says why. Through the api, as the shell calls it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from followup import api
from followup.codec import encode_state
from followup.model import Reply
from followup.state import Record

from .builders import DAY, NOW, TODAY, interaction, opportunity, person, state_of

CLOCK = {"now": NOW.isoformat(), "today": TODAY.isoformat()}


def call(**request: Any) -> dict[str, Any]:
    answer: dict[str, Any] = json.loads(api.call(json.dumps(request)))
    return answer


@pytest.fixture(autouse=True)
def empty_after() -> Iterator[None]:
    yield
    call(op="load", data={})


def load(*records: Record) -> None:
    assert call(op="load", data=encode_state(state_of(*records)))["ok"]


def bea_was_written_to(times: int) -> None:
    """The user met Bea 100 days ago, then wrote to her `times` times, the last 62 days ago:
    her keep-in-touch note is due again."""
    sent = [
        interaction(f"s{i}", "bea", kind="message_sent", at=NOW - (62 + i) * DAY)
        for i in range(times)
    ]
    load(person("bea", "Bea Chen"), interaction("m1", "bea", at=NOW - 100 * DAY), *sent)


def keys() -> list[str]:
    return [f["key"] for f in call(op="today", **CLOCK)["followups"]]


def log(payload: dict[str, Any]) -> dict[str, Any]:
    return call(op="command", name="log_interaction", payload=payload, **CLOCK)


def test_one_unanswered_message_does_not_stop_the_nudges() -> None:
    bea_was_written_to(1)

    assert "keep-in-touch:bea" in keys()


def test_two_unanswered_messages_stop_the_nudges_and_the_person_page_says_why() -> None:
    bea_was_written_to(2)

    page = call(op="person", id="bea", **CLOCK)

    assert "keep-in-touch:bea" not in keys()
    assert [s["reason"] for s in page["stopped"]] == [
        "Not suggesting a nudge: no answer to 2 messages."
    ]
    assert page["suggest_no_reply"] is True


def test_the_number_of_unanswered_messages_is_a_setting() -> None:
    bea_was_written_to(2)

    saved = call(
        op="command",
        name="save_settings",
        payload={"settings": {"stop": {"after_unanswered": 3}}},
        **CLOCK,
    )

    assert saved["ok"]
    assert "keep-in-touch:bea" in keys()
    assert call(op="settings")["defaults"]["stop"] == {"after_unanswered": 2}


def test_an_answer_starts_the_count_again() -> None:
    bea_was_written_to(2)

    log({"id": "r1", "person_ids": ["bea"], "kind": "reply", "reply": "later",
         "at": (NOW - 61 * DAY).isoformat()})  # fmt: skip

    assert call(op="person", id="bea", **CLOCK)["stopped"] == []


def test_no_reply_ends_the_chase_with_an_optional_last_note() -> None:
    bea_was_written_to(1)

    log({"id": "n1", "person_ids": ["bea"], "kind": "no_reply"})

    assert "keep-in-touch:bea" not in keys()
    assert "last-note:n1:bea" in keys()
    page = call(op="person", id="bea", **CLOCK)
    assert [s["code"] for s in page["stopped"]] == ["no-reply"]
    body = call(op="draft", key="last-note:n1:bea", **CLOCK)["draft"]["body"]
    assert "won't keep writing" in body


def test_a_no_stops_every_nudge_to_them() -> None:
    load(
        person("bea", "Bea Chen"),
        interaction("m1", "bea", at=NOW - 100 * DAY),
        interaction("r1", "bea", kind="reply", reply=Reply.NO, at=NOW - 65 * DAY),
    )

    assert "keep-in-touch:bea" not in keys()
    assert [s["code"] for s in call(op="person", id="bea", **CLOCK)["stopped"]] == ["said-no"]


def test_a_no_about_an_opportunity_stops_the_follow_ups_about_it_only() -> None:
    load(
        person("rita", "Rita Moss"),
        opportunity("o1", "Acme", stage="accepted", at=NOW - 2 * DAY),
        opportunity("o2", "Globex", stage="interviewing", people={"rita": "recruiter"}),
        interaction("r1", "rita", kind="reply", reply=Reply.NO, opportunity_id="o2",
                    at=NOW - 3 * DAY),
    )  # fmt: skip

    page = call(op="person", id="rita", **CLOCK)

    assert "courtesy-note:o2" not in keys()
    assert page["stopped"][0]["reason"] == (
        "Not suggesting follow-ups about Globex: Rita said no 3 days ago."
    )
    assert page["stopped"][0]["opportunity_id"] == "o2"


def test_only_a_reply_received_says_yes_no_or_later() -> None:
    load(person("bea", "Bea Chen"))

    answer = log({"id": "x1", "person_ids": ["bea"], "kind": "message_sent", "reply": "yes"})

    assert answer["ok"] is False
    assert answer["field"] == "reply"


def test_the_catalog_names_the_new_kinds_and_the_answers_a_reply_can_carry() -> None:
    catalog = call(op="catalog")

    assert catalog["interaction_kinds"]["meal"] == "Lunch or dinner"
    assert catalog["interaction_kinds"]["video_call"] == "Video call"
    assert catalog["interaction_kinds"]["reply"] == "Reply received"
    assert {"meal", "video_call"} <= set(catalog["meeting_kinds"])
    assert [r["id"] for r in catalog["reply_kinds"]] == ["yes", "later", "no"]
