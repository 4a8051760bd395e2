"""Journey 4, rejection: Globex says no after the interviews. Marking the opportunity rejected
puts a thank-you-anyway note to the recruiter in Today: a gracious note keeps the door open."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .conftest import Launch, idb
from .test_opportunities import (
    ago,
    assert_no_axe_violations,
    go,
    interaction,
    open_app,
    opportunity,
    person,
)


def test_a_rejection_puts_a_thank_you_anyway_in_today(
    launch: Launch, app_url: str, axe_source: str
) -> None:
    data = {
        "people": [
            person("p-yusuf", "Yusuf Young", organisation="Globex", emails=["yusuf@globex.test"])
        ],
        "interactions": [
            interaction("x-1", ["p-yusuf"], "interview", ago(days=6)),
            interaction("x-2", ["p-yusuf"], "thank_you_email", ago(days=5, hours=20)),
        ],
        "opportunities": [
            opportunity(
                "o-globex",
                "Globex",
                "interviewing",
                role="UX lead",
                people=[{"person_id": "p-yusuf", "role": "recruiter"}],
                at=ago(days=6),
            )
        ],
    }
    page = open_app(launch, app_url, data)
    # Nothing is owed to Yusuf before the news.
    expect(page.locator("#view-today").get_by_text("Thank them anyway")).to_have_count(0)

    go(page, "#opportunities")
    interviewing = page.get_by_role("region", name=re.compile("^Interviewing"))
    interviewing.get_by_role("button", name="Move Globex to another stage").click()
    dialog = page.get_by_role("dialog", name="Move Globex")
    dialog.get_by_role("radio", name=re.compile("^Rejected")).check()
    expect(dialog).to_contain_text("Followthrough adds a thank-you-anyway note to Today")
    dialog.get_by_role("button", name="Move", exact=True).click()

    # The pipeline: the card is under Rejected, with a pointer to Today.
    rejected = page.get_by_role("region", name=re.compile("^Rejected"))
    card = rejected.get_by_role("listitem").filter(has_text="Globex")
    expect(card).to_contain_text("A thank-you-anyway note is waiting in Today")
    expect(page.get_by_role("region", name=re.compile("^Interviewing"))).not_to_contain_text(
        "Globex"
    )
    expect(page.get_by_role("status").filter(has_text="Moved Globex to Rejected.")).to_be_visible()
    assert_no_axe_violations(page, axe_source)

    # On disk.
    [globex] = idb(page, "opportunities")
    assert globex["stage"] == "rejected"
    assert str(globex["stage_at"]) > ago(minutes=5)

    # Today: the thank-you-anyway, to Yusuf.
    card.get_by_role("link", name="Today").click()
    today = page.locator("#view-today")
    followup = (
        today.get_by_role("listitem")
        .filter(has_text="Yusuf Young")
        .filter(has_text="Globex said no to the UX lead role. Thank them anyway")
    )
    expect(followup).to_be_visible()
