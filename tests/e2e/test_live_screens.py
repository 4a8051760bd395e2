"""Live screens (issue 14): a person added on the laptop appears on the phone's open People
screen without navigating, as soon as the phone looks again (here: it gets the focus back), and
what the user was typing there stays as it was; the sync status never says "Syncing…" while
offline."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import Launch
from .test_sync import (
    LAPTOP,
    PASSPHRASE,
    SYNC_TIMEOUT_MS,
    capture,
    open_app,
    sync_app,  # noqa: F401  (the fixture, shared with test_sync)
    sync_now,
)


@pytest.fixture(autouse=True)
def _patient_expect() -> object:
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)


def test_a_laptop_edit_appears_on_the_phones_open_screen_without_navigation(
    launch: Launch,
    sync_app: dict[str, str],  # noqa: F811
) -> None:
    url = sync_app["url"]
    phone_context = launch("phone")
    laptop_context = launch("laptop", viewport=LAPTOP)
    phone = open_app(phone_context, url)
    laptop = open_app(laptop_context, url)

    capture(phone, url, "Ada Quillfeather", "met at the meetup")
    phone.goto(url + "#sync")
    phone.fill("#setup-passphrase", PASSPHRASE)
    phone.fill("#setup-passphrase-again", PASSPHRASE)
    phone.click("form[data-form=setup] button[type=submit]")
    expect(phone.get_by_test_id("recovery-kit")).to_be_visible(timeout=SYNC_TIMEOUT_MS)
    expect(phone.get_by_test_id("recovery-kit")).not_to_contain_text("shown once")
    phone.get_by_test_id("kit-saved").click()
    expect(phone.get_by_test_id("sync-status")).to_have_text(
        "Synced just now.", timeout=SYNC_TIMEOUT_MS
    )
    phone.locator("summary", has_text="Pair another device").click()
    code = phone.get_by_test_id("pairing-code").inner_text()
    laptop.goto(url + "#sync")
    laptop.locator("summary", has_text="joins sync").click()
    laptop.fill("#pair-code", code.lower())
    laptop.fill("#pair-passphrase", PASSPHRASE)
    laptop.click("form[data-form=pair] button[type=submit]")
    expect(laptop.get_by_test_id("sync-status")).to_have_text(
        "Synced just now.", timeout=SYNC_TIMEOUT_MS
    )

    # The phone shows People, with something half-typed in the search.
    phone.goto(url + "#people")
    rows = phone.locator("#view-screen")
    expect(rows).to_contain_text("Ada Quillfeather")
    search = phone.get_by_label("Search people")
    search.click()
    search.press_sequentially("a")
    expect(rows).to_contain_text("Ada Quillfeather")

    # On the laptop, a new person; it reaches the server.
    capture(laptop, url, "Beatrix Oyelaran", "runs the design team")
    sync_now(laptop, url)

    # The phone gets the focus back (the user looks at it again): it syncs, and the open
    # screen shows the new person, with the search text and the focus where they were.
    phone.evaluate("() => window.dispatchEvent(new Event('focus'))")
    expect(rows).to_contain_text("Beatrix Oyelaran", timeout=SYNC_TIMEOUT_MS)
    assert phone.url.endswith("#people")
    expect(search).to_have_value("a")
    expect(search).to_be_focused()

    # Offline, the status says so at once, not "Syncing…".
    phone_context.set_offline(True)
    phone.goto(url + "#sync")
    phone.evaluate(
        "async () => (await import('./static/js/sync/index.js')).startSync(null).syncNow()"
        ".catch(() => {})"
    )
    expect(phone.get_by_test_id("sync-status")).to_contain_text("Offline")
    expect(phone.get_by_test_id("sync-status")).not_to_contain_text("Syncing")
