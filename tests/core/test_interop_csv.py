"""CSV in (LinkedIn's Connections.csv, Google Contacts, a generic CSV mapped by the user) and
the people CSV out."""

from __future__ import annotations

import csv
import io
from datetime import date
from unicodedata import normalize

import pytest
from followup.errors import EngineError
from followup.interop.google import read_google
from followup.interop.linkedin import connected_on, read_linkedin
from followup.interop.match import materialize, plan_import
from followup.interop.table import guess_mapping, read_mapped, read_table, write_people_csv
from followup.model import Event, EventId
from followup.state import State, apply, new_state
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .builders import NOW, introduction, person
from .interop_helpers import fresh_ids

LINKEDIN = (
    "\ufeffNotes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses are '
    'missing. You will only see email addresses for connections who have allowed it."\n'
    "\n"
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Maria,López,https://www.linkedin.com/in/maria-lopez,maria@contoso.example,Contoso,"
    "VP Sales,12 Mar 2024\n"
    'Ashok,Mehta,https://www.linkedin.com/in/ashok,,"Northwind, Inc.",Head of Sales,01 Feb 2023\n'
)
LINKEDIN_OLD = (
    "First Name,Last Name,Email Address,Company,Position,Connected On\n"
    "Kim,Taylor,,Adatum,Recruiter,3/12/24\n"
)
GOOGLE = (
    "First Name,Middle Name,Last Name,Nickname,Organization Name,Organization Title,Notes,Labels,"
    "E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Label,E-mail 2 - Value,Phone 1 - Label,"
    "Phone 1 - Value,Website 1 - Label,Website 1 - Value\n"
    "Priya,,Sharma,,Stripe,PM,Met at the fair,* myContacts ::: Fintech,* Home,"
    "priya@home.example ::: p@old.example,Work,priya@stripe.example,Mobile,+44 7700 900123,"
    "Profile,https://priya.example\n"
)
GOOGLE_OLD = (
    "Name,Given Name,Additional Name,Family Name,Notes,Group Membership,E-mail 1 - Type,"
    "E-mail 1 - Value,Phone 1 - Type,Phone 1 - Value,Organization 1 - Name,Organization 1 - Title\n"
    "Dana Scully,Dana,,Scully,,* myContacts,* Other,dana@fbi.example,Mobile,555-0100,FBI,Agent\n"
)


def _apply(state: State, contacts: object) -> State:
    plan = plan_import(state, contacts, {}, NOW)  # type: ignore[arg-type]
    return apply(state, materialize(plan, fresh_ids(plan.ids_needed)))


def test_linkedin_connections_import_after_the_notes_preamble_and_the_bom() -> None:
    parsed = read_linkedin(LINKEDIN)

    maria, ashok = parsed.contacts
    assert maria.name == "Maria López"
    assert (maria.organisation, maria.role) == ("Contoso", "VP Sales")
    assert maria.emails == ("maria@contoso.example",)
    assert maria.urls == ("https://www.linkedin.com/in/maria-lopez",)
    assert maria.notes == "Connected on LinkedIn on 2024-03-12."
    assert maria.tags == ("LinkedIn",)
    assert ashok.emails == ()
    assert ashok.organisation == "Northwind, Inc."
    assert (maria.line, ashok.line) == (5, 6)


def test_an_older_linkedin_export_without_urls_imports() -> None:
    [kim] = read_linkedin(LINKEDIN_OLD).contacts

    assert (kim.name, kim.urls, kim.notes) == (
        "Kim Taylor",
        (),
        "Connected on LinkedIn on 2024-03-12.",
    )


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("12 Mar 2024", date(2024, 3, 12)),
        ("3/12/24", date(2024, 3, 12)),
        ("2024-03-12", date(2024, 3, 12)),
        ("soon", None),
    ],
)
def test_linkedin_dates_are_read_in_every_form_it_has_used(text: str, day: date | None) -> None:
    assert connected_on(text) == day


def test_a_csv_that_is_not_linkedin_s_is_refused_by_the_linkedin_reader() -> None:
    with pytest.raises(EngineError) as error:
        read_linkedin("Name,Email\nAnn,ann@example.com\n")

    assert error.value.code == "not-linkedin"


def test_google_contacts_csv_imports_every_email_phone_site_and_label() -> None:
    [priya] = read_google(GOOGLE).contacts

    assert priya.name == "Priya Sharma"
    assert priya.emails == ("priya@home.example", "p@old.example", "priya@stripe.example")
    assert priya.phones == ("+44 7700 900123",)
    assert priya.urls == ("https://priya.example",)
    assert priya.tags == ("Fintech",)
    assert (priya.organisation, priya.role, priya.notes) == ("Stripe", "PM", "Met at the fair")


def test_the_older_google_layout_imports_too() -> None:
    [dana] = read_google(GOOGLE_OLD).contacts

    assert (dana.name, dana.emails, dana.phones, dana.organisation, dana.role) == (
        "Dana Scully", ("dana@fbi.example",), ("555-0100",), "FBI", "Agent",
    )  # fmt: skip


def test_generic_columns_are_guessed_from_their_headers() -> None:
    header = [
        "Full name",
        "E-mail",
        "Email type",
        "Mobile",
        "Company",
        "Job title",
        "Website",
        "Whatever",
    ]

    assert guess_mapping(header) == [
        "name",
        "email",
        "",
        "phone",
        "organisation",
        "role",
        "url",
        "",
    ]


