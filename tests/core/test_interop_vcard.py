"""vCard in, from real clients and malformed files, and vCard 4.0 out, checked by a strict
independent reader and by reading it back."""

from __future__ import annotations

from datetime import date, timedelta
from unicodedata import normalize

import pytest
import vobject  # type: ignore[import-untyped]
from followup.errors import EngineError
from followup.interop.contact import MAX_FIELD
from followup.interop.vcard import read_vcards, write_vcards
from followup.model import Event, EventId, IntroductionKind, IntroductionStatus, PersonId
from followup.state import new_state
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .builders import NOW, introduction, person
from .interop_helpers import CORPUS, corpus_text, import_vcards, strict_vcards

# What each real-client file holds, read by eye from the files themselves.
CORPUS_EXPECTED = {
    "John_Doe_IPHONE.vcf": [
        {
            "name": "Mr. John Richter James Doe Sr.",
            "organisation": "IBM, Accounting",
            "emails": ("john.doe@ibm.com",),
            "phones": (
                "905-555-1234",
                "905-666-1234",
                "905-777-1234",
                "905-888-1234",
                "905-999-1234",
                "905-111-1234",
                "905-222-1234",
            ),
            "urls": ("http://www.ibm.com",),
        }
    ],
    "John_Doe_MAC_ADDRESS_BOOK.vcf": [
        {
            "name": "Mr. John Richter,James Doe Sr.",
            "organisation": "IBM, Accounting",
            "emails": ("john.doe@ibm.com",),
            "urls": ("http://www.ibm.com",),
            "notes_end": "EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.\nFavotire Color: Blue",
        }
    ],
    "John_Doe_GMAIL.vcf": [
        {
            "name": "Mr. John Richter, James Doe Sr.",
            "organisation": "IBM",
            "role": "Money Counter",
            "emails": ("john.doe@ibm.com",),
            "phones": ("905-555-1234", "905-666-1234"),
            "urls": ("http://www.ibm.com",),
            "notes_start": "THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND "
            'CONTRIBUTORS "AS IS"',
        }
    ],
    "John_Doe_MS_OUTLOOK.vcf": [
        {
            "name": "Mr. John Richter James Doe Sr.",
            "organisation": "IBM, Accounting",
            "emails": ("john.doe@ibm.cm",),
            "phones": ("(905) 555-1234", "(905) 666-1234"),
            "urls": ("http://www.ibm.com",),
            "notes_start": "THIS SOFTWARE IS PROVIDED BY GEORGE EL-HADDAD ''AS IS''",
        }
    ],
    "outlook-2007.vcf": [
        {
            "name": "Mr. Michael Angstadt Jr.",
            "organisation": "TheCompany, TheDepartment",
            "emails": ("mike.angstadt@gmail.com",),
            "phones": ("(111) 555-1111", "(111) 555-2222", "(111) 555-4444", "(111) 555-3333"),
            "urls": ("http://mikeangstadt.name",),
            "notes_start": "This is the NOTE field\t\nI assume it encodes this text inside a NOTE",
        }
    ],
    "gmail-single.vcf": [
        {
            "name": "Greg Dartmouth",
            "organisation": "TheCompany",
            "role": "TheJobTitle",
            "emails": ("gdartmouth@hotmail.com",),
            "phones": ("555 555 1111", "555 555 2222"),
            "urls": ("http://TheProfile.com",),
            "notes": "This is GMail's note field.\nIt should be added as a NOTE type.\n"
            "ACustomField: CustomField",
        }
    ],
    "gmail-list.vcf": [
        {"name": "Arnold Smith", "emails": ("asmithk@gmail.com",)},
        {"name": "Chris Beatle", "emails": ("chrisy55d@yahoo.com",)},
        {"name": "Doug White", "emails": ("dwhite@gmail.com",)},
    ],
    "rfc2426-example.vcf": [
        {
            "name": "Frank Dawson",
            "organisation": "Lotus Development Corporation",
            "emails": ("Frank_Dawson@Lotus.com", "fdawson@earthlink.net"),
            "phones": ("+1-919-676-9515", "+1-919-676-9564"),
            "urls": ("http://home.earthlink.net/~fdawson",),
        },
        {
            "name": "Tim Howes",
            "organisation": "Netscape Communications Corp.",
            "emails": ("howes@netscape.com",),
            "phones": ("+1-415-937-3419", "+1-415-528-4164"),
        },
    ],
    "rfc6350-example.vcf": [
        {
            "name": "Simon Perreault",
            "organisation": "Viagenie",
            "emails": ("simon.perreault@viagenie.ca",),
            "phones": ("+1-418-656-9254;ext=102", "+1-418-262-6501"),
            "urls": ("http://nomis80.org",),
        }
    ],
}


