"""Journey 1 of PRODUCT.md (offline at an event, three captures, nothing lost) and Capture
itself: the "introduced by" type-ahead, LinkedIn paste, the share target, drafts of every field."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page, expect

from .builders import person
from .conftest import (
    Launch,
    axe_violations,
    idb,
    put_records,
    wait_engine_ready,
    wait_offline_ready,
)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(autouse=True)
def _patient_expect() -> object:
    """A loaded CI machine can take a few seconds per engine command: wait up to 15 s."""
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)


EVENT = "Media Sales Meetup"


def save(page: Page, name: str, context: str = "") -> None:
    page.get_by_label("Name", exact=True).fill(name)
    if context:
        page.get_by_label("One line of context").fill(context)
    page.get_by_role("button", name="Save person").click()
    expect(page.get_by_role("status").filter(has_text=f"Saved {name}.")).to_be_visible()


def seed_people(page: Page, people: list[dict[str, str]]) -> None:
    """Known people, saved through the engine as a capture saves them."""
    at = datetime.now(UTC)
    records = [
        person(f"known-{i}", p["name"], at, organisation=p.get("organisation", ""))
        for i, p in enumerate(people)
    ]
    put_records(page, {"people": records})


def test_journey_1_offline_at_an_event_three_captures_in_a_minute_nothing_lost(
    launch: Launch, app_url: str
) -> None:
    context = launch("phone")
    page = context.new_page()
    page.goto(app_url + "#capture")
    wait_offline_ready(page)
    wait_engine_ready(page)
    save(page, "Ashok Mehta", "Old colleague, head of sales at Northwind")

    # At the event: no signal. The installed app opens all the same.
    context.set_offline(True)
    page.goto(app_url)
    page.reload()
    expect(page.get_by_role("heading", name="Today")).to_be_visible()
    page.get_by_role("link", name="Capture", exact=True).click()
    expect(page.get_by_label("Name", exact=True)).to_be_focused()

    started = time.monotonic()
    page.get_by_label("Met at").fill(EVENT)
    page.get_by_label("Event mode").check()
    expect(page.locator("#event-banner")).to_contain_text(f"{EVENT}, today")

    # One of them introduced by someone already known, picked from the type-ahead by keyboard.
    page.get_by_label("Name", exact=True).fill("Maria Lopez")
    page.keyboard.press("Enter")  # Enter in the name goes on to the one line
    expect(page.get_by_label("One line of context")).to_be_focused()
    page.keyboard.type("Media sales at Contoso, ask about the team")
    combo = page.get_by_role("combobox", name="Introduced by")
    combo.press_sequentially("ash")
    expect(combo).to_have_attribute("aria-expanded", "true")
    combo.press("ArrowDown")
    expect(combo).to_have_attribute("aria-activedescendant", "introducer-option-0")
    combo.press("Enter")
    expect(combo).to_have_value("Ashok Mehta")
    expect(combo).to_have_attribute("aria-expanded", "false")
    page.get_by_role("button", name="Save person").click()
    expect(page.get_by_role("status").filter(has_text="Saved Maria Lopez.")).to_be_visible()
    # Event mode kept the event for the next capture.
    expect(page.get_by_label("Met at")).to_have_value(EVENT)
    expect(page.get_by_label("Name", exact=True)).to_be_focused()

    save(page, "Sam Okafor", "Product lead, hiring in spring")
    save(page, "Lee Chen", "Runs the meetup, knows every recruiter")
    assert time.monotonic() - started < 60
    recent = page.locator("#recent-list")
    for name in ("Maria Lopez", "Sam Okafor", "Lee Chen"):
        expect(recent).to_contain_text(name)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    expect(page.locator("#toast")).not_to_have_class(re.compile("show"))
    page.screenshot(path=str(SCREENSHOTS / "capture.png"))

    # Half-typed when the app is closed.
    page.get_by_label("Name", exact=True).fill("Priya Shar")
    page.wait_for_timeout(400)
    context.close()

    context = launch("phone")
    context.set_offline(True)
    page = context.new_page()
    page.goto(app_url + "#capture")
    wait_engine_ready(page)

    people = {p["name"]: p for p in idb(page, "people")}
    assert set(people) == {"Ashok Mehta", "Maria Lopez", "Sam Okafor", "Lee Chen"}
    [event] = idb(page, "events")
    assert event["name"] == EVENT
    for name in ("Maria Lopez", "Sam Okafor", "Lee Chen"):
        assert people[name]["event_id"] == event["id"]
        assert people[name]["how_met"] == f"Met at {EVENT}"
    assert people["Maria Lopez"]["notes"] == "Media sales at Contoso, ask about the team"
    assert people["Ashok Mehta"]["event_id"] is None
    [introduction] = idb(page, "introductions")
    assert introduction["introducer_id"] == people["Ashok Mehta"]["id"]
    assert introduction["introduced_id"] == people["Maria Lopez"]["id"]
    assert introduction["status"] == "offered"
    # Still in event mode, and the half-typed name is back.
    expect(page.get_by_label("Name", exact=True)).to_have_value("Priya Shar")
    expect(page.get_by_label("Event mode")).to_be_checked()
    expect(page.get_by_label("Met at")).to_have_value(EVENT)
    page.get_by_role("link", name="Today", exact=True).click()
    expect(page.locator("#today-list > li").first).to_have_attribute("data-rule", "reach-out")
    expect(page.locator("#today-list > li").first).to_contain_text("Maria Lopez")


def test_linkedin_links_and_text_are_read_into_fields(launch: Launch, app_url: str) -> None:
    page = launch().new_page()
    page.goto(app_url)
    results = page.evaluate(
        """async () => {
            const { parseShared, nameFromSlug, linkedinUrl, parseHeadline } =
                await import('./static/js/views/capture.js');
            return {
                url: parseShared('https://www.linkedin.com/in/maria-lopez-0a1b2c3d/'),
                bare: parseShared('linkedin.com/in/jean-de-la-fontaine?trk=abc'),
                mobile: parseShared('https://uk.linkedin.com/in/priya-sharma'),
                app: parseShared({
                    title: '', url: '',
                    text: 'Check out Priya Sharma\u2019s profile on LinkedIn https://www.linkedin.com/in/priya-sharma-88',
                }),
                title: parseShared({
                    title: 'Tom O\u2019Brien - Head of Media Sales - Northwind | LinkedIn',
                    text: '', url: 'https://www.linkedin.com/in/tomobrien',
                }),
                copied: parseShared([
                    'Maria Lopez', 'She/Her', '· 2nd', 'Head of Media Sales at Contoso | Speaker',
                    'London, England, United Kingdom · Contact info', '500+ connections',
                ].join('\\n')),
                signature: parseShared('José Álvarez\\nTechnical Recruiter, Stripe\\njose@stripe.example\\n+44 20 7946 0958'),
                plain: parseShared('Sam Okafor'),
                nothing: parseShared('12345'),
                slugs: [nameFromSlug('ashok-mehta-5b2a1b17'), nameFromSlug('ludwig-van-beethoven'),
                        nameFromSlug('x1234'), nameFromSlug('anna%C3%AFs-dupont')],
                canonical: linkedinUrl('see http://linkedin.com/in/lee-chen/details/?x=1 now'),
                headline: parseHeadline('Founder | Product lead @ Acme, Inc'),
            };
        }"""
    )
    assert results["url"] == {
        "name": "Maria Lopez",
        "role": "",
        "organisation": "",
        "url": "https://www.linkedin.com/in/maria-lopez-0a1b2c3d",
        "email": "",
        "phone": "",
    }
    assert results["bare"]["name"] == "Jean de la Fontaine"
    assert results["bare"]["url"] == "https://www.linkedin.com/in/jean-de-la-fontaine"
    assert results["mobile"]["url"] == "https://www.linkedin.com/in/priya-sharma"
    assert results["app"]["name"] == "Priya Sharma"
    assert results["app"]["url"] == "https://www.linkedin.com/in/priya-sharma-88"
    assert results["title"]["name"] == "Tom O\u2019Brien"
    assert (results["title"]["role"], results["title"]["organisation"]) == (
        "Head of Media Sales",
        "Northwind",
    )
    copied = results["copied"]
    assert (copied["name"], copied["role"], copied["organisation"]) == (
        "Maria Lopez",
        "Head of Media Sales",
        "Contoso",
    )
    signature = results["signature"]
    assert signature["name"] == "José Álvarez"
    assert (signature["role"], signature["organisation"]) == ("Technical Recruiter", "Stripe")
    assert signature["email"] == "jose@stripe.example"
    assert signature["phone"] == "+44 20 7946 0958"
    assert results["plain"]["name"] == "Sam Okafor"
    assert results["nothing"]["name"] == ""
    assert results["slugs"] == ["Ashok Mehta", "Ludwig van Beethoven", "", "Annaïs Dupont"]
    assert results["canonical"] == "https://www.linkedin.com/in/lee-chen"
    assert results["headline"] == {"role": "Product lead", "organisation": "Acme"}


def test_a_shared_or_pasted_linkedin_profile_fills_capture(
    launch: Launch, app_url: str, axe_source: str
) -> None:
    page = launch().new_page()
    page.goto(app_url)
    wait_engine_ready(page)

    # Android's share sheet: the manifest's share target opens /share?title=&text=&url=.
    query = urlencode(
        {
            "title": "Tom O\u2019Brien - Head of Media Sales - Northwind | LinkedIn",
            "text": "",
            "url": "https://www.linkedin.com/in/tom-obrien-42",
        }
    )
    page.goto(f"{app_url}share?{query}")
    expect(page.get_by_role("heading", name="Capture")).to_be_visible()
    assert page.url == f"{app_url}#capture"
    expect(page.get_by_label("Name", exact=True)).to_have_value("Tom O\u2019Brien")
    expect(page.get_by_label("Role")).to_have_value("Head of Media Sales")
    expect(page.get_by_label("Organisation")).to_have_value("Northwind")
    expect(page.get_by_label("Profile link")).to_have_value(
        "https://www.linkedin.com/in/tom-obrien-42"
    )
    expect(page.locator("#capture-filled")).to_contain_text(
        "Filled in the name, role, organisation"
    )
    page.get_by_label("One line of context").fill("Shared from LinkedIn")
    page.get_by_role("button", name="Save person").click()
    expect(page.get_by_role("status").filter(has_text="Saved Tom O\u2019Brien.")).to_be_visible()
    # Saved before the engine was up, it waited in the inbox: the engine files it on boot.
    expect(page.locator("#recent-list")).to_contain_text("Tom O\u2019Brien")
    [tom] = idb(page, "people")
    assert (tom["role"], tom["organisation"]) == ("Head of Media Sales", "Northwind")
    assert tom["urls"] == ["https://www.linkedin.com/in/tom-obrien-42"]

    # Pasting copied profile text into the name field.
    page.get_by_label("Name", exact=True).focus()
    page.evaluate(
        """() => {
            const data = new DataTransfer();
            data.setData('text/plain', 'Maria Lopez\\nShe/Her\\nHead of Media Sales at Contoso\\n'
                + 'https://www.linkedin.com/in/maria-lopez-77\\nmaria@contoso.example');
            document.getElementById('capture-name').dispatchEvent(
                new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
        }"""
    )
    expect(page.get_by_label("Name", exact=True)).to_have_value("Maria Lopez")
    expect(page.get_by_label("Email")).to_have_value("maria@contoso.example")
    expect(page.get_by_label("Organisation")).to_have_value("Contoso")
    expect(page.locator("#capture-filled")).to_contain_text("from LinkedIn")
    # A bare profile link typed into the name is read too.
    page.get_by_label("Name", exact=True).fill("https://www.linkedin.com/in/lee-chen-1a2b3c")
    expect(page.get_by_label("Name", exact=True)).to_have_value("Lee Chen")
    expect(page.get_by_label("Profile link")).to_have_value(
        "https://www.linkedin.com/in/lee-chen-1a2b3c"
    )
    assert axe_violations(page, axe_source) == []


def test_introduced_by_type_ahead_tells_people_apart_and_adds_new_ones(
    launch: Launch, app_url: str, axe_source: str
) -> None:
    page = launch().new_page()
    page.goto(app_url)
    seed_people(
        page,
        [
            {"name": "Sam Lee", "organisation": "Northwind"},
            {"name": "Sam Lee", "organisation": "Contoso"},
            {"name": "Ashok Mehta", "organisation": "Fabrikam"},
            {"name": "José Álvarez"},
        ],
    )
    page.goto(app_url + "#capture")
    page.reload()
    wait_engine_ready(page)
    combo = page.get_by_role("combobox", name="Introduced by")
    listbox = page.get_by_role("listbox", name="Saved people")

    # Accents and organisations match; options show the organisation to tell people apart.
    combo.fill("jose")
    expect(listbox.get_by_role("option")).to_have_count(2)  # José, and "Add jose"
    combo.fill("fabri")
    expect(listbox.get_by_role("option").first).to_contain_text("Ashok Mehta")
    combo.fill("sam")
    expect(listbox.get_by_role("option", name="Sam Lee")).to_have_count(2)
    expect(listbox).to_contain_text("Contoso")
    assert axe_violations(page, axe_source) == []
    combo.press("ArrowDown")
    combo.press("ArrowDown")
    active = combo.get_attribute("aria-activedescendant")
    expect(page.locator(f"#{active}")).to_have_attribute("aria-selected", "true")
    combo.press("Escape")
    expect(listbox).to_be_hidden()
    expect(combo).to_have_attribute("aria-expanded", "false")

    # Two people with one name: typing the name alone asks which one.
    page.get_by_label("Name", exact=True).fill("Kim Park")
    combo.fill("Sam Lee")
    page.get_by_role("button", name="Save person").click()
    expect(page.locator("#capture-introducer-hint")).to_contain_text(
        "2 saved people are called \u201cSam Lee\u201d"
    )
    expect(combo).to_have_attribute("aria-invalid", "true")
    listbox.get_by_role("option", name="Sam Lee").filter(has_text="Contoso").click()
    expect(combo).to_have_value("Sam Lee (Contoso)")
    page.get_by_role("button", name="Save person").click()
    expect(page.get_by_role("status").filter(has_text="Saved Kim Park.")).to_be_visible()

    # Someone not saved yet: added with the capture, in one go.
    page.get_by_label("Name", exact=True).fill("Dana White")
    combo.fill("Rita Moreno")
    listbox.get_by_role("option", name="Add \u201cRita Moreno\u201d as a new person").click()
    page.get_by_role("button", name="Save person").click()
    expect(page.get_by_role("status").filter(has_text="Also saved Rita Moreno")).to_be_visible()

    people = {p["name"]: p for p in idb(page, "people")}
    by_introduced = {i["introduced_id"]: i["introducer_id"] for i in idb(page, "introductions")}
    assert by_introduced[people["Kim Park"]["id"]] == "known-1"
    assert by_introduced[people["Dana White"]["id"]] == people["Rita Moreno"]["id"]


def test_every_field_is_kept_across_a_reload_and_names_render_as_text(
    launch: Launch, app_url: str
) -> None:
    page = launch().new_page()
    page.goto(app_url)
    seed_people(page, [{"name": "Ashok Mehta", "organisation": "Northwind"}])
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(app_url + "#capture")
    page.reload()

    page.get_by_label("Name", exact=True).fill("<img src=x onerror=alert(1)>")
    page.get_by_label("One line of context").fill("Met by the coffee")
    combo = page.get_by_role("combobox", name="Introduced by")
    combo.fill("ash")
    page.get_by_role("option", name="Ashok Mehta").click()
    page.get_by_label("Met at").fill("Career fair")
    page.get_by_label("Date").fill("2026-11-20")
    page.get_by_text("More details").click()
    page.get_by_label("Organisation").fill("Contoso")
    page.get_by_label("Role").fill("Recruiter")
    page.get_by_label("Email").fill("r@contoso.example")
    page.get_by_label("Phone").fill("+1 555 0100 200")
    page.wait_for_timeout(600)  # the draft is kept a moment after typing
    page.reload()

    expect(page.get_by_label("Name", exact=True)).to_have_value("<img src=x onerror=alert(1)>")
    expect(page.get_by_label("One line of context")).to_have_value("Met by the coffee")
    expect(combo).to_have_value("Ashok Mehta (Northwind)")
    expect(page.get_by_label("Met at")).to_have_value("Career fair")
    expect(page.get_by_label("Date")).to_have_value("2026-11-20")
    expect(page.get_by_label("Organisation")).to_be_visible()
    expect(page.get_by_label("Email")).to_have_value("r@contoso.example")
    expect(page.get_by_label("Phone")).to_have_value("+1 555 0100 200")
    page.get_by_role("button", name="Save person").click()
    expect(page.get_by_role("status").filter(has_text="Saved <img src=x")).to_be_visible()

    expect(page.locator("#recent-list")).to_contain_text("<img src=x onerror=alert(1)>")
    assert page.locator("#recent-list img").count() == 0
    people = {p["name"]: p for p in idb(page, "people")}
    person = people["<img src=x onerror=alert(1)>"]
    assert (person["organisation"], person["role"]) == ("Contoso", "Recruiter")
    assert person["emails"] == ["r@contoso.example"]
    assert person["phones"] == ["+1 555 0100 200"]
    [event] = idb(page, "events")
    assert (event["name"], event["date"]) == ("Career fair", "2026-11-20")
    [introduction] = idb(page, "introductions")
    assert introduction["introducer_id"] == "known-0"
    # Saved: the form is empty again, and so is its draft.
    page.reload()
    expect(page.get_by_label("Name", exact=True)).to_have_value("")
    expect(page.get_by_label("Met at")).to_have_value("")
    assert dialogs == []
