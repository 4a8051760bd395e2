"""The one person picker (issue 14): typed in lowercase and without accents it still finds the
saved person, works by keyboard, never writes on arrow keys, and adds someone new on the spot;
and nothing typed in a form is lost, not even 50 ms before a reload."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect

from .builders import person
from .conftest import Launch, axe_violations, idb, put_records, wait_engine_ready


@pytest.fixture(autouse=True)
def _patient_expect() -> object:
    """A loaded CI machine can take a few seconds per engine command: wait up to 15 s."""
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)


AT = datetime(2026, 11, 1, 9, tzinfo=UTC)


def open_app(launch: Launch, app_url: str) -> Page:
    page = launch().new_page()
    page.goto(app_url)
    wait_engine_ready(page)
    put_records(
        page,
        {
            "people": [
                person("p-jose", "José Álvarez", AT, organisation="Globex"),
                person("p-marco", "Marco Rossi", AT),
            ]
        },
    )
    page.reload()
    wait_engine_ready(page)
    return page


def test_the_person_picker_finds_lowercase_and_unaccented_names_and_adds_new_people(
    launch: Launch, app_url: str, axe_source: str
) -> None:
    page = open_app(launch, app_url)
    page.evaluate("() => { location.hash = '#opportunities'; }")
    page.get_by_role("button", name="Add your first opportunity").click()
    dialog = page.get_by_role("dialog", name="Add an opportunity")
    dialog.get_by_label("Organisation").fill("Initech")

    # "marco rossi" in lowercase: the saved Marco Rossi, chosen by keyboard.
    dialog.get_by_role("button", name="Add a person").click()
    first = dialog.get_by_role("combobox", name="Person 1", exact=True)
    expect(first).to_be_focused()
    first.press_sequentially("marco rossi")
    expect(dialog.get_by_role("option", name="Marco Rossi")).to_be_visible()
    records_before = {name: len(idb(page, name)) for name in ("people", "opportunities")}
    first.press("ArrowDown")
    expect(first).to_have_attribute("aria-activedescendant", re.compile("."))
    expect(dialog.get_by_role("option", name="Marco Rossi")).to_have_attribute(
        "aria-selected", "true"
    )
    # Arrow keys only move the highlight: nothing is written, the text is as typed.
    expect(first).to_have_value("marco rossi")
    assert {name: len(idb(page, name)) for name in records_before} == records_before
    first.press("Enter")
    expect(first).to_have_value("Marco Rossi")

    # "jose alv" without accents: José Álvarez.
    dialog.get_by_role("button", name="Add a person").click()
    second = dialog.get_by_role("combobox", name="Person 2", exact=True)
    second.press_sequentially("jose alv")
    dialog.get_by_role("option", name=re.compile("José Álvarez")).click()
    expect(second).to_have_value("José Álvarez (Globex)")

    # Someone not saved yet: added on the spot, when the form is saved.
    dialog.get_by_role("button", name="Add a person").click()
    third = dialog.get_by_role("combobox", name="Person 3", exact=True)
    third.press_sequentially("Nina Park")
    new = dialog.get_by_role("option", name="Add “Nina Park” as a new person")
    expect(new).to_be_visible()
    assert axe_violations(page, axe_source) == []
    new.click()
    expect(third).to_have_value("Nina Park")
    assert len(idb(page, "people")) == 2
    dialog.get_by_role("button", name="Add opportunity").click()

    expect(dialog).to_have_count(0)
    people = {p["name"]: p["id"] for p in idb(page, "people")}
    assert set(people) == {"José Álvarez", "Marco Rossi", "Nina Park"}
    [saved] = idb(page, "opportunities")
    assert [link["person_id"] for link in saved["people"]] == [
        "p-marco",
        "p-jose",
        people["Nina Park"],
    ]


def test_capture_keeps_what_was_typed_50_ms_before_a_reload(launch: Launch, app_url: str) -> None:
    page = open_app(launch, app_url)
    page.evaluate("() => { location.hash = '#capture'; }")
    name = page.get_by_label("Name", exact=True)
    expect(name).to_be_focused()
    name.press_sequentially("Priya Sharma")
    page.wait_for_timeout(50)
    page.reload()
    wait_engine_ready(page)
    expect(page.get_by_label("Name", exact=True)).to_have_value("Priya Sharma")


def test_the_meeting_form_keeps_its_notes_after_a_close_and_a_reload(
    launch: Launch, app_url: str
) -> None:
    page = open_app(launch, app_url)
    page.evaluate("() => { location.hash = '#person/p-marco'; }")
    page.get_by_role("button", name="Log a meeting with notes…").click()
    dialog = page.get_by_role("dialog", name="Log a meeting with Marco")
    notes = dialog.get_by_label("What you talked about")
    notes.press_sequentially("Media sales team is hiring")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)

    page.get_by_role("button", name="Log a meeting with notes…").click()
    expect(notes).to_have_value("Media sales team is hiring")
    notes.press_sequentially(" in spring")
    page.wait_for_timeout(50)
    page.reload()
    wait_engine_ready(page)
    page.get_by_role("button", name="Log a meeting with notes…").click()
    expect(notes).to_have_value("Media sales team is hiring in spring")

    # Someone else who was there, from the picker; saving logs it for both and drops the draft.
    dialog.get_by_role("button", name="Add someone else who was there").click()
    other = dialog.get_by_role("combobox", name="Also there 1", exact=True)
    other.press_sequentially("josé")
    dialog.get_by_role("option", name=re.compile("José Álvarez")).click()
    dialog.get_by_role("button", name="Save meeting").click()
    expect(dialog).to_have_count(0)
    [meeting] = idb(page, "interactions")
    assert meeting["person_ids"] == ["p-marco", "p-jose"]
    assert meeting["notes"] == "Media sales team is hiring in spring"
    assert [d for d in idb(page, "drafts") if str(d["id"]).startswith("meeting:")] == []

    # Merge is chosen with the same picker: saved people only, then both side by side.
    page.get_by_role("button", name="Merge with…").click()
    merge = page.get_by_role("dialog", name="Merge Marco Rossi with…")
    combo = merge.get_by_role("combobox", name="The other record of this person")
    combo.press_sequentially("JOSE")
    expect(merge.get_by_role("option", name=re.compile("Add"))).to_have_count(0)
    merge.get_by_role("option", name=re.compile("José Álvarez")).click()
    merge.get_by_role("button", name="Compare").click()
    compare = page.get_by_role("dialog", name="Merge two records")
    expect(compare).to_contain_text("José Álvarez")
    compare.get_by_role("button", name="Cancel").click()
    assert len(idb(page, "people")) == 2