def test_the_corpus_is_there_and_every_file_is_checked() -> None:
    files = {p.name for p in CORPUS.glob("*.vcf")}

    assert len(files) >= 11
    assert files <= {*CORPUS_EXPECTED, "John_Doe_ANDROID.vcf", "gmail-single2.vcf"}


@pytest.mark.parametrize("name", sorted(CORPUS_EXPECTED))
def test_a_real_client_file_imports_with_name_organisation_emails_phones_urls_and_notes(
    name: str,
) -> None:
    parsed = read_vcards(corpus_text(name))

    assert parsed.problems == ()
    assert len(parsed.contacts) == len(CORPUS_EXPECTED[name])
    for contact, expected in zip(parsed.contacts, CORPUS_EXPECTED[name], strict=True):
        for field, value in expected.items():
            if field == "notes_start":
                assert contact.notes.startswith(value)
            elif field == "notes_end":
                assert contact.notes.endswith(value)
            else:
                assert getattr(contact, field) == value, field


def test_gmail_s_many_emails_phones_and_grouped_urls_all_arrive() -> None:
    [contact] = read_vcards(corpus_text("gmail-single2.vcf")).contacts

    assert contact.name == "VCard Test"
    assert len(contact.emails) == 5
    assert "customcategory@example.com" in contact.emails
    assert contact.phones == tuple(f"55555511{n}" for n in range(11, 22))
    assert contact.urls == tuple(f"http://www.example{n}.com" for n in range(1, 7))
    assert contact.notes == "note line 1\nnote line 2\nCustomField: field value"


def test_android_s_quoted_printable_cards_decode_and_nameless_cards_are_filed_by_email() -> None:
    parsed = read_vcards(corpus_text("John_Doe_ANDROID.vcf"))

    names = [c.name for c in parsed.contacts]
    assert names[:2] == ["john.doe@company.com", "jane.doe@company.com"]
    assert names[2] == "Ñ Ñ Ñ Ñ Ñ"
    bob = parsed.contacts[4]
    assert bob.emails == ("bob@company.com",)
    assert bob.urls == ("www.company.com", "http://www.company.com")
    assert bob.organisation == "Ñ" * 12
    assert parsed.contacts[3].phones == ("123456", "234567", "3456789", "45678901")
    assert parsed.contacts[3].notes.startswith("Ñ Ñ Ñ")
    assert all(c.tags == ("My Contacts",) for i, c in enumerate(parsed.contacts) if i != 4)
    assert parsed.problems == ()


def test_photos_are_dropped_without_being_decoded() -> None:
    text = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nPHOTO;ENCODING=b;TYPE=JPEG:not base64 at all!\r\n"
        " more junk\r\nEMAIL:ann@example.com\r\nEND:VCARD\r\n"
    )

    [ann] = read_vcards(text).contacts

    assert (ann.name, ann.emails, ann.warnings) == ("Ann", ("ann@example.com",), ())


def test_categories_become_tags_and_escapes_are_undone() -> None:
    text = (
        "BEGIN:VCARD\nVERSION:3.0\nFN:Bo\\, Jr\nCATEGORIES:media,sales\\, EMEA\n"
        "NOTE:one\\ntwo\\; three \\\\ C:\\Users\nURL:http\\://x.example/a\nEND:VCARD\n"
    )

    [bo] = read_vcards(text).contacts

    assert bo.name == "Bo, Jr"
    assert bo.tags == ("media", "sales, EMEA")
    assert bo.notes == "one\ntwo; three \\ C:\\Users"
    assert bo.urls == ("http://x.example/a",)


@pytest.mark.parametrize(
    ("text", "code", "words"),
    [
        ("Name,Email\nAnn,ann@example.com\n", "not-a-vcard", "line 1 should be BEGIN:VCARD"),
        ("", "not-a-vcard", "no BEGIN:VCARD"),
        ("BEGIN:VCARD\nVERSION:3.0\nFN:Ann\n", "truncated", "card that starts on line 1"),
        (
            "BEGIN:VCARD\nFN:Ann\nBEGIN:VCARD\nFN:Bo\nEND:VCARD\n",
            "truncated",
            "begins on line 3",
        ),
        ("BEGIN:VCARD\nFN:Ann\nEND:VCARD\nFN:stray\n", "not-a-vcard", "Line 4 is outside"),
        ("BEGIN:VCARD\x00\nFN:Ann\nEND:VCARD\n", "bad-encoding", "Line 1"),
    ],
)
def test_a_broken_file_is_refused_naming_the_problem_and_the_line(
    text: str, code: str, words: str
) -> None:
    with pytest.raises(EngineError) as error:
        read_vcards(text)

    assert error.value.code == code
    assert words.lower() in error.value.message.lower()


