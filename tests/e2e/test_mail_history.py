"""A 200 MB mail archive imported in Chromium: read by the engine worker in chunks with progress,
the app answering meanwhile, memory bounded (the renderer's resident memory, where the page
and its engine worker live, sampled from /proc; the page's JS heap from CDP
`Performance.getMetrics`), Cancel keeping nothing, and the import saved as one batch."""

from __future__ import annotations

import threading
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.support.mailbox import person, write_mbox

from .conftest import Launch, axe_violations, idb, put_records, wait_engine_ready

SIZE = 200_000_000
PEOPLE = 50
MB = 1_000_000
# The bound: at most 200 MB above the app's usual while a file of any size is read.
BOUND = 200 * MB
VCARD = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Rosa Park\r\nEMAIL:rosa@example.com\r\nEND:VCARD\r\n"


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def renderers(profile: Path) -> list[int]:
    """The renderer processes of the Chromium that runs this profile."""
    tree = _children()
    browsers = [
        int(p.name)
        for p in Path("/proc").iterdir()
        if p.name.isdigit()
        and f"--user-data-dir={profile}" in _cmdline(int(p.name))
        and "--type=" not in _cmdline(int(p.name))
    ]
    found, todo = [], list(browsers)
    while todo:
        pid = todo.pop()
        if "--type=renderer" in _cmdline(pid):
            found.append(pid)
        todo.extend(tree.get(pid, []))
    return found


def rss(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            for line in (Path("/proc") / str(pid) / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


class Sampler(threading.Thread):
    """The renderers' resident memory, every 100 ms, until stopped: its peak."""

    def __init__(self, profile: Path) -> None:
        super().__init__(daemon=True)
        self.profile, self.peak, self.done = profile, 0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.1):
            self.peak = max(self.peak, rss(renderers(self.profile)))


def js_heap(page: Page) -> int:
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable")
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    cdp.detach()
    return int(metrics["JSHeapUsedSize"])


def test_a_200_mb_mbox_streams_with_progress_in_bounded_memory_and_cancel_keeps_nothing(
    launch: Launch, app_url: str, tmp_path: Path, axe_source: str
) -> None:
    mbox = tmp_path / "All mail Including Spam and Trash.mbox"
    messages = write_mbox(mbox, SIZE, people=PEOPLE)
    page = launch("mail").new_page()
    page.goto(app_url + "#transfer")
    wait_engine_ready(page)
    created = "2026-01-01T00:00:00Z"
    people = [
        {"id": f"p{i}", "name": f"Person {i}", "emails": [person(i)], "created_at": created}
        for i in range(PEOPLE)
    ]
    put_records(page, {"people": people})
    page.reload()
    wait_engine_ready(page)
    profile = tmp_path / "mail"
    base_rss, base_heap = rss(renderers(profile)), js_heap(page)
    assert base_rss > 0
    status, error = page.locator("#mail-status"), page.locator("#mail-error")

    # Cancel: nothing read is kept.
    page.set_input_files("#mail-file", str(mbox))
    expect(page.locator("#mail-progress")).to_be_visible()
    expect(status).to_contain_text("Read ")
    page.get_by_role("button", name="Cancel").click()
    expect(error).to_have_text("Import cancelled: nothing was kept.")
    expect(page.locator("#mail-progress")).to_be_hidden()
    assert idb(page, "interactions") == []

    # The whole file, with progress; the app answers while it is read.
    sampler = Sampler(profile)
    sampler.start()
    page.set_input_files("#mail-file", str(mbox))
    expect(status).to_contain_text("Read ")
    page.set_input_files(
        "#import-file", files=[{"name": "rosa.vcf", "mimeType": "text/vcard", "buffer": VCARD}]
    )
    expect(page.locator("#import-preview")).to_contain_text("Preview of “rosa.vcf”")
    assert page.locator("#mail-progress").is_visible(), "the contacts preview came after the mbox"
    words = page.locator("#mail-words")
    expect(words).to_contain_text("people you know will be added", timeout=300_000)
    sampler.done.set()
    sampler.join()
    matched = messages // 50 + (messages % 50 > 0)
    expect(words).to_have_text(f"{matched:,} messages with {PEOPLE} people you know will be added.")
    grew, heap_grew = sampler.peak - base_rss, js_heap(page) - base_heap
    print(
        f"\n{messages:,} messages; renderer RSS +{grew / MB:.0f} MB at peak; JS heap +{heap_grew / MB:.1f} MB"
    )
    assert grew < BOUND, f"the renderer grew {grew / MB:.0f} MB while reading"
    assert heap_grew < 50 * MB
    expect(page.locator("#mail-about")).to_contain_text("Nothing leaves it")
    assert axe_violations(page, axe_source) == []

    page.locator("#mail-commit").click()
    expect(page.locator("#mail-done")).to_have_text(
        f"Imported {matched:,} messages from {mbox.name}."
    )
    assert len(idb(page, "interactions")) == matched


def test_a_calendar_and_one_eml_become_meetings_and_a_message_in_pyodide(
    launch: Launch, app_url: str
) -> None:
    """Time zones in the browser, where zoneinfo has no data: an IANA name (dateutil's table)
    and a VTIMEZONE; and an .eml whose first line is kept only because the box is ticked."""
    here = Path(__file__).resolve().parents[1] / "core" / "mail"
    page = launch("calendar").new_page()
    page.goto(app_url + "#transfer")
    wait_engine_ready(page)
    created = "2026-01-01T00:00:00Z"
    put_records(page, {"people": [
        {"id": "ana", "name": "Ana Ruiz", "emails": ["ana.ruiz@example.com"], "created_at": created},
        {"id": "ben", "name": "Ben Cole", "emails": ["ben@example.net"], "created_at": created},
    ]})  # fmt: skip

    page.set_input_files("#mail-file", str(here / "sample.ics"))
    expect(page.locator("#mail-about")).to_contain_text("attendees")
    expect(page.locator("#mail-words")).to_contain_text("people you know will be added")
    page.locator("#mail-commit").click()
    expect(page.locator("#mail-done")).to_contain_text("meetings from sample.ics")
    starts = {str(i["at"]) for i in idb(page, "interactions")}
    assert "2026-12-01T14:00:00+00:00" in starts  # 09:00 in New York
    assert "2026-10-26T09:00:00+00:00" in starts  # 10:00 in the file's own "Custom Paris", winter

    mbox = (here / "sample.mbox").read_bytes()
    eml = mbox.split(b"\n", 1)[1].split(b"\nFrom 17")[0]
    page.get_by_label("Keep the first line of each message").check()
    page.set_input_files(
        "#mail-file", files=[{"name": "coffee.eml", "mimeType": "message/rfc822", "buffer": eml}]
    )
    page.locator("#mail-commit").click()
    expect(page.locator("#mail-done")).to_have_text("Imported 1 message from coffee.eml.")
    [message] = [i for i in idb(page, "interactions") if i["kind"] == "message_received"]
    assert (message["subject"], message["first_line"]) == (
        "Café next week?",
        "Could we meet for coffee next week?",
    )
