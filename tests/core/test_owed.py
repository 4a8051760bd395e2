"""The ops about what is owed (owed.py): a draft with the channels it offers and their links,
and a person with how to reach them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from followup import api

from .test_codec import CAPTURE

NOW, TODAY = "2026-11-23T09:00:00Z", "2026-11-23"


def call(**request: Any) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(
        api.call(json.dumps({"now": NOW, "today": TODAY, **request}))
    )
    return result


@pytest.fixture(autouse=True)
def loaded() -> Iterator[None]:
    data = {**CAPTURE, "people": [{**p, "phones": ["+1 555 0100"]} for p in CAPTURE["people"]]}
    assert call(op="load", data=data)["ok"]
    yield
    call(op="load", data={})


def test_a_draft_offers_its_rules_channels_and_opens_on_the_first_one_it_can_reach() -> None:
    draft = call(op="draft", key="thank-you:x1:p1")["draft"]

    assert draft["offer"] == ["email", "card", "call", "sms"]
    assert draft["pick"] == "email"


def test_a_draft_opens_on_the_rules_first_channel_even_without_an_address() -> None:
    data = {**CAPTURE, "people": [{**p, "emails": []} for p in CAPTURE["people"]]}
    assert call(op="load", data=data)["ok"]

    draft = call(op="draft", key="thank-you:x1:p1")["draft"]

    assert draft["offer"] == ["email", "card", "call"]
    assert draft["pick"] == "email"


def test_a_draft_comes_with_each_channels_link_as_written() -> None:
    draft = call(op="draft", key="thank-you:x1:p1", ios=True)["draft"]

    assert draft["links"]["email"].startswith("mailto:bea@nbc.example?subject=Thank%20you")
    assert draft["links"]["call"] == "tel:+15550100"
    assert draft["links"]["sms"].startswith("sms:+15550100&body=")
    assert draft["valid"] == {"email": True, "phone": True}


def test_a_person_comes_with_how_to_reach_them_and_where_you_met() -> None:
    answer = call(op="person", id="p1")

    assert answer["contact"] == [
        {"channel": "email", "value": "bea@nbc.example", "href": "mailto:bea@nbc.example"},
        {"channel": "call", "value": "+1 555 0100", "href": "tel:+15550100"},
        {"channel": "sms", "value": "+1 555 0100", "href": "sms:+15550100"},
    ]
    assert answer["event"]["name"] == "Tech Mixer"
    assert [e["id"] for e in answer["events"]] == ["e1"]
