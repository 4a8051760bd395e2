"""Importing LinkedIn's archive: people, messages, invitations and applications in one batch."""

from __future__ import annotations

import base64
import json
from typing import Any

from followup import api

from tests.support.linkedin_archive import OWNER, Spec, archive_files, archive_zip

NOW = "2026-03-02T09:00:00+00:00"
TODAY = "2026-03-02"


def call(op: str, **args: Any) -> dict[str, Any]:
    request = {"op": op, "now": NOW, "today": TODAY, **args}
    answer: dict[str, Any] = json.loads(api.call(json.dumps(request)))
    return answer


def export() -> dict[str, Any]:
    data: dict[str, Any] = call("export")["data"]
    return data


def fresh() -> None:
    assert call("load", data={})["ok"]


def zipped(spec: Spec | None = None) -> str:
    return base64.b64encode(archive_zip(spec or Spec())).decode()


def import_archive(**args: Any) -> dict[str, Any]:
    preview = call("import_preview", **args)
    assert preview["ok"], preview
    ids = [f"li-{i}" for i in range(preview["ids_needed"])]
    answer = call("import_commit", ids=ids, file="Basic_LinkedInDataExport.zip", **args)
    assert answer["ok"], answer
    return answer


def test_the_preview_says_what_is_read_and_kept_and_that_nothing_leaves() -> None:
    fresh()

    preview = call("import_preview", zip=zipped())

    archive = preview["archive"]
    assert preview["format"] == "linkedin-archive"
    assert (archive["connections"], archive["sponsored"], archive["inmail"]) == (20, 1, 1)
    assert archive["me"] == {"name": OWNER, "how": "profile", "choices": archive["me"]["choices"]}
    assert "Nothing leaves this device" in archive["privacy_words"]
    assert "Not kept: what the messages say" in archive["privacy_words"]
    assert archive["counts"]["messages_sent"] > 0


def test_someone_who_is_not_a_connection_is_added_only_after_a_real_exchange() -> None:
    fresh()

    preview = call("import_preview", zip=zipped())

    assert preview["archive"]["strangers"] == ["Rita Recruiter"]  # Otto wrote, you never did
    assert preview["new"] == 21


def test_strangers_can_be_left_out() -> None:
    fresh()

    import_archive(zip=zipped(), strangers=False)

    assert "Rita Recruiter" not in {p["name"] for p in export()["people"]}


def test_each_message_becomes_an_interaction_with_its_thread_subject_and_question() -> None:
    fresh()
    import_archive(zip=zipped())

    names = {p["id"]: p["name"] for p in export()["people"]}
    mine = [i for i in export()["interactions"] if i["thread"] == "2-q0"]
    assert sorted((i["kind"], names[i["person_ids"][0]]) for i in mine) == [
        ("message_received", "Ana Ruiz"),
        ("message_sent", "Ana Ruiz"),
    ]
    received = next(i for i in mine if i["kind"] == "message_received")
    assert received["asks"] is True
    assert received["first_line"] == ""  # content is not kept unless asked for
    assert received["source_id"].startswith("linkedin:2-q0:")


def test_a_message_to_a_group_is_one_interaction_with_everyone_in_it() -> None:
    fresh()
    import_archive(zip=zipped())

    group = [i for i in export()["interactions"] if i["thread"] == "2-group"]

    sent = next(i for i in group if i["kind"] == "message_sent")
    assert len(sent["person_ids"]) == 3
    assert sent["subject"] == "Meetup planning"


def test_the_first_line_is_kept_only_when_the_user_opts_in() -> None:
    fresh()
    import_archive(zip=zipped(), first_line=True)

    lines = {i["first_line"] for i in export()["interactions"] if i["thread"] == "2-q0"}

    assert lines == {
        "Hi! Good to connect.",
        "Would you have 20 minutes next week for a quick call?",
    }


def test_invitations_and_applications_come_in_too() -> None:
    fresh()
    answer = import_archive(zip=zipped())

    opportunities = export()["opportunities"]
    assert answer["counts"]["invitations"] == 2
    assert sorted((o["organisation"], o["stage"]) for o in opportunities) == [
        ("Acme", "applied"),
        ("Globex", "applied"),
        ("Initech", "applied"),
    ]


def test_an_application_already_here_is_matched_by_organisation_and_title() -> None:
    fresh()
    call(
        "command",
        name="add_opportunity",
        payload={"id": "op", "organisation": "acme", "role": "Data analyst 0"},
    )

    answer = import_archive(zip=zipped())

    assert answer["counts"]["applications_matched"] == 1
    assert len(export()["opportunities"]) == 3


def test_importing_the_same_archive_twice_duplicates_nothing() -> None:
    fresh()
    import_archive(zip=zipped())
    first = export()

    again = import_archive(zip=zipped())

    second = export()
    assert again["counts"]["messages_sent"] == again["counts"]["messages_received"] == 0
    assert again["counts"]["people_created"] == 0
    for store in ("people", "interactions", "opportunities"):
        assert len(second[store]) == len(first[store]), store


def test_the_import_is_one_batch_in_the_history_in_words() -> None:
    fresh()
    answer = import_archive(zip=zipped())

    assert answer["undo"]["label"] == (
        "Imported 21 people and 59 messages from Basic_LinkedInDataExport.zip"
    )


def test_undo_of_the_import_removes_it_all() -> None:
    fresh()
    answer = import_archive(zip=zipped())

    call("command", name="undo", payload={"id": answer["undo"]["id"]})

    data = export()
    assert data["people"] == data["interactions"] == data["opportunities"] == []


def test_files_from_the_archive_work_as_well_as_the_zip() -> None:
    fresh()
    files = archive_files(Spec())
    del files["Profile.csv"]  # you are then the one in every conversation

    preview = call("import_preview", files=files)

    assert preview["archive"]["me"]["name"] == OWNER
    assert preview["archive"]["me"]["how"] == "messages"


def test_when_it_is_not_plain_who_you_are_the_preview_asks_once() -> None:
    fresh()
    text = (
        "CONVERSATION ID,FROM,TO,DATE,CONTENT\n"
        "c1,Ana Ruiz,Ben Ode,2026-01-02 10:00:00 UTC,Hi\n"
        "c1,Ben Ode,Ana Ruiz,2026-01-03 10:00:00 UTC,Hello?\n"
    )

    asked = call("import_preview", files={"messages.csv": text})
    chosen = call("import_preview", files={"messages.csv": text}, me="Ben Ode")

    assert asked["archive"]["ask_me"] is True
    assert sorted(asked["archive"]["me"]["choices"]) == ["Ana Ruiz", "Ben Ode"]
    assert chosen["archive"]["ask_me"] is False
    assert chosen["archive"]["strangers"] == ["Ana Ruiz"]


def test_a_deleted_account_is_never_added_as_a_person() -> None:
    fresh()
    text = (
        "CONVERSATION ID,FROM,TO,DATE,CONTENT\n"
        "c1,Sam Seeker,LinkedIn Member,2026-01-02 10:00:00 UTC,Hi\n"
        "c1,LinkedIn Member,Sam Seeker,2026-01-03 10:00:00 UTC,Hello\n"
    )

    preview = call("import_preview", files={"messages.csv": text}, me="Sam Seeker")

    assert preview["archive"]["strangers"] == []
