"""Issue #18: a LinkedIn archive of 2,000 connections and 10,000 messages imported in Chromium:
progress shows, the page keeps answering, and afterwards Today lists whom to reply to."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import expect

from tests.support.linkedin_archive import Spec, archive_zip

from .builders import introduction, person
from .conftest import Launch, axe_violations, idb, put_records, wait_engine_ready
from .linkedin_drive import import_archive


def test_a_big_archive_imports_with_progress_and_today_knows_the_history(
    launch: Launch, app_url: str, axe_source: str, tmp_path: Path
) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    spec = Spec(connections=2000, messages=10_000, now=now, recent_questions=4)
    archive = tmp_path / "Basic_LinkedInDataExport_12-05-2026.zip"
    archive.write_bytes(archive_zip(spec))
    page = launch("desktop", viewport={"width": 1280, "height": 900}).new_page()
    page.goto(app_url + "#transfer")
    wait_engine_ready(page)
    # Typed in by hand months ago: Ivo Ruiz introduced you to Ana Ruiz.
    months = now - timedelta(days=120)
    put_records(
        page,
        {
            "people": [
                person("ivo", "Ivo Ruiz", months, urls=["https://www.linkedin.com/in/ivo-ruiz"]),
                person("ana", "Ana Ruiz", months, urls=["https://www.linkedin.com/in/ana-ruiz"]),
            ],
            "introductions": [introduction("intro", "ivo", "ana", months)],
        },
    )

    def check_preview() -> None:
        preview = page.locator("#import-preview")
        expect(preview).to_contain_text("Not kept: what the messages say")
        expect(preview).to_contain_text("1 sponsored messages left out")
        expect(page.get_by_label("Also keep the first line of each message")).not_to_be_checked()
        assert axe_violations(page, axe_source) == []

    times = import_archive(page, archive, check_preview)

    assert times["slowest frame"] < 2000, times
    interactions = idb(page, "interactions")
    assert len(interactions) > 10_000  # messages with people and invitations
    assert len(idb(page, "people")) == 2001  # and Rita, a recruiter you wrote back to
    assert {o["stage"] for o in idb(page, "opportunities")} == {"applied"}
    page.goto(page.url.split("#")[0] + "#today")
    page.wait_for_selector("html[data-today=fresh]", timeout=60_000)
    # Four people asked you something 3 to 12 days ago and are still waiting: "Reply to" them,
    # the longest wait first; 9,000 older messages owe nothing.
    replies = page.locator("#today-list > li", has_text="Reply to")
    expect(replies).to_have_count(4)
    expect(replies.first).to_contain_text("Dev Ruiz")
    expect(page.locator("#today-list")).to_contain_text("Reply to Ana Ruiz")
