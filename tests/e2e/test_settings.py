"""Settings in a real browser: rule timings, own templates with a live preview, keep-in-touch
cadences, storage status and backup reminder, and "My card" as a QR code the engine makes with
`segno` on the device (checked here module for module against segno itself)."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

from playwright.sync_api import Page, expect

from .conftest import Launch, idb, put_raw, put_records, wait_engine_ready

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}

ANA = {
    "Your name": "Ana María Lima",
    "Role (optional)": "Head of Sales",
    "Organisation (optional)": "Northwind, Ltd",
    "Email (optional)": "ana@example.com",
    "Phone (optional)": "+44 20 7946 0123",
    "Website or LinkedIn (optional)": "linkedin.com/in/ana",
}
# RFC 6350: CRLF line ends, the comma in ORG escaped, the phone as a tel: URI.
ANA_VCARD = (
    "BEGIN:VCARD\r\n"
    "VERSION:4.0\r\n"
    "FN:Ana María Lima\r\n"
    "N:Lima;Ana María;;;\r\n"
    "ORG:Northwind\\, Ltd\r\n"
    "TITLE:Head of Sales\r\n"
    "EMAIL:ana@example.com\r\n"
    "TEL;VALUE=uri;TYPE=cell:tel:+442079460123\r\n"
    "URL:https://linkedin.com/in/ana\r\n"
    "END:VCARD\r\n"
)


def load_segno() -> ModuleType:
    """The reference QR encoder, installed into this Python if it is not there yet."""
    try:
        return importlib.import_module("segno")
    except ImportError:
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "segno"],
            check=True,
            capture_output=True,
        )
        return importlib.import_module("segno")


def segno_rows(text: str, level: str, version: int | None, mask: int | None) -> dict[str, Any]:
    segno = load_segno()
    code = segno.make(
        text.encode("utf-8"),
        error=level.lower(),
        version=version,
        mask=mask,
        mode="byte",
        boost_error=False,
        micro=False,
    )
    return {
        "version": code.version,
        "mask": code.mask,
        "rows": ["".join(str(bit) for bit in row) for row in code.matrix],
    }


def open_settings(page: Page, app_url: str, section: str = "") -> None:
    page.goto(app_url + "#settings" + (f"/{section}" if section else ""))
    wait_engine_ready(page)
    expect(page.get_by_role("heading", name="Settings", level=2)).to_be_visible()
    expect(page.get_by_role("button", name="Save timings")).to_be_attached()


def svg_modules(page: Page) -> list[str]:
    """The dark modules of the card's QR code, read back from the SVG path."""
    svg = page.get_by_role("img", name=re.compile("QR code of your contact card"))
    d = svg.locator("path").get_attribute("d") or ""
    view = (svg.get_attribute("viewBox") or "").split()
    full = int(view[2])
    size = full - 8
    grid = [[0] * size for _ in range(size)]
    for x, y, n in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\d+z", d):
        for c in range(int(x) - 4, int(x) - 4 + int(n)):
            grid[int(y) - 4][c] = 1
    return ["".join(str(b) for b in row) for row in grid]


def wait_for_draft(page: Page, key: str, done: Callable[[Any], bool]) -> None:
    """Poll the `drafts` store until `done(record or None)`; drafts are written after a pause."""
    deadline = time.monotonic() + 10
    while True:
        draft = page.evaluate(
            """async (key) => {
                const { get } = await import('./static/js/store.js');
                return (await get('drafts', key)) ?? null;
            }""",
            key,
        )
        if done(draft):
            return
        assert time.monotonic() < deadline, f"draft {key} is {draft}"
        time.sleep(0.1)


def test_my_card_is_saved_shown_as_a_qr_code_and_downloads_as_a_vcard(
    launch: Launch, app_url: str, tmp_path: Path
) -> None:
    page = launch().new_page()
    open_settings(page, app_url, "card")
    expect(page.get_by_text("Your card appears here")).to_be_visible()

    for label, value in ANA.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="Save my card").click()

    expect(page.get_by_role("status").filter(has_text="Your card is saved.")).to_be_visible()
    qr = page.get_by_role("img", name=re.compile("QR code of your contact card"))
    expect(qr).to_have_accessible_name(re.compile("Ana María Lima.*Head of Sales.*ana@example.com"))
    assert svg_modules(page) == segno_rows(ANA_VCARD, "M", None, None)["rows"]
    [profile] = [m for m in idb(page, "meta") if m["id"] == "profile"]
    assert profile["name"] == "Ana María Lima"
    assert profile["email"] == "ana@example.com"
    assert profile["phone"] == "+44 20 7946 0123"
    # The engine keeps the whole card (old records' _role, _organisation, _url are read too).
    assert profile["role"] == "Head of Sales"
    assert profile["organisation"] == "Northwind, Ltd"
    assert profile["url"] == "https://linkedin.com/in/ana"
    assert not [d for d in idb(page, "drafts") if d["id"] == "settings:card"]

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download card (.vcf)").click()
    download = download_info.value
    assert download.suggested_filename == "ana-maria-lima.vcf"
    saved = tmp_path / "card.vcf"
    download.save_as(saved)
    assert saved.read_bytes().decode("utf-8") == ANA_VCARD

    page.reload()
    wait_engine_ready(page)
    expect(page.get_by_label("Organisation (optional)")).to_have_value("Northwind, Ltd")
    expect(page.get_by_role("img", name=re.compile("QR code of your contact card"))).to_be_visible()


