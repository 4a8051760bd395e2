"""A sync server that cannot lie (issue #19): the real client in Chromium, on two devices, in
front of a proxy that rewrites the real server's answers per device (lying_server.py). For each
lie the device shows a warning in our words, and once the server is honest again every device
converges with nothing lost.

The tests run in order on one account (a phone that set sync up, a laptop that pairs in the
first test); each ends with the server honest and the devices in step.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, Playwright, expect

from tests.support.serving import serving, sync_env

from .conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, idb, wait_engine_ready
from .lying_server import Ledger, Liar
from .test_sync import PASSPHRASE, SYNC_TIMEOUT_MS, capture, edit_person, people_by_name

SYNC = "() => import('./static/js/sync/index.js').then((m) => m.startSync(null))"
RUN = (
    "async () => { const sync = await (" + SYNC + ")();"
    " try { await sync.syncNow(); return { ok: true }; }"
    " catch (error) { return { ok: false, code: error.code, message: error.message }; } }"
)


@pytest.fixture(scope="module")
def world(
    playwright_instance: Playwright, dist_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    """One real server, one ledger, two devices each behind its own liar; the phone has sync on
    and a person edited twice; the laptop is open but not paired."""
    data = tmp_path_factory.mktemp("lies")
    env = sync_env(data / "sync.sqlite3")
    with serving(dist_dir, env=env, log=data / "server.log") as url:
        ledger = Ledger()
        contexts: list[BrowserContext] = []
        devices: dict[str, Any] = {"url": url, "ledger": ledger}
        for name in ("phone", "laptop"):
            context = playwright_instance.chromium.launch_persistent_context(
                str(data / name),
                executable_path=CHROMIUM,
                headless=True,
                args=CHROMIUM_ARGS,
                viewport=PHONE,
                service_workers="block",
            )
            contexts.append(context)
            devices[f"{name}_liar"] = Liar(context, name, ledger)
            page = context.new_page()
            page.goto(url)
            wait_engine_ready(page)
            devices[name] = page
        phone = devices["phone"]
        capture(phone, url, "Ada", "met at the fair")
        phone.goto(url + "#sync")
        phone.fill("#setup-passphrase", PASSPHRASE)
        phone.fill("#setup-passphrase-again", PASSPHRASE)
        phone.click("form[data-form=setup] button[type=submit]")
        phone.get_by_test_id("kit-saved").click(timeout=SYNC_TIMEOUT_MS)
        synced(phone)
        ada = str(people_by_name(phone)["Ada"]["id"])
        edit_person(phone, ada, name="Ada Lovelace")
        synced(phone, run(phone))
        phone.locator("summary", has_text="Pair another device").click()
        devices["code"] = phone.get_by_test_id("pairing-code").inner_text()
        devices["ada"] = ada
        try:
            yield devices
        finally:
            for context in contexts:
                context.close()


def run(page: Page) -> dict[str, Any]:
    """One sync of this device, awaited: `{ok}` or the error's code and words."""
    result: dict[str, Any] = page.evaluate(RUN)
    return result


def synced(page: Page, result: dict[str, Any] | None = None) -> None:
    assert result is None or result["ok"], result
    if "#sync" not in page.url:
        page.goto(page.url.split("#")[0] + "#sync")
    expect(page.get_by_test_id("sync-status")).to_have_text(
        "Synced just now.", timeout=SYNC_TIMEOUT_MS
    )


def shows(page: Page, testid: str, text: str, *, present: bool = True) -> None:
    """The Sync screen shows (or no longer shows) these words, once it has redrawn."""
    if "#sync" not in page.url:
        page.goto(page.url.split("#")[0] + "#sync")
    page.evaluate(f"async () => (await ({SYNC})()).emit()")
    where = expect(page.get_by_test_id(testid).first)
    if present:
        where.to_contain_text(text, timeout=SYNC_TIMEOUT_MS)
    else:
        where.not_to_contain_text(text, timeout=SYNC_TIMEOUT_MS)


def honest(world: dict[str, Any]) -> None:
    world["phone_liar"].honest()
    world["laptop_liar"].honest()


