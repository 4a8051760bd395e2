"""Importing a LinkedIn archive through the Import screen, timed: shared by the e2e test
(test_linkedin_history.py) and `bench/bench_linkedin_history.py --chromium`."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

# Round trip of a frame on the page's main thread: "the app answers" while the worker works.
FRAME_JS = "() => new Promise((done) => requestAnimationFrame(() => done(performance.now())))"


def answers_within(page: Page) -> float:
    """How long the page takes to paint one frame, in ms."""
    start = time.perf_counter()
    page.evaluate(FRAME_JS)
    return (time.perf_counter() - start) * 1000


def import_archive(
    page: Page, archive: Path, on_preview: Callable[[], None] = lambda: None
) -> dict[str, float]:
    """Pick the ZIP on #transfer (already open), check the preview's words, confirm; the times
    of the preview and the commit, and the slowest frame while they ran."""
    progress = page.locator("#import-progress")
    preview = page.locator("#import-preview")
    start = time.perf_counter()
    page.set_input_files("#import-file", str(archive))
    expect(progress).to_be_visible()
    slowest = answers_within(page)
    expect(preview.locator("#archive-privacy")).to_contain_text(
        "Nothing leaves this device", timeout=120_000
    )
    previewed = time.perf_counter()
    expect(progress).to_be_hidden()
    on_preview()
    page.get_by_role("button", name="Import the archive").click()
    expect(progress).to_be_visible()
    slowest = max(slowest, answers_within(page))
    expect(page.locator(".transfer-status").first).to_contain_text("Imported:", timeout=180_000)
    done = time.perf_counter()
    return {
        "preview": (previewed - start) * 1000,
        "commit": (done - previewed) * 1000,
        "slowest frame": slowest,
    }
