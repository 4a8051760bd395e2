"""Web Push end to end: Chromium seals a morning's notification (RFC 8291, WebCrypto) for a
device the test holds, a real server signs and sends it at its time to a fake push service on
loopback, which checks the VAPID signature and opens it with that device's private key; the
opened payload, delivered to the app's service worker over CDP, is shown. The name typed into
the app is in the notification, and nowhere in the server's database or log."""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, CDPSession, Page, expect

from tests.server import fakepush
from tests.support.serving import serving, sync_env

from .conftest import Launch, idb, wait_engine_ready, wait_offline_ready

PASSPHRASE = "orbit candle meadow fjord 1942"
CANARY = f"Quintessa Canary{secrets.token_hex(4)}"
SYNC_TIMEOUT_MS = 60_000

NOTIFICATIONS = """async () => {
    const registration = await navigator.serviceWorker.ready;
    return (await registration.getNotifications()).map((n) => ({ title: n.title, body: n.body, tag: n.tag, data: n.data }));
}"""

# List the test's device in the synced record, register its endpoint with the server, and seal
# the mornings. The first morning is made due now; without the engine's `schedule` op (or with
# nothing due in it), a stand-in morning names the person typed into the app.
SEAL_FOR_DEVICE = """async ({ endpoint, p256dh, auth }) => {
    const { startSync } = await import('./static/js/sync/index.js');
    const push = await import('./static/js/push/index.js');
    const store = await import('./static/js/store.js');
    const sync = startSync(null);
    // No sync runs from here on: its own re-sealing would replace this test's messages.
    clearTimeout(sync.timer);
    sync.schedule = () => {};
    const engine = sync.engine;
    const clock = () => ({ now: new Date().toISOString(), today: new Date().toISOString().slice(0, 10) });
    const record = await store.get('meta', 'push_devices');
    const listed = await engine.call({ op: 'push_device', ...clock(), record: record ?? null, device: 'laptop',
        subscription: { endpoint, p256dh, auth, name: 'Laptop', zone: 'UTC', app: new URL('./', location.href).href } });
    if (!listed.ok) return listed;
    const account = await store.get('sync_meta', 'account');
    await sync.request(account.server, 'POST', 'push/subscription', { token: account.token, body: { endpoint } });
    const person = (await store.getAll('people'))[0];
    const due = new Date().toISOString();
    const standIn = { date: due.slice(0, 10), at: due, count: 1, title: '1 follow-up today',
        body: `Reach out to ${person.name}`, url: `./#/today/${person.id}`, tag: 'followthrough-digest', items: [] };
    const wrapped = { call: async (request) => {
        if (request.op !== 'schedule') return engine.call(request);
        const real = await engine.call(request);
        const mornings = real.ok && real.mornings?.length ? real.mornings : [standIn];
        return { ok: true, mornings: [{ ...mornings[0], at: due }, ...mornings.slice(1)] };
    } };
    return push.resealMornings({ engine: wrapped, sync });
}"""


@pytest.fixture(scope="module")
def push_service() -> Iterator[fakepush.FakePushService]:
    service = fakepush.FakePushService()
    server = fakepush.start(service)
    yield service
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def push_app(dist_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The app and the sync API (with its Web Push sender) from one `build.py serve`."""
    data = tmp_path_factory.mktemp("push-server")
    env = sync_env(data / "sync.sqlite3", FOLLOWTHROUGH_PUSH_INTERVAL="0.2")
    with serving(dist_dir, env=env, log=data / "server.log") as url:
        yield {"url": url, "data": data}


def until(page: Page, check: Callable[[], Any], timeout: float = 60.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        assert time.monotonic() < deadline, "timed out"
        page.wait_for_timeout(100)


def signed_in(context: BrowserContext, url: str) -> Page:
    """The app with a person named CANARY typed in, sync turned on."""
    page = context.new_page()
    page.goto(url + "#capture")
    wait_engine_ready(page)
    wait_offline_ready(page)
    page.fill("#capture-name", CANARY)
    page.fill("#capture-context", "met at the meetup")
    page.click("#capture-form button[type=submit]")
    until(page, lambda: idb(page, "people"))
    page.goto(url + "#sync")
    page.fill("#setup-passphrase", PASSPHRASE)
    page.fill("#setup-passphrase-again", PASSPHRASE)
    page.click("form[data-form=setup] button[type=submit]")
    expect(page.get_by_test_id("recovery-kit")).to_be_visible(timeout=SYNC_TIMEOUT_MS)
    page.get_by_test_id("kit-saved").click()
    expect(page.get_by_test_id("sync-status")).to_have_text(
        "Synced just now.", timeout=SYNC_TIMEOUT_MS
    )
    return page


def deliver(page: Page, cdp: CDPSession, url: str, data: str) -> str:
    """What the browser does with a push message it decrypted: the worker's `push` event."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
    # A push for a registration whose worker is still installing is dropped: wait for it.
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    found: list[dict[str, Any]] = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda e: found.extend(e["registrations"]))
    cdp.send("ServiceWorker.enable")
    registration = until(
        page, lambda: next((r["registrationId"] for r in found if r["scopeURL"] == url), None)
    )
    cdp.send(
        "Browser.setPermission",
        {"permission": {"name": "notifications"}, "setting": "granted", "origin": origin},
    )
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": origin, "registrationId": registration, "data": data},
    )
    return str(registration)


