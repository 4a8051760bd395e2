"""The platform in a real browser: offline, installable, snapshot boot, nothing lost."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import Launch, axe_violations, idb, wait_engine_ready, wait_offline_ready

# The snapshot is stored whole (tens of MB), not merely listed, so a test can replace it.
SNAPSHOT_STORED = """async () => {
    const cache = await caches.open('followthrough-snapshots');
    const keys = await cache.keys();
    if (keys.length !== 1) return false;
    const response = await cache.match(keys[0]);
    return response !== undefined && (await response.arrayBuffer()).byteLength > 1_000_000;
}"""
# What is stored: its size, its first four bytes as text, and the heap length it declares.
# Null while no entry can be read: `stored` waits for one.
STORED_SNAPSHOT = """async () => {
    const cache = await caches.open('followthrough-snapshots');
    const [key] = await cache.keys();
    const response = key && (await cache.match(key));
    if (!response) return null;
    const bytes = await response.arrayBuffer();
    return {
        stored: bytes.byteLength,
        magic: new TextDecoder().decode(new Uint8Array(bytes, 0, 4)),
        heap: new Uint32Array(bytes, 8, 1)[0],
        length: Number(response.headers.get('x-snapshot-length')),
    };
}"""


def stored(page) -> dict[str, int | str]:  # type: ignore[no-untyped-def]
    """What is stored now; Chrome's Cache Storage may briefly list a key it cannot match yet."""
    deadline = time.monotonic() + 30
    while (value := page.evaluate(STORED_SNAPSHOT)) is None and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert value is not None, "no snapshot could be read from Cache Storage"
    return value  # type: ignore[no-any-return]


SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def capture(page, name: str, context: str = "", introducer: str = "") -> None:  # type: ignore[no-untyped-def]
    page.goto(page.url.split("#")[0] + "#capture")
    page.get_by_label("Name", exact=True).fill(name)
    if context:
        page.get_by_label("One line of context").fill(context)
    if introducer:
        page.get_by_label("Introduced by").fill(introducer)
    page.get_by_role("button", name="Save person").click()
    expect(page.get_by_role("status").filter(has_text=f"Saved {name}.")).to_be_visible()


def test_the_app_works_offline_after_the_first_visit(launch: Launch, app_url: str) -> None:
    context = launch()
    page = context.new_page()
    page.goto(app_url)
    wait_offline_ready(page)
    wait_engine_ready(page)

    context.set_offline(True)
    page.reload()

    wait_engine_ready(page)
    expect(page.get_by_role("heading", name="Today")).to_be_visible()
    expect(page.get_by_text("Nothing is due.")).to_be_visible()


def test_a_person_captured_offline_is_there_after_reopening_with_the_follow_up(
    launch: Launch, app_url: str
) -> None:
    context = launch("phone")
    page = context.new_page()
    page.goto(app_url)
    wait_offline_ready(page)
    wait_engine_ready(page)
    context.set_offline(True)
    capture(page, "Ashok Mehta", "Head of sales at Northwind")
    capture(page, "Maria Lopez", "Talk to her about media sales", introducer="Ashok Mehta")
    context.close()

    context = launch("phone")
    context.set_offline(True)
    page = context.new_page()
    page.goto(app_url)
    wait_engine_ready(page)

    people = {p["name"] for p in idb(page, "people")}
    assert people == {"Ashok Mehta", "Maria Lopez"}
    [introduction] = idb(page, "introductions")
    assert introduction["status"] == "offered"
    card = page.locator(".card").first
    expect(card).to_contain_text("Maria Lopez")
    expect(card).to_contain_text("Ashok Mehta")


def test_capture_accepts_input_before_the_engine_is_ready(launch: Launch, app_url: str) -> None:
    page = launch().new_page()
    page.goto(app_url + "#capture")

    page.get_by_label("Name", exact=True).fill("Early Bird")
    page.get_by_role("button", name="Save person").click()

    expect(page.get_by_role("status").filter(has_text="Saved Early Bird.")).to_be_visible()
    # Saved at once into the inbox (the capture command waits there); the engine files it.
    wait_engine_ready(page)
    expect(page.locator("#recent-list")).to_contain_text("Early Bird")
    assert [p["name"] for p in idb(page, "people")] == ["Early Bird"]


def test_chrome_reports_no_installability_errors(launch: Launch, app_url: str) -> None:
    context = launch()
    page = context.new_page()
    page.goto(app_url)
    wait_offline_ready(page)

    cdp = context.new_cdp_session(page)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]

    assert errors == []


