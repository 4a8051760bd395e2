"""Several tabs of one device at once (SYNC-DESIGN §7 K, issue 15): two tabs capture people
through their own engines while a third syncs and then upgrades the service worker, and another
device edits too. Nothing is lost or doubled on either device, every tab's engine holds it all,
and at most one tab syncs at a time (the Web Lock `followthrough-sync`), proven from each tab's
own record of when it held the lock and when it talked to the server."""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.support.serving import serving, sync_env

from .conftest import Launch, idb, wait_engine_ready, wait_offline_ready
from .test_sync import LAPTOP, capture, open_app, sync_now
from .test_sync_client import pair, set_up_sync
from .test_update import active_version, release_new_version

FIRST = ["Abel", "Bryn", "Cato", "Dara", "Eero", "Fenn", "Gwen", "Hale", "Ines", "Joss"]
LAST = ["Ashby", "Brook", "Crane", "Dunmore", "Ellery", "Frost", "Garrow", "Hollis", "Ives", "Jory"]
TAB_ONE = [f"{first} {LAST[i]}-One" for i, first in enumerate(FIRST)]
TAB_TWO = [f"{first} {LAST[-1 - i]}-Two" for i, first in enumerate(FIRST)]
OTHER_DEVICE = ["Kit Lorimer", "Lale Marsh", "Milo Nance", "Nell Orton"]

# Each tab keeps its own log (in localStorage, so it outlives a reload under its own key) of
# when it held the sync lock and when its pull and push requests were in flight.
RECORD_SYNC = """(() => {
    const key = `synclog:${Math.random().toString(36).slice(2)}`;
    const log = { url: location.href, locks: [], fetches: [] };
    const save = () => { try { localStorage.setItem(key, JSON.stringify(log)); } catch {} };
    const now = () => performance.timeOrigin + performance.now();
    const nativeFetch = window.fetch.bind(window);
    window.fetch = async (input, init) => {
        const url = input instanceof Request ? input.url : String(input);
        if (!/\\/v1\\/(pull|push)/.test(url)) return nativeFetch(input, init);
        const entry = { path: url.replace(/^.*\\/v1\\//, ''), start: now(), end: 0 };
        log.fetches.push(entry);
        save();
        try {
            return await nativeFetch(input, init);
        } finally {
            if (!entry.end) entry.end = now();
            save();
        }
    };
    // A tab that unloads (a reload into the new version) lets go of the lock as it goes; what
    // it was doing ends there.
    addEventListener('pagehide', () => {
        const at = now();
        for (const entry of [...log.locks, ...log.fetches]) if (!entry.end) entry.end = at;
        save();
    });
    const locks = navigator.locks;
    const request = locks.request.bind(locks);
    locks.request = (name, ...rest) => {
        if (name !== 'followthrough-sync') return request(name, ...rest);
        const fn = rest.pop();
        return request(name, ...rest, async (lock) => {
            const entry = { start: now(), end: 0 };
            log.locks.push(entry);
            save();
            try {
                return await fn(lock);
            } finally {
                if (!entry.end) entry.end = now();
                save();
            }
        });
    };
})();"""

# Capture people one after another through the tab's Capture form (its own engine), at a
# person's pace; resolves with the names saved.
CAPTURE_ALL = """(names) => {
    const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    window.__captures = (async () => {
        const saved = [];
        for (const name of names) {
            const input = document.getElementById('capture-name');
            input.value = name;
            input.dispatchEvent(new Event('input', { bubbles: true }));
            document.querySelector('#capture-form button[type=submit]').click();
            const started = Date.now();
            while (document.getElementById('capture-name').value !== '') {
                if (Date.now() - started > 60000) throw new Error(`${name} was not saved`);
                await sleep(50);
            }
            saved.push(name);
            await sleep(150 + Math.random() * 400);
        }
        return saved;
    })();
}"""

# Sync again and again from this tab while the others edit.
SYNC_REPEATEDLY = """(times) => {
    window.__syncs = (async () => {
        const sync = (await import('./static/js/sync/index.js')).startSync(null);
        let ran = 0;
        for (let i = 0; i < times; i++) {
            await sync.syncNow({ reason: 'test' }).then(() => { ran++; }, () => {});
            await new Promise((resolve) => setTimeout(resolve, 200));
        }
        return ran;
    })();
}"""

SYNC_LOGS = """() => Object.keys(localStorage).filter((k) => k.startsWith('synclog:'))
    .map((k) => JSON.parse(localStorage.getItem(k)))"""


@pytest.fixture(autouse=True)
def _patient_expect() -> object:
    """Three engines boot side by side on one device, and a second device: wait up to 60 s."""
    expect.set_options(timeout=60_000)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture
