"""Everyday mistakes, taken back in a real browser: a person captured by mistake deleted from
their page, found in Trash and restored; a wrong merge undone from its toast; a LinkedIn import
of 2,000 rows rolled back from the import history."""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from .builders import interaction, introduction, person
from .conftest import Launch, axe_violations, idb, put_records, wait_engine_ready

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
RECORD_STORES = ("people", "events", "introductions", "interactions", "opportunities", "decisions")


def snapshot(page: Page) -> dict[str, list[dict[str, object]]]:
    return {
        store: sorted(idb(page, store), key=lambda r: str(r.get("id", r.get("key"))))
        for store in RECORD_STORES
    }


def live(records: list[dict[str, Any]]) -> list[str]:
    return sorted(str(r["id"]) for r in records if not r.get("trashed"))


def test_delete_from_the_person_page_restore_from_trash_and_undo_a_merge_from_the_toast(
    launch: Launch, app_url: str, axe_source: str
) -> None:
    now = datetime.now(UTC)
    week = now - timedelta(days=7)
    page = launch().new_page()
    page.goto(app_url)
    put_records(
        page,
        {
            "people": [
                person("p-maria", "María López", week, emails=["maria@contoso.example"]),
                person("p-maria-2", "Maria Lopez", week, emails=["maria.lopez@gmail.example"]),
                person("p-sam", "Sam Reyes", week),
                person("p-oops", "Oops Wrong", now),
            ],
            "introductions": [introduction("i-sam", "p-maria-2", "p-sam", week)],
            "interactions": [
                interaction("x-oops", ["p-oops"], "meeting", now, "captured by mistake"),
                interaction("x-maria-2", ["p-maria-2"], "call", week, "First call"),
            ],
        },
    )
    before = snapshot(page)

    # A person captured by mistake: deleted from their page, with what goes said first.
    page.goto(app_url + "#person/p-oops")
    wait_engine_ready(page)
    page.get_by_role("button", name="Delete…").click()
    sheet = page.get_by_role("dialog", name="Delete Oops Wrong?")
    expect(sheet).to_contain_text("Oops Wrong will go to the trash, with 1 interaction.")
    sheet.get_by_role("button", name="Move to Trash").click()
    expect(page.get_by_role("heading", name="People", level=2)).to_be_visible()
    expect(page.locator("#toast")).to_contain_text("Moved Oops Wrong to Trash")
    expect(page.locator("#people-list .people-name", has_text="Oops Wrong")).to_have_count(0)
    assert "p-oops" not in live(idb(page, "people"))

    # In Trash, with what went with it; restored exactly.
    page.goto(app_url + "#trash")
    item = page.locator(".trash-item", has_text="Oops Wrong")
    expect(item).to_contain_text("With 1 interaction")
    expect(item).to_contain_text("goes for good in 30 days")
    expect(page.locator("#history-list")).to_contain_text("Deleted Oops Wrong · just now")
    assert axe_violations(page, axe_source) == []
    page.screenshot(path=str(SCREENSHOTS / "trash.png"))
    item.get_by_role("button", name="Restore").click()
    expect(page.locator("#trash-list")).to_contain_text("Nothing in the trash.")
    after = snapshot(page)
    oops = next(p for p in after["people"] if p["id"] == "p-oops")
    assert oops.get("trashed") is None
    assert {
        s: [{k: v for k, v in r.items() if k != "trashed"} for r in rs] for s, rs in after.items()
    } == before

    # A wrong merge, undone from the toast that confirmed it.
    page.goto(app_url + "#people")
    page.get_by_role("button", name="Merge duplicates").click()
    page.get_by_role("checkbox", name=re.compile("^María López")).check()
    page.get_by_role("checkbox", name=re.compile("^Maria Lopez")).check()
    page.get_by_role("button", name="Compare", exact=True).click()
    page.get_by_role("dialog", name="Merge two records").get_by_role(
        "button", name="Merge into María López"
    ).click()
    toast = page.locator("#toast")
    expect(toast).to_contain_text("Merged: one record for María López now.")
    assert "p-maria-2" not in live(idb(page, "people"))
    toast.get_by_role("button", name="Undo: Merged Maria Lopez into María López").click()
    expect(toast).to_contain_text("Undone: Merged Maria Lopez into María López.")
    restored = snapshot(page)
    assert {
        s: [{k: v for k, v in r.items() if k != "trashed"} for r in rs]
        for s, rs in restored.items()
    } == before

    # Erase now: gone from Trash, from this device, and its synced state holds nothing.
    page.goto(app_url + "#person/p-oops")
    page.get_by_role("button", name="Delete…").click()
    page.get_by_role("dialog", name="Delete Oops Wrong?").get_by_role(
        "button", name="Move to Trash"
    ).click()
    expect(page.get_by_role("heading", name="People", level=2)).to_be_visible()
    page.goto(app_url + "#trash")
    item = page.locator(".trash-item", has_text="Oops Wrong")
    item.get_by_role("button", name="Erase now").click()
    expect(item).to_contain_text("It cannot be undone.")
    item.get_by_role("button", name="Erase for good").click()
    expect(page.locator("#trash-list")).to_contain_text("Nothing in the trash.")
    assert "p-oops" not in [p["id"] for p in idb(page, "people")]
    synced = {r["key"]: json.loads(str(r["f"])) for r in idb(page, "sync_records")}
    assert set(synced["people/p-oops"]) == {"_erased", "_deleted"}
    assert set(synced["interactions/x-oops"]) == {"_erased", "_deleted"}


def linkedin(rows: int) -> bytes:
    lines = ["First Name,Last Name,URL,Email Address,Company,Position,Connected On"]
    lines += [
        f"Person{i},Imported,https://www.linkedin.com/in/p{i},p{i}@mail.example,Co {i % 50},Role,12 Mar 2024"
        for i in range(rows)
    ]
    return ("\n".join(lines) + "\n").encode()


def test_roll_back_a_linkedin_import_of_two_thousand_rows(launch: Launch, app_url: str) -> None:
    now = datetime.now(UTC)
    page = launch().new_page()
    page.goto(app_url)
    put_records(page, {"people": [person("p-keep", "Keep Me", now)]})
    page.goto(app_url + "#transfer")
    wait_engine_ready(page)
    before = snapshot(page)

    page.set_input_files(
        "#import-file",
        files=[{"name": "Connections.csv", "mimeType": "text/csv", "buffer": linkedin(2000)}],
    )
    page.get_by_role("button", name="Import 2000 people").click()
    expect(page.locator(".transfer-status").first).to_have_text(
        "Imported: 2000 new, 0 updated.", timeout=60_000
    )
    assert len(idb(page, "people")) == 2001

    batch = page.locator(".import-batch").first
    expect(batch).to_contain_text("Imported 2,000 people from Connections.csv")
    expect(batch).to_contain_text("2,000 added, 0 changed")
    batch.get_by_role("button", name="Undo this import…").click()
    expect(batch).to_contain_text("Undo removes 2,000 records it added.")
    started = time.monotonic()
    batch.get_by_role("button", name="Undo this import", exact=True).click()
    expect(page.locator(".import-batch").first).to_contain_text("undone", timeout=60_000)
    print(f"undo of a 2,000-row import: {time.monotonic() - started:.2f} s")
    assert snapshot(page) == before
