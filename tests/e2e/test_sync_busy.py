"""A busy sync server (issue #21): in front of the real server, a proxy answers the app's pushes
`503 server-busy` with `Retry-After: 1`, as a server past its bound does. The app says "Server
busy, retrying…" (not an error), waits, sends the same batch again, and the record lands on
the server once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Playwright, Request, Route, expect

from tests.support.serving import serving, sync_env

from .conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, wait_engine_ready
from .test_sync import PASSPHRASE, SYNC_TIMEOUT_MS, capture

SERVER_RECORDS = """async () => {
    const store = await import('./static/js/store.js');
    const account = await store.get('sync_meta', 'account');
    const answer = await fetch('./api/v1/pull?since=0&limit=500', {
        headers: { authorization: `Bearer ${account.token}` }, cache: 'no-store' });
    return (await answer.json()).items.map((item) => item.record_id);
}"""


def test_a_busy_server_is_waited_out_and_the_refused_push_lands_once(
    playwright_instance: Playwright, dist_dir: Path, tmp_path: Path
) -> None:
    env = sync_env(tmp_path / "sync.sqlite3")
    with serving(dist_dir, env=env, log=tmp_path / "server.log") as url:
        context = playwright_instance.chromium.launch_persistent_context(
            str(tmp_path / "phone"),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport=PHONE,
            service_workers="block",
        )
        try:
            page = context.new_page()
            page.goto(url)
            wait_engine_ready(page)
            capture(page, url, "Ada", "met at the fair")
            page.goto(url + "#sync")
            page.fill("#setup-passphrase", PASSPHRASE)
            page.fill("#setup-passphrase-again", PASSPHRASE)
            page.click("form[data-form=setup] button[type=submit]")
            page.get_by_test_id("kit-saved").click(timeout=SYNC_TIMEOUT_MS)
            status = page.get_by_test_id("sync-status")
            expect(status).to_have_text("Synced just now.", timeout=SYNC_TIMEOUT_MS)

            pushes: list[dict[str, Any]] = []

            def busy_twice(route: Route, request: Request) -> None:
                pushes.append(request.post_data_json or {})
                if len(pushes) <= 2:
                    route.fulfill(
                        status=503,
                        json={"error": "server-busy", "message": "busy", "field": None},
                        headers={"retry-after": "1"},
                    )
                else:
                    route.fallback()

            context.route("**/api/v1/push", busy_twice)
            capture(page, url, "Grace", "a referral")
            page.goto(url + "#sync")
            page.evaluate(
                "() => { import('./static/js/sync/index.js')"
                ".then((m) => m.startSync(null).syncNow()).catch(() => {}); }"
            )

            expect(status).to_contain_text("Server busy, retrying…", timeout=SYNC_TIMEOUT_MS)
            expect(status).not_to_have_attribute("data-state", "error")
            expect(status).to_have_text("Synced just now.", timeout=SYNC_TIMEOUT_MS)
            on_server: list[str] = page.evaluate(SERVER_RECORDS)
        finally:
            context.close()

    assert len(pushes) == 3, "refused twice, then sent once more"
    assert len({push["batch_id"] for push in pushes}) == 1, "the same batch every time"
    sent = {item["record_id"] for item in pushes[0]["items"]}
    assert sent <= set(on_server), "nothing lost"
    assert len(on_server) == len(set(on_server)), "nothing doubled"
