"""LinkedIn's archive, read as exported: the ZIP or files from it, columns found by name."""

from __future__ import annotations

import pytest
from followup.interop.contact import BadFile
from followup.interop.linkedin_archive import parse_instant, read_files, unzip

from tests.support.linkedin_archive import OWNER, Spec, archive_files, archive_zip


def test_the_zip_gives_every_csv_and_each_file_is_recognised_by_its_header() -> None:
    archive = read_files(unzip(archive_zip(Spec())))

    assert archive.files == [
        "Connections.csv",
        "messages.csv",
        "Invitations.csv",
        "Profile.csv",
        "Jobs/Job Applications.csv",
    ]
    assert archive.owner_name == OWNER


def test_connections_keep_working_with_the_bom_and_the_notes_preamble() -> None:
    archive = read_files(archive_files(Spec(connections=5)))

    assert archive.connections is not None
    assert [c.name for c in archive.connections.contacts][:2] == ["Ana Ruiz", "Ben Ruiz"]


def test_sponsored_messages_are_skipped_and_counted() -> None:
    archive = read_files(archive_files(Spec()))

    assert archive.sponsored == 1
    assert all(m.folder != "SPONSORED" for m in archive.messages)


def test_group_conversations_keep_every_recipient_and_inmail_is_recognised() -> None:
    archive = read_files(archive_files(Spec()))

    group = next(m for m in archive.messages if m.conversation == "2-group")
    inmail = next(m for m in archive.messages if m.conversation == "2-inmail")
    assert group.recipients == ("Ana Ruiz", "Ben Ruiz", "Chloé Ruiz")
    assert len(group.recipient_urls) == 3
    assert inmail.inmail
    assert inmail.subject == "Senior role at Hooli"


def test_a_job_application_file_is_found_by_its_header_whatever_its_name() -> None:
    files = archive_files(Spec())
    files["Jobs/Job Applications_1.csv"] = files.pop("Jobs/Job Applications.csv")

    archive = read_files(files)

    assert [a.title for a in archive.applications] == [f"Data Analyst {i}" for i in range(3)]


def test_columns_are_found_by_name_and_the_missing_ones_are_named() -> None:
    text = "FOLDER,DATE,FROM,TO,CONVERSATION ID\nINBOX,2026-01-02 10:00:00 UTC,Ana Ruiz,Sam,c1\n"

    archive = read_files({"messages.csv": text})

    assert archive.messages[0].sender == "Ana Ruiz"
    assert archive.missing["messages.csv"] == [
        "CONVERSATION TITLE",
        "SENDER PROFILE URL",
        "RECIPIENT PROFILE URLS",
        "SUBJECT",
        "CONTENT",
    ]


def test_linkedin_dates_in_every_form_they_come() -> None:
    assert str(parse_instant("2024-03-12 14:22:05 UTC")) == "2024-03-12 14:22:05+00:00"
    assert str(parse_instant("3/12/24, 2:22 PM")) == "2024-03-12 14:22:00+00:00"
    assert str(parse_instant("12 Mar 2024")) == "2024-03-12 12:00:00+00:00"
    assert parse_instant("soon") is None


def test_an_archive_with_nothing_from_linkedin_is_refused_in_words() -> None:
    with pytest.raises(BadFile, match="Nothing here is from LinkedIn"):
        read_files({"Rich_Media.csv": "Date/Time,Media Link\n"})


def test_a_damaged_zip_is_refused_in_words() -> None:
    with pytest.raises(BadFile, match="not a ZIP"):
        unzip(b"PK not really")
