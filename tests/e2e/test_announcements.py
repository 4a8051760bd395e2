"""Every change is said once (issue #20): what a screen reader hears during the import and sync
journeys, recorded from the page's live regions, in order and without repeats; and a select
that no longer writes on arrow keys."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.support.serving import serving, sync_env

from .announcements import no_repeats, record, said
from .conftest import Launch, idb, wait_engine_ready

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "vcard"
PASSPHRASE = "orbit candle meadow fjord 1942"
SYNC_MS = 60_000


def said_when(page: Page, last: str, timeout: float = 15_000) -> list[str]:
    """Wait until `last` has been said, then everything said since the last look."""
    page.wait_for_function(
        "(last) => (window.__said ?? []).some((s) => s.text.startsWith(last))",
        arg=last,
        timeout=timeout,
    )
    page.wait_for_timeout(300)  # anything said just after it would be a repeat: catch it too
    return said(page)


def test_the_import_journey_is_said_once_step_by_step_and_arrow_keys_change_nothing(
    launch: Launch, app_url: str
) -> None:
    page = launch().new_page()
    page.goto(app_url + "#transfer")
    wait_engine_ready(page)
    expect(page.get_by_role("heading", name="Import and export")).to_be_visible()
    record(page)

    # Choosing the file: reading, looking through, the preview ready; focus on its heading.
    page.set_input_files("#import-file", str(CORPUS / "gmail-list.vcf"))
    steps = said_when(page, "Preview ready")
    assert len(steps) == 3, steps
    assert re.fullmatch(r"Reading “gmail-list\.vcf” \(.+\)…", steps[0]), steps
    assert steps[1:] == ["Looking through “gmail-list.vcf”…", "Preview ready: 3 new people."]
    expect(page.locator("#preview-heading")).to_be_focused()

    # A row's select: arrow keys change nothing until it is left; then the preview is said
    # updated once and the focus is where Tab took it.
    doug = page.get_by_role("combobox", name="What to do with Doug White")
    doug.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(300)
    assert said(page) == []
    expect(page.get_by_role("button", name="Import 3 people")).to_be_visible()
    page.keyboard.press("Tab")
    steps = said_when(page, "Preview updated")
    assert steps == ["Preview updated: 2 new people, 1 left out."] or (
        len(steps) == 1 and steps[0].startswith("Preview updated: 2 new people")
    ), steps
    expect(page.get_by_role("button", name="Import 2 people")).to_be_visible()
    assert page.evaluate("() => document.activeElement?.tagName") != "BODY"
    assert idb(page, "people") == []

    # Import: said once (the toast and the status line used to both speak).
    page.get_by_role("button", name="Import 2 people").focus()
    page.keyboard.press("Enter")
    assert said_when(page, "Imported") == ["Imported: 2 new, 0 updated."]

    # Triage: the person picker's arrow keys and choice write nothing; Save does, said once.
    triage = page.get_by_role("region", name="How did you meet them?")
    combo = triage.get_by_label("Who introduced you to Chris Beatle?")
    combo.fill("Arn")
    expect(triage.get_by_role("option", name="Arnold Smith")).to_be_visible()
    combo.press("ArrowDown")
    combo.press("ArrowDown")
    combo.press("Enter")
    page.wait_for_timeout(300)
    assert idb(page, "introductions") == []
    combo.press("Enter")  # Enter again, with the list closed: save
    steps = said_when(page, "Arnold Smith introduced")
    assert steps == ["Arnold Smith introduced Chris Beatle."], steps
    assert len(idb(page, "introductions")) == 1


@pytest.fixture(scope="module")
def sync_url(dist_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("announce-sync")
    env = sync_env(data / "sync.sqlite3")
    with serving(dist_dir, env=env, log=data / "server.log") as url:
        yield url


def test_the_sync_journey_says_its_errors_progress_and_result_once(
    launch: Launch, sync_url: str
) -> None:
    page = launch().new_page()
    page.goto(sync_url + "#sync")
    wait_engine_ready(page)
    expect(page.locator("#setup-passphrase")).to_be_visible()
    record(page)

    # An error: said at once, tied to the field it is about.
    page.fill("#setup-passphrase", PASSPHRASE)
    page.fill("#setup-passphrase-again", PASSPHRASE + "!")
    said(page)  # the strength hint, as it was typed
    page.click("form[data-form=setup] button[type=submit]")
    assert said_when(page, "The two") == ["ALERT The two passphrases are not the same."]
    again = page.locator("#setup-passphrase-again")
    expect(again).to_be_focused()
    expect(again).to_have_attribute("aria-invalid", "true")
    expect(again).to_have_attribute("aria-describedby", re.compile(r"\bsetup-error\b"))
    page.fill("#setup-passphrase-again", PASSPHRASE)
    expect(again).not_to_have_attribute("aria-invalid", "true")
    expect(again).not_to_have_attribute("aria-describedby", re.compile(r"\bsetup-error\b"))

    # Turning sync on: each stage once, then the kit.
    said(page)
    page.click("form[data-form=setup] button[type=submit]")
    expect(page.get_by_test_id("recovery-kit")).to_be_visible(timeout=SYNC_MS)
    steps = said_when(page, "Sync is on")
    assert steps[0].startswith("Making your keys"), steps
    assert steps[-1].startswith("Sync is on."), steps
    assert no_repeats(steps) == [], steps

    # The first sync, and Sync now: progress and result, once each.
    page.get_by_test_id("kit-saved").click()
    assert said_when(page, "Synced", SYNC_MS) == ["Syncing…", "Synced just now."]
    expect(page.get_by_test_id("sync-now")).to_be_visible()
    page.get_by_test_id("sync-now").click()
    assert said_when(page, "Synced", SYNC_MS) == ["Syncing…", "Synced just now."]
