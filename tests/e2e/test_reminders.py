"""The morning digest with the app's service worker, in an installed app: Chromium's periodic
sync shows it from the schedule the engine worker keeps in IndexedDB (or shows nothing when
nothing is due), and a notification action's decision reaches IndexedDB and Today through the
inbox and the one writer."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, CDPSession, Page, expect

from .builders import interaction, introduction, person
from .conftest import (
    Launch,
    axe_violations,
    idb,
    put_records,
    wait_engine_ready,
    wait_offline_ready,
)

TAG = "followthrough-digest"

META = """async (id) => {
    const { get } = await import('./static/js/store.js');
    return (await get('meta', id)) ?? null;
}"""

NOTIFICATIONS = """async () => {
    const registration = await navigator.serviceWorker.ready;
    const shown = await registration.getNotifications();
    return shown.map((n) => ({ title: n.title, body: n.body, tag: n.tag, data: n.data,
        actions: n.actions.map((a) => a.title) }));
}"""


def until(page: Page, check: Callable[[], Any], timeout: float = 20.0) -> Any:
    """Poll `check` until it answers something truthy (the browser works at its own pace);
    waiting through the page lets Playwright deliver CDP events meanwhile."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        assert time.monotonic() < deadline, "timed out"
        page.wait_for_timeout(100)


def installed(context: BrowserContext, app_url: str) -> tuple[Page, CDPSession]:
    """The app opened, installed (CDP PWA.install), with notifications allowed: the only way
    Chromium grants periodic background sync."""
    page = context.new_page()
    page.goto(app_url)
    wait_offline_ready(page)
    cdp = context.new_cdp_session(page)
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(app_url))
    # Not context.grant_permissions: it denies every permission it does not list, and it cannot
    # list periodic background sync (REMINDERS-NOTES.md).
    cdp.send(
        "Browser.setPermission",
        {"permission": {"name": "notifications"}, "setting": "granted", "origin": origin},
    )
    manifest_id = cdp.send("Page.getAppId")["appId"]
    cdp.send("PWA.install", {"manifestId": manifest_id, "installUrlOrBundleUrl": app_url})
    page.reload()
    wait_engine_ready(page)
    until(
        page,
        lambda: (
            page.evaluate(
                "async () => (await navigator.permissions.query({name: 'periodic-background-sync'})).state"
            )
            == "granted"
        ),
    )
    return page, cdp


def registration_id(page: Page, cdp: CDPSession, app_url: str) -> str:
    found: list[dict[str, Any]] = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda e: found.extend(e["registrations"]))
    cdp.send("ServiceWorker.enable")
    scope = app_url if app_url.endswith("/") else app_url + "/"
    return str(
        until(
            page, lambda: next((r["registrationId"] for r in found if r["scopeURL"] == scope), None)
        )
    )


def periodic_sync(page: Page, cdp: CDPSession, app_url: str, registration: str) -> None:
    """Fire the worker's periodicsync as Chromium does, and wait until it has looked."""
    before = (page.evaluate(META, "digest-shown") or {}).get("checked_at")
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(app_url))
    cdp.send(
        "ServiceWorker.dispatchPeriodicSyncEvent",
        {"origin": origin, "registrationId": registration, "tag": TAG},
    )
    until(page, lambda: (page.evaluate(META, "digest-shown") or {}).get("checked_at") != before)


