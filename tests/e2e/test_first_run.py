"""From first open to a signed first follow-up (issue 14): the first run's three steps, event
mode ending by itself when its day is over, and the one line of context read into a role and an
organisation, with the user's say and one tap to undo."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .conftest import Launch, axe_violations, idb, wait_engine_ready

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(autouse=True)
def _patient_expect() -> object:
    """A loaded CI machine can take a few seconds per engine command: wait up to 15 s."""
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)


def save(page: Page, name: str) -> None:
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_role("button", name="Save person").click()
    expect(page.get_by_role("status").filter(has_text=f"Saved {name}.")).to_be_visible()


def test_first_run_then_a_signed_draft(launch: Launch, app_url: str, axe_source: str) -> None:
    page = launch().new_page()
    page.clock.set_fixed_time("2026-12-05T10:00:00")
    page.goto(app_url)
    wait_engine_ready(page)

    card = page.locator("#first-run")
    expect(card.get_by_role("heading", name="Your name")).to_be_visible()
    expect(card).to_contain_text("Step 1 of 3")
    assert axe_violations(page, axe_source) == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("() => document.getElementById('toast')?.classList.remove('show')")
    page.screenshot(path=str(SCREENSHOTS / "first-run.png"))
    card.get_by_label("Your name, as you sign").fill("Ana Lima")
    card.get_by_role("button", name="Save and continue").click()
    expect(card.get_by_role("heading", name="Your contacts stay with you")).to_be_focused()
    expect(card).to_contain_text("kept on this device")
    card.get_by_role("button", name="Keep my data on this device").click()
    expect(card.get_by_role("heading", name="Your first person")).to_be_visible()
    card.get_by_role("button", name="Add a person").click()

    expect(page.get_by_role("heading", name="Capture")).to_be_visible()
    expect(card).to_be_hidden()
    page.get_by_label("Name", exact=True).fill("Maria Lopez")
    combo = page.get_by_role("combobox", name="Introduced by")
    combo.fill("Ashok Mehta")
    page.get_by_role("option", name=re.compile("Add “Ashok Mehta” as a new person")).click()
    page.get_by_role("button", name="Save person").click()
    expect(page.get_by_role("status").filter(has_text="Saved Maria Lopez.")).to_be_visible()

    # The next day the referral is due, and its draft is signed with the name from step 1.
    page.clock.set_fixed_time("2026-12-06T11:00:00")
    page.goto(app_url + "#today")
    page.reload()
    wait_engine_ready(page)
    expect(page.locator("#first-run")).to_be_hidden()
    page.get_by_role("button", name="Reach out: Maria Lopez").click()
    dialog = page.get_by_role("dialog", name="Reach out: Maria Lopez")
    message = dialog.get_by_role("textbox", name="Message", exact=True)
    expect(message).to_have_value(re.compile("Ana Lima"))
    [meta] = [m for m in idb(page, "meta") if m["id"] == "settings"]
    assert meta["first_run"] == {"done": True}


def test_the_first_run_can_be_skipped_whole_and_stays_skipped(launch: Launch, app_url: str) -> None:
    page = launch().new_page()
    page.goto(app_url)
    wait_engine_ready(page)
    page.get_by_role("button", name="Skip the introduction").click()
    expect(page.locator("#first-run")).to_be_hidden()
    page.reload()
    wait_engine_ready(page)
    expect(page.get_by_text("Nothing is due.")).to_be_visible()
    expect(page.locator("#first-run")).to_be_hidden()


def test_event_mode_ends_by_itself_when_the_events_day_is_over(
    launch: Launch, app_url: str
) -> None:
    page = launch().new_page()
    page.clock.set_fixed_time("2026-12-05T18:00:00")
    page.goto(app_url + "#capture")
    wait_engine_ready(page)
    page.get_by_label("Met at").fill("Media Sales Meetup")
    page.get_by_label("Event mode").check()
    expect(page.locator("#event-banner")).to_contain_text("Media Sales Meetup, today")
    save(page, "Lee Chen")
    expect(page.locator("#event-link")).to_contain_text(
        "This person will be linked to Media Sales Meetup (today)."
    )

    # The next evening, the app comes back into view: the meetup is over.
    page.clock.set_fixed_time("2026-12-06T19:00:00")
    page.evaluate("() => document.dispatchEvent(new Event('visibilitychange'))")
    expect(page.get_by_label("Event mode")).not_to_be_checked()
    expect(page.get_by_role("status").filter(has_text="Event mode ended")).to_be_visible()
    expect(page.locator("#event-banner")).to_be_hidden()
    expect(page.locator("#event-link")).to_be_hidden()
    save(page, "Sam Okafor")
    people = {p["name"]: p for p in idb(page, "people")}
    assert people["Lee Chen"]["event_id"]
    assert people["Sam Okafor"]["event_id"] is None

    # Typed without event mode, the event is named above Save, with one tap to unlink.
    page.get_by_label("Met at").fill("Product Breakfast")
    expect(page.locator("#event-link")).to_contain_text("linked to Product Breakfast")
    page.get_by_role("button", name="Unlink from this event").click()
    expect(page.get_by_label("Met at")).to_have_value("")
    expect(page.locator("#event-link")).to_be_hidden()


def test_one_line_of_context_fills_role_and_organisation_when_asked_and_undoes(
    launch: Launch, app_url: str
) -> None:
    page = launch().new_page()
    page.goto(app_url + "#capture")
    wait_engine_ready(page)
    page.get_by_label("One line of context").fill("PM @ Globex")
    expect(page.locator("#line-read-text")).to_have_text("Role: PM. Organisation: Globex.")
    expect(page.get_by_label("Role")).to_have_value("")
    page.get_by_role("button", name="Fill them in").click()
    expect(page.get_by_label("Role")).to_have_value("PM")
    expect(page.get_by_label("Organisation")).to_have_value("Globex")
    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_label("Role")).to_have_value("")
    expect(page.get_by_label("Organisation")).to_have_value("")