def test_card_fields_with_mistakes_are_named_and_nothing_is_saved(
    launch: Launch, app_url: str
) -> None:
    page = launch().new_page()
    open_settings(page, app_url, "card")

    page.get_by_label("Your name", exact=True).fill("Ana Lima")
    page.get_by_label("Email (optional)").fill("ana.example.com")
    page.get_by_label("Website or LinkedIn (optional)").fill("not a site")
    page.get_by_role("button", name="Save my card").click()

    email = page.get_by_label("Email (optional)")
    expect(email).to_be_focused()
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(
        page.get_by_text("Email: “ana.example.com” does not look like an email address")
    ).to_be_visible()
    expect(
        page.get_by_text("Website or LinkedIn: “not a site” is not a web address")
    ).to_be_visible()
    assert [m for m in idb(page, "meta") if m["id"] == "profile"] == []

    page.get_by_label("Your name", exact=True).fill("")
    page.get_by_label("Email (optional)").fill("ana@example.com")
    page.get_by_label("Website or LinkedIn (optional)").fill("")
    page.get_by_role("button", name="Save my card").click()
    expect(page.get_by_text("Your name: enter it")).to_be_visible()
    expect(page.get_by_label("Your name", exact=True)).to_be_focused()
    assert [m for m in idb(page, "meta") if m["id"] == "profile"] == []


def test_rule_timings_are_checked_saved_and_kept(launch: Launch, app_url: str) -> None:
    page = launch().new_page()
    open_settings(page, app_url, "timings")
    referral = page.locator("details.rule[data-rule=reach-out]")
    referral.locator("summary").click()
    due = referral.get_by_label("Due after (hours)")
    expect(due).to_have_value("24")

    due.fill("9999")
    page.get_by_role("button", name="Save timings").click()

    expect(due).to_be_focused()
    expect(
        page.get_by_text(
            "Reach out to a new referral, “Due after (hours)”: enter a whole number from 0 to 8760."
        )
    ).to_be_visible()
    assert [m for m in idb(page, "meta") if m["id"] == "settings"] == []

    due.fill("12")
    expect(referral.locator("summary")).to_contain_text("Due after 12 h")
    thanks = page.locator("details.rule[data-rule=thank-you]")
    thanks.locator("summary").click()
    thanks.get_by_label("Suggest this follow-up").uncheck()
    expect(thanks.locator("summary")).to_contain_text("Off")
    page.get_by_label("Show what is due in the next (days)").fill("3")
    page.get_by_role("button", name="Save timings").click()

    expect(page.get_by_role("status").filter(has_text="Timings saved.")).to_be_visible()
    [settings] = [m for m in idb(page, "meta") if m["id"] == "settings"]
    assert settings["rules"]["reach-out"] == {"enabled": True, "due_hours": 12, "expire_days": 30}
    assert settings["rules"]["thank-you"]["enabled"] is False
    assert settings["today"]["horizon_days"] == 3

    page.reload()
    wait_engine_ready(page)
    expect(page.get_by_role("button", name="Save timings")).to_be_attached()
    expect(page.locator("details.rule[data-rule=reach-out] summary")).to_contain_text(
        "Due after 12 h"
    )
    expect(page.locator("details.rule[data-rule=thank-you] summary")).to_contain_text("Off")

    page.get_by_role("button", name="Restore the defaults").click()
    dialog = page.get_by_role("dialog", name="Restore the default timings?")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Restore the defaults").click()
    expect(
        page.get_by_role("status").filter(has_text="Timings are back to the defaults.")
    ).to_be_visible()
    [settings] = [m for m in idb(page, "meta") if m["id"] == "settings"]
    assert settings["rules"]["reach-out"]["due_hours"] == 24
    assert settings["rules"]["thank-you"]["enabled"] is True
    assert settings["today"]["horizon_days"] == 7


