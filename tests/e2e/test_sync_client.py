"""Sync's client under stress (issue 15, client part): records from other devices that could
not be read are listed on the Sync screen with what to do, and a device that holds a session
is never locked out by strangers' wrong guesses."""

from __future__ import annotations

import base64
import json
import secrets
import urllib.error
import urllib.request
from typing import Any

from playwright.sync_api import Page, expect

from .conftest import Launch, idb
from .test_full_disk import disk
from .test_sync import (
    LAPTOP,
    PASSPHRASE,
    SYNC_TIMEOUT_MS,
    capture,
    open_app,
    people_by_name,
    sync_app,
    sync_now,
)

__all__ = ["sync_app"]


def set_up_sync(page: Page) -> str:
    """Turn sync on from the Sync screen; the pairing code for the next device."""
    page.fill("#setup-passphrase", PASSPHRASE)
    page.fill("#setup-passphrase-again", PASSPHRASE)
    page.click("form[data-form=setup] button[type=submit]")
    page.get_by_test_id("kit-saved").click(timeout=SYNC_TIMEOUT_MS)
    expect(page.get_by_test_id("sync-status")).to_have_text(
        "Synced just now.", timeout=SYNC_TIMEOUT_MS
    )
    page.locator("summary", has_text="Pair another device").click()
    return page.get_by_test_id("pairing-code").inner_text()


def pair(page: Page, code: str, passphrase: str = PASSPHRASE) -> None:
    page.locator("summary", has_text="joins sync").click()
    page.fill("#pair-code", code)
    page.fill("#pair-passphrase", passphrase)
    page.click("form[data-form=pair] button[type=submit]")
    expect(page.get_by_test_id("sync-status")).to_have_text(
        "Synced just now.", timeout=SYNC_TIMEOUT_MS
    )


def account_of(page: Page) -> dict[str, Any]:
    [account] = [r for r in idb(page, "sync_meta") if r["id"] == "account"]
    return account


