"""A full disk (issue 15, client part): when IndexedDB refuses a write with `QuotaExceededError`,
a capture, a command and an import each say in plain words that nothing was saved, keep what
was typed, leave nothing half-written on disk, and leave the engine as it was; once there is
space again, the same action saves exactly once."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, Route, expect

from .conftest import Launch, idb, wait_engine_ready

OUT_OF_SPACE = "The device is out of storage space, so nothing was saved."
STORES = (
    "people",
    "events",
    "introductions",
    "interactions",
    "opportunities",
    "decisions",
    "meta",
    "sync_records",
    "sync_outbox",
    "sync_meta",
    "inbox",
)
VCARDS = (
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Quentin Quota\r\nEMAIL:quentin@example.org\r\nEND:VCARD\r\n"
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Rosalind Room\r\nEMAIL:rosalind@example.org\r\nEND:VCARD\r\n"
)

# IndexedDB as on a full disk: every write transaction that adds data is aborted by the browser
# with a QuotaExceededError once its first write is done (deletes still go through). Installed
# in the page and in the engine worker, the one writer of records.
FILL_DISK = """() => {
    if (!self.__disk) {
        const disk = self.__disk = { full: false, refused: 0 };
        for (const name of ['put', 'add']) {
            const original = IDBObjectStore.prototype[name];
            IDBObjectStore.prototype[name] = function (...args) {
                const request = original.apply(this, args);
                const tx = this.transaction;
                if (disk.full && !tx.__refused) {
                    tx.__refused = true;
                    request.addEventListener('success', () => {
                        disk.refused++;
                        Object.defineProperty(tx, 'error', {
                            value: new DOMException('The quota has been exceeded.', 'QuotaExceededError'),
                        });
                        tx.abort();
                    });
                }
                return request;
            };
        }
    }
    self.__disk.full = true;
}"""
FREE_DISK = "() => { self.__disk.full = false; return self.__disk.refused; }"


@pytest.fixture(autouse=True)
def _patient_expect() -> object:
    expect.set_options(timeout=30_000)
    yield
    expect.set_options(timeout=5_000)


def disk(page: Page, full: bool) -> int:
    """Fill (or free) the disk for the page and its engine worker; how many writes it refused."""
    [worker] = [w for w in page.workers if "engine.worker" in w.url]
    refused = 0
    for scope in (page, worker):
        if full:
            scope.evaluate(FILL_DISK)
        else:
            refused += int(scope.evaluate(FREE_DISK))
    return refused


def on_disk(page: Page) -> dict[str, Any]:
    """What is stored, but for the morning digest's schedule: a cache the worker derives and
    rewrites in its own transaction after boot (#13), not data a command saves."""
    found = {store: idb(page, store) for store in STORES}
    if "meta" in found:
        found["meta"] = [r for r in found["meta"] if r.get("id") != "schedule"]
    return found


def people_shown(page: Page, app_url: str) -> str:
    """The People screen's list, as the engine (not the disk) has it."""
    page.goto(app_url + "#people")
    expect(page.get_by_role("heading", name="People", exact=True)).to_be_visible()
    page.wait_for_timeout(500)
    return page.locator("main").inner_text()


def open_fresh(launch: Launch, app_url: str, profile: str, hash_: str) -> Page:
    page = launch(profile).new_page()
    page.goto(app_url + hash_)
    wait_engine_ready(page)
    return page


def test_a_capture_on_a_full_disk_saves_nothing_says_so_and_keeps_the_typed_text(
    launch: Launch, app_url: str
) -> None:
    page = open_fresh(launch, app_url, "full-capture", "#capture")
    page.fill("#capture-name", "Ada Spaceless")
    page.fill("#capture-context", "met at the storage meetup")
    page.wait_for_timeout(300)  # the draft is written on every input
    before = on_disk(page)

    disk(page, full=True)
    page.click("#capture-form button[type=submit]")
    expect(page.locator("#toast")).to_contain_text(OUT_OF_SPACE)
    expect(page.locator("#capture-name")).to_have_value("Ada Spaceless")
    expect(page.locator("#capture-context")).to_have_value("met at the storage meetup")
    assert disk(page, full=False) >= 1
    assert on_disk(page) == before  # nothing half-written, nothing queued for sync
    assert "Ada Spaceless" not in people_shown(page, app_url)  # the engine is as it was

    # The typed text survives a reload (its draft), and with space again it saves once.
    page.goto(app_url + "#capture")
    page.reload()
    wait_engine_ready(page)
    expect(page.locator("#capture-name")).to_have_value("Ada Spaceless")
    page.click("#capture-form button[type=submit]")
    expect(page.locator("#toast")).to_contain_text("Saved Ada Spaceless.")
    assert [p["name"] for p in idb(page, "people")] == ["Ada Spaceless"]
    assert [o["key"] for o in idb(page, "sync_outbox")] == [
        f"people/{idb(page, 'people')[0]['id']}"
    ]


def test_a_command_on_a_full_disk_saves_nothing_says_so_and_keeps_the_form(
    launch: Launch, app_url: str
) -> None:
    page = open_fresh(launch, app_url, "full-command", "#opportunities")
    page.get_by_role("button", name="Add your first opportunity").click()
    dialog = page.get_by_role("dialog", name="Add an opportunity")
    dialog.get_by_label("Organisation").fill("Initrode")
    dialog.get_by_label("Notes").fill("Referred by the storage team")
    before = on_disk(page)

    disk(page, full=True)
    dialog.get_by_role("button", name="Add opportunity").click()
    expect(page.locator("#toast")).to_contain_text(OUT_OF_SPACE)
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Organisation")).to_have_value("Initrode")
    expect(dialog.get_by_label("Notes")).to_have_value("Referred by the storage team")
    assert disk(page, full=False) >= 1
    assert on_disk(page) == before

    dialog.get_by_role("button", name="Add opportunity").click()
    expect(dialog).to_be_hidden()
    assert [o["organisation"] for o in idb(page, "opportunities")] == ["Initrode"]


def test_an_import_on_a_full_disk_imports_nothing_and_says_so(launch: Launch, app_url: str) -> None:
    page = open_fresh(launch, app_url, "full-import", "#transfer")
    page.set_input_files(
        "#import-file",
        files=[{"name": "contacts.vcf", "mimeType": "text/vcard", "buffer": VCARDS}],
    )
    expect(page.locator("#import-preview .transfer-summary")).to_contain_text("2 new people")
    before = on_disk(page)

    disk(page, full=True)
    page.get_by_role("button", name="Import 2 people").click()
    error = page.locator("#import-preview").locator("..").get_by_role("alert")
    expect(error).to_contain_text(OUT_OF_SPACE)
    expect(error).to_contain_text("Nothing was imported.")
    assert disk(page, full=False) >= 1
    assert on_disk(page) == before
    shown = people_shown(page, app_url)
    assert "Quentin Quota" not in shown
    assert "Rosalind Room" not in shown

    # With space again, the same file imports once.
    page.goto(app_url + "#transfer")
    page.set_input_files(
        "#import-file",
        files=[{"name": "contacts.vcf", "mimeType": "text/vcard", "buffer": VCARDS}],
    )
    page.get_by_role("button", name="Import 2 people").click()
    expect(page.locator(".transfer-status").first).to_have_text("Imported: 2 new, 0 updated.")
    assert sorted(p["name"] for p in idb(page, "people")) == ["Quentin Quota", "Rosalind Room"]


def test_a_capture_kept_for_the_engine_on_a_full_disk_says_so_and_keeps_the_typed_text(
    launch: Launch, app_url: str
) -> None:
    context = launch("full-inbox")
    held: list[Route] = []
    released = False

    def hold(route: Route) -> None:
        if released:
            route.continue_()
        else:
            held.append(route)

    context.route("**/followup.zip", hold)
    page = context.new_page()
    page.goto(app_url + "#capture")
    page.wait_for_selector("html[data-shell=ready]")
    page.fill("#capture-name", "Bruno Early")

    # Before the engine is up the page keeps the command in its inbox: that write fails too.
    page.evaluate(FILL_DISK)
    page.click("#capture-form button[type=submit]")
    expect(page.locator("#toast")).to_contain_text(OUT_OF_SPACE)
    expect(page.locator("#capture-name")).to_have_value("Bruno Early")
    assert idb(page, "inbox") == []
    assert page.evaluate(FREE_DISK) >= 1

    released = True
    for route in held:
        route.continue_()
    wait_engine_ready(page)
    assert idb(page, "people") == []
    page.click("#capture-form button[type=submit]")
    expect(page.locator("#toast")).to_contain_text("Saved Bruno Early.")
    assert [p["name"] for p in idb(page, "people")] == ["Bruno Early"]


def test_the_engine_starts_on_a_full_disk_with_a_refused_command_waiting_in_its_inbox(
    launch: Launch, app_url: str
) -> None:
    context = launch("full-boot")
    page = context.new_page()
    page.goto(app_url)
    wait_engine_ready(page)
    # A command kept while the engine was starting, which the engine will refuse (no name).
    page.evaluate(
        """async () => (await import('./static/js/store.js')).enqueue({
            id: 'c-1', name: 'add_person', payload: { id: 'p-1', name: '' },
            at: new Date().toISOString(), today: '2030-01-01' })"""
    )
    held: list[Route] = []
    released = False

    def hold(route: Route) -> None:
        if released:
            route.continue_()
        else:
            held.append(route)

    # The engine must wait for its zip: a service worker would serve it from its cache, past
    # the route, so this page loads without one (it registers again, for the next load).
    page.evaluate(
        "async () => Promise.all((await navigator.serviceWorker.getRegistrations()).map((r) => r.unregister()))"
    )
    context.route("**/followup.zip", hold)
    page.reload()
    page.wait_for_selector("html[data-shell=ready]")
    disk_full_before_boot(page)
    assert held, "the engine's zip was not held back, so the engine may have started already"
    released = True
    for route in held:
        route.continue_()

    # Setting the refused command aside cannot be written; the engine starts all the same,
    # says so, and the command stays in the inbox (refused again next time, never lost).
    wait_engine_ready(page)
    expect(page.locator("#toast")).to_contain_text("could not be saved")
    assert disk(page, full=False) >= 1
    [entry] = idb(page, "inbox")
    assert entry["name"] == "add_person"
    assert "refused" not in entry


def disk_full_before_boot(page: Page) -> None:
    """Fill the disk for the engine worker while its engine is still held back."""
    for _ in range(100):
        workers = [w for w in page.workers if "engine.worker" in w.url]
        if workers:
            workers[0].evaluate(FILL_DISK)
            page.evaluate(FILL_DISK)
            return
        page.wait_for_timeout(100)
    raise AssertionError("the engine worker did not start")