def test_a_card_with_a_huge_field_is_left_out_and_named_but_the_others_import() -> None:
    huge = "x" * (MAX_FIELD + 1)
    text = (
        "BEGIN:VCARD\nFN:Ann\nEND:VCARD\n"
        f"BEGIN:VCARD\nFN:Bo\nNOTE:{huge}\nEND:VCARD\n"
        "BEGIN:VCARD\nNOTE:nobody\nEND:VCARD\n"
    )

    parsed = read_vcards(text)

    assert [c.name for c in parsed.contacts] == ["Ann"]
    assert [(p.row, p.line) for p in parsed.problems] == [(2, 4), (3, 8)]
    assert "notes longer" in parsed.problems[0].message
    assert "no name, email or phone" in parsed.problems[1].message


def test_a_charset_that_does_not_fit_the_bytes_shows_replacement_marks_and_warns() -> None:
    text = (
        "BEGIN:VCARD\nVERSION:2.1\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Jos=E9\nEND:VCARD\n"
    )

    [jose] = read_vcards(text).contacts

    assert jose.name == "Jos\ufffd"
    assert "not valid UTF-8" in jose.warnings[0]


def test_a_latin1_quoted_printable_value_is_decoded_with_its_charset() -> None:
    text = (
        "BEGIN:VCARD\nVERSION:2.1\n"
        "N;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:Nu=F1ez;Jos=E9\nEND:VCARD\n"
    )

    [jose] = read_vcards(text).contacts

    assert jose.name == "José Nuñez"


# --- Writing ------------------------------------------------------------------------------------


def _network() -> object:
    ashok = person("3f2b7c1e-0000-4000-8000-000000000001", "Ashok Mehta", organisation="Northwind")
    maria = person(
        "maria",
        'María López; "MJ", Jr',
        organisation="Contoso, Media",
        role="VP Sales",
        phones=("+34 611 222 333",),
        urls=("https://linkedin.com/in/maria-lopez",),
        tags=("media", "a,b"),
        notes="Met at the fair.\nTalk about ad pricing; she's keen \\ busy.",
        how_met="Media Sales Meetup",
        event_id=EventId("e1"),
        cadence_days=30,
    )
    event = Event(
        id=EventId("e1"),
        name="Media Sales Meetup",
        date=date(2026, 11, 20),
        place='Hall "B"',
        created_at=NOW,
    )
    intro = introduction(
        "i1", ashok.id, "maria", kind=IntroductionKind.REFERRAL, context="talk about, media; sales"
    )
    return new_state(people=[ashok, maria], events=[event], introductions=[intro])


def test_our_vcard_is_strict_rfc_6350_with_one_card_per_person() -> None:
    state = _network()

    text = write_vcards(state)  # type: ignore[arg-type]
    cards = strict_vcards(text.encode("utf-8"))

    assert len(cards) == 2
    maria = next(c for c in cards if "EMAIL" in c and c["EMAIL"] == ["maria@example.com"])
    assert maria["RELATED"] == ["urn:uuid:3f2b7c1e-0000-4000-8000-000000000001"]
    assert maria["X-FOLLOWTHROUGH-INTRODUCED-BY"] == ["Ashok Mehta"]


def test_vobject_reads_our_vcards_with_the_same_values() -> None:
    state = _network()

    cards = list(vobject.readComponents(write_vcards(state)))  # type: ignore[arg-type]

    maria = next(c for c in cards if c.uid.value == "maria")
    assert maria.version.value == "4.0"
    assert maria.fn.value == 'María López; "MJ", Jr'
    assert maria.org.value == ["Contoso, Media"]
    assert [t.value for t in maria.contents["tel"]] == ["+34 611 222 333"]
    assert maria.note.value == "Met at the fair.\nTalk about ad pricing; she's keen \\ busy."
    assert maria.categories.value == ["media", "a,b"]
    assert maria.contents["x-followthrough-introduced-by"][0].value == "Ashok Mehta"