def schedule_where(page: Page, check: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    return until(page, lambda: (s := page.evaluate(META, "schedule")) and check(s) and s)  # type: ignore[no-any-return]


def test_the_morning_digest_is_shown_from_indexeddb_and_its_actions_reach_today(
    launch: Launch, app_url: str, axe_source: str
) -> None:
    context = launch()
    page, cdp = installed(context, app_url)
    # Reminders on, at midnight so today's digest is due whenever the test runs.
    put_records(
        page, {"meta": [{"id": "settings", "reminders": {"enabled": True, "time": "00:00"}}]}
    )
    schedule_where(page, lambda s: s["notifies"] is True)
    registered = page.evaluate(
        "async () => (await import('./static/js/reminders.js')).keepDigestRegistered(true)"
    )
    assert registered == "registered"
    registration = registration_id(page, cdp, app_url)

    # Nothing due: the worker looks, and says nothing.
    periodic_sync(page, cdp, app_url, registration)
    assert page.evaluate(NOTIFICATIONS) == []

    now = datetime.now(UTC)
    put_records(
        page,
        {
            "people": [
                person("ana", "Ana Lopez", now - timedelta(days=2)),
                person("wei", "Wei Chen", now - timedelta(hours=1)),
                person("sam", "Sam Okafor", now - timedelta(days=2)),
            ],
            "introductions": [introduction("i1", "ana", "wei", now - timedelta(hours=1))],
            "interactions": [interaction("m1", ["sam"], "coffee", now - timedelta(hours=2))],
        },
    )
    schedule = schedule_where(page, lambda s: bool(s["mornings"]))
    today = schedule["mornings"][0]
    assert today["count"] == 2

    periodic_sync(page, cdp, app_url, registration)
    (shown,) = page.evaluate(NOTIFICATIONS)
    assert shown["title"] == "2 follow-ups due today" == today["title"]
    assert shown["body"] == today["body"]
    assert shown["body"].startswith("Reach out to Wei Chen: Ana's referral, due ")
    assert "Thank Sam Okafor, due " in shown["body"]
    assert shown["data"]["url"] == "./#/today/reach-out%3Ai1"
    assert shown["tag"] == TAG
    assert shown["actions"] == ["Done", "Snooze to tomorrow"]  # Chromium allows two
    app_id = cdp.send("Page.getAppId")["appId"]
    assert cdp.send("PWA.getOsAppState", {"manifestId": app_id})["badgeCount"] == 2

    # Tapping it opens the app on the first item's draft. (There is no CDP command to click a
    # notification: the worker gets the notificationclick event Chromium would send, with the
    # real notification.)
    worker = until(page, lambda: next(iter(context.service_workers), None))
    click = """async (action) => {
        const [notification] = await self.registration.getNotifications();
        self.dispatchEvent(new NotificationEvent('notificationclick', { notification, action }));
    }"""
    worker.evaluate(click, "")
    expect(page.locator("#draft-dialog")).to_be_visible()
    expect(page.locator("#draft-dialog")).to_contain_text("Wei Chen")
    page.keyboard.press("Escape")
    assert page.evaluate(NOTIFICATIONS) == []

    # Told once a day: another periodic sync the same morning shows nothing new.
    periodic_sync(page, cdp, app_url, registration)
    assert page.evaluate(NOTIFICATIONS) == []

    # "Done" on the notification. Forget that it was told (as on the next morning) first.
    page.evaluate(
        """async () => {
            const db = await (await import('./static/js/store.js')).database();
            await new Promise((resolve) => {
                const tx = db.transaction('meta', 'readwrite');
                tx.objectStore('meta').put({ id: 'digest-shown', dates: [] });
                tx.oncomplete = resolve;
            });
        }"""
    )
    periodic_sync(page, cdp, app_url, registration)
    worker.evaluate(click, "done")
    until(page, lambda: any(d["key"] == "reach-out:i1" for d in idb(page, "decisions")))
    (decision,) = [d for d in idb(page, "decisions") if d["key"] == "reach-out:i1"]
    assert decision["status"] == "done"
    expect(page.locator("#today-list")).not_to_contain_text("Wei Chen")
    expect(page.locator("#today-list")).to_contain_text("Sam Okafor")
    (rest,) = until(
        page, lambda: [n for n in page.evaluate(NOTIFICATIONS) if n["data"]["count"] == 1]
    )
    assert rest["title"] == "1 follow-up due today"
    assert rest["body"].startswith("Thank Sam Okafor, due ")
    # The worker's rebuilt digest is the engine's, once the engine has written its own again.
    again = schedule_where(page, lambda s: s["mornings"][0]["count"] == 1)
    assert (rest["title"], rest["body"]) == (
        again["mornings"][0]["title"],
        again["mornings"][0]["body"],
    )
    assert cdp.send("PWA.getOsAppState", {"manifestId": app_id})["badgeCount"] == 1

    # "Snooze to tomorrow" on what is left: back at the next morning's digest, nothing left now.
    worker.evaluate(click, "snooze")
    until(page, lambda: any(d["key"] == "thank-you:m1:sam" for d in idb(page, "decisions")))
    (snoozed,) = [d for d in idb(page, "decisions") if d["key"] == "thank-you:m1:sam"]
    assert snoozed["status"] == "snoozed"
    assert snoozed["until"] == rest["data"]["snooze_until"]
    expect(page.locator("#today-empty")).to_be_visible()
    assert page.evaluate(NOTIFICATIONS) == []
    until(page, lambda: cdp.send("PWA.getOsAppState", {"manifestId": app_id})["badgeCount"] == 0)

    # Settings: this device is registered; keeping it quiet turns the digest off here.
    page.goto(app_url + "#settings/reminders")
    section = page.locator("#settings-reminders")
    expect(section).to_contain_text("This device shows the digest each morning")
    expect(section.get_by_label("Send me a morning digest")).to_be_checked()
    assert axe_violations(page, axe_source) == []
    section.get_by_label("Show it on this device").uncheck()
    section.get_by_role("button", name="Save reminders").click()
    schedule_where(page, lambda s: s["notifies"] is False and s["mornings"] == [])
    tags = "async () => (await navigator.serviceWorker.ready).periodicSync.getTags()"
    until(page, lambda: page.evaluate(tags) == [])
