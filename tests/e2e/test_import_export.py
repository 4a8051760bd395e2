"""Moving in and out through the UI: import a phone's vCard and a LinkedIn CSV (preview, confirm,
triage), download a JSON backup, restore it in a fresh browser, and compare IndexedDB."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from .conftest import Launch, axe_violations, idb, wait_engine_ready

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus" / "vcard"
SCREENSHOTS = ROOT / "docs" / "screenshots"
RECORD_STORES = ("people", "events", "introductions", "interactions", "opportunities", "decisions")
LINKEDIN = (
    "\ufeffNotes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses are missing."\n'
    "\n"
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Doug,White,https://www.linkedin.com/in/doug-white,dwhite@gmail.com,Initech,CTO,12 Mar 2024\n"
    "Priya,Sharma,https://www.linkedin.com/in/priya,,Stripe,Product Manager,01 Feb 2023\n"
).encode()


def open_transfer(page: Page, app_url: str) -> None:
    page.goto(app_url + "#transfer")
    wait_engine_ready(page)
    expect(page.get_by_role("heading", name="Import and export")).to_be_visible()


def snapshot(page: Page) -> dict[str, list[dict[str, object]]]:
    return {
        store: sorted(idb(page, store), key=lambda r: str(r.get("id", r.get("key"))))
        for store in RECORD_STORES
    }


def test_import_a_vcard_and_linkedin_then_back_up_and_restore_in_a_fresh_browser(
    launch: Launch, app_url: str, axe_source: str, tmp_path: Path
) -> None:
    page = launch("phone").new_page()
    open_transfer(page, app_url)

    page.set_input_files("#import-file", str(CORPUS / "gmail-list.vcf"))
    preview = page.locator("#import-preview")
    expect(preview).to_contain_text("Preview of “gmail-list.vcf”")
    expect(preview.locator(".transfer-summary")).to_contain_text("3 new people")
    assert idb(page, "people") == []  # nothing is written before confirming
    page.get_by_role("button", name="Import 3 people").click()
    expect(page.locator(".transfer-status").first).to_have_text("Imported: 3 new, 0 updated.")
    assert sorted(p["name"] for p in idb(page, "people")) == [
        "Arnold Smith",
        "Chris Beatle",
        "Doug White",
    ]

    # Triage: the one person picker says who introduced a new person; arrow keys and choosing
    # write nothing, the Save button does (issue #20: nothing changes by accident).
    triage = page.get_by_role("region", name="How did you meet them?")
    combo = triage.get_by_label("Who introduced you to Chris Beatle?")
    combo.fill("Arn")
    expect(triage.get_by_role("option", name="Arnold Smith")).to_be_visible()
    combo.press("ArrowDown")
    combo.press("ArrowUp")
    combo.press("Enter")
    expect(combo).to_have_value("Arnold Smith")
    assert idb(page, "introductions") == []
    triage.get_by_role("button", name="Save who introduced Chris Beatle").click()
    expect(triage.get_by_text("Arnold Smith introduced Chris Beatle.")).to_be_visible()
    [intro] = idb(page, "introductions")
    names = {p["id"]: p["name"] for p in idb(page, "people")}
    assert (names[intro["introducer_id"]], names[intro["introduced_id"]]) == (
        "Arnold Smith",
        "Chris Beatle",
    )

    page.set_input_files(
        "#import-file",
        files=[{"name": "Connections.csv", "mimeType": "text/csv", "buffer": LINKEDIN}],
    )
    expect(preview.locator(".transfer-summary")).to_contain_text("1 new person")
    expect(preview).not_to_contain_text("null")
    expect(preview.locator(".transfer-summary")).to_contain_text(
        "1 already known, with something to add"
    )
    expect(preview).to_contain_text("Update Doug White (same email)")
    assert axe_violations(page, axe_source) == []
    expect(page.locator("#toast")).not_to_have_class(re.compile(r"\bshow\b"), timeout=6000)
    page.evaluate("document.querySelector('#import-preview').scrollIntoView()")
    page.screenshot(path=str(SCREENSHOTS / "transfer.png"))
    page.get_by_role("button", name="Import 2 people").click()
    expect(page.locator(".transfer-status").first).to_have_text("Imported: 1 new, 1 updated.")
    doug = next(p for p in idb(page, "people") if p["name"] == "Doug White")
    assert doug["organisation"] == "Initech"
    assert doug["emails"] == ["dwhite@gmail.com"]
    assert len(idb(page, "people")) == 4

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download a backup").click()
    download = download_info.value
    assert download.suggested_filename.startswith("followthrough-backup-")
    backup = tmp_path / download.suggested_filename
    download.save_as(backup)
    assert any(m.get("id") == "backup" for m in idb(page, "meta"))
    before = snapshot(page)

    fresh = launch("fresh").new_page()
    open_transfer(fresh, app_url)
    fresh.set_input_files("#restore-file", str(backup))
    fresh.get_by_role("button", name="Restore everything (4 people)").click()
    expect(
        fresh.get_by_role("status")
        .filter(has_text="Restored: this device now holds the backup.")
        .first
    ).to_be_visible()

    assert snapshot(fresh) == before
    assert axe_violations(fresh, axe_source) == []


def test_bad_files_say_what_is_wrong_and_change_nothing(launch: Launch, app_url: str) -> None:
    page = launch().new_page()
    open_transfer(page, app_url)
    error = page.locator("#import-preview").locator("..").get_by_role("alert")

    page.set_input_files(
        "#import-file",
        files=[
            {
                "name": "cut.vcf",
                "mimeType": "text/vcard",
                "buffer": b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\n",
            }
        ],
    )
    expect(error).to_contain_text("cut short")

    page.set_input_files(
        "#import-file",
        files=[
            {
                "name": "latin1.csv",
                "mimeType": "text/csv",
                "buffer": "Name\nJosé\n".encode("latin-1"),
            }
        ],
    )
    expect(error).to_contain_text("is not UTF-8 text: line 2")

    page.set_input_files(
        "#restore-file",
        files=[{"name": "other.json", "mimeType": "application/json", "buffer": b'{"hello": 1}'}],
    )
    expect(page.get_by_role("alert").filter(has_text="not a Followthrough backup")).to_be_visible()
    assert idb(page, "people") == []
