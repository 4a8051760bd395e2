"""Journey 5, landing: Ana introduced Ben, Ben introduced Cleo, and Cleo's company (Initech) makes
the offer; Rita is the reference; Dev gave advice over coffee during the search; Globex is still
interviewing you. Accepting the offer opens one gratitude checklist with exactly those people
and Globex, Ana marked as the one who opened the most doors."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from .conftest import Launch, idb, wait_engine_ready
from .test_opportunities import (
    ago,
    assert_no_axe_violations,
    go,
    interaction,
    introduction,
    open_app,
    opportunity,
    person,
    shot,
)


def landing_data() -> dict[str, list[dict[str, Any]]]:
    return {
        "people": [
            person("p-ana", "Ana Alves", organisation="Northwind", emails=["ana@northwind.test"]),
            person("p-ben", "Ben Brook", organisation="Freelance"),
            person(
                "p-cleo",
                "Cleo Chen",
                organisation="Initech",
                emails=["cleo@initech.test"],
                phones=["+44 7700 900123"],
            ),
            person("p-rita", "Rita Reyes", organisation="Acme", emails=["rita@acme.test"]),
            person("p-dev", "Dev Desai", organisation="Hooli"),
            person("p-yusuf", "Yusuf Young", organisation="Globex", emails=["yusuf@globex.test"]),
            person("p-omar", "Omar Ortiz", organisation="Umbrella"),
            # Captured, never met, never helped: not in the round.
            person("p-zoe", "Zoe Zimmer", organisation="Soylent"),
        ],
        "introductions": [
            introduction("i-ana-ben", "p-ana", "p-ben", ago(days=30)),
            introduction("i-ben-cleo", "p-ben", "p-cleo", ago(days=25), kind="referral"),
        ],
        "interactions": [
            interaction("x-cleo", ["p-cleo"], "interview", ago(days=12)),
            interaction(
                "x-dev", ["p-dev"], "coffee", ago(days=15), notes="Advice on the portfolio"
            ),
        ],
        "opportunities": [
            opportunity(
                "o-initech",
                "Initech",
                "offer",
                role="Product designer",
                introduction_id="i-ben-cleo",
                people=[
                    {"person_id": "p-cleo", "role": "hiring_manager"},
                    {"person_id": "p-rita", "role": "reference"},
                ],
                at=ago(days=1),
            ),
            opportunity(
                "o-globex",
                "Globex",
                "interviewing",
                role="UX lead",
                people=[{"person_id": "p-yusuf", "role": "recruiter"}],
                at=ago(days=8),
            ),
            # No longer a candidate there: nobody to tell.
            opportunity(
                "o-umbrella",
                "Umbrella",
                "rejected",
                people=[{"person_id": "p-omar", "role": "recruiter"}],
                at=ago(days=9),
            ),
        ],
    }


def test_landing_opens_one_gratitude_checklist_with_exactly_the_right_people(
    launch: Launch, app_url: str, axe_source: str
) -> None:
    page = open_app(launch, app_url, landing_data())
    go(page, "#opportunities")

    # The offer: "I landed the job", confirmed.
    offers = page.get_by_role("region", name=re.compile("^Offers"))
    offers.get_by_role("button", name="I landed the job at Initech").click()
    confirm = page.get_by_role("dialog", name="Did you accept Product designer at Initech?")
    expect(confirm.get_by_role("button", name="Yes, I landed the job")).to_be_focused()
    # The other open process, ticked to withdraw from in the same confirmation.
    expect(confirm.get_by_role("checkbox", name="Globex · UX lead")).to_be_checked()
    confirm.get_by_role("button", name="Yes, I landed the job").click()

    # The gratitude round: one checklist.
    expect(page).to_have_url(re.compile("#opportunities/thanks/o-initech$"))
    screen = page.locator("#view-screen")
    expect(screen.get_by_role("heading", name="Your gratitude round", level=2)).to_be_visible()
    expect(
        screen.get_by_text(re.compile("^You landed Product designer at Initech. Thank everyone"))
    ).to_be_visible()
    thank = screen.get_by_role("region", name="People to thank")
    tell = screen.get_by_role("region", name="Employers to tell")
    expect(thank.get_by_role("checkbox")).to_have_count(5)
    names = thank.get_by_role("checkbox").evaluate_all(
        "(boxes) => boxes.map((b) => b.labels[0].textContent)"
    )
    # The one who opened the most doors comes first; then the chain, the reference, the helpers.
    assert names == [
        "Thank Ana Alves",
        "Thank Ben Brook",
        "Thank Cleo Chen",
        "Thank Rita Reyes",
        "Thank Dev Desai",
    ]
    expect(tell.get_by_role("checkbox")).to_have_count(1)
    expect(tell.get_by_role("checkbox", name="Tell Globex")).not_to_be_checked()
    expect(tell).to_contain_text("To Yusuf Young: you accepted another position.")
    ana = thank.get_by_role("listitem").filter(has_text="Thank Ana Alves")
    expect(ana).to_contain_text("Opened the most doors: take them to dinner")
    expect(screen.get_by_text("Opened the most doors: take them to dinner")).to_have_count(1)
    expect(thank.get_by_role("listitem").filter(has_text="Thank Rita Reyes")).to_contain_text(
        "Your reference"
    )
    expect(thank.get_by_role("listitem").filter(has_text="Thank Dev Desai")).to_contain_text(
        "Gave time, advice or names"
    )
    expect(screen.get_by_text("0 of 6 done")).to_be_visible()
    assert_no_axe_violations(page, axe_source)
    shot(page, "gratitude")

    # On disk: the offer is accepted, and the round is remembered.
    stages = {o["id"]: o["stage"] for o in idb(page, "opportunities")}
    # The confirmation withdrew from Globex, still interviewing: one courteous note is owed there.
    assert stages == {"o-initech": "accepted", "o-globex": "withdrawn", "o-umbrella": "rejected"}
    [round_] = [m for m in idb(page, "meta") if str(m["id"]).startswith("gratitude-round:")]
    assert round_["opportunity_id"] == "o-initech"
    assert sorted(round_["person_ids"]) == ["p-ana", "p-ben", "p-cleo", "p-dev", "p-rita"]
    assert round_["most_doors"] == "p-ana"
    assert round_["courtesy_notes"] == ["o-globex"]

    # Today has them too, and not the person who did not help.
    go(page, "#today")
    today = page.locator("#view-today")
    for name in ["Ana Alves", "Ben Brook", "Cleo Chen", "Rita Reyes", "Dev Desai", "Yusuf Young"]:
        expect(today.get_by_role("listitem").filter(has_text=name).first).to_be_visible()
    expect(today.get_by_role("listitem").filter(has_text="Zoe Zimmer")).to_have_count(0)

    # Tick one off: a decision on disk, and it stays ticked after a reload.
    go(page, "#opportunities/thanks/o-initech")
    page.get_by_role("checkbox", name="Thank Ben Brook").check()
    expect(screen.get_by_text("1 of 6 done")).to_be_visible()
    decisions = {d["key"]: d["status"] for d in idb(page, "decisions")}
    assert decisions == {"gratitude:o-initech:p-ben": "done"}
    page.reload()
    wait_engine_ready(page)
    expect(page.get_by_role("checkbox", name="Thank Ben Brook")).to_be_checked()
    expect(page.get_by_role("checkbox", name="Thank Ana Alves")).not_to_be_checked()

    # Write to Cleo: the draft, the phone's own apps, then "Sent?" logs it.
    page.get_by_role("button", name="Write the note to Cleo Chen").click()
    draft = page.get_by_role("dialog", name="Thank Cleo Chen")
    expect(draft.get_by_label("Message", exact=True)).to_be_focused()
    expect(draft.get_by_label("Message", exact=True)).to_have_value(
        re.compile("Product designer at Initech")
    )
    mail = draft.get_by_role("link", name="Open in your email app")
    expect(mail).to_have_attribute(
        "href", re.compile(r"^mailto:cleo@initech\.test\?subject=.+&body=.+")
    )
    # The one draft sheet shows one channel at a time: choose each to see its link.
    draft.get_by_role("radio", name="Text message").check()
    expect(draft.get_by_role("link", name="Open in Messages")).to_have_attribute(
        "href", re.compile(r"^sms:\+447700900123\?body=")
    )
    draft.get_by_role("radio", name="Phone call").check()
    expect(draft.get_by_role("link", name="Call Cleo")).to_have_attribute(
        "href", "tel:+447700900123"
    )
    draft.get_by_role("radio", name="Email").check()
    assert_no_axe_violations(page, axe_source)
    draft.get_by_role("button", name="Copy").click()
    draft.get_by_role("button", name="Already sent").click()
    page.get_by_role("dialog", name="Did you send it to Cleo?").get_by_role(
        "button", name="Yes, it\u2019s sent"
    ).click()
    expect(draft).to_have_count(0)
    expect(page.get_by_role("checkbox", name="Thank Cleo Chen")).to_be_checked()
    expect(screen.get_by_role("listitem").filter(has_text="Thank Cleo Chen")).to_contain_text(
        "Sent"
    )
    expect(screen.get_by_text("2 of 6 done")).to_be_visible()
    [logged] = [i for i in idb(page, "interactions") if i.get("followup_key")]
    assert logged["followup_key"] == "gratitude:o-initech:p-cleo"
    assert logged["person_ids"] == ["p-cleo"]
    assert logged["kind"] == "thank_you_email"
    assert logged["opportunity_id"] == "o-initech"

    # Untick Ben: back on the list.
    page.get_by_role("checkbox", name="Thank Ben Brook").uncheck()
    expect(screen.get_by_text("1 of 6 done")).to_be_visible()
    assert "gratitude:o-initech:p-ben" not in {d["key"] for d in idb(page, "decisions")}
