"""Journey 3, close the loop: after meeting the referral, Today asks you to update the
introducer; sending that update closes it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import expect

from .conftest import Launch, axe_violations, idb, wait_engine_ready
from .test_people import introduction, person, seed

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_after_meeting_the_referral_today_asks_to_update_the_introducer(
    launch: Launch, app_url: str, axe_source: str
) -> None:
    now = datetime.now(UTC)
    page = launch().new_page()
    # Yesterday Ashok introduced María (captured with "introduced by" the day before).
    seed(
        page,
        app_url,
        {
            "people": [
                person(
                    "p-ashok",
                    "Ashok Mehta",
                    now - timedelta(days=10),
                    organisation="Northwind",
                    role="Head of Sales",
                    emails=["ashok@northwind.example"],
                ),
                person(
                    "p-maria",
                    "María López",
                    now - timedelta(days=1),
                    organisation="Contoso Media",
                    notes="Talk to her about media sales",
                ),
            ],
            "introductions": [
                introduction(
                    "i-maria", "p-ashok", "p-maria", now - timedelta(days=1), "media sales"
                )
            ],
        },
    )
    page.goto(app_url + "#today")
    wait_engine_ready(page)
    expect(page.locator(".card[data-rule='reach-out']")).to_contain_text("María López")
    expect(page.locator(".card[data-rule='close-loop']")).to_have_count(0)

    # Log the meeting with María on her Person screen.
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="People").click()
    page.get_by_role("link", name=re.compile("^María López")).click()
    expect(page.get_by_role("heading", name="María López", level=2)).to_be_visible()
    page.get_by_role("button", name="Log a meeting with notes…").click()
    meeting = page.get_by_role("dialog", name="Log a meeting with María")
    expect(meeting.get_by_label("What was it?")).to_be_focused()
    meeting.get_by_label("What you talked about").fill(
        "Media sales at Contoso; she is hiring next quarter."
    )
    meeting.get_by_role("button", name="Add advice they gave").click()
    meeting.get_by_label("Advice 1", exact=True).fill("Talk to Priya Sharma at Stripe")
    meeting.get_by_label("Kind of advice").select_option("names")
    meeting.get_by_role("button", name="Add a promise you made").click()
    meeting.get_by_label("Promise 1", exact=True).fill("Send María my portfolio")
    assert axe_violations(page, axe_source) == []
    page.screenshot(path=str(SCREENSHOTS / "person-meeting.png"))
    meeting.get_by_role("button", name="Save meeting").click()
    expect(
        page.get_by_role("status").filter(has_text="Logged your meeting with María López.")
    ).to_be_visible()
    expect(page.locator(".person-events > li").first).to_contain_text("Media sales at Contoso")
    expect(page.locator(".person-events > li").first).to_contain_text(
        "Talk to Priya Sharma at Stripe"
    )

    [met] = idb(page, "interactions")
    assert (met["kind"], met["person_ids"], met["advice"][0]["kind"]) == (
        "meeting",
        ["p-maria"],
        "names",
    )
    assert met["promises"][0]["text"] == "Send María my portfolio"
    [intro] = idb(page, "introductions")
    assert intro["status"] == "met"

    # Today now asks to update Ashok, about María.
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Today").click()
    update = page.locator(".card[data-rule='close-loop']")
    expect(update).to_contain_text("Ashok Mehta")
    expect(update).to_contain_text("María López")
    expect(update).to_contain_text("Tell Ashok how it went")
    expect(page.locator(".card[data-rule='reach-out']")).to_have_count(0)
    page.screenshot(path=str(SCREENSHOTS / "journey-close-loop-today.png"))

    # Its draft mentions María; send it, and say it went.
    update.get_by_role("button", name="Send an update: Ashok Mehta").click()
    draft = page.get_by_role("dialog", name="Send an update: Ashok Mehta")
    expect(draft.get_by_role("textbox", name="Message")).to_have_value(
        re.compile("introducing me to María López")
    )
    expect(draft.get_by_role("link", name="Open in your email app")).to_have_attribute(
        "href", re.compile(r"^mailto:ashok@northwind\.example\?subject=.*Mar%C3%ADa")
    )
    page.screenshot(path=str(SCREENSHOTS / "journey-close-loop-draft.png"))
    draft.get_by_role("button", name="Already sent").click()
    page.get_by_role("dialog", name="Did you send it to Ashok?").get_by_role(
        "button", name="Yes, it\u2019s sent"
    ).click()

    expect(
        page.get_by_role("status").filter(has_text="Logged as sent: Ashok Mehta is done for now.")
    ).to_be_visible()
    expect(page.locator(".card[data-rule='close-loop']")).to_have_count(0)
    updates = [i for i in idb(page, "interactions") if i["kind"] == "introducer_update"]
    assert [(u["person_ids"], u["followup_key"]) for u in updates] == [
        (["p-ashok"], "close-loop:i-maria")
    ]

    # Ashok's page shows the loop closed: nothing owed, the update on his timeline.
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="People").click()
    page.get_by_role("link", name=re.compile("^Ashok Mehta")).click()
    expect(page.locator(".person-owed")).to_contain_text("Nothing owed to Ashok right now")
    expect(page.locator(".person-events > li").first).to_contain_text("Update sent")
