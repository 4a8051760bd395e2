"""The mail and calendar readers on files in their real formats: an mbox with encoded words,
folded headers, a missing Date, a `>From ` line, a non-UTF-8 charset, a multipart message and a
reply chain, read in chunks of any size; a single .eml; an .ics with attendees, a recurring
event, a moved and an excluded occurrence, and time zones (IANA names and a VTIMEZONE).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from followup.interop.contact import BadFile
from followup.interop.ics_read import _Zones, read_ics
from followup.interop.mbox import MboxReader, read_eml, read_mbox, separator_date

HERE = Path(__file__).parent / "mail"
MBOX = (HERE / "sample.mbox").read_bytes().decode("latin-1")
ICS = (HERE / "sample.ics").read_text()
SINCE, UNTIL = datetime(2026, 9, 1, tzinfo=UTC), datetime(2026, 12, 5, tzinfo=UTC)


@pytest.mark.parametrize("chunk", [1, 7, 64, 1 << 20])
def test_an_mbox_reads_the_same_whatever_the_chunk_size(chunk: int) -> None:
    assert read_mbox(MBOX, chunk=chunk) == read_mbox(MBOX)
    assert len(read_mbox(MBOX, chunk=chunk)) == 4


def test_encoded_words_in_names_and_subjects_are_decoded() -> None:
    ana = read_mbox(MBOX)[0]
    assert (ana.sender, ana.sender_name, ana.subject) == (
        "ana.ruiz@example.com",
        "Ana Ruíz",
        "Café next week?",
    )


def test_folded_headers_are_joined_and_every_recipient_is_read() -> None:
    reply = read_mbox(MBOX)[1]
    assert reply.subject == "Re: Café next week? (folded subject)"
    assert reply.recipients == ("ana.ruiz@example.com", "ben@example.net", "else@example.net")


def test_a_reply_chain_shares_the_thread_of_its_first_message() -> None:
    first, reply, thanks, _ = read_mbox(MBOX)
    assert first.thread == reply.thread == thanks.thread == "<a1@example.com>"
    assert (reply.message_id, thanks.message_id) == ("<a2@example.org>", "<a3@example.net>")


def test_a_missing_date_takes_the_date_on_the_from_line() -> None:
    assert read_mbox(MBOX)[2].at == datetime(2026, 10, 6, 9, tzinfo=UTC)
    assert separator_date("From - Mon Oct  5 10:00:00 2026") == datetime(
        2026, 10, 5, 10, tzinfo=UTC
    )
    assert separator_date("From nobody") is None


def test_a_from_line_quoted_in_a_body_does_not_start_a_message() -> None:
    assert ">From here on" in MBOX
    assert [m.message_id for m in read_mbox(MBOX)][:2] == ["<a1@example.com>", "<a2@example.org>"]


def test_odd_charsets_and_raw_8_bit_headers_are_read_not_refused() -> None:
    pushkin = read_mbox(MBOX)[3]
    assert pushkin.sender_name == "Пушкин"  # koi8-r, base64
    assert pushkin.subject == "été (raw latin-1)"  # raw latin-1 bytes in the header
    assert pushkin.at == datetime(2026, 10, 7, 13, tzinfo=UTC)


def test_bodies_are_never_read_unless_the_first_line_is_asked_for() -> None:
    assert all(m.first_line == "" for m in read_mbox(MBOX))
    lines = [m.first_line for m in read_mbox(MBOX, keep_first_line=True, chunk=5)]
    # The multipart reply's first line comes from its text/plain part, quoted-printable latin-1.
    assert lines == [
        "Could we meet for coffee next week?",
        "Yes, Tuesday works. Café at 10?",
        "Thanks!",
        "body",
    ]


def test_the_browser_byte_decoding_reads_as_latin_1_does() -> None:
    raw = (HERE / "sample.mbox").read_bytes()
    as_browser = "".join(chr(b) if b < 0x80 else chr(0xF780 + b - 0x80) for b in raw)
    assert read_mbox(as_browser) == read_mbox(MBOX)


def test_a_file_that_is_not_an_mbox_is_said_so() -> None:
    reader = MboxReader()
    assert list(reader.feed("BEGIN:VCARD\nFN:Ana\nEND:VCARD\n")) == []
    assert reader.not_mbox


def test_a_huge_header_block_is_cut_not_kept() -> None:
    text = "From x Mon Oct 05 10:00:00 2026\nFrom: a@b.c\nX-Junk: " + "x" * 600_000 + "\n\nbody\n"
    reader = MboxReader()
    out = []
    for i in range(0, len(text), 4096):
        out.extend(reader.feed(text[i : i + 4096]))
        assert len(reader.buffer) < 300_000
    out.extend(reader.end())
    assert [m.sender for m in out] == ["a@b.c"]


def test_an_eml_reads_its_headers_and_its_first_line_only_when_asked() -> None:
    eml = MBOX.split("\nFrom 1700000000000000002@xxx", 1)[1].split("\n", 1)[1].split("\nFrom 17")[0]
    mail = read_eml(eml)
    assert mail is not None
    assert (mail.subject[:8], mail.first_line) == ("Re: Café", "")
    kept = read_eml(eml, keep_first_line=True)
    assert kept is not None
    assert kept.first_line == "Yes, Tuesday works. Café at 10?"


# --- Calendar ---


def test_a_meeting_keeps_only_the_attendees_who_did_not_decline_in_utc() -> None:
    coffee = [m for m in read_ics(ICS, since=SINCE, until=UNTIL) if m.uid.startswith("coffee")]
    assert [(m.start, m.attendees, m.summary) for m in coffee] == [
        (
            datetime(2026, 12, 1, 14, tzinfo=UTC),
            ("ana.ruiz@example.com",),
            "Coffee with Ana, finally",
        )
    ]


def test_a_recurring_event_is_expanded_with_its_exclusions_moves_and_the_dst_change() -> None:
    weekly = [m for m in read_ics(ICS, since=SINCE, until=UNTIL) if m.uid.startswith("weekly")]
    starts = [m.start for m in weekly]
    assert starts[0] == datetime(2026, 10, 5, 8, tzinfo=UTC)  # 10:00 in Paris, summer time
    assert datetime(2026, 10, 12, 8, tzinfo=UTC) not in starts  # EXDATE
    assert datetime(2026, 10, 19, 9, tzinfo=UTC) in starts  # moved to 11:00 (RECURRENCE-ID)
    assert datetime(2026, 10, 19, 8, tzinfo=UTC) not in starts
    assert datetime(2026, 10, 26, 9, tzinfo=UTC) in starts  # winter time after 25 October
    assert starts[-1] == datetime(2026, 11, 30, 9, tzinfo=UTC)  # nothing after `until`
    assert len({m.source_id for m in weekly}) == len(weekly)


def test_a_recurring_event_is_expanded_only_inside_the_window() -> None:
    late = read_ics(ICS, since=datetime(2026, 11, 20, tzinfo=UTC), until=UNTIL)
    # The one moved occurrence is an event of its own: one-off events count at any age.
    starts = [(m.start.month, m.start.day) for m in late if m.uid.startswith("weekly")]
    assert starts == [(10, 19), (11, 23), (11, 30)]


def test_a_time_zone_is_read_from_the_files_vtimezone_when_its_name_is_not_iana() -> None:
    zones = _Zones(
        [
            ICS.split("BEGIN:VTIMEZONE")[1].join(["BEGIN:VTIMEZONE", ""]).split("END:VTIMEZONE")[0]
            + "END:VTIMEZONE"
        ]
    )
    summer = datetime(2026, 7, 1, 12, tzinfo=zones.get("Custom Paris"))
    assert summer.utcoffset() == timedelta(hours=2)
    assert zones.get("Nowhere/Invented") is UTC


def test_a_text_that_is_not_a_calendar_is_refused_with_a_reason() -> None:
    with pytest.raises(BadFile, match="not a calendar"):
        read_ics("From: a@b.c\n", since=SINCE, until=UNTIL)