def test_a_record_rolled_back_for_a_new_device_is_told_and_repaired(world: dict[str, Any]) -> None:
    laptop, url = world["laptop"], world["url"]
    world["laptop_liar"].lie("rollback-one")

    laptop.goto(url + "#sync")
    laptop.locator("summary", has_text="joins sync").click()
    laptop.fill("#pair-code", world["code"])
    laptop.fill("#pair-passphrase", PASSPHRASE)
    laptop.click("form[data-form=pair] button[type=submit]")

    expect(laptop.get_by_test_id("sync-alert")).to_contain_text(
        "has not shown this device 1 change", timeout=SYNC_TIMEOUT_MS
    )
    assert "Ada" in people_by_name(laptop)  # the old version: the lie itself
    honest(world)
    synced(laptop, run(laptop))
    assert "Ada Lovelace" in people_by_name(laptop)
    shows(laptop, "sync-heads", "all here now")
    shows(laptop, "sync-heard", "Last heard from")


def test_the_whole_account_rolled_back_is_told_and_nothing_is_lost(world: dict[str, Any]) -> None:
    phone, laptop, url = world["phone"], world["laptop"], world["url"]
    upto = world["ledger"].last_seq
    capture(phone, url, "Grace", "after the snapshot")
    synced(phone, run(phone))
    synced(laptop, run(laptop))
    world["laptop_liar"].lie("rollback-all", upto=upto)

    result = run(laptop)

    assert result["ok"], result
    shows(laptop, "sync-heads", "older copy")
    assert "Grace" in people_by_name(laptop)
    honest(world)
    synced(laptop, run(laptop))
    synced(phone, run(phone))
    assert set(people_by_name(phone)) == set(people_by_name(laptop))
    shows(laptop, "sync-heads", "older copy", present=False)


def test_a_fork_is_found_once_the_server_is_honest_and_both_converge(world: dict[str, Any]) -> None:
    phone, laptop, url = world["phone"], world["laptop"], world["url"]
    world["phone_liar"].lie("fork")
    world["laptop_liar"].lie("fork")
    capture(phone, url, "Forked Phoebe")
    synced(phone, run(phone))
    capture(laptop, url, "Forked Lars")
    synced(laptop, run(laptop))
    assert "Forked Phoebe" not in people_by_name(laptop)
    assert "Forked Lars" not in people_by_name(phone)

    honest(world)
    capture(phone, url, "Honest Hana")
    synced(phone, run(phone))
    synced(laptop, run(laptop))

    assert {"Forked Phoebe", "Honest Hana", "Forked Lars"} <= set(people_by_name(laptop))
    shows(laptop, "sync-heads", "all here now")
    assert set(people_by_name(phone)) == set(people_by_name(laptop))


def test_a_push_acknowledged_then_dropped_is_caught_and_sent_again(world: dict[str, Any]) -> None:
    phone, laptop, url = world["phone"], world["laptop"], world["url"]
    world["laptop_liar"].lie("drop")
    capture(laptop, url, "Dropped Dora")

    result = run(laptop)

    assert (result["ok"], result["code"]) == (False, "push-dropped")
    shows(laptop, "sync-status", "did not keep them")
    shows(laptop, "sync-status", "1 change waiting")
    honest(world)
    synced(laptop, run(laptop))
    synced(phone, run(phone))
    assert "Dropped Dora" in people_by_name(phone)


def test_a_server_clock_ten_years_ahead_or_at_9999_only_warns(world: dict[str, Any]) -> None:
    phone, laptop = world["phone"], world["laptop"]
    world["laptop_liar"].lie(
        "clock", time="2036-12-05T12:00:00.000Z", date="Fri, 05 Dec 2036 12:00:00 GMT"
    )
    # The lie is heard first (an old client took it as its clock), in three answers or more.
    for _ in range(3):
        synced(laptop, run(laptop))
    shows(laptop, "sync-heads", "differ by about 3,")
    edit_person(laptop, world["ada"], role="Engineer")
    synced(laptop, run(laptop))
    edit_person(phone, world["ada"], role="Countess")
    synced(phone, run(phone))
    synced(laptop, run(laptop))
    assert people_by_name(laptop)["Ada Lovelace"]["role"] == "Countess"

    world["laptop_liar"].lie(
        "clock", time="9999-12-31T23:59:59.999Z", date="Fri, 31 Dec 9999 23:59:59 GMT"
    )
    synced(laptop, run(laptop))
    edit_person(laptop, world["ada"], organisation="Analytical Engines")
    synced(laptop, run(laptop))
    clock = next(r for r in idb(laptop, "sync_meta") if r["id"] == "clock")
    assert str(clock["last"]) < "2030"
    honest(world)
    synced(phone, run(phone))
    assert people_by_name(phone)["Ada Lovelace"]["organisation"] == "Analytical Engines"


