"""The history fields of an interaction (issue 18): subject, thread, source id, asks, first line."""

from __future__ import annotations

import json
from typing import Any

from followup import api
from followup.classify import asks_question
from followup.codec import strict_interaction
from followup.quick import quick_interaction

NOW, TODAY = "2026-11-23T09:00:00Z", "2026-11-23"
PERSON = {
    "id": "p1", "name": "Ana Diaz", "organisation": "", "role": "", "emails": [], "phones": [],
    "urls": [], "tags": [], "notes": "", "how_met": "", "event_id": None,
    "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
}  # fmt: skip
IMPORTED = {
    "id": "h-0123456789abcdef0123", "person_ids": ["p1"], "kind": "message_received",
    "at": "2026-11-20T10:00:00+00:00", "notes": "", "advice": [], "promises": [],
    "opportunity_id": None, "followup_key": None, "reply": None,
    "subject": "Re: the analyst role", "thread": "<abc@mail.example>",
    "source_id": "<m1@mail.example>", "asks": True, "first_line": "Could you send your CV?",
    "created_at": "2026-11-23T09:00:00+00:00",
}  # fmt: skip


def call(**request: Any) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(
        api.call(json.dumps({"now": NOW, "today": TODAY, **request}))
    )
    return result


def test_an_imported_message_keeps_its_subject_thread_source_and_whether_it_asks() -> None:
    call(op="load", data={"people": [PERSON], "interactions": [IMPORTED]})

    (stored,) = call(op="export")["data"]["interactions"]

    assert stored == IMPORTED


def test_the_fast_path_and_the_strict_reader_read_history_alike() -> None:
    fast = quick_interaction(IMPORTED)

    assert fast is not None
    assert fast == strict_interaction(IMPORTED, "interactions[0]")
    assert fast.asks is True
    assert fast.subject == "Re: the analyst role"


def test_an_interaction_written_before_the_history_fields_reads_with_empty_ones() -> None:
    old = {
        k: v
        for k, v in IMPORTED.items()
        if k not in ("subject", "thread", "source_id", "asks", "first_line")
    }
    read = quick_interaction(old)

    assert read is not None
    assert (read.subject, read.thread, read.source_id, read.asks, read.first_line) == (
        "",
        "",
        "",
        False,
        "",
    )


def test_asks_must_be_true_or_false() -> None:
    answer = call(
        op="load", data={"people": [PERSON], "interactions": [{**IMPORTED, "asks": "yes"}]}
    )

    assert answer["set_aside"][0]["field"].endswith("asks")


def test_a_logged_message_can_carry_a_subject() -> None:
    call(op="load", data={"people": [PERSON]})
    payload = {"id": "i1", "person_ids": ["p1"], "kind": "message_sent", "at": NOW,
               "subject": "Thanks for Tuesday"}  # fmt: skip
    answer = call(op="command", name="log_interaction", payload=payload)

    assert answer["ok"], answer
    assert answer["put"]["interactions"][0]["subject"] == "Thanks for Tuesday"


def test_a_message_asks_when_it_holds_a_question_mark_or_opens_like_a_question() -> None:
    assert asks_question("Thanks! Are you free on Thursday?")
    assert asks_question("Could you send me your CV")
    assert asks_question("Pourriez-vous m'envoyer votre CV")
    assert asks_question("¿Tienes tiempo el jueves")
    assert asks_question("Let me know when suits you.")


def test_a_message_that_only_tells_asks_nothing() -> None:
    assert not asks_question("Thanks, great to meet you yesterday.")
    assert not asks_question("Merci, à bientôt.")


def test_a_question_in_the_quoted_thread_below_is_not_theirs() -> None:
    text = "Sounds good, see you then.\n\nOn Mon, 2 Nov 2026, Sam <s@x.org> wrote:\n> Free Tuesday?"

    assert not asks_question(text)
