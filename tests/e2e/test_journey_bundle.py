"""Landing closes every loop at once: Ana introduced Ben (who hired the user at Initech) and Cy
(who led to an interview at Globex). "I landed the job" withdraws from Globex in the same
confirmation, and Today then offers Ana one card and one message: how Cy's introduction ended,
the news and the thanks. Sending it closes every part."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from .conftest import Launch, idb
from .test_opportunities import ago, go, introduction, open_app, opportunity, person


def data() -> dict[str, list[dict[str, Any]]]:
    return {
        "people": [
            person("p-ana", "Ana Alves", emails=["ana@northwind.test"]),
            person("p-ben", "Ben Brook", organisation="Initech"),
            person("p-cy", "Cy Diaz", organisation="Freelance"),
            person("p-yusuf", "Yusuf Young", organisation="Globex"),
        ],
        "introductions": [
            introduction("i-ana-ben", "p-ana", "p-ben", ago(days=30)),
            introduction("i-ana-cy", "p-ana", "p-cy", ago(days=25)),
        ],
        "opportunities": [
            opportunity("o-initech", "Initech", "offer", role="Product designer",
                        introduction_id="i-ana-ben",
                        people=[{"person_id": "p-ben", "role": "hiring_manager"}]),
            opportunity("o-globex", "Globex", "interviewing", role="UX lead",
                        introduction_id="i-ana-cy",
                        people=[{"person_id": "p-yusuf", "role": "recruiter"}]),
        ],
    }  # fmt: skip


def test_landing_gives_a_prolific_introducer_one_message_that_closes_every_loop(
    launch: Launch, app_url: str
) -> None:
    page = open_app(launch, app_url, data())
    go(page, "#opportunities")

    # "I landed the job", withdrawing from Globex in the same confirmation.
    page.get_by_role("button", name="I landed the job at Initech").click()
    confirm = page.get_by_role("dialog", name="Did you accept Product designer at Initech?")
    expect(confirm.get_by_role("checkbox", name="Globex · UX lead")).to_be_checked()
    expect(confirm).to_contain_text("Followthrough moves Globex to Withdrawn.")
    confirm.get_by_role("button", name="Yes, I landed the job").click()
    expect(page).to_have_url(re.compile("#opportunities/thanks/o-initech$"))
    stages = {o["id"]: o["stage"] for o in idb(page, "opportunities")}
    assert stages == {"o-initech": "accepted", "o-globex": "withdrawn"}

    # Today: one card for Ana, naming each thing the one message covers.
    go(page, "#today")
    today = page.locator("#view-today")
    ana = today.locator("[data-key='bundle:p-ana']")
    expect(ana).to_have_count(1)
    expect(today.locator("[data-key^='gratitude:o-initech:p-ana']")).to_have_count(0)
    expect(ana).to_contain_text("2 things for Ana: Cy's introduction · news and dinner")
    ana.get_by_role("button", name="Write to Ana Alves").click()

    # One draft: how Cy's introduction ended, then the news and the thanks.
    draft = page.get_by_role("dialog", name="Write one message: Ana Alves")
    message = draft.get_by_label("Message", exact=True)
    expect(message).to_have_value(re.compile(r"^Hi Ana,"))
    expect(message).to_have_value(
        re.compile(r"withdrew from the process for the UX lead role at Globex")
    )
    expect(message).to_have_value(re.compile(r"Globex[\s\S]*Product designer at Initech"))
    draft.get_by_role("button", name="Already sent").click()
    page.get_by_role("dialog", name="Did you send it to Ana?").get_by_role(
        "button", name="Yes, it\u2019s sent"
    ).click()

    # One interaction, and every part closed under its own key.
    expect(ana).to_have_count(0)
    [sent] = [i for i in idb(page, "interactions") if i.get("followup_key")]
    assert sent["followup_key"] == "bundle:p-ana"
    assert sent["person_ids"] == ["p-ana"]
    decided = {d["key"]: d["status"] for d in idb(page, "decisions")}
    assert decided == {"close-loop-outcome:i-ana-cy": "done", "gratitude:o-initech:p-ana": "done"}
