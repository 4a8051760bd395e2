"""Today's actions in a real browser: snooze, skip, card sent, the gratitude checklist, the
channels of a draft and "Sent?", the list shown before the engine is ready, and the time words.
(The send links, the answer kinds and the channels are the engine's: tests/core.)"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from . import builders
from .conftest import Launch, axe_violations, idb, put_records, wait_engine_ready

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(autouse=True)
def _patient_expect() -> object:
    """A loaded CI machine can take a few seconds per engine command: wait up to 15 s."""
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)


EVENING = "2026-11-23T19:00:00.000Z"
MORNING = "2026-11-24T09:00:00"


person = functools.partial(builders.person, at=EVENING)


def seed(page: Page, put: dict[str, list[dict[str, Any]]]) -> None:
    """Save records through the engine, as the app saves them (open_today then reloads)."""
    put_records(page, put)


def open_today(page: Page, app_url: str) -> None:
    page.goto(app_url + "#today")
    page.reload()
    page.wait_for_selector("html[data-today=fresh]", timeout=60_000)


def event_people(count: int) -> dict[str, list[dict[str, Any]]]:
    names = ["Ana Silva", "Ben Cho", "Cara Diaz", "Dev Patel"][:count]
    event = {
        "id": "ev1",
        "name": "Career fair",
        "date": "2026-11-23",
        "place": "",
        "created_at": EVENING,
    }
    return {
        "events": [event],
        "people": [
            person(f"p{i}", name, event_id="ev1", how_met="Met at Career fair")
            for i, name in enumerate(names)
        ],
    }


def test_snooze_skip_and_card_sent_leave_today_and_are_stored(
    launch: Launch, app_url: str, axe_source: str
) -> None:
    page = launch().new_page()
    page.clock.set_fixed_time(MORNING)
    page.goto(app_url)
    seed(page, event_people(4))
    open_today(page, app_url)
    cards = page.locator("#today-list > li")
    expect(cards).to_have_count(4)

    # Snooze by keyboard: the sheet takes the focus, Esc gives it back.
    snooze = page.get_by_role("button", name="Snooze Ana Silva")
    snooze.focus()
    page.keyboard.press("Enter")
    sheet = page.get_by_role("dialog", name="Snooze Ana Silva")
    expect(sheet.get_by_role("button", name="Later today")).to_be_focused()
    assert axe_violations(page, axe_source) == []
    page.keyboard.press("Escape")
    expect(sheet).to_be_hidden()
    expect(snooze).to_be_focused()
    snooze.click()
    sheet.get_by_role("button", name="Tomorrow morning").click()
    expect(
        page.get_by_role("status").filter(has_text="Snoozed until tomorrow morning")
    ).to_be_visible()
    expect(cards).to_have_count(3)
    expect(page.locator("#today-footnote")).to_have_text(
        "1 snoozed follow-up comes back when you said."
    )

    # Pick a date.
    page.get_by_role("button", name="Snooze Dev Patel").click()
    sheet = page.get_by_role("dialog", name="Snooze Dev Patel")
    sheet.get_by_label("Or pick a date").fill("2026-11-30")
    sheet.get_by_role("button", name="Snooze until then").click()
    expect(cards).to_have_count(2)

    # Skip, with a reason.
    page.get_by_role("button", name="More for Ben Cho").click()
    page.get_by_role("dialog", name="Ben Cho").get_by_role("button", name="Skip\u2026").click()
    skip = page.get_by_role("dialog", name="Skip this follow-up?")
    skip.get_by_label("It is no longer relevant").check()
    skip.get_by_role("button", name="Skip it").click()
    expect(page.get_by_role("status").filter(has_text="Skipped: Ben Cho")).to_be_visible()
    expect(cards).to_have_count(1)

    # A handwritten card counts as a thank-you.
    page.get_by_role("button", name="More for Cara Diaz").click()
    page.get_by_role("dialog", name="Cara Diaz").get_by_role(
        "button", name="Handwritten card sent"
    ).click()
    expect(page.get_by_role("status").filter(has_text="Card logged: Cara Diaz")).to_be_visible()
    expect(page.get_by_role("heading", name="Nothing is due.")).to_be_visible()
    expect(page.get_by_role("link", name="Capture a person")).to_be_visible()
    expect(page.get_by_role("heading", name="Today")).to_be_focused()

    decisions = {d["key"]: d for d in idb(page, "decisions")}
    assert decisions["met-at-event:p0"]["status"] == "snoozed"
    assert str(decisions["met-at-event:p0"]["until"]).startswith("2026-11-25T09:00:00")
    assert str(decisions["met-at-event:p3"]["until"]).startswith("2026-11-30T09:00:00")
    assert decisions["met-at-event:p1"]["status"] == "skipped"
    assert decisions["met-at-event:p1"]["reason"] == "It is no longer relevant"
    [card] = idb(page, "interactions")
    assert card["kind"] == "thank_you_card"
    assert card["person_ids"] == ["p2"]
    assert card["followup_key"] == "met-at-event:p2"

    # The snoozed one is back the morning after.
    page.clock.set_fixed_time("2026-11-25T09:30:00")
    open_today(page, app_url)
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("Ana Silva")


def test_the_gratitude_round_is_one_checklist(
    launch: Launch, app_url: str, axe_source: str
) -> None:
    page = launch().new_page()
    page.clock.set_fixed_time(MORNING)
    page.goto(app_url)
    october = "2026-10-01T10:00:00.000Z"
    seed(
        page,
        {
            "people": [
                person("ashok", "Ashok Mehta", organisation="Northwind", created_at=october),
                person("maria", "Maria Lopez", organisation="Contoso", created_at=october),
                person("lee", "Lee Chen", created_at=october),
                person("kim", "Kim Park", organisation="Fabrikam", created_at=october),
            ],
            "introductions": [
                {
                    "id": "i1",
                    "introducer_id": "ashok",
                    "introduced_id": "maria",
                    "at": october,
                    "kind": "introduction",
                    "context": "media sales",
                    "status": "met",
                    "outcome": "",
                    "created_at": october,
                }
            ],
            "opportunities": [
                {
                    "id": "o1",
                    "organisation": "Contoso",
                    "role": "Media Sales Lead",
                    "stage": "accepted",
                    "stage_at": EVENING,
                    "people": [
                        {"person_id": "maria", "role": "hiring_manager"},
                        {"person_id": "lee", "role": "reference"},
                    ],
                    "introduction_id": "i1",
                    "notes": "",
                    "created_at": "2026-10-02T10:00:00.000Z",
                },
                {
                    "id": "o2",
                    "organisation": "Fabrikam",
                    "role": "Sales Manager",
                    "stage": "interviewing",
                    "stage_at": "2026-11-01T10:00:00.000Z",
                    "people": [{"person_id": "kim", "role": "recruiter"}],
                    "introduction_id": None,
                    "notes": "",
                    "created_at": "2026-10-10T10:00:00.000Z",
                },
            ],
        },
    )
    open_today(page, app_url)

    section = page.get_by_role("region", name="The gratitude round")
    expect(section).to_be_visible()
    checklist = section.get_by_role("list")
    expect(checklist.get_by_role("checkbox", name="Ashok Mehta")).to_be_visible()
    expect(checklist.get_by_role("checkbox", name="Lee Chen")).to_be_visible()
    expect(checklist).to_contain_text("Fabrikam")  # the courtesy note to the other employer
    expect(section).to_contain_text(
        "and tell the other employer that you accepted another position"
    )
    expect(checklist.locator("li", has_text="Ashok Mehta")).to_contain_text("Opened the most doors")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "today-gratitude.png"))
    assert axe_violations(page, axe_source) == []

    # A click, not check(): ticked off, the person leaves the list at once, so there is no
    # checked box left for check() to confirm; what follows asserts the outcome.
    checklist.get_by_role("checkbox", name="Lee Chen").click()
    expect(page.get_by_role("status").filter(has_text="Ticked off Lee Chen.")).to_be_visible()
    expect(checklist.get_by_role("checkbox", name="Lee Chen")).to_have_count(0)
    decisions = {d["key"]: d for d in idb(page, "decisions")}
    assert decisions["gratitude:o1:lee"]["status"] == "done"

    checklist.get_by_role("button", name="Write to Ashok Mehta").click()
    dialog = page.get_by_role("dialog", name="Say thank you: Ashok Mehta")
    message = dialog.get_by_role("textbox", name="Message", exact=True)
    dialog.get_by_role("radio", name="Email").check()
    expect(message).to_have_value(re.compile("dinner"))
    assert axe_violations(page, axe_source) == []


def test_a_draft_offers_each_channel_asks_sent_and_keeps_edits(
    launch: Launch, app_url: str
) -> None:
    context = launch()
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.clock.set_fixed_time(MORNING)
    page.goto(app_url)
    seed(
        page,
        {
            "people": [
                person("ashok", "Ashok Mehta"),
                person(
                    "maria",
                    "Maria Lopez",
                    phones=["+1 (555) 010-0200"],
                    emails=["m@contoso.example"],
                ),
            ],
            "introductions": [
                {
                    "id": "i1",
                    "introducer_id": "ashok",
                    "introduced_id": "maria",
                    "at": EVENING,
                    "kind": "referral",
                    "context": "",
                    "status": "offered",
                    "outcome": "",
                    "created_at": EVENING,
                }
            ],
        },
    )
    open_today(page, app_url)
    page.get_by_role("button", name="Reach out: Maria Lopez").click()
    dialog = page.get_by_role("dialog", name="Reach out: Maria Lopez")
    # The rule prefers a call for a new referral, and the number is known.
    expect(dialog.get_by_role("radio", name="Phone call")).to_be_checked()
    expect(dialog.get_by_role("link", name="Call Maria")).to_have_attribute(
        "href", "tel:+15550100200"
    )

    dialog.get_by_role("radio", name="Text message").check()
    sms = dialog.get_by_role("textbox", name="Text message")
    expect(sms).to_have_value(re.compile("Ashok Mehta suggested I get in touch"))
    sms.fill("Hi Maria, Ashok gave me your number. Coffee this week?")
    link = dialog.get_by_role("link", name="Open in Messages")
    expect(link).to_have_attribute(
        "href",
        "sms:+15550100200?body=Hi%20Maria%2C%20Ashok%20gave%20me%20your%20number.%20Coffee%20this%20week%3F",
    )
    page.wait_for_timeout(400)  # the edit is kept
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()

    # Reopened: the edit is still there.
    page.get_by_role("button", name="Reach out: Maria Lopez").click()
    expect(dialog.get_by_text("Your earlier edits are back.")).to_be_visible()
    expect(dialog.get_by_role("radio", name="Text message")).to_be_checked()
    expect(dialog.get_by_role("textbox", name="Text message")).to_have_value(
        "Hi Maria, Ashok gave me your number. Coffee this week?"
    )

    # Copy, switch apps, come back: "Sent?" — not yet.
    dialog.get_by_role("button", name="Copy").click()
    expect(page.get_by_role("status").filter(has_text="Copied.")).to_be_visible()
    assert (
        page.evaluate("navigator.clipboard.readText()")
        == "Hi Maria, Ashok gave me your number. Coffee this week?"
    )
    page.evaluate(
        "() => { window.dispatchEvent(new Event('blur')); window.dispatchEvent(new Event('focus')); }"
    )
    sent = page.get_by_role("dialog", name="Did you send it to Maria?")
    sent.get_by_role("button", name="Not yet").click()
    expect(sent).to_be_hidden()
    expect(dialog).to_be_visible()
    assert idb(page, "interactions") == []

    # Call instead; nothing takes the page away here, so the app asks anyway.
    dialog.get_by_role("radio", name="Phone call").check()
    # Headless Chromium has no dialer: its "open an external app?" prompt would swallow the
    # next clicks. Tap the link as a phone would, minus leaving the page.
    dialog.get_by_role("link", name="Call Maria").evaluate(
        "a => { a.addEventListener('click', (e) => e.preventDefault(), { once: true }); a.click(); }"
    )
    talked = page.get_by_role("dialog", name="Did you talk to Maria?")
    talked.get_by_role("button", name="Yes, we talked").click()
    expect(page.get_by_role("status").filter(has_text="Call logged: Maria Lopez")).to_be_visible()
    expect(page.locator("[data-rule='reach-out']")).to_have_count(0)
    [call] = idb(page, "interactions")
    assert (call["kind"], call["followup_key"], call["person_ids"]) == (
        "call",
        "reach-out:i1",
        ["maria"],
    )
    assert [d for d in idb(page, "drafts") if d["id"].startswith("followup:")] == []


def test_today_shows_the_last_list_at_once_while_the_engine_starts(
    launch: Launch, app_url: str
) -> None:
    page = launch().new_page()
    page.clock.set_fixed_time(MORNING)
    page.goto(app_url)
    seed(page, event_people(2))
    open_today(page, app_url)
    expect(page.locator("#today-list > li")).to_have_count(2)
    page.wait_for_timeout(300)  # the list is cached

    # A slow (plain, no snapshot) boot: the cached list shows first, marked as updating.
    page.goto(app_url + "?nosnapshot#today")
    stale = page.locator("#today-stale")
    expect(stale).to_contain_text("Updating\u2026")
    assert page.evaluate("document.documentElement.dataset.engine") != "ready"
    expect(page.locator("#today-list > li")).to_have_count(2)
    expect(page.locator("#today-loading")).to_be_hidden()
    wait_engine_ready(page)
    expect(stale).to_be_hidden()
    expect(page.locator("#today-list > li")).to_have_count(2)


def test_due_and_snooze_times_are_computed_in_the_users_own_time(
    launch: Launch, app_url: str
) -> None:
    page = launch().new_page()
    page.goto(app_url)
    result = page.evaluate(
        """async () => {
            const t = await import('./static/js/views/today.js');
            const at = (s) => new Date(s);
            const choices = (d) => t.snoozeChoices(at(d)).map((c) => [c.id, c.until.getHours(), c.until.getDate()]);
            const f = (o) => ({ overdue: false, overdue_hours: 0, all_day: false, ...o });
            return {
                morning: choices('2026-11-24T10:05:00'),
                evening: choices('2026-11-24T20:30:00'),
                due: [
                    t.dueText(f({ overdue: true, overdue_hours: 5.2 }), at('2026-11-24T10:00:00')),
                    t.dueText(f({ overdue: true, overdue_hours: 50 }), at('2026-11-24T10:00:00')),
                    t.dueText(f({ all_day: true, due: '2026-11-24' }), at('2026-11-24T10:00:00')),
                    t.dueText(f({ all_day: true, due: '2026-11-25' }), at('2026-11-24T10:00:00')),
                    t.dueText(f({ due: '2026-11-24T15:00:00Z' }), at('2026-11-24T10:00:00Z')),
                ],
            };
        }"""
    )
    # At 10:05: later today (13:15), tomorrow 9:00, a week on 9:00; at 20:30 no "later today".
    assert result["morning"] == [["later", 13, 24], ["tomorrow", 9, 25], ["week", 9, 1]]
    assert result["evening"] == [["tomorrow", 9, 25], ["week", 9, 1]]
    assert result["due"] == [
        "Overdue by 5 h",
        "Overdue by 2 days",
        "Due today",
        "Due tomorrow",
        "Due in 5 hours",
    ]


def test_a_follow_up_can_be_added_to_the_calendar_as_an_ics_file(
    launch: Launch, app_url: str
) -> None:
    page = launch().new_page()
    page.goto(app_url)
    wait_engine_ready(page)
    page.goto(app_url + "#capture")
    page.get_by_label("Name", exact=True).fill("Ashok Mehta")
    page.get_by_role("button", name="Save person").click()
    page.get_by_label("Name", exact=True).fill("Maria Lopez")
    page.get_by_label("Introduced by").fill("Ashok Mehta")
    page.get_by_role("button", name="Save person").click()
    page.goto(app_url + "#today")
    page.get_by_role("button", name="More for Maria Lopez").click()

    with page.expect_download() as download:
        page.get_by_role("button", name="Add to calendar").click()

    text = Path(download.value.path()).read_text()
    assert "BEGIN:VEVENT" in text
    assert "BEGIN:VALARM" in text
    assert "Maria Lopez" in text
