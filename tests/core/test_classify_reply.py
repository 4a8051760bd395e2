"""Paste a reply (issue 18): the classifier, its corpus, and what confirming records."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from followup import api
from followup.classify_reply import classify_reply

CORPUS = Path(__file__).parent / "corpus" / "replies.jsonl"
ROWS = [json.loads(line) for line in CORPUS.read_text("utf-8").splitlines() if line.strip()]
NOW, TODAY = "2026-11-23T09:00:00+00:00", "2026-11-23"
BEA = {
    "id": "bea", "name": "Bea Chen", "organisation": "", "role": "", "emails": ["bea@x.org"],
    "phones": [], "urls": [], "tags": [], "notes": "", "how_met": "", "event_id": None,
    "created_at": "2026-01-01T00:00:00+00:00", "updated_at": "2026-01-01T00:00:00+00:00",
}  # fmt: skip


def call(**request: Any) -> dict[str, Any]:
    answer: dict[str, Any] = json.loads(
        api.call(json.dumps({"now": NOW, "today": TODAY, **request}))
    )
    return answer


def label(text: str) -> str:
    return str(classify_reply(text)["label"])


# --- The corpus --------------------------------------------------------------------------------


def test_the_corpus_holds_at_least_300_labelled_replies_in_five_languages() -> None:
    assert len(ROWS) >= 300
    assert set(Counter(r["label"] for r in ROWS)) == {
        "yes", "no", "later", "question", "out_of_office"
    }  # fmt: skip
    assert {"en", "fr", "es", "de", "pt"} <= set(Counter(r["lang"] for r in ROWS))
    assert sum(1 for r in ROWS if "wrote:" in r["text"] or "\n>" in r["text"]) >= 50


def test_a_third_of_the_corpus_is_kept_apart_from_tuning() -> None:
    held = [r for r in ROWS if r["split"] == "held_out"]

    assert len(held) >= len(ROWS) // 4
    assert {r["split"] for r in ROWS} == {"tune", "held_out"}


def test_the_classifier_is_right_on_at_least_90_percent_of_the_held_out_third() -> None:
    held = [r for r in ROWS if r["split"] == "held_out"]
    right = sum(1 for r in held if label(r["text"]) == r["label"])

    assert right / len(held) >= 0.90


# --- Sentences ---------------------------------------------------------------------------------


def test_a_plain_yes_no_later_question_and_auto_reply() -> None:
    assert label("Sure, happy to chat. Thursday at 3 works.") == "yes"
    assert label("Unfortunately we're not hiring at the moment.") == "no"
    assert label("Let's talk next month, things are crazy right now.") == "later"
    assert label("What kind of roles are you looking at?") == "question"
    assert label("Automatic reply: I am out of the office until 5 January.") == "out_of_office"


def test_the_answer_names_the_words_that_decided() -> None:
    found = classify_reply("Thanks for thinking of me, but I'll have to pass.")

    assert found["label"] == "no"
    assert "have to pass" in found["cues"]
    assert 0 < found["confidence"] <= 1


def test_no_problem_is_not_a_no() -> None:
    assert label("No problem, happy to help. Send me your CV.") == "yes"


def test_the_quoted_thread_below_a_reply_is_not_read() -> None:
    text = (
        "Yes, Tuesday works.\n\nOn Mon, 3 Nov 2026 at 09:12, Sam <sam@x.org> wrote:\n"
        "> Could we talk next month? No worries if not."
    )

    assert label(text) == "yes"


def test_replies_in_french_spanish_german_and_portuguese() -> None:
    assert label("Malheureusement, nous ne recrutons pas.") == "no"
    assert label("Hablamos el mes que viene.") == "later"
    assert label("Ja, gerne. Donnerstag passt.") == "yes"
    assert label("Pode me mandar o seu currículo?") == "question"


def test_an_empty_paste_is_read_with_low_confidence() -> None:
    assert classify_reply("")["confidence"] < 0.5


# --- The op and the command --------------------------------------------------------------------


def test_the_op_answers_the_label_the_cues_and_the_choices_to_confirm() -> None:
    answer = call(op="classify_reply", text="Out of office until Monday.")

    assert answer["label"] == "out_of_office"
    assert "nothing is recorded" in answer["note"]
    assert [c["value"] for c in answer["choices"]] == [
        "yes", "no", "later", "question", "out_of_office"
    ]  # fmt: skip


def record(label_: str, at: str = NOW) -> dict[str, Any]:
    payload = {"id": "rp1", "person_id": "bea", "label": label_, "at": at}
    return call(op="command", name="record_reply", payload=payload)


def test_a_confirmed_no_records_a_reply_that_stops_the_nudges() -> None:
    call(op="load", data={"people": [BEA]})

    answer = record("no")
    (it,) = answer["put"]["interactions"]

    assert (it["kind"], it["reply"]) == ("reply", "no")
    assert [s["code"] for s in call(op="person", id="bea")["stopped"]] == ["said-no"]


def test_a_confirmed_question_becomes_a_message_that_waits_for_your_reply() -> None:
    call(op="load", data={"people": [BEA]})
    asked = "2026-11-20T09:00:00+00:00"

    (it,) = record("question", asked)["put"]["interactions"]

    assert (it["kind"], it["asks"]) == ("message_received", True)
    keys = [f["key"] for f in call(op="today")["followups"]]
    assert any(k.startswith("reply:rp1") or k == "bundle:bea" for k in keys)


def test_an_out_of_office_records_nothing_and_says_why() -> None:
    call(op="load", data={"people": [BEA]})

    answer = record("out_of_office")

    assert answer["ok"] is False
    assert answer["error"] == "nothing-to-record"
    assert call(op="export")["data"]["interactions"] == []


def test_an_unknown_label_is_refused_naming_the_field() -> None:
    call(op="load", data={"people": [BEA]})

    answer = record("maybe")

    assert answer["field"] == "label"
