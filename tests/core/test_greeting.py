"""Greetings (greeting.py): by what the user calls them, else the given name, else the full
name without titles, initials, suffixes or addresses; failing that a neutral "Hello,". Checked
on every real-client card of the corpus, imported the way the app imports them."""

from __future__ import annotations

import pytest
from followup.greeting import HONORIFICS, SUFFIXES, called, first_name_of, greeting
from followup.state import new_state

from .builders import draft_for, introduction, person, state_of
from .interop_helpers import CORPUS, corpus_text, import_vcards


@pytest.mark.parametrize(
    ("name", "called_as"),
    [
        ("Ana Lopez", "Ana"),
        ("Mr. John Doe", "John"),
        ("Mr John Richter, James Doe Sr.", "John"),
        ("Dr. J. Ana Lopez, PhD", "Ana"),
        ("Prof. Dr. Hans Müller", "Hans"),
        ("Frau Anna Schmidt", "Anna"),
        ("M. Jean-Pierre Dupont", "Jean-Pierre"),
        ("Mme Claire Dubois", "Claire"),
        ("Sra. María García", "María"),
        ("Sir Ian McKellen", "Ian"),
        ("Lopez, Ana", "Ana"),
        ("Smith Jr., John", "John"),
        ("ana lopez", "Ana"),
        ("ANA LOPEZ", "Ana"),
        ("Ms. Bea Chen (NBC)", "Bea"),
        ("王小明", "王小明"),
    ],
)
def test_a_greeting_calls_people_by_their_first_real_name(name: str, called_as: str) -> None:
    assert first_name_of(name) == called_as


@pytest.mark.parametrize(
    "name", ["ana@example.com", "Dr Smith", "J. R. Smith", "Ñ Ñ Ñ", "+1 555 0100", "", "Mr."]
)
def test_nothing_that_is_not_a_first_name_is_called_one(name: str) -> None:
    assert first_name_of(name) == ""
    assert greeting(person("x", name or "x@example.com")) == "Hello,"


def test_the_given_name_wins_over_the_full_name() -> None:
    ana = person("ana", "Lopez Garcia Ana Maria", given_name="Ana María")

    assert greeting(ana) == "Hi Ana María,"


def test_what_the_user_calls_them_wins_over_everything() -> None:
    bill = person("bill", "Dr. William Gates III", given_name="William", call_them="Bill")

    assert greeting(bill) == "Hi Bill,"
    assert greeting(bill, "formal") == "Dear Bill,"


def test_a_card_filed_under_its_organisation_is_greeted_neutrally() -> None:
    acme = person("acme", "Acme Corp", organisation="Acme Corp")

    assert called(acme) == ""


def test_drafts_greet_and_mention_people_by_what_they_are_called() -> None:
    ann = person("ann", "Dr. Ann Smith", call_them="Annie")
    bea = person("bea", "Mrs. B. Chen", given_name="Beatrice")
    state = state_of(ann, bea, introduction("i1", "ann", "bea", context="media sales"))

    body = draft_for(state, "reach-out:i1").body

    assert body.startswith("Hi Beatrice,")
    assert "Annie thought we should talk about media sales." in body


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*.vcf")))
def test_no_real_client_card_greets_a_title_an_initial_or_an_address(name: str) -> None:
    state = import_vcards(new_state(), corpus_text(name))
    assert state.people
    for p in state.people.values():
        line = greeting(p)
        word = line.removeprefix("Hi ").rstrip(",")
        assert line == "Hello," or line.startswith("Hi "), line
        assert "@" not in line, (p.name, line)
        assert word.casefold().strip(".") not in HONORIFICS | SUFFIXES, (p.name, line)
        assert not (len(word.strip(".")) == 1 and line != "Hello,"), (p.name, line)


def test_the_structured_name_and_nickname_of_a_card_are_imported() -> None:
    state = import_vcards(new_state(), corpus_text("John_Doe_IPHONE.vcf"))
    [john] = [p for p in state.people.values() if "Doe" in p.name]

    assert john.given_name == "John"
    assert john.call_them == "Johny"


def test_a_tables_first_name_column_is_the_given_name() -> None:
    from followup.interop.table import make_contact

    contact = make_contact(1, 2, first="Mary Ann", last="Smith")

    assert (contact.name, contact.given_name) == ("Mary Ann Smith", "Mary Ann")