def test_export_then_import_gives_the_same_people_event_and_introduction() -> None:
    state = _network()

    back = import_vcards(new_state(), write_vcards(state))  # type: ignore[arg-type]

    by_name = {p.name: p for p in back.people.values()}
    maria = by_name['María López; "MJ", Jr']
    original = state.people[PersonId("maria")]  # type: ignore[attr-defined]
    for field in ("organisation", "role", "emails", "phones", "urls", "tags", "notes", "how_met"):
        assert getattr(maria, field) == getattr(original, field), field
    assert maria.cadence_days == 30
    [event] = back.events.values()
    assert (event.name, event.date, event.place) == (
        "Media Sales Meetup",
        date(2026, 11, 20),
        'Hall "B"',
    )
    [intro] = back.introductions.values()
    assert back.people[intro.introducer_id].name == "Ashok Mehta"
    assert intro.introduced_id == maria.id
    assert (intro.kind, intro.context) == (IntroductionKind.REFERRAL, "talk about, media; sales")


def test_importing_our_export_twice_creates_no_duplicates() -> None:
    text = write_vcards(_network())  # type: ignore[arg-type]
    once = import_vcards(new_state(), text)

    twice = import_vcards(once, text)

    assert len(twice.people) == 2
    assert len(twice.introductions) == 1
    assert len(twice.events) == 1
    assert twice.people == once.people


def test_a_selection_exports_only_those_people() -> None:
    state = _network()

    cards = strict_vcards(write_vcards(state, [PersonId("maria")]).encode())  # type: ignore[arg-type]

    assert len(cards) == 1


# --- Export then import loses nothing (generated data) ------------------------------------------

# Text as the engine holds it: in NFC (bounds.clean_text).
_text = st.text(
    alphabet=st.characters(categories=("L", "N", "P", "S", "Zs"), max_codepoint=0x2FFF),
    max_size=30,
).map(lambda s: normalize("NFC", s).strip())
_word = st.text(alphabet=st.characters(categories=("L", "N")), min_size=1, max_size=10).map(
    lambda s: normalize("NFC", s)
)


@st.composite
def _networks(draw: st.DrawFn) -> object:
    size = draw(st.integers(1, 5))
    names = draw(
        st.lists(
            st.lists(_word, min_size=1, max_size=3).map(" ".join),
            min_size=size,
            max_size=size,
            unique_by=str.casefold,
        )
    )
    people = []
    for i, name in enumerate(names):
        people.append(
            person(
                f"p{i}",
                name,
                organisation=draw(_text),
                role=draw(_text),
                emails=(f"p{i}@example.com",) if draw(st.booleans()) else (),
                phones=(f"+1 555 010 {i:04d}",) if draw(st.booleans()) else (),
                urls=tuple(
                    draw(
                        st.lists(
                            st.sampled_from(
                                [f"https://x.example/{i}", f"https://linkedin.com/in/p{i}"]
                            ),
                            unique=True,
                        )
                    )
                ),
                tags=tuple(draw(st.lists(_word, max_size=3, unique_by=str.casefold))),
                notes="\n".join(draw(st.lists(_text.filter(bool), max_size=3))),
                how_met=draw(_text),
                cadence_days=draw(st.none() | st.integers(0, 365)),
            )
        )
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, size - 1), st.integers(0, size - 1)), max_size=4, unique=True
        )
    )
    intros = [
        introduction(
            f"i{n}",
            f"p{a}",
            f"p{b}",
            at=NOW - timedelta(minutes=draw(st.integers(0, 10_000))),
            kind=draw(st.sampled_from(IntroductionKind)),
            context=draw(_text),
            status=draw(st.sampled_from(IntroductionStatus)),
            outcome=draw(_text),
        )
        for n, (a, b) in enumerate(pairs)
        if a != b
    ]
    return new_state(people=people, introductions=intros)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_networks())
def test_vcard_export_then_import_loses_nothing(state: object) -> None:
    back = import_vcards(new_state(), write_vcards(state))  # type: ignore[arg-type]

    def people(s: object) -> set[tuple[object, ...]]:
        return {
            (
                p.name,
                p.organisation,
                p.role,
                p.emails,
                p.phones,
                p.urls,
                p.tags,
                p.notes,
                p.how_met,
                p.cadence_days,
            )
            for p in s.people.values()  # type: ignore[attr-defined]
        }

    def intros(s: object) -> set[tuple[object, ...]]:
        return {
            (
                s.name(i.introducer_id),
                s.name(i.introduced_id),
                i.kind,
                i.at,
                i.context,
                i.status,
                i.outcome,
            )  # type: ignore[attr-defined]
            for i in s.introductions.values()  # type: ignore[attr-defined]
        }

    assert people(back) == people(state)
    assert intros(back) == intros(state)