def test_a_morning_sealed_in_the_browser_is_sent_opened_and_shown_and_the_server_reads_none(
    launch: Launch, push_app: dict[str, Any], push_service: fakepush.FakePushService
) -> None:
    url = push_app["url"]
    context = launch()
    page = signed_in(context, url)
    laptop = push_service.subscribe("laptop")
    push_service.server_key = page.evaluate(
        "async () => (await fetch('./api/v1/push/key')).json()"
    )["public_key"]

    sealed = page.evaluate(
        SEAL_FOR_DEVICE,
        {
            "endpoint": laptop.endpoint,
            "p256dh": fakepush.b64url(laptop.p256dh),
            "auth": fakepush.b64url(laptop.auth),
        },
    )

    assert sealed["sealed"] >= 1, sealed
    assert sealed["unknown"] == []
    until(page, lambda: push_service.delivered)
    assert push_service.refused == []
    delivery = push_service.delivered[0]
    payload = json.loads(delivery.payload)
    assert payload["web_push"] == 8030
    assert CANARY in payload["notification"]["body"]
    assert payload["notification"]["navigate"].startswith(url + "#/today/")
    assert payload["app_badge"] >= 1
    assert delivery.headers["content-encoding"] == "aes128gcm"

    cdp = context.new_cdp_session(page)
    registration = deliver(page, cdp, url, delivery.payload.decode())
    shown = until(page, lambda: page.evaluate(NOTIFICATIONS))
    assert shown[0]["title"] == payload["notification"]["title"]
    assert shown[0]["body"] == payload["notification"]["body"]
    assert shown[0]["data"]["url"] == payload["notification"]["navigate"]
    # Told once a morning on a device with push and periodic sync: the push marks today as told
    # (meta `digest-shown`, which the periodic sync reads), and the same morning arriving again
    # replaces the notification quietly (one tag, silent) rather than adding one.
    told = page.evaluate(
        """async () => {
            const { get } = await import('./static/js/store.js');
            const today = new Date().toLocaleDateString('en-CA');
            return ((await get('meta', 'digest-shown'))?.dates ?? []).includes(today);
        }"""
    )
    assert told
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": url.rstrip("/"),
            "registrationId": registration,
            "data": delivery.payload.decode(),
        },
    )
    quiet = """async () => (await (await navigator.serviceWorker.ready).getNotifications())
        .map((n) => ({ tag: n.tag, silent: n.silent }))"""
    again = until(page, lambda: [n for n in page.evaluate(quiet) if n["silent"]])
    assert again == [{"tag": payload["notification"]["tag"], "silent": True}]
    # A push it cannot read still shows something (Safari drops a subscription whose pushes
    # show nothing), and says where to look.
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": url.rstrip("/"), "registrationId": registration, "data": "not a payload"},
    )
    fallback = until(
        page, lambda: [n for n in page.evaluate(NOTIFICATIONS) if n["title"] == "Followthrough"]
    )
    assert fallback[0]["data"]["url"] == "./"

    data: Path = push_app["data"]
    stored = b"".join(p.read_bytes() for p in sorted(data.glob("sync.sqlite3*")))
    assert laptop.endpoint.encode() in stored  # the right database: it keeps the endpoint
    assert CANARY.encode() not in stored
    assert fakepush.b64url(laptop.p256dh).encode() not in stored  # the keys travel sealed
    assert CANARY.encode() not in (data / "server.log").read_bytes()
