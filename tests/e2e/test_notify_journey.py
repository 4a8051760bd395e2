"""Issue #13 end to end, as one user: with sync on, the phone turns on "Get reminders through
sync" in Settings (after the tap that explains, the browser's question, the subscription, the
server's registration and the synced device record); the coming mornings are sealed at once; the
server's own sender posts the next morning to a fake push service on loopback, which opens it
with the subscription's private key. A decision taken on the laptop, synced, re-seals that
morning for the phone: the server's pending message changes, and what is sent no longer names
the settled person. The server's database never holds the canary name.

The one stand-in is the browser's push service: headless Chromium has none, so the phone's
`PushManager` hands out the fake service's subscription (its endpoint and keys)."""

from __future__ import annotations

import json
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, Page, expect

from tests.server import fakepush

from .builders import interaction, introduction, person
from .conftest import (
    Launch,
    axe_violations,
    put_records,
    wait_engine_ready,
    wait_offline_ready,
)
from .test_push import (  # noqa: F401 (module fixtures)
    CANARY,
    PASSPHRASE,
    SYNC_TIMEOUT_MS,
    push_app,
    push_service,
    until,
)

# The browser's push service, played by the fake one: subscribe() hands out its subscription
# (kept across reloads in localStorage), only once notifications are allowed, as browsers do.
FAKE_PUSH_MANAGER = """(() => {
    if (typeof PushManager !== 'function') return;
    const KEPT = 'test-fake-push-subscription';
    const bytes = (t) => Uint8Array.from(atob(t.replace(/-/g, '+').replace(/_/g, '/')
        .padEnd(Math.ceil(t.length / 4) * 4, '=')), (c) => c.charCodeAt(0));
    const text = (view) => btoa(String.fromCharCode(...view)).replace(/\\+/g, '-')
        .replace(/\\//g, '_').replace(/=+$/, '');
    const made = (serverKey) => ({
        endpoint: %(endpoint)s,
        options: { applicationServerKey: bytes(serverKey).buffer, userVisibleOnly: true },
        getKey: (name) => bytes(name === 'p256dh' ? %(p256dh)s : %(auth)s).buffer,
        unsubscribe: async () => { localStorage.removeItem(KEPT); return true; },
    });
    PushManager.prototype.subscribe = async function (options) {
        if (Notification.permission !== 'granted') throw new DOMException('Permission denied', 'NotAllowedError');
        const key = options.applicationServerKey;
        const view = key instanceof ArrayBuffer ? new Uint8Array(key) : new Uint8Array(key.buffer, key.byteOffset, key.byteLength);
        localStorage.setItem(KEPT, text(view));
        return made(text(view));
    };
    PushManager.prototype.getSubscription = async function () {
        const kept = localStorage.getItem(KEPT);
        return kept ? made(kept) : null;
    };
})();"""


def pending(database: Path) -> list[tuple[int, bytes]]:
    """The server's pending push messages: (send time, sealed blob), soonest first."""
    with sqlite3.connect(database, timeout=10) as db:
        rows = db.execute("SELECT send_at, blob FROM push_messages ORDER BY send_at").fetchall()
    return [(int(at), bytes(blob)) for at, blob in rows]


def send_now(database: Path, send_at: int) -> None:
    """Tomorrow morning comes: the message due then is due now, for the server's sender."""
    with sqlite3.connect(database, timeout=10) as db:
        db.execute(
            "UPDATE push_messages SET send_at = ? WHERE send_at = ?", (int(time.time()), send_at)
        )


def sent(
    page: Page, service: fakepush.FakePushService, database: Path, send_at: int, n: int
) -> dict[str, Any]:
    """The morning due at `send_at`, made due now and sent by the server's sender: the n-th
    message the fake push service received and opened, as the device would. (A device's
    re-seal may replace it with a fresh upload of the same morning meanwhile: that one is
    made due too.)"""

    def arrived() -> bool:
        if len(service.delivered) >= n:
            return True
        send_now(database, send_at)
        return False

    until(page, arrived)
    assert service.refused == []
    return json.loads(service.delivered[n - 1].payload)  # type: ignore[no-any-return]


def turn_on_sync(page: Page) -> str:
    """Sync set up on the sync screen; answers the pairing code for a second device."""
    page.fill("#setup-passphrase", PASSPHRASE)
    page.fill("#setup-passphrase-again", PASSPHRASE)
    page.click("form[data-form=setup] button[type=submit]")
    expect(page.get_by_test_id("recovery-kit")).to_be_visible(timeout=SYNC_TIMEOUT_MS)
    page.get_by_test_id("kit-saved").click()
    expect(page.get_by_test_id("sync-status")).to_have_text(
        "Synced just now.", timeout=SYNC_TIMEOUT_MS
    )
    page.locator("summary", has_text="Pair another device").click()
    return page.get_by_test_id("pairing-code").inner_text()


