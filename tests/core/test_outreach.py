"""Handing a draft to the phone's own apps (outreach.py, op `send_links`): one implementation of
the mailto:, sms: and tel: links, so every draft sheet gets the same fixes."""

from __future__ import annotations

import json
from typing import Any

from followup import api
from followup.model import Channel
from followup.outreach import dialable, is_phone, is_typed_email, send_link


def test_an_email_link_lists_every_address_and_breaks_lines_as_crlf() -> None:
    link = send_link(
        Channel.EMAIL, "a@x.example, b@y.example", subject="Hi & bye", body="Line 1\nLine 2"
    )

    assert (
        link == "mailto:a@x.example,b@y.example?subject=Hi%20%26%20bye&body=Line%201%0D%0ALine%202"
    )


def test_an_email_link_without_anything_still_opens_the_mail_app() -> None:
    assert send_link(Channel.EMAIL, "") == "mailto:"


def test_a_text_puts_its_body_after_a_question_mark() -> None:
    assert send_link(Channel.SMS, "+44 20 7946-0958", body="Hi?") == "sms:+442079460958?body=Hi%3F"


def test_on_an_iphone_a_text_puts_its_body_after_an_ampersand() -> None:
    link = send_link(Channel.SMS, "+44 20 7946-0958", body="Hi?", ios=True)

    assert link == "sms:+442079460958&body=Hi%3F"


def test_a_call_dials_the_number_without_its_punctuation() -> None:
    assert send_link(Channel.CALL, "(020) 7946 0958") == "tel:02079460958"


def test_a_text_or_call_without_a_number_has_no_link_and_a_card_never_has_one() -> None:
    assert send_link(Channel.SMS, "", body="Hi") == ""
    assert send_link(Channel.CALL, "ext") == ""
    assert send_link(Channel.CARD, "a@x.example") == ""


def test_only_a_leading_plus_survives_in_a_dialable_number() -> None:
    assert dialable("+1 (555) 010-0200 ext") == "+15550100200"
    assert dialable("00 44+20") == "004420"


def test_non_ascii_text_is_encoded_as_utf8() -> None:
    assert send_link(Channel.SMS, "555 0100", body="¡Olé!") == "sms:5550100?body=%C2%A1Ol%C3%A9!"


def test_a_typed_address_is_kept_only_when_it_looks_like_one() -> None:
    assert is_typed_email("maria@contoso.example")
    assert not is_typed_email("maria@contoso")
    assert not is_typed_email("not an email")
    assert is_phone("+1 555 0100")
    assert not is_phone("12")


def call(**request: Any) -> dict[str, Any]:
    answer: dict[str, Any] = json.loads(api.call(json.dumps(request)))
    return answer


def test_send_links_answers_every_channels_link_for_the_edited_draft() -> None:
    answer = call(
        op="send_links", email="maria@contoso.example", phone="+1 555 0100",
        subject="Hello", body="Hi Maria,\nP.S.", sms="Coffee?", ios=True,
        now="2026-11-23T09:00:00Z", today="2026-11-23",
    )  # fmt: skip

    assert answer["ok"]
    assert answer["links"] == {
        "email": "mailto:maria@contoso.example?subject=Hello&body=Hi%20Maria%2C%0D%0AP.S.",
        "sms": "sms:+15550100&body=Coffee%3F",
        "call": "tel:+15550100",
    }
    assert answer["valid"] == {"email": True, "phone": True}
