"""Mail and calendar history through the import path, as the shell calls it: an mbox streamed
in chunks (`mbox_begin`, `mbox_feed`, `mbox_end`), previewed and committed as one import batch;
a second import adds nothing; undo removes it all; cancel keeps nothing; a meeting in a
calendar file makes the thank-you due as if it had been logged by hand.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from followup import api

HERE = Path(__file__).parent / "mail"
MBOX = (HERE / "sample.mbox").read_bytes().decode("latin-1")
ICS = (HERE / "sample.ics").read_text()
NOW, TODAY = "2026-12-02T09:00:00+00:00", "2026-12-02"
CREATED = "2026-01-01T00:00:00Z"
PEOPLE = [
    {"id": "ana", "name": "Ana Ruiz", "emails": ["ana.ruiz@example.com"], "created_at": CREATED},
    {"id": "ben", "name": "Ben Cole", "emails": ["Ben@Example.net"], "created_at": CREATED},
]  # fmt: skip


def call(op: str, **args: Any) -> dict[str, Any]:
    answer: dict[str, Any] = json.loads(
        api.call(json.dumps({"op": op, "now": NOW, "today": TODAY, **args}))
    )
    return answer


def ok(op: str, **args: Any) -> dict[str, Any]:
    answer = call(op, **args)
    assert answer["ok"], answer
    return answer


def interactions() -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = ok("export")["data"]["interactions"]
    return found


@pytest.fixture(autouse=True)
def _people() -> None:
    ok("load", data={"people": PEOPLE})


def stream(text: str = MBOX, chunk: int = 50, **begin: Any) -> str:
    session: str = ok("mbox_begin", **begin)["session"]
    pieces = [text[i : i + chunk] for i in range(0, len(text), chunk)]
    for n, piece in enumerate(pieces):
        ok("mbox_feed", session=session, chunk=piece, last=n == len(pieces) - 1)
    return session


def import_mbox(**extra: Any) -> dict[str, Any]:
    session = stream()
    preview = ok("import_preview", format="mbox", session=session, **extra)
    answer = ok("import_commit", format="mbox", session=session, file="All mail.mbox", **extra)
    ok("mbox_end", session=session)
    return {"preview": preview, **answer}


def test_each_message_with_someone_you_know_becomes_a_sent_or_received_interaction() -> None:
    preview = import_mbox()["preview"]

    assert preview["own"] == ["me@example.org"]  # the most frequent sender who is not known
    assert (preview["counts"]["sent"], preview["counts"]["received"]) == (1, 2)
    assert "sender, recipients, date, subject" in preview["reads"]
    assert "Nothing leaves it" in preview["privacy"]
    got = {(i["kind"], tuple(i["person_ids"]), i["subject"]) for i in interactions()}
    assert got == {
        ("message_received", ("ana",), "Café next week?"),
        ("message_sent", ("ana", "ben"), "Re: Café next week? (folded subject)"),
        ("message_received", ("ben",), "No date here"),
    }
    ana = next(i for i in interactions() if i["source_id"] == "<a1@example.com>")
    assert (ana["thread"], ana["asks"]) == ("<a1@example.com>", True)
    assert ana["first_line"] == ""  # bodies are never kept unless asked


def test_the_first_line_is_kept_only_when_the_user_opts_in() -> None:
    session = stream(first_line=True)
    ok("import_commit", format="mbox", session=session, first_line=True)
    lines = {i["first_line"] for i in interactions()}
    assert "Could we meet for coffee next week?" in lines


def test_importing_the_same_mbox_twice_adds_nothing_the_second_time() -> None:
    first = import_mbox()
    again = import_mbox()

    assert first["counts"]["records_added"] == 3
    assert (again["preview"]["new"], again["preview"]["counts"]["already"]) == (0, 3)
    assert again["put"] == {}
    assert len(interactions()) == 3


def test_an_import_is_one_batch_and_its_undo_removes_everything_it_added() -> None:
    answer = import_mbox()
    (batch,) = ok("imports")["imports"]
    assert batch["label"] == "Imported 3 messages from All mail.mbox"
    assert batch["added"] == 3

    ok("command", name="undo", payload={"id": answer["undo"]["id"]})

    assert interactions() == []


def test_a_cancelled_import_keeps_nothing_and_its_session_is_gone() -> None:
    session = ok("mbox_begin")["session"]
    ok("mbox_feed", session=session, chunk=MBOX[:300])
    ok("mbox_end", session=session)

    refused = call("import_preview", format="mbox", session=session)
    assert refused["error"] == "unknown-session"
    assert "choose the file again" in refused["message"]
    assert interactions() == []


def test_a_file_that_is_not_an_mbox_is_refused_with_a_reason() -> None:
    session = ok("mbox_begin")["session"]
    refused = call("mbox_feed", session=session, chunk="BEGIN:VCALENDAR\n")
    assert refused["error"] == "not-mbox"
    assert ".eml" in refused["message"]


def test_the_own_address_can_be_chosen_when_the_guess_is_wrong() -> None:
    session = stream()
    preview = ok("import_preview", format="mbox", session=session, own=["nobody@example.org"])
    assert preview["counts"]["sent"] == 0
    assert {"address": "me@example.org", "count": 1} in preview["own_candidates"]


def test_a_single_eml_is_imported_the_same_way() -> None:
    eml = MBOX.split("\n", 1)[1].split("\nFrom 17")[0]
    preview = ok("import_preview", format="eml", text=eml)
    assert preview["counts"]["received"] == 1
    assert preview["words"] == "1 message with 1 person you know will be added."
    ok("import_commit", format="eml", text=eml, file="coffee.eml")
    assert [i["source_id"] for i in interactions()] == ["<a1@example.com>"]


def test_a_calendar_meeting_with_people_you_know_becomes_a_meeting_once() -> None:
    preview = ok("import_preview", format="ics", text=ICS)
    assert (preview["counts"]["meetings"], preview["counts"]["others"]) == (9, 1)  # Carla
    ok("import_commit", format="ics", text=ICS, file="calendar.ics")
    again = ok("import_commit", format="ics", text=ICS, file="calendar.ics")

    assert again["counts"]["records_added"] == 0
    meetings = [i for i in interactions() if i["kind"] == "meeting"]
    assert len(meetings) == 9
    assert {tuple(i["person_ids"]) for i in meetings} == {("ana",), ("ben",)}


def test_a_meeting_in_the_last_two_days_makes_the_thank_you_due() -> None:
    ok("import_commit", format="ics", text=ICS, file="calendar.ics")

    due = {f["key"].split(":")[0] + ":" + f["key"].split(":")[-1] for f in ok("today")["followups"]}
    # Coffee with Ana yesterday and mentoring with Ben two days ago; the older weeks are not due.
    assert due == {"thank-you:ana", "thank-you:ben"}


@pytest.mark.parametrize(
    ("name", "head", "fmt"),
    [
        (
            "All mail Including Spam and Trash.mbox",
            "From 17@xxx Mon Oct 05 2026\nFrom: a@b",
            "mbox",
        ),
        ("export", "From 17@xxx Mon Oct 05 10:00:00 2026\nFrom: a@b.c\n", "mbox"),
        ("coffee.eml", "Received: by x\nFrom: a@b.c\n", "eml"),
        ("basic.ics", "BEGIN:VCALENDAR\r\nVERSION:2.0", "ics"),
        ("contacts.vcf", "BEGIN:VCARD\nFN:Ana", ""),
        ("Connections.csv", "First Name,Last Name", ""),
    ],
)
def test_a_chosen_file_is_routed_by_its_name_and_first_bytes(
    name: str, head: str, fmt: str
) -> None:
    route = ok("mail_route", name=name, head=head)
    assert (route["format"], route["stream"]) == (fmt, fmt == "mbox")


def test_a_recent_question_from_them_in_an_mbox_makes_a_reply_due_and_your_answer_ends_it() -> None:
    question = (
        "From 1@xxx Fri Nov 27 10:00:00 +0000 2026\n"
        "From: Ana Ruiz <ana.ruiz@example.com>\nTo: me@example.org\n"
        "Subject: Could you send me your CV?\nDate: Fri, 27 Nov 2026 10:00:00 +0000\n"
        "Message-ID: <q1@example.com>\n\nThanks!\n"
    )
    answer = (
        "From 2@xxx Mon Nov 30 10:00:00 +0000 2026\n"
        "From: Me <me@example.org>\nTo: ana.ruiz@example.com\n"
        "Subject: Re: Could you send me your CV?\nDate: Mon, 30 Nov 2026 10:00:00 +0000\n"
        "Message-ID: <q2@example.org>\nIn-Reply-To: <q1@example.com>\n"
        "References: <q1@example.com>\n\nHere it is.\n"
    )
    session = stream(question, chunk=1 << 20)
    ok("import_commit", format="mbox", session=session, own=["me@example.org"])
    assert [f["rule"] for f in ok("today")["followups"]] == ["reply"]

    session = stream(question + "\n" + answer, chunk=1 << 20)
    ok("import_commit", format="mbox", session=session, own=["me@example.org"])
    assert ok("today")["followups"] == []