def test_reminders_through_sync_from_settings_to_the_phone_corrected_by_the_laptop(
    launch: Launch,
    push_app: dict[str, Any],  # noqa: F811
    push_service: fakepush.FakePushService,  # noqa: F811
    axe_source: str,
) -> None:
    url: str = push_app["url"]
    database: Path = push_app["data"] / "sync.sqlite3"
    phone_sub = push_service.subscribe("journey-phone")
    phone: BrowserContext = launch("phone")
    phone.add_init_script(
        FAKE_PUSH_MANAGER
        % {
            "endpoint": json.dumps(phone_sub.endpoint),
            "p256dh": json.dumps(fakepush.b64url(phone_sub.p256dh)),
            "auth": json.dumps(fakepush.b64url(phone_sub.auth)),
        }
    )
    page = phone.new_page()
    page.goto(url + "#sync")
    wait_engine_ready(page)
    wait_offline_ready(page)
    push_service.server_key = page.evaluate(
        "async () => (await fetch('./api/v1/push/key')).json()"
    )["public_key"]

    # Two follow-ups due today, so due on every coming morning; the digest at midnight.
    now = datetime.now(UTC)
    put_records(
        page,
        {
            "people": [
                person("ana", "Ana Lopez", now - timedelta(days=2)),
                person("wei", CANARY, now - timedelta(hours=1)),
                person("sam", "Sam Okafor", now - timedelta(days=2)),
            ],
            "introductions": [introduction("i1", "ana", "wei", now - timedelta(hours=1))],
            "interactions": [interaction("m1", ["sam"], "coffee", now - timedelta(hours=2))],
            "meta": [{"id": "settings", "reminders": {"enabled": True, "time": "00:00"}}],
        },
    )
    code = turn_on_sync(page)

    # Settings: offered because sync is on; the tap explains, the browser asks after it.
    page.goto(url + "#settings/reminders")
    part = page.locator("#reminders-push")
    expect(part).to_contain_text(
        "Get reminders through sync (for iPhone/iPad and browsers without periodic sync)"
    )
    part.get_by_role("button", name="Get reminders through sync").click()
    expect(part).to_contain_text("Allow notifications?")
    phone.grant_permissions(["notifications"])  # the user's answer to the browser's question
    part.get_by_role("button", name="Allow and turn on").click()
    expect(part.get_by_role("status")).to_contain_text(
        "Reminders through sync are on for this device", timeout=SYNC_TIMEOUT_MS
    )
    devices = part.locator("#reminders-push-devices")
    expect(devices.get_by_role("checkbox")).to_have_count(1)
    expect(devices.get_by_role("checkbox", name="This device")).to_be_checked()
    assert axe_violations(page, axe_source) == []

    # The server holds the coming mornings, sealed: opaque to it.
    before = until(page, lambda: pending(database))
    stored = b"".join(p.read_bytes() for p in sorted(database.parent.glob("sync.sqlite3*")))
    assert phone_sub.endpoint.encode() in stored
    assert CANARY.encode() not in stored

    # Tomorrow comes: the server's sender posts it, the push service opens it.
    tomorrow = before[0][0]
    first = sent(page, push_service, database, tomorrow, 1)
    assert first["web_push"] == 8030
    assert first["app_badge"] == 2
    assert first["notification"]["title"] == "2 follow-ups due today"
    assert CANARY in first["notification"]["body"]
    assert first["notification"]["navigate"] == url + "#/today/reach-out%3Ai1"

    # The laptop pairs, sees the phone listed, settles the first item, and syncs: it re-seals
    # the phone's mornings, and the server's pending messages change.
    laptop = launch("laptop")
    other = laptop.new_page()
    other.goto(url + "#sync")
    wait_engine_ready(other)
    other.locator("summary", has_text="joins sync").click()
    other.fill("#pair-code", code)
    other.fill("#pair-passphrase", PASSPHRASE)
    other.click("form[data-form=pair] button[type=submit]")
    expect(other.get_by_test_id("sync-status")).to_have_text(
        "Synced just now.", timeout=SYNC_TIMEOUT_MS
    )
    other.goto(url + "#settings/reminders")
    listed = other.locator("#reminders-push-devices").get_by_role("checkbox")
    expect(listed).to_have_count(1, timeout=SYNC_TIMEOUT_MS)
    expect(listed).to_be_checked()
    reseal = """async (decide) => {
        const sync = (await import('./static/js/sync/index.js')).startSync(null);
        const push = await import('./static/js/push/index.js');
        if (decide) {
            const now = new Date();
            const answer = await sync.engine.call({ op: 'command', name: 'mark_done',
                payload: { key: 'reach-out:i1' }, now: now.toISOString(), today: now.toISOString().slice(0, 10) });
            if (!answer.ok) return answer;
            await sync.syncNow();
        }
        // What the sync just started in the background, awaited here (done, or "unchanged").
        return { ok: true, ...(await push.resealMornings({ engine: sync.engine, sync })) };
    }"""
    assert other.evaluate(reseal, False)["ok"]
    sealed_before = {blob for _, blob in until(page, lambda: pending(database))}
    decided = other.evaluate(reseal, True)
    assert decided["ok"], decided
    after = pending(database)
    assert after[0][0] == tomorrow  # that morning is still due, for the other follow-up...
    assert not {blob for _, blob in after} & sealed_before  # ...and sealed again
    assert len(after) <= len(before)

    # The corrected morning, sent: one follow-up, the settled person gone.
    second = sent(page, push_service, database, tomorrow, 2)
    assert second["app_badge"] == 1
    assert second["notification"]["title"] == "1 follow-up due today"
    assert second["notification"]["body"].startswith("Thank Sam Okafor")
    assert CANARY not in second["notification"]["body"]
    stored = b"".join(p.read_bytes() for p in sorted(database.parent.glob("sync.sqlite3*")))
    assert CANARY.encode() not in stored
    assert CANARY.encode() not in (push_app["data"] / "server.log").read_bytes()