def test_an_own_template_is_previewed_live_checked_and_saved(launch: Launch, app_url: str) -> None:
    page = launch().new_page()
    open_settings(page, app_url, "messages")
    edit = page.get_by_role(
        "button", name="Edit the message: Thank-you after a meeting, call or interview"
    )

    edit.click()

    dialog = page.get_by_role("dialog", name="Thank-you after a meeting, call or interview")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Email subject")).to_be_focused()
    body = dialog.get_by_label("Email", exact=True)
    expect(body).to_have_value(re.compile(r"Thank you for taking the time"))
    preview = dialog.get_by_role("region", name="Preview, with example details")
    expect(preview).to_contain_text("Hi Maria,")

    body.fill("Dear {nme}, thanks!")
    expect(
        dialog.get_by_text("The template uses {nme}, which is not a known fact.")
    ).to_be_visible()
    expect(body).to_have_attribute("aria-invalid", "true")

    body.fill("Dear ")
    body.press("End")
    dialog.get_by_text("Facts you can use").click()
    dialog.get_by_role("button", name=re.compile(r"^Insert \{first_name\}")).click()
    body.press("End")
    body.press_sequentially(", thank you for the {meeting}.[ It was good to see you at {event}.]")
    expect(body).to_have_value(
        "Dear {first_name}, thank you for the {meeting}.[ It was good to see you at {event}.]"
    )
    expect(preview).to_contain_text(
        "Dear Maria, thank you for the coffee. It was good to see you at the Media Sales Meetup."
    )
    dialog.get_by_role("button", name="Save message").click()

    expect(dialog).to_be_hidden()
    expect(edit).to_be_focused()
    expect(page.get_by_role("status").filter(has_text="is saved")).to_be_visible()
    item = page.locator(".template-item").filter(has_text="Thank-you after a meeting")
    expect(item.get_by_text("Your wording")).to_be_visible()
    [settings] = [m for m in idb(page, "meta") if m["id"] == "settings"]
    # The untouched subject and text message stay "built-in" (empty), so they follow updates.
    assert settings["templates"]["thank-you"] == {
        "subject": "",
        "body": "Dear {first_name}, thank you for the {meeting}.[ It was good to see you at {event}.]",
        "sms": "",
    }

    edit.click()
    dialog.get_by_role("button", name="Use the built-in wording").click()
    expect(dialog).to_be_hidden()
    expect(item.get_by_text("Built-in")).to_be_visible()
    [settings] = [m for m in idb(page, "meta") if m["id"] == "settings"]
    assert "thank-you" not in settings["templates"]


def test_a_half_written_template_survives_a_reload(launch: Launch, app_url: str) -> None:
    page = launch().new_page()
    open_settings(page, app_url, "messages")
    page.get_by_role("button", name="Edit the message: Keep a promise").click()
    dialog = page.get_by_role("dialog", name="Keep a promise")
    dialog.get_by_label("Text message").fill("Here it is, {first_name}: {promise}")
    wait_for_draft(
        page, "settings:template:promise", lambda d: bool(d) and "Here it is" in d["values"]["sms"]
    )

    page.reload()
    wait_engine_ready(page)
    page.get_by_role("button", name="Edit the message: Keep a promise").click()

    dialog = page.get_by_role("dialog", name="Keep a promise")
    expect(dialog.get_by_text("Your unsaved changes are back.")).to_be_visible()
    expect(dialog.get_by_label("Text message")).to_have_value("Here it is, {first_name}: {promise}")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    wait_for_draft(page, "settings:template:promise", lambda d: d is None)


def test_keep_in_touch_cadences_are_saved(launch: Launch, app_url: str) -> None:
    page = launch().new_page()
    open_settings(page, app_url, "keep")
    searching = page.get_by_role("group", name="While you are looking for work")

    searching.get_by_label("People who introduced you: every (days)").fill("14")
    page.get_by_label("At most this many notes a day").fill("-2")
    page.get_by_role("button", name="Save cadences").click()

    expect(
        page.get_by_text("“At most this many notes a day”: enter a whole number from 0 to 1000.")
    ).to_be_visible()
    page.get_by_label("At most this many notes a day").fill("4")
    page.get_by_label("Suggest keep-in-touch notes").uncheck()
    page.get_by_role("button", name="Save cadences").click()

    expect(
        page.get_by_role("status").filter(has_text="Keep-in-touch cadences saved.")
    ).to_be_visible()
    [settings] = [m for m in idb(page, "meta") if m["id"] == "settings"]
    assert settings["keep_in_touch"]["searching"] == {"introducer": 14, "reference": 60, "met": 60}
    assert settings["keep_in_touch"]["max_per_day"] == 4
    assert settings["rules"]["keep-in-touch"]["enabled"] is False


