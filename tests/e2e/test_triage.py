"""Everyday editing in a real browser: 500 of 5,000 people tagged (and trashed) in one action,
a skipped follow-up brought back, a logged meeting's date fixed (and Today follows), and search
that finds a meeting's notes."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from .builders import interaction, person
from .conftest import Launch, axe_violations, put_raw, put_records, wait_engine_ready

IMPORTED = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def shoot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name))


def crowd() -> dict[str, list[dict[str, Any]]]:
    """5,000 people: 500 added by one import (one creation time), the rest one by one."""
    people = [
        person(f"c-{i}", f"Person {i}", IMPORTED if i < 500 else IMPORTED - timedelta(minutes=i))
        for i in range(5000)
    ]
    return {"people": people}


def open_people(page: Page, app_url: str, data: dict[str, list[dict[str, Any]]]) -> None:
    page.goto(app_url)
    # Written raw (no sync stamping) to keep the test quick; the engine still loads them all.
    put_raw(page, data)
    page.goto(app_url + "#people")
    page.reload()
    wait_engine_ready(page)


def choose_the_import(page: Page) -> None:
    page.get_by_role("button", name="Choose many").click()
    page.locator(".people-filters > summary").click()
    page.get_by_label("Added together (an import)").select_option(index=1)
    expect(page.get_by_role("status").filter(has_text="500 of 5,000 match.")).to_be_attached()
    page.get_by_role("button", name="Choose all 500").click()
    expect(page.locator("#bulk-count")).to_have_text("500 people chosen.")


def test_five_hundred_of_five_thousand_people_are_tagged_in_one_action(
    launch: Launch, app_url: str, axe_source: str
) -> None:
    page = launch().new_page()
    open_people(page, app_url, crowd())
    choose_the_import(page)
    assert page.locator("#people-list input[type=checkbox]:checked").count() > 0
    assert axe_violations(page, axe_source) == []
    shoot(page, "people-bulk.png")

    page.get_by_role("button", name="Tag…").click()
    dialog = page.get_by_role("dialog", name="Tag 500 people")
    dialog.get_by_label("Tag", exact=True).fill("LinkedIn 2026")
    assert axe_violations(page, axe_source) == []
    dialog.get_by_role("button", name="Save tags").click()
    expect(page.get_by_role("status").filter(has_text="Tagged 500 people")).to_be_visible()
    expect(page.get_by_role("button", name="LinkedIn 2026")).to_contain_text("500")
    # The page fits the phone: nothing wider than the screen.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390


def engine_has(page: Page, command: str) -> bool:
    """Whether this build's engine knows `command` (the trash's `delete` may not be here yet)."""
    answer = page.evaluate(
        """async (name) => {
            const worker = new Worker('./static/js/engine.worker.js', { type: 'module', name: 'probe' });
            try {
                return await new Promise((resolve) => {
                    worker.onmessage = (e) => { if (e.data?.type === 'response') resolve(e.data.response); };
                    worker.postMessage({ id: 1, request: { op: 'command', name, payload: {},
                        now: new Date().toISOString(), today: '2026-01-01' } });
                });
            } finally { worker.terminate(); }
        }""",
        command,
    )
    return bool(answer.get("error") != "unknown-command")


def test_five_hundred_of_five_thousand_people_go_to_the_trash_in_one_action(
    launch: Launch, app_url: str
) -> None:
    page = launch().new_page()
    page.goto(app_url)
    if not engine_has(page, "delete"):
        pytest.skip("the engine's `delete` command (the trash) is not in this build yet")
    open_people(page, app_url, crowd())
    choose_the_import(page)
    page.get_by_role("button", name="Move to trash…").click()
    dialog = page.get_by_role("dialog", name="Move 500 people to the trash?")
    dialog.get_by_role("button", name="Move 500 people to the trash").click()
    expect(page.get_by_role("status").filter(has_text="Moved 500 people")).to_be_visible()
    expect(page.get_by_text("4,500 people")).to_be_visible()


def test_a_skipped_follow_up_is_listed_and_brought_back(
    launch: Launch, app_url: str, axe_source: str
) -> None:
    page = launch().new_page()
    page.goto(app_url)
    met = datetime.now(UTC) - timedelta(hours=3)
    put_records(
        page,
        {
            "people": [person("p-ana", "Ana Silva", met)],
            "interactions": [interaction("x-ana", ["p-ana"], "coffee", met)],
        },
    )
    page.goto(app_url + "#today")
    page.reload()
    wait_engine_ready(page)
    cards = page.locator("#today-list > li")
    expect(cards).to_have_count(1)

    page.get_by_role("button", name="More for Ana Silva").click()
    page.get_by_role("dialog", name="Ana Silva").get_by_role("button", name="Skip…").click()
    skip = page.get_by_role("dialog", name="Skip this follow-up?")
    expect(skip).to_contain_text("Bring it back any time")
    skip.get_by_label("We are already in touch").check()
    skip.get_by_role("button", name="Skip it").click()
    expect(cards).to_have_count(0)

    page.get_by_role("link", name="Snoozed and skipped").click()
    entry = page.locator(".later-item", has_text="Ana Silva")
    expect(entry).to_contain_text("We are already in touch")
    assert axe_violations(page, axe_source) == []
    shoot(page, "later.png")
    entry.get_by_role("button", name="Bring it back").click()
    expect(page.get_by_role("status").filter(has_text="Back on Today: Ana Silva")).to_be_visible()
    page.goto(app_url + "#today")
    expect(cards).to_have_count(1)


def test_fixing_a_logged_meetings_date_changes_today_and_search_finds_its_notes(
    launch: Launch, app_url: str, axe_source: str
) -> None:
    page = launch().new_page()
    page.goto(app_url)
    met = datetime.now(UTC) - timedelta(hours=2)
    put_records(
        page,
        {
            "people": [person("p-bo", "Bo Li", met - timedelta(days=30))],
            "interactions": [
                interaction("x-bo", ["p-bo"], "meeting", met, notes="Runs the Lisbon podcast")
            ],
        },
    )
    page.goto(app_url + "#people")
    page.reload()
    wait_engine_ready(page)

    page.get_by_label("Search people").fill("podcast")
    row = page.locator("#people-list > li")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Runs the Lisbon podcast")

    row.get_by_role("link").click()
    page.locator(".person-events").get_by_role("button", name=re.compile(r"^Edit: ")).click()
    dialog = page.get_by_role("dialog", name="Edit: Meeting")
    assert axe_violations(page, axe_source) == []
    shoot(page, "person-fix-meeting.png")
    three_days_ago = (datetime.now(UTC).astimezone() - timedelta(days=3)).date().isoformat()
    dialog.get_by_label("Date").fill(three_days_ago)
    dialog.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status").filter(has_text="Saved your changes")).to_be_visible()

    page.goto(app_url + "#today")
    card = page.locator("#today-list > li", has_text="Bo Li")
    expect(card).to_have_class(re.compile(r"\boverdue\b"))