def test_the_second_boot_comes_from_the_memory_snapshot(launch: Launch, app_url: str) -> None:
    context = launch()
    page = context.new_page()
    page.goto(app_url)
    wait_engine_ready(page)
    assert page.evaluate("document.documentElement.dataset.boot") == "plain"
    page.wait_for_function(SNAPSHOT_STORED, timeout=30_000)
    snapshot = stored(page)

    page.reload()

    wait_engine_ready(page)
    assert page.evaluate("document.documentElement.dataset.boot") == "snapshot"
    # Stored sparsely: the heap's zero pages are left out, and its length is on the response.
    # (The engine fills more of the heap since this round's features, 16.7 of 31.5 MB: the
    # bound is 1.5 times; "Speed at real sizes" (#21) is where the snapshot's size is worked on.)
    assert snapshot["magic"] == "FTSP"
    assert snapshot["length"] == snapshot["heap"] > 1.5 * snapshot["stored"]
    # boot.js started the one engine worker; app.js adopted it.
    assert len(page.workers) == 1
    # The page compiled the runtime's WebAssembly (from Chrome's code cache) for the worker.
    marks = json.loads(page.evaluate("document.documentElement.dataset.bootMarks"))
    assert marks["wasm_module"] < marks["runtime"]


def test_asking_for_a_plain_boot_skips_a_stored_snapshot(launch: Launch, app_url: str) -> None:
    page = launch().new_page()
    page.goto(app_url)
    wait_engine_ready(page)
    page.wait_for_function(SNAPSHOT_STORED, timeout=30_000)

    page.goto(app_url + "?nosnapshot")

    wait_engine_ready(page)
    assert page.evaluate("document.documentElement.dataset.boot") == "plain"


# Each damage leaves a stored snapshot of a different size, so the check below sees it stay.
#  - zeros: not in our stored form, so handed on as it is; its length is wrong too.
#  - truncated: our stored form cut short, refused by the codec before Pyodide reads it.
DAMAGE = """async (damage) => {
    const cache = await caches.open('followthrough-snapshots');
    const [key] = await cache.keys();
    const response = await cache.match(key);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const broken = damage === 'zeros' ? new Uint8Array(1024) : bytes.slice(0, bytes.byteLength - 4103);
    await cache.put(key, new Response(broken, { headers: response.headers }));
    return broken.byteLength;
}"""


@pytest.mark.parametrize("damage", ["zeros", "truncated"])
def test_a_damaged_snapshot_falls_back_to_a_plain_boot_and_is_replaced(
    launch: Launch, app_url: str, damage: str
) -> None:
    context = launch()
    page = context.new_page()
    page.goto(app_url)
    wait_engine_ready(page)
    page.wait_for_function(SNAPSHOT_STORED, timeout=30_000)
    size = stored(page)["stored"]
    # Damage it (keeping its headers), and check the damage stays: no late writer put a good
    # one back.
    damaged = page.evaluate(DAMAGE, damage)
    page.wait_for_timeout(500)
    assert stored(page)["stored"] == damaged != size

    page.reload()

    wait_engine_ready(page)
    assert page.evaluate("document.documentElement.dataset.boot") == "plain"
    page.wait_for_function(
        f"""async () => {{
            const cache = await caches.open('followthrough-snapshots');
            const [key] = await cache.keys();
            return key && (await (await cache.match(key)).arrayBuffer()).byteLength === {size};
        }}""",
        timeout=30_000,
    )


def test_the_page_and_its_content_security_policy_raise_no_errors(
    launch: Launch, app_url: str
) -> None:
    page = launch().new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    page.goto(app_url)
    wait_engine_ready(page)

    assert errors == []


def test_first_journey_today_lists_the_referral_and_the_thank_you_for_a_meeting(
    launch: Launch, app_url: str
) -> None:
    page = launch().new_page()
    page.goto(app_url)
    wait_engine_ready(page)
    capture(page, "Ashok Mehta", "Head of sales at Northwind")
    capture(page, "Maria Lopez", "Talk to her about media sales", introducer="Ashok Mehta")

    page.get_by_role("button", name="Met Ashok Mehta today").click()
    expect(
        page.get_by_role("status").filter(has_text="Logged: met Ashok Mehta today.")
    ).to_be_visible()
    page.goto(app_url + "#today")

    cards = page.locator(".card")
    expect(cards.first).to_contain_text("Maria Lopez")
    expect(cards.first).to_contain_text("Ashok Mehta introduced you")
    thank_you = page.locator(".card[data-rule='thank-you']")
    expect(thank_you).to_contain_text("Ashok Mehta")
    [meeting] = idb(page, "interactions")
    assert meeting["kind"] == "meeting"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "first-journey-today.png"), full_page=True)


def test_today_and_capture_have_no_accessibility_violations(
    launch: Launch, app_url: str, axe_source: str
) -> None:
    page = launch().new_page()
    page.goto(app_url)
    wait_engine_ready(page)
    expect(page.get_by_text("Nothing is due.")).to_be_visible()

    today = axe_violations(page, axe_source)
    page.goto(app_url + "#capture")
    capture_screen = axe_violations(page, axe_source)

    assert today == []
    assert capture_screen == []