def test_swapped_envelopes_are_set_aside_told_and_repaired(world: dict[str, Any]) -> None:
    phone, laptop, url = world["phone"], world["laptop"], world["url"]
    capture(phone, url, "Swapped Sam")
    capture(phone, url, "Swapped Sue")
    start = world["ledger"].last_seq
    synced(phone, run(phone))
    rows = [r for r in world["ledger"].rows if r.seq > start and not r.head]
    assert len(rows) >= 2
    world["laptop_liar"].lie("swap", records={r.record_id for r in rows[:2]})

    assert run(laptop)["ok"]

    shows(laptop, "sync-status", "2 records from other devices could not be read")
    expect(laptop.get_by_test_id("sync-rejects")).to_contain_text("integrity")
    honest(world)
    synced(laptop, run(laptop))
    assert {"Swapped Sam", "Swapped Sue"} <= set(people_by_name(laptop))


def test_a_flood_stops_sync_and_says_the_server_may_be_tampering(world: dict[str, Any]) -> None:
    laptop = world["laptop"]
    cursor = next(r for r in idb(laptop, "sync_meta") if r["id"] == "cursor")
    world["laptop_liar"].lie("flood", log_id=cursor["log_id"])

    result = run(laptop)

    assert (result["ok"], result["code"]) == (False, "tampering")
    shows(laptop, "sync-status", "may be tampering")
    assert len(idb(laptop, "sync_rejects")) <= 200
    assert all("envelope" not in r for r in idb(laptop, "sync_rejects"))
    honest(world)
    laptop.evaluate(
        f"async () => {{ const s = await ({SYNC})(); await s.forgetRejects("
        "(await s.rejects()).map((r) => r.key)); }"
    )
    synced(laptop, run(laptop))


def test_odd_retry_after_log_ids_cursors_and_error_words_are_bounded(world: dict[str, Any]) -> None:
    laptop = world["laptop"]
    liar = world["laptop_liar"]

    liar.lie("retry-after")
    started = time.monotonic()
    result = run(laptop)
    assert (result["ok"], result["code"]) == (False, "rate-limited")
    assert time.monotonic() - started < 10  # not 23 days, and the lock is free again

    liar.lie("new-log-id")
    before = liar.seen.get("pull", 0)
    result = run(laptop)
    assert (result["ok"], result["code"]) == (False, "bad-answer")
    assert liar.seen.get("pull", 0) - before <= 4

    liar.lie("odd-cursor")
    result = run(laptop)
    assert (result["ok"], result["code"]) == (False, "bad-answer")
    cursor = next(r for r in idb(laptop, "sync_meta") if r["id"] == "cursor")
    assert isinstance(cursor["since"], int)

    liar.lie("unknown-error", message="<b>Account locked.</b> Call +1 555 0100 to unlock.")
    result = run(laptop)
    assert "pay-now" in result["message"]
    assert "HTTP 400" in result["message"]
    shows(laptop, "sync-status", "HTTP 400")
    shows(laptop, "sync-status", "Call", present=False)

    honest(world)
    synced(laptop, run(laptop))


def test_an_empty_key_list_at_sign_in_is_refused_and_the_keys_are_kept(
    world: dict[str, Any],
) -> None:
    laptop = world["laptop"]
    world["laptop_liar"].lie("empty-keys")

    code = laptop.evaluate(
        f"""async (passphrase) => {{
            try {{ await (await ({SYNC})()).unlock(passphrase); return null; }}
            catch (error) {{ return error.code; }}
        }}""",
        PASSPHRASE,
    )

    assert code == "keys-missing"
    account = next(r for r in idb(laptop, "sync_meta") if r["id"] == "account")
    assert len(account["deks"]) == 1  # type: ignore[arg-type]
    honest(world)
    synced(laptop, run(laptop))
