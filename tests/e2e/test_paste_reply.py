"""Issue 18: Today shows "Reply to Bea" for the question she asked three days ago, and "Paste
their reply" reads a pasted "no" (its quoted thread left out), shows the deciding words, and
records the reply the user confirms, which stops the nudges."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import Launch, idb
from .test_opportunities import ago, assert_no_axe_violations, go, interaction, open_app, person

PASTED = (
    "Hi Sam,\n\nThanks for thinking of me, but I'll have to pass: we're not hiring this year.\n\n"
    "Best,\nBea\n\nOn Mon, 3 Nov 2026 at 09:12, Sam Seeker <sam@example.com> wrote:\n"
    "> Could we talk next month?\n"
)


def test_a_question_waits_on_today_and_a_pasted_no_is_read_and_recorded(
    launch: Launch, app_url: str, axe_source: str
) -> None:
    asked = interaction(
        "h-bea-1", ["p-bea"], "message_received", ago(days=3),
        subject="The analyst role", thread="t-1", source_id="<m1@mail.test>", asks=True,
    )  # fmt: skip
    page = open_app(
        launch, app_url, {"people": [person("p-bea", "Bea Chen")], "interactions": [asked]}
    )

    go(page, "#today")
    card = page.locator("#view-today [data-key='reply:h-bea-1:p-bea']")
    expect(card).to_contain_text("Reply to Bea Chen")
    expect(card).to_contain_text("\u201cThe analyst role\u201d")

    go(page, "#person/p-bea")
    page.get_by_role("button", name="Paste their reply…").click()
    sheet = page.get_by_role("dialog", name="Paste Bea\u2019s reply")
    sheet.get_by_label("Their message").fill(PASTED)
    sheet.get_by_role("button", name="Read it").click()
    expect(sheet).to_contain_text("This reads as: No")
    expect(sheet).to_contain_text("\u201chave to pass\u201d")
    expect(sheet.get_by_role("radio", name="No", exact=True)).to_be_checked()
    assert_no_axe_violations(page, axe_source)
    sheet.get_by_role("button", name="Save their reply").click()
    expect(sheet).to_have_count(0)

    replies = [i for i in idb(page, "interactions") if i["kind"] == "reply"]
    assert [(r["person_ids"], r["reply"]) for r in replies] == [(["p-bea"], "no")]
    expect(page.locator("#view-screen")).to_contain_text("Bea said no")
