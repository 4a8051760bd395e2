"""The engine worker is the one writer: a command made before the engine is up is kept and
applied exactly once, and what one tab saves shows in another tab's open screen."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Route, expect

from .conftest import Launch, idb, wait_engine_ready
from .test_today_actions import MORNING, event_people, open_today, seed


@pytest.fixture(autouse=True)
def _patient_expect() -> object:
    """Two engines boot side by side here: wait up to 30 s."""
    expect.set_options(timeout=30_000)
    yield
    expect.set_options(timeout=5_000)


def test_a_command_made_before_the_engine_is_up_is_applied_exactly_once(
    launch: Launch, app_url: str
) -> None:
    context = launch()
    held: list[Route] = []
    released = False

    def hold(route: Route) -> None:
        if released:
            route.continue_()
        else:
            held.append(route)

    context.route("**/followup.zip", hold)
    page = context.new_page()
    page.goto(app_url)
    page.wait_for_selector("html[data-shell=ready]")

    # A second engine in the same page (as a second tab would) races to replay the inbox.
    answer: dict[str, Any] = page.evaluate(
        """async () => {
            const { Backend } = await import('./static/js/backend.js');
            const backend = new Backend();
            return backend.command('add_person', { id: 'p-early', name: 'Early Bird' });
        }"""
    )
    assert answer == {"ok": True, "queued": True}
    [entry] = idb(page, "inbox")
    assert entry["name"] == "add_person"
    released = True
    for route in held:
        route.continue_()
    wait_engine_ready(page)

    page.wait_for_function(
        "async () => (await (await import('./static/js/store.js')).getAll('inbox')).length === 0"
    )
    assert [p["name"] for p in idb(page, "people")] == ["Early Bird"]
    assert [o["key"] for o in idb(page, "sync_outbox")] == ["people/p-early"]
    page.reload()
    wait_engine_ready(page)
    assert [p["name"] for p in idb(page, "people")] == ["Early Bird"]


def test_a_change_saved_in_one_tab_shows_in_the_other_tabs_today_at_once(
    launch: Launch, app_url: str
) -> None:
    context = launch()
    first = context.new_page()
    first.clock.set_fixed_time(MORNING)
    first.goto(app_url)
    seed(first, event_people(2))
    open_today(first, app_url)
    second = context.new_page()
    second.clock.set_fixed_time(MORNING)
    open_today(second, app_url)
    expect(second.locator("#today-list > li")).to_have_count(2)

    first.get_by_role("button", name="More for Ben Cho").click()
    first.get_by_role("dialog", name="Ben Cho").get_by_role(
        "button", name="Handwritten card sent"
    ).click()
    expect(first.locator("#today-list > li")).to_have_count(1)

    expect(second.locator("#today-list > li")).to_have_count(1)
    expect(second.locator("#today-list > li")).to_contain_text("Ana Silva")