def wrong_login(url: str, account_id: str) -> int:
    """A stranger's guess at the account's passphrase, from outside any device."""
    body = json.dumps(
        {"account_id": account_id, "auth_key": base64.b64encode(secrets.token_bytes(32)).decode()}
    ).encode()
    request = urllib.request.Request(
        url + "api/v1/session", data=body, headers={"content-type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


# --- Records that could not be read ------------------------------------------------------------

PLANT_REJECTS = """async () => {
    const cc = await import('./static/js/crypto.js');
    const store = await import('./static/js/store.js');
    const sync = (await import('./static/js/sync/index.js')).startSync(null);
    const account = await store.get('sync_meta', 'account');
    const keys = await sync.keysOf(account);
    // A damaged record in the server's log, as a broken or hostile writer would leave it.
    await sync.request(account.server, 'POST', 'push', { token: account.token, body: {
        batch_id: cc.toHex(cc.randomBytes(16)),
        items: [{ record_id: cc.toHex(cc.randomBytes(16)), based_on_seq: 0,
                  envelope: cc.toBase64(new Uint8Array([1, 0, 0, 0, 1, ...cc.randomBytes(300)])) }],
    } });
    // A record that opens but that this engine cannot read (a field is not a value and clock).
    const broken = new TextEncoder().encode(JSON.stringify({ f: { name: 'no clock' }, i: 'broken-1', t: 'people', v: 1 }));
    const brokenId = await keys.recordId('people', 'broken-1');
    await sync.request(account.server, 'POST', 'push', { token: account.token, body: {
        batch_id: cc.toHex(cc.randomBytes(16)),
        items: [{ record_id: cc.toHex(brokenId), based_on_seq: 0,
                  envelope: cc.toBase64(await cc.encryptRecord(keys.dek, keys.keyId, keys.accountId, brokenId, broken)) }],
    } });
    // A good record set aside earlier (its key was not known then): a retry can read it now.
    const stamp = '2030-01-01T00:00:00.000Z-0000-00000000000000a1';
    const f = Object.fromEntries(Object.entries({
        name: 'Late Lattimore', organisation: '', role: '', emails: [], phones: [], urls: [], notes: '',
        how_met: '', event_id: null, created_at: '2030-01-01T00:00:00+00:00',
        updated_at: '2030-01-01T00:00:00+00:00',
    }).map(([k, v]) => [k, [v, stamp]]));
    const plaintext = new TextEncoder().encode(JSON.stringify({ f, i: 'late-1', t: 'people', v: 1 }));
    const recordId = await keys.recordId('people', 'late-1');
    const envelope = cc.toBase64(await cc.encryptRecord(keys.dek, keys.keyId, keys.accountId, recordId, plaintext));
    // A record an older app could not read (the engine refused its state): a retry merges it.
    const state = { f: { ...f, name: ['Nadia Newer', stamp] }, i: 'late-2', t: 'people', v: 1 };
    await store.commit({ put: { sync_rejects: [
        { key: cc.toHex(recordId), seq: 1, error: 'unknown-key', message: 'No key for this record yet.', envelope },
        { key: 'people/late-2', seq: 2, error: 'bad-record', message: 'A field is damaged.', merge: true, states: [state] },
    ] } });
}"""


def test_records_that_could_not_be_read_are_listed_with_what_to_do_and_never_called_synced(
    launch: Launch, sync_app: dict[str, Any]
) -> None:
    url = sync_app["url"]
    page = open_app(launch("rejects"), url, "#sync")
    set_up_sync(page)
    page.evaluate(PLANT_REJECTS)
    page.evaluate(
        "async () => (await import('./static/js/sync/index.js')).startSync(null).syncNow()"
    )

    # Both are listed, each with its reason and what to do; the status does not say synced.
    status = page.get_by_test_id("sync-status")
    expect(status).to_have_text(
        "4 records from other devices could not be read. See below.", timeout=SYNC_TIMEOUT_MS
    )
    card = page.get_by_test_id("sync-rejects")
    expect(card).to_be_visible()
    expect(card.locator("h3")).to_have_text("4 records could not be read — what to do")
    expect(card.locator("li[data-error=unknown-key]")).to_contain_text("Sign in again")
    expect(card.locator("li[data-error=bad-record]")).to_have_count(2)
    expect(card.locator("li[data-error=bad-record]").first).to_contain_text("Update the app")
    damaged = card.locator("li:not([data-error=unknown-key]):not([data-error=bad-record])")
    expect(damaged).to_have_count(1)
    expect(damaged).to_contain_text("Try again; if it stays, forget it")

    # Kept small: the key, the seq, the error; an envelope only where a retry can use it.
    for reject in idb(page, "sync_rejects"):
        assert set(reject) <= {"key", "seq", "error", "message", "envelope", "merge", "states"}
        assert len(str(reject["message"])) <= 300
        assert isinstance(reject["seq"], int)
        assert reject["seq"] > 0

    # The engine's refusal is kept with its seq and its opened state (for a newer app).
    [refused] = [r for r in idb(page, "sync_rejects") if r["key"] == "people/broken-1"]
    assert refused["merge"] is True
    assert refused["states"][0]["i"] == "broken-1"
    assert "envelope" not in refused

    # Trying again reads the ones that can be read now; the damaged two stay listed.
    page.get_by_test_id("rejects-retry").click()
    expect(card.locator(".sync-rejects-result")).to_have_text("2 records were read and merged.")
    expect(card.locator("li")).to_have_count(2)
    assert {"Late Lattimore", "Nadia Newer"} <= set(people_by_name(page))
    assert "broken-1" not in {p["id"] for p in idb(page, "people")}
    expect(status).to_have_text("2 records from other devices could not be read. See below.")
    page.get_by_test_id("sync-now").click()
    expect(status).to_have_text("2 records from other devices could not be read. See below.")

    # Forgetting it (after a confirmation) clears the list, and only then is it "synced".
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("rejects-forget").click()
    expect(card).to_be_hidden()
    assert idb(page, "sync_rejects") == []
    page.get_by_test_id("sync-now").click()
    expect(status).to_have_text("Synced just now.", timeout=SYNC_TIMEOUT_MS)


# --- Lock-out by strangers ---------------------------------------------------------------------


def test_strangers_wrong_guesses_do_not_lock_out_devices_that_hold_a_session(
    launch: Launch, sync_app: dict[str, Any]
) -> None:
    url = sync_app["url"]
    phone = open_app(launch("lock-phone"), url, "#sync")
    code = set_up_sync(phone)
    laptop_context = launch("lock-laptop", viewport=LAPTOP)
    laptop = open_app(laptop_context, url, "#sync")
    pair(laptop, code)
    account_id = str(account_of(phone)["account_id"])

    # Strangers guess until the account is locked for new devices.
    answers = [wrong_login(url, account_id) for _ in range(6)]
    assert answers[:5] == [401] * 5
    assert answers[5] == 429

    # The phone, signed in, still changes the passphrase (it shows its session).
    new_passphrase = "quartz lantern tundra ferry 77"
    phone.locator("summary", has_text="Change the passphrase").click()
    phone.fill("#change-current", PASSPHRASE)
    phone.fill("#change-new", new_passphrase)
    phone.fill("#change-new-again", new_passphrase)
    phone.click("form[data-form=change] button[type=submit]")
    expect(phone.locator(".sync-done")).to_be_visible(timeout=SYNC_TIMEOUT_MS)

    # The laptop meets the change; its session is stale but still its own, so it signs in
    # with the new passphrase although strangers keep the account locked for new devices.
    capture(laptop, url, "Wendell Okafor")
    laptop.goto(url + "#sync")
    expect(laptop.locator("#unlock-heading")).to_have_text(
        "Passphrase changed on another device", timeout=SYNC_TIMEOUT_MS
    )
    assert account_of(laptop).get("token")
    assert wrong_login(url, account_id) == 429
    laptop.fill("#unlock-passphrase", new_passphrase)
    laptop.click("form[data-form=unlock] button[type=submit]")
    expect(laptop.get_by_test_id("sync-status")).to_have_text(
        "Synced just now.", timeout=SYNC_TIMEOUT_MS
    )
    sync_now(phone, url)
    assert "Wendell Okafor" in people_by_name(phone)

    # A new device, with no session, is still refused while the lock lasts.
    tablet = open_app(launch("lock-tablet"), url, "#sync")
    tablet.locator("summary", has_text="joins sync").click()
    tablet.fill("#pair-code", code)
    tablet.fill("#pair-passphrase", new_passphrase)
    tablet.click("form[data-form=pair] button[type=submit]")
    expect(tablet.locator("form[data-form=pair] .error")).to_be_visible(timeout=SYNC_TIMEOUT_MS)


# --- A full disk ---------------------------------------------------------------------------------


def test_changes_from_another_device_on_a_full_disk_wait_and_the_status_says_why(
    launch: Launch, sync_app: dict[str, Any]
) -> None:
    url = sync_app["url"]
    phone = open_app(launch("full-phone"), url, "#sync")
    code = set_up_sync(phone)
    laptop = open_app(launch("full-laptop", viewport=LAPTOP), url, "#sync")
    pair(laptop, code)
    capture(laptop, url, "Noor Fullwood")
    sync_now(laptop, url)
    cursor = [r for r in idb(phone, "sync_meta") if r["id"] == "cursor"]

    disk(phone, full=True)
    phone.get_by_test_id("sync-now").click()
    expect(phone.get_by_test_id("sync-status")).to_have_text(
        "The device is out of storage space, so sync could not save what it received. "
        "Free some space; nothing on this device was lost, and sync will try again.",
        timeout=SYNC_TIMEOUT_MS,
    )
    assert disk(phone, full=False) >= 1
    assert "Noor Fullwood" not in people_by_name(phone)
    assert [r for r in idb(phone, "sync_meta") if r["id"] == "cursor"] == cursor

    phone.get_by_test_id("sync-now").click()
    expect(phone.get_by_test_id("sync-status")).to_have_text(
        "Synced just now.", timeout=SYNC_TIMEOUT_MS
    )
    assert "Noor Fullwood" in people_by_name(phone)