def test_a_mapped_csv_imports_rows_and_names_the_ones_it_leaves_out() -> None:
    table = read_table(
        "Who,Mail,Org\nAnn Smith,ann@example.com,Acme\n,,\n,bo@example.com,\n,,Initech\n,,,\n"
    )

    parsed = read_mapped(table, ["name", "email", ""])

    assert [(c.name, c.emails) for c in parsed.contacts] == [
        ("Ann Smith", ("ann@example.com",)),
        ("bo@example.com", ("bo@example.com",)),
    ]
    [problem] = parsed.problems
    assert (problem.row, problem.line) == (3, 5)
    assert "Row 3 (line 5) has no name" in problem.message


def test_a_mapping_without_a_name_column_is_refused() -> None:
    table = read_table("Mail\nann@example.com\n")

    with pytest.raises(EngineError) as error:
        read_mapped(table, ["email"])

    assert error.value.code == "no-name-column"


def test_an_unclosed_quote_is_a_truncated_file_named_by_its_line() -> None:
    with pytest.raises(EngineError) as error:
        read_table('Name,Notes\nAnn,"fine"\nBo,"cut sho')

    assert error.value.code == "truncated"
    assert "line 3" in error.value.message


def test_a_cell_larger_than_the_csv_limit_is_refused_naming_the_line() -> None:
    with pytest.raises(EngineError) as error:
        read_table("Name,Notes\nAnn,ok\nBo," + "x" * 200_000 + "\n")

    assert error.value.code == "bad-csv"
    assert "Line 3" in error.value.message


def test_the_people_csv_has_one_row_per_person_and_guards_formulas() -> None:
    state = new_state(
        people=[
            person("p1", '=HYPERLINK("http://evil")', phones=("+1 555 0100",), tags=("a", "b")),
            person("p2", "Ann Smith", notes="line one\nline two", organisation="-Dash"),
        ],
        introductions=[introduction("i1", "p2", "p1")],
    )

    rows = list(csv.reader(io.StringIO(write_people_csv(state).removeprefix("\ufeff"))))

    assert rows[0][:4] == ["Name", "Organisation", "Role", "Emails"]
    evil = next(r for r in rows if "HYPERLINK" in r[0])
    assert evil[0] == '\'=HYPERLINK("http://evil")'
    assert evil[4] == "+1 555 0100"  # a phone number is not a formula
    assert evil[6] == "a\nb"
    assert evil[9] == "Ann Smith"
    ann = next(r for r in rows if r[0] == "Ann Smith")
    assert ann[1] == "'-Dash"
    assert ann[7] == "line one\nline two"


def test_the_people_csv_imports_back_with_its_guessed_mapping() -> None:
    event = Event(id=EventId("e1"), name="Fair", date=date(2026, 11, 20), created_at=NOW)
    state = new_state(
        people=[
            person(
                "p1", "Ann Smith", event_id=EventId("e1"), notes="'=not a formula", tags=("x y",)
            ),
            person("p2", "Bo Chen", emails=(), phones=("555 0101", "555 0102"), how_met="Coffee"),
        ],
        events=[event],
        introductions=[introduction("i1", "p2", "p1")],
    )
    table = read_table(write_people_csv(state))

    back = _apply(new_state(), read_mapped(table, guess_mapping(table.header)).contacts)

    assert _people(back) == _people(state)
    [intro] = back.introductions.values()
    assert (back.name(intro.introducer_id), back.name(intro.introduced_id)) == (
        "Bo Chen",
        "Ann Smith",
    )
    [ann] = [p for p in back.people.values() if p.name == "Ann Smith"]
    assert ann.event_id is not None
    assert back.events[ann.event_id].name == "Fair"


def _people(state: State) -> set[tuple[object, ...]]:
    return {
        (p.name, p.organisation, p.role, p.emails, p.phones, p.urls, p.tags, p.notes, p.how_met)
        for p in state.people.values()
    }


# Text as the engine holds it: in NFC (bounds.clean_text).
_line = st.text(
    alphabet=st.characters(categories=("L", "N", "P", "S", "Zs"), max_codepoint=0x2FFF), max_size=25
).map(lambda s: normalize("NFC", s).strip())
_word = st.text(alphabet=st.characters(categories=("L", "N")), min_size=1, max_size=8).map(
    lambda s: normalize("NFC", s)
)


@st.composite
def _people_states(draw: st.DrawFn) -> State:
    size = draw(st.integers(1, 5))
    names = draw(
        st.lists(
            st.lists(_word, min_size=1, max_size=3).map(" ".join),
            min_size=size,
            max_size=size,
            unique_by=str.casefold,
        )
    )
    people = [
        person(
            f"p{i}",
            name,
            organisation=draw(_line | st.sampled_from(["=1+1", "@SUM(A1)", "-x", "'=quoted"])),
            role=draw(_line),
            emails=(f"p{i}@example.com",) if draw(st.booleans()) else (),
            phones=(f"+1 555 010 {i:04d}",) if draw(st.booleans()) else (),
            urls=(f"https://x.example/{i}",) if draw(st.booleans()) else (),
            tags=tuple(draw(st.lists(_word, max_size=3, unique_by=str.casefold))),
            notes="\n".join(draw(st.lists(_line.filter(bool), max_size=3))),
            how_met=draw(_line),
        )
        for i, name in enumerate(names)
    ]
    return new_state(people=people)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_people_states())
def test_csv_export_then_import_loses_nothing(state: State) -> None:
    table = read_table(write_people_csv(state))

    back = _apply(new_state(), read_mapped(table, guess_mapping(table.header)).contacts)

    assert _people(back) == _people(state)
