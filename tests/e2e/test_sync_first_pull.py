"""A newly paired device's first pull (issue #21): a history of many pages is counted on the
status line and said once; a pull cut off halfway (the tab closed) resumes where the last
written page ended, and the device ends up with every record once, nothing lost or doubled."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.support.serving import serving, sync_env

from .announcements import record, said
from .conftest import Launch, idb, put_records, wait_engine_ready

PASSPHRASE = "orbit candle meadow fjord 1942"
SYNC_MS = 60_000
PEOPLE = 30
RECEIVING = "Receiving your records from the server. The app stays usable meanwhile."

# Pair with pages of 4 records, and stop for good once 3 pages are written (as a tab closed
# in the middle would): the pairing never returns.
PAIR_AND_STALL = """async ({code, passphrase}) => {
    const sync = (await import('./static/js/sync/index.js')).startSync(null);
    sync.pageLimit = 4;
    const applyPage = sync.applyPage;
    let written = 0;
    sync.applyPage = async (...args) => {
        if (written >= 3) return new Promise(() => {});
        const answer = await applyPage.apply(sync, args);
        if (args[0].ok.length) written++;
        return answer;
    };
    sync.pair({ code, passphrase }).catch(() => {});
}"""


@pytest.fixture(scope="module")
def sync_url(dist_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("sync-first-pull")
    env = sync_env(data / "sync.sqlite3")
    with serving(dist_dir, env=env, log=data / "server.log") as url:
        yield url


def people(n: int) -> list[dict[str, Any]]:
    at = "2026-01-05T09:00:00+00:00"
    return [
        {
            "id": f"first-pull-{i:03d}", "name": f"Person {i:03d} Pulled", "organisation": "",
            "role": "", "emails": [], "phones": [], "urls": [], "tags": [], "notes": "",
            "how_met": "", "event_id": None, "created_at": at, "updated_at": at,
        }
        for i in range(n)
    ]  # fmt: skip


def open_sync(page: Page, url: str) -> None:
    page.goto(url + "#sync")
    wait_engine_ready(page)
    expect(page.get_by_test_id("sync-status")).to_be_visible()


def test_a_first_pull_cut_off_halfway_is_counted_said_once_and_resumes_with_nothing_lost(
    launch: Launch, sync_url: str
) -> None:
    phone = launch("phone").new_page()
    open_sync(phone, sync_url)
    put_records(phone, {"people": people(PEOPLE)})
    phone.fill("#setup-passphrase", PASSPHRASE)
    phone.fill("#setup-passphrase-again", PASSPHRASE)
    phone.click("form[data-form=setup] button[type=submit]")
    phone.get_by_test_id("kit-saved").click(timeout=SYNC_MS)
    expect(phone.get_by_test_id("sync-status")).to_have_text("Synced just now.", timeout=SYNC_MS)
    phone.locator("summary", has_text="Pair another device").click()
    code = phone.get_by_test_id("pairing-code").inner_text()

    # The tablet pairs; its first pull stops after 3 pages of 4: the count shows, said once.
    tablet_context = launch("tablet")
    tablet = tablet_context.new_page()
    open_sync(tablet, sync_url)
    record(tablet)
    tablet.evaluate(PAIR_AND_STALL, {"code": code, "passphrase": PASSPHRASE})
    expect(tablet.get_by_test_id("sync-status")).to_have_text(
        "Syncing… 12 records received.", timeout=SYNC_MS
    )
    assert said(tablet).count(RECEIVING) == 1
    assert len(idb(tablet, "people")) == 12

    # The tab is closed halfway; opened again, sync carries on from the last page written.
    tablet.close()
    tablet = tablet_context.new_page()
    open_sync(tablet, sync_url)
    expect(tablet.get_by_test_id("sync-status")).to_have_text("Synced just now.", timeout=SYNC_MS)
    pulled = idb(tablet, "people")
    assert sorted(p["name"] for p in pulled) == [p["name"] for p in people(PEOPLE)]
    states = [r for r in idb(tablet, "sync_records") if str(r["key"]).startswith("people/")]
    assert len(states) == PEOPLE
    assert idb(tablet, "sync_outbox") == []


# A page of a first pull finds which of its records this device holds from the keys kept in
# memory: here a database of its own, pages of 60, and in between a stamped write (it moves the
# clock, as every write but a head's does) and a head written without moving it.
PAGES_AGAINST_KEPT_KEYS = """async () => {
    const { openDatabase, applyPage } = await import('./static/js/store.js');
    const db = await openDatabase({ name: 'kept-keys' });
    const at = '2026-01-05T09:00:00.000Z-0000-0123456789abcdef';
    const item = (key) => {
        const [t, i] = key.split('/');
        return { seq: 1, key, state: { t, i, f: { name: [i, at] }, v: 1 } };
    };
    const held = [];
    const merge = (request) => {
        held.push(request.records.filter((r) => r.local).map((r) => r.key).sort());
        return { ok: true, clock: at, records: request.records.map((r) => ({ key: r.key, replica: null, pending: {}, changed: !r.local })), put: {}, delete: {}, rejected: [] };
    };
    const pull = (keys) => applyPage(db, { ok: keys.map(item), rejected: [] }, { id: 'kept-cursor', since: 0, log_id: null }, merge, []);
    const people = (from, to) => Array.from({ length: to - from }, (_, i) => `people/kept-${from + i}`);
    const put = (key, clock) => new Promise((resolve) => {
        const tx = db.transaction(['sync_records', 'sync_meta'], 'readwrite');
        tx.objectStore('sync_records').put({ key, store: key.split('/')[0], id: key.split('/')[1], f: '{}', rev: 1 });
        const meta = tx.objectStore('sync_meta');
        if (clock) meta.get('clock').onsuccess = (e) => meta.put({ ...e.target.result, last: clock });
        tx.oncomplete = resolve;
    });
    await pull(people(0, 60));
    await put('heads/kept-device', null);
    await pull([...people(60, 118), 'people/kept-5', 'heads/kept-device']);
    await put('people/kept-500', '2026-01-05T09:00:00.000Z-0001-0123456789abcdef');
    await pull([...people(118, 176), 'people/kept-61', 'people/kept-500']);
    const kept = (await new Promise((resolve) => {
        const request = db.transaction('sync_records').objectStore('sync_records').count();
        request.onsuccess = () => resolve(request.result);
    }));
    db.close();
    return { held, kept };
}"""


def test_a_big_page_is_given_exactly_the_local_states_this_device_holds(
    launch: Launch, sync_url: str
) -> None:
    page = launch("kept-keys").new_page()
    open_sync(page, sync_url)
    found = page.evaluate(PAGES_AGAINST_KEPT_KEYS)
    assert found["held"] == [
        [],
        ["heads/kept-device", "people/kept-5"],
        ["people/kept-500", "people/kept-61"],
    ]
    assert found["kept"] == 178