def test_storage_status_and_the_backup_reminder_tell_the_truth(
    launch: Launch, app_url: str
) -> None:
    page = launch().new_page()
    page.goto(app_url)
    at = iso(datetime.now(UTC) - timedelta(days=3))
    put_records(page, {"people": [saved_person("p1", "Ashok Mehta", at)]})
    # The shell's own record of the last backup file (the engine does not keep it).
    put_raw(page, {"meta": [{"id": "backup", "at": at}]})
    open_settings(page, app_url, "storage")
    section = page.get_by_role("region", name="Storage and backup")

    persisted = page.evaluate("() => navigator.storage.persisted()")
    expect(section).to_contain_text("Kept" if persisted else "Not guaranteed")
    expect(section).to_contain_text(
        re.compile(r"Using [\d.]+ \w+ of the [\d.]+ \w+ this browser allows")
    )
    expect(section).to_contain_text("Last backup: 3 days ago")
    expect(section.get_by_role("link", name="Back up or export")).to_have_attribute(
        "href", "#transfer"
    )

    if not persisted:
        section.get_by_role("button", name="Ask the browser to keep my data").click()
        expect(section.get_by_role("status")).to_contain_text(re.compile("Done|said no"))
        now = page.evaluate("() => navigator.storage.persisted()")
        expect(section).to_contain_text("Kept" if now else "Not guaranteed")


def test_an_old_backup_and_unkept_storage_remind_the_user(launch: Launch, app_url: str) -> None:
    page = launch().new_page()
    page.goto(app_url)
    at = iso(datetime.now(UTC))
    put_records(
        page,
        {"people": [saved_person("p1", "Ashok Mehta", at), saved_person("p2", "Maria Lopez", at)]},
    )
    page.reload()
    open_settings(page, app_url, "storage")
    section = page.get_by_role("region", name="Storage and backup")

    if page.evaluate("() => navigator.storage.persisted()"):
        expect(section.get_by_role("heading", name="Backup")).to_be_visible()
    else:
        expect(section.get_by_role("heading", name="Back up your contacts")).to_be_visible()
        expect(section).to_contain_text("You have 2 people saved only on this device.")
    expect(section).to_contain_text("No backup file yet.")


OLD_PROFILE = {
    "id": "profile",
    "name": "Ana María Lima",
    "email": "ana@example.com",
    "phone": "+44 20 7946 0123",
    "_role": "Head of Sales",
    "_organisation": "Northwind",
    "_url": "https://linkedin.com/in/ana",
}


def saved_person(id_: str, name: str, at: str) -> dict[str, Any]:
    return {
        "id": id_, "name": name, "organisation": "", "role": "", "emails": [], "phones": [],
        "urls": [], "tags": [], "notes": "", "how_met": "", "event_id": None,
        "created_at": at, "updated_at": at,
    }  # fmt: skip


# Which views of the screen are pictured, per device and colour scheme.
def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


SHOTS = {
    ("settings", "light"): {"top", "card", "timings", "template", "storage"},
    ("settings", "dark"): {"top", "card", "template"},
    ("settings-desktop", "light"): {"top", "template"},
    ("settings-desktop", "dark"): {"top"},
}


def test_settings_screenshots_in_light_and_dark_on_phone_and_desktop(
    launch: Launch, app_url: str
) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, viewport in (("settings", None), ("settings-desktop", DESKTOP)):
        page = launch(name, viewport=viewport).new_page()
        page.goto(app_url)
        # A profile as an older version stored it (its card fields marked `_`).
        put_raw(page, {"meta": [OLD_PROFILE]})
        for scheme in ("light", "dark"):
            shots = SHOTS[(name, scheme)]
            suffix = "" if scheme == "light" else "-dark"
            page.emulate_media(color_scheme=scheme)
            open_settings(page, app_url)
            page.reload()
            wait_engine_ready(page)
            expect(page.get_by_role("button", name="Save timings")).to_be_attached()
            page.screenshot(path=SCREENSHOTS / f"{name}{suffix}.png")
            if "card" in shots:
                page.get_by_role("button", name="My card", exact=True).click()
                expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
                page.screenshot(path=SCREENSHOTS / f"{name}-card{suffix}.png")
            if "timings" in shots:
                page.get_by_role("button", name="Timings", exact=True).click()
                page.locator("details.rule[data-rule=reach-out] summary").click()
                page.screenshot(path=SCREENSHOTS / f"{name}-timings{suffix}.png")
            if "template" in shots:
                page.get_by_role(
                    "button", name="Edit the message: Reach out to a new referral"
                ).click()
                expect(page.get_by_role("dialog")).to_be_visible()
                page.screenshot(path=SCREENSHOTS / f"{name}-template{suffix}.png")
                page.get_by_role("button", name="Cancel").click()
            if "storage" in shots:
                page.get_by_role("button", name="Storage", exact=True).click()
                page.screenshot(path=SCREENSHOTS / f"{name}-storage{suffix}.png")
