"""Journey 2 of PRODUCT.md: the next morning, Today lists the referral first, then the
thank-yous; each has a draft naming the introducer and the event; sending one logs it."""

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


EVENT = "Media Sales Meetup"


def save(page: Page, name: str, context: str, introducer: str = "") -> None:
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("One line of context").fill(context)
    if introducer:
        combo = page.get_by_role("combobox", name="Introduced by")
        combo.fill(introducer[:3])
        page.get_by_role("option", name=introducer).click()
        expect(combo).to_have_value(re.compile(re.escape(introducer)))
    page.get_by_role("button", name="Save person").click()
    expect(page.get_by_role("status").filter(has_text=f"Saved {name}.")).to_be_visible()


def fresh_today(page: Page) -> None:
    """Wait until Today shows what the engine computed (not the cached list)."""
    page.wait_for_selector("html[data-today=fresh]", timeout=60_000)
    expect(page.locator("#today-stale")).to_be_hidden()


def test_journey_2_next_morning_referral_first_then_thank_yous_and_sending_logs_it(
    launch: Launch, app_url: str, axe_source: str
) -> None:
    page = launch().new_page()
    # The evening of the event.
    page.clock.set_fixed_time("2026-11-23T18:00:00")
    page.goto(app_url + "#capture")
    wait_engine_ready(page)
    save(page, "Ashok Mehta", "Old colleague, now head of sales at Northwind")
    page.clock.set_fixed_time("2026-11-23T18:30:00")
    page.get_by_label("Met at").fill(EVENT)
    page.get_by_label("Event mode").check()
    save(page, "Maria Lopez", "Media sales at Contoso", introducer="Ashok Mehta")
    page.clock.set_fixed_time("2026-11-23T18:40:00")
    save(page, "Sam Okafor", "Product lead, hiring in spring")
    page.clock.set_fixed_time("2026-11-23T18:50:00")
    save(page, "Lee Chen", "Runs the meetup, knows every recruiter")

    # The next morning: the app is opened again.
    page.clock.set_fixed_time("2026-11-24T09:00:00")
    page.goto(app_url + "#today")
    page.reload()
    fresh_today(page)

    cards = page.locator("#today-list > li")
    expect(cards).to_have_count(3)
    expect(cards.nth(0)).to_have_attribute("data-rule", "reach-out")
    expect(cards.nth(0).get_by_role("heading")).to_have_text("Maria Lopez")
    expect(cards.nth(0)).to_contain_text("Ashok Mehta introduced you to Maria Lopez")
    expect(cards.nth(0)).to_contain_text("New referral")
    for card in (cards.nth(1), cards.nth(2)):
        expect(card).to_have_attribute("data-rule", "met-at-event")
        expect(card).to_contain_text(EVENT)
    expect(cards.nth(1).get_by_role("heading")).to_have_text(re.compile("Lee Chen|Sam Okafor"))
    expect(page.locator("#today-summary")).to_have_text("3 to do")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "today.png"))
    assert axe_violations(page, axe_source) == []

    # Each has a draft that names the event; the referral's names the introducer too.
    for name in ("Sam Okafor", "Lee Chen"):
        page.get_by_role("button", name=f"Say thank you: {name}").click()
        dialog = page.get_by_role("dialog", name=f"Say thank you: {name}")
        expect(dialog.get_by_label("Subject")).to_have_value(f"Great to meet you at {EVENT}")
        expect(dialog.get_by_role("textbox", name="Message", exact=True)).to_have_value(
            re.compile(f"Hi {name.split()[0]},")
        )
        expect(dialog.get_by_role("textbox", name="Message", exact=True)).to_have_value(
            re.compile(EVENT)
        )
        page.keyboard.press("Escape")
        expect(dialog).to_be_hidden()
        # Esc gives the focus back to the button that opened the draft.
        expect(page.get_by_role("button", name=f"Say thank you: {name}")).to_be_focused()

    page.get_by_role("button", name="Reach out: Maria Lopez").click()
    dialog = page.get_by_role("dialog", name="Reach out: Maria Lopez")
    expect(dialog.get_by_role("heading", name="Reach out: Maria Lopez")).to_be_focused()
    message = dialog.get_by_role("textbox", name="Message", exact=True)
    expect(message).to_have_value(re.compile("Ashok Mehta suggested I get in touch"))
    expect(message).to_have_value(re.compile(f"meet you at {EVENT}"))
    expect(dialog.get_by_label("Subject")).to_have_value("Ashok Mehta suggested I get in touch")
    dialog.get_by_label("Email address").fill("maria@contoso.example")
    message.press("End")
    message.press_sequentially(" P.S. Loved your talk.")
    send = dialog.get_by_role("link", name="Open in your email app")
    # The engine makes the link for the text as edited: wait for the last edit's.
    expect(send).to_have_attribute("href", re.compile(r"P\.S\.%20Loved%20your%20talk\."))
    href = send.get_attribute("href") or ""
    assert href.startswith("mailto:maria@contoso.example?subject=Ashok%20Mehta%20suggested")
    assert "%0D%0A" in href
    assert "Media%20Sales%20Meetup" in href
    assert "P.S.%20Loved%20your%20talk." in href
    page.screenshot(path=str(SCREENSHOTS / "today-draft.png"))
    assert axe_violations(page, axe_source) == []

    # Tap Send: the mail app takes over; coming back, the app asks "Sent?".
    send.click()
    page.evaluate(
        "() => { window.dispatchEvent(new Event('blur')); window.dispatchEvent(new Event('focus')); }"
    )
    sent = page.get_by_role("dialog", name="Did you send it to Maria?")
    expect(sent).to_be_visible()
    expect(sent.get_by_role("button", name="Yes, it\u2019s sent")).to_be_focused()
    page.screenshot(path=str(SCREENSHOTS / "today-sent.png"))
    sent.get_by_role("button", name="Yes, it\u2019s sent").click()

    expect(
        page.get_by_role("status").filter(has_text="Logged as sent: Maria Lopez")
    ).to_be_visible()
    expect(page.locator("#today-list [data-rule='reach-out']")).to_have_count(0)
    expect(cards).to_have_count(2)
    expect(page.get_by_role("dialog")).to_have_count(0)
    # Telling Ashok how it went is what comes next (journey 3).
    expect(page.locator("#upcoming-list [data-rule='close-loop']")).to_contain_text("Ashok Mehta")

    people = {p["name"]: p for p in idb(page, "people")}
    [interaction] = idb(page, "interactions")
    [introduction] = idb(page, "introductions")
    assert interaction["kind"] == "message_sent"
    assert interaction["person_ids"] == [people["Maria Lopez"]["id"]]
    assert interaction["followup_key"] == f"reach-out:{introduction['id']}"
    assert str(interaction["at"]).startswith("2026-11-24T09:00:00")
    # The address typed into the draft is now Maria's.
    assert people["Maria Lopez"]["emails"] == ["maria@contoso.example"]
    [event] = idb(page, "events")
    assert (event["name"], event["date"]) == (EVENT, "2026-11-23")

    # The list survives a reload: the follow-up stays closed.
    page.reload()
    fresh_today(page)
    expect(cards).to_have_count(2)
    expect(page.locator("#today-list [data-rule='reach-out']")).to_have_count(0)

    page.emulate_media(color_scheme="dark")
    page.screenshot(path=str(SCREENSHOTS / "today-dark.png"))