def sync_server(dist_dir: Path, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A copy of the build (a new version can be released into it) and a sync server."""
    dist = tmp_path / "dist"
    shutil.copytree(dist_dir, dist)
    env = sync_env(tmp_path / "sync.sqlite3")
    with serving(dist, env=env, log=tmp_path / "server.log") as url:
        yield url, dist


def tab(page: Page, url: str, hash_: str) -> Page:
    page.goto(url + hash_)
    wait_engine_ready(page)
    return page


def names_in(page: Page) -> Counter[str]:
    return Counter(str(p["name"]) for p in idb(page, "people"))


def check_one_sync_at_a_time(logs: list[dict[str, Any]]) -> None:
    """No two tabs held the sync lock at once, and every pull and push was sent by a tab while
    it held the lock."""
    held = [(lock["start"], lock["end"], n) for n, log in enumerate(logs) for lock in log["locks"]]
    assert all(end > 0 for _, end, _ in held), "a sync never finished"
    for i, (start_a, end_a, tab_a) in enumerate(held):
        for start_b, end_b, tab_b in held[i + 1 :]:
            apart = end_a <= start_b or end_b <= start_a
            assert apart, f"tabs {tab_a} and {tab_b} held the sync lock at the same time"
    for n, log in enumerate(logs):
        for fetch in log["fetches"]:
            assert any(
                lock["start"] <= fetch["start"] and fetch["end"] <= lock["end"]
                for lock in log["locks"]
            ), f"tab {n} sent {fetch} without holding the sync lock: {log}"


def test_two_tabs_edit_one_syncs_and_upgrades_and_nothing_is_lost_or_doubled(
    launch: Launch, sync_server: tuple[str, Path]
) -> None:
    url, dist = sync_server
    device = launch("device")
    device.add_init_script(RECORD_SYNC)
    first = device.new_page()
    first.goto(url)
    wait_offline_ready(first)
    tab(first, url, "#sync")
    code = set_up_sync(first)
    old = active_version(first)
    other = open_app(launch("other-device", viewport=LAPTOP), url, "#sync")
    pair(other, code)

    # Two tabs capture at a person's pace while a third syncs over and over; every tab also
    # syncs by itself after its edits (it hears of them on the BroadcastChannel).
    first = tab(first, url, "#capture")
    second = tab(device.new_page(), url, "#capture")
    third = tab(device.new_page(), url, "#sync")
    first.evaluate(CAPTURE_ALL, TAB_ONE)
    second.evaluate(CAPTURE_ALL, TAB_TWO)
    third.evaluate(SYNC_REPEATEDLY, 15)

    # Meanwhile the other device edits and syncs, and a new version of the app is released:
    # the third tab upgrades to it (and reloads) while the first two keep capturing.
    for name in OTHER_DEVICE:
        capture(other, url, name)
    sync_now(other, url)
    new = release_new_version(dist)
    third.reload()
    expect(third.get_by_role("button", name="Update")).to_be_visible()
    third.get_by_role("button", name="Update").click()
    third.wait_for_function(
        """(version) => new Promise((resolve) => {
            const c = navigator.serviceWorker.controller;
            if (!c) return resolve(false);
            const channel = new MessageChannel();
            channel.port1.onmessage = (event) => resolve(event.data === version);
            c.postMessage({ type: 'version' }, [channel.port2]);
        })""",
        arg=new,
        timeout=60_000,
    )
    assert new != old
    wait_engine_ready(third)
    third.evaluate(SYNC_REPEATEDLY, 5)

    assert first.evaluate("() => window.__captures") == TAB_ONE
    assert second.evaluate("() => window.__captures") == TAB_TWO
    assert third.evaluate("() => window.__syncs") == 5

    # Both tabs open the same person's edit form at once; each changes a different field.
    [ada] = [p for p in idb(first, "people") if p["name"] == TAB_ONE[0]]
    edits = []
    for page in (first, second):
        page.goto(f"{url}#person/{ada['id']}")
        page.get_by_role("button", name="Edit details").click()
        edits.append(page.get_by_role("dialog", name=f"Edit {TAB_ONE[0]}"))
    edits[0].get_by_label("Role").fill("Harbour master")
    edits[1].get_by_label("Tags").fill("sailing")
    for dialog in edits:
        dialog.get_by_role("button", name="Save changes").click()
        expect(dialog).to_be_hidden()

    # Settle: this device, the other, this device again.
    sync_now(third, url)
    sync_now(other, url)
    sync_now(third, url)

    everyone = Counter(TAB_ONE + TAB_TWO + OTHER_DEVICE)
    assert names_in(third) == everyone  # each exactly once on this device
    assert names_in(other) == everyone  # and on the other one
    for page in (third, other):
        [edited] = [p for p in idb(page, "people") if p["name"] == TAB_ONE[0]]
        assert (edited["role"], edited["tags"]) == ("Harbour master", ["sailing"])
    assert idb(third, "sync_outbox") == []
    assert idb(third, "sync_rejects") == []

    # Every tab's engine holds everything, the tabs that did not upgrade included.
    for page in (first, second, third):
        page.goto(url + "#people")
        people = page.locator("main")
        for name in everyone:
            expect(people).to_contain_text(name)
        text = people.inner_text()
        for name in everyone:
            assert text.count(name) == 1, name

    logs: list[dict[str, Any]] = third.evaluate(SYNC_LOGS)
    check_one_sync_at_a_time(logs)
    # And as the server saw it: no two tabs' requests were ever in flight at once.
    sent = [(f["start"], f["end"], n) for n, log in enumerate(logs) for f in log["fetches"]]
    for i, (start_a, end_a, tab_a) in enumerate(sent):
        for start_b, end_b, tab_b in sent[i + 1 :]:
            apart = tab_a == tab_b or end_a <= start_b or end_b <= start_a
            assert apart, f"tabs {tab_a} and {tab_b} talked to the server at once"
    syncing_tabs = [log for log in logs if log["fetches"]]
    assert len(syncing_tabs) >= 3, "the tabs did not take turns"
