"""Opportunities: the pipeline on a phone, adding and editing with the introduction and the
people, moving by stage (keyboard and touch), escaping, and accessibility."""

from __future__ import annotations

import functools
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from . import builders
from .conftest import Launch, axe_violations, idb, put_records, wait_engine_ready

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def ago(**delta: float) -> str:
    """An ISO instant this long before now (the app runs on the real clock)."""
    return (datetime.now(UTC) - timedelta(**delta)).isoformat().replace("+00:00", "Z")


def person(pid: str, name: str, **fields: Any) -> dict[str, Any]:
    return builders.person(pid, name, fields.pop("at", ago(days=40)), **fields)


introduction = functools.partial(builders.introduction, status="met")
interaction = builders.interaction


def opportunity(oid: str, organisation: str, stage: str, **fields: Any) -> dict[str, Any]:
    return builders.opportunity(oid, organisation, stage, fields.pop("at", ago(days=10)), **fields)


def open_app(
    launch: Launch, app_url: str, data: dict[str, list[dict[str, Any]]] | None = None
) -> Page:
    """A phone with the app open, the engine ready, and `data` saved through the engine (then
    reloaded, so the page opens on it like any saved data)."""
    page = launch().new_page()
    page.goto(app_url)
    wait_engine_ready(page)
    if data:
        put_records(page, data)
        page.reload()
        wait_engine_ready(page)
    return page


def go(page: Page, hash_: str) -> None:
    page.evaluate("(h) => { location.hash = h; }", hash_)


def assert_no_axe_violations(page: Page, axe_source: str) -> None:
    violations = axe_violations(page, axe_source)
    assert violations == [], violations


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate(
        "() => { window.scrollTo(0, 0); document.getElementById('toast')?.classList.remove('show'); }"
    )
    page.wait_for_timeout(250)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def pipeline_data() -> dict[str, list[dict[str, Any]]]:
    return {
        "people": [
            person("p-ana", "Ana Alves", organisation="Freelance"),
            person("p-ben", "Ben Brook", organisation="Initech"),
            person("p-una", "Una Umar", organisation="Umbrella"),
        ],
        "introductions": [introduction("i-ab", "p-ana", "p-ben", ago(days=20))],
        "opportunities": [
            opportunity(
                "o-initech",
                "Initech",
                "interviewing",
                role="Product designer",
                introduction_id="i-ab",
                people=[{"person_id": "p-ben", "role": "hiring_manager"}],
                notes="Second round on Thursday: bring the case study.",
                at=ago(days=2),
            ),
            opportunity("o-umbrella", "Umbrella", "applied", role="UX researcher", at=ago(days=5)),
            opportunity("o-hooli", "Hooli", "lead", role="Design lead", at=ago(days=1)),
            opportunity("o-vandelay", "Vandelay", "offer", role="Design systems", at=ago(hours=3)),
        ],
    }


def test_an_empty_pipeline_teaches_the_next_step(
    launch: Launch, app_url: str, axe_source: str
) -> None:
    page = open_app(launch, app_url)
    go(page, "#opportunities")

    expect(page.get_by_role("heading", name="Pipeline", level=2)).to_be_focused()
    expect(page.get_by_role("heading", name="No opportunities yet.")).to_be_visible()
    expect(page.get_by_role("button", name="Add your first opportunity")).to_be_visible()
    assert_no_axe_violations(page, axe_source)


def test_the_pipeline_shows_every_stage_with_its_people_and_introduction(
    launch: Launch, app_url: str, axe_source: str
) -> None:
    page = open_app(launch, app_url, pipeline_data())
    go(page, "#opportunities")

    interviewing = page.get_by_role("region", name=re.compile("^Interviewing"))
    card = interviewing.get_by_role("listitem").filter(has_text="Initech").first
    expect(card).to_contain_text("Product designer")
    expect(card).to_contain_text("Ana Alves introduced you to Ben Brook")
    expect(card.get_by_role("link", name="Ben Brook").first).to_have_attribute(
        "href", "#person/p-ben"
    )
    expect(card).to_contain_text("Hiring manager")
    expect(card).to_contain_text("bring the case study")
    for stage, org in [("Leads", "Hooli"), ("Applied", "Umbrella"), ("Offers", "Vandelay")]:
        expect(page.get_by_role("region", name=re.compile(f"^{stage}"))).to_contain_text(org)
    # Closed stages with nothing in them are not shown on a phone.
    expect(page.get_by_role("region", name=re.compile("^Rejected"))).to_have_count(0)
    assert_no_axe_violations(page, axe_source)
    # Every control is at least 44 px tall.
    heights = page.evaluate(
        """() => [...document.querySelectorAll('#view-screen button, #view-screen a.button')]
            .filter((e) => e.offsetParent).map((e) => e.getBoundingClientRect().height)"""
    )
    assert heights
    assert min(heights) >= 44, heights
    # Nothing overflows the phone's width.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    shot(page, "pipeline")


def test_add_an_opportunity_with_its_introduction_and_people(
    launch: Launch, app_url: str, axe_source: str
) -> None:
    data = pipeline_data()
    data["opportunities"] = []
    page = open_app(launch, app_url, data)
    go(page, "#opportunities")
    page.get_by_role("button", name="Add your first opportunity").click()

    dialog = page.get_by_role("dialog", name="Add an opportunity")
    expect(dialog.get_by_label("Organisation")).to_be_focused()
    # Empty organisation: a clear message, and nothing saved.
    dialog.get_by_role("button", name="Add opportunity").click()
    expect(dialog.get_by_text("Say which organisation this is with.")).to_be_visible()
    expect(dialog.get_by_label("Organisation")).to_be_focused()
    assert idb(page, "opportunities") == []

    dialog.get_by_label("Organisation").fill("Initech")
    dialog.get_by_label("Role", exact=True).fill("Product designer")
    dialog.get_by_label("Stage").select_option("applied")
    intro = dialog.get_by_label("Came from the introduction")
    intro.select_option(index=1)
    expect(intro.locator("option:checked")).to_contain_text("Ana Alves introduced Ben Brook")
    # Choosing the introduction links the person it introduced.
    expect(dialog.get_by_label("Person 1", exact=True)).to_have_value("Ben Brook")
    dialog.get_by_label("Role of person 1").select_option("hiring_manager")
    dialog.get_by_role("button", name="Add a person").click()
    expect(dialog.get_by_label("Person 2", exact=True)).to_be_focused()
    dialog.get_by_label("Person 2", exact=True).fill("Ana Alves")
    dialog.get_by_label("Role of person 2").select_option("reference")
    dialog.get_by_label("Notes").fill("Portfolio review first.")
    assert_no_axe_violations(page, axe_source)
    dialog.get_by_role("button", name="Add opportunity").click()

    expect(dialog).to_have_count(0)
    applied = page.get_by_role("region", name=re.compile("^Applied"))
    expect(applied).to_contain_text("Initech")
    expect(applied).to_contain_text("Ana Alves introduced you to Ben Brook")
    [saved] = idb(page, "opportunities")
    assert saved["organisation"] == "Initech"
    assert saved["role"] == "Product designer"
    assert saved["stage"] == "applied"
    assert saved["introduction_id"] == "i-ab"
    assert saved["notes"] == "Portfolio review first."
    assert saved["people"] == [
        {"person_id": "p-ben", "role": "hiring_manager"},
        {"person_id": "p-ana", "role": "reference"},
    ]
    assert [d for d in idb(page, "drafts") if str(d["id"]).startswith("opportunity-form")] == []

    # Edit: change the role; the stage stays.
    page.get_by_role("button", name="Edit Initech").click()
    dialog = page.get_by_role("dialog", name="Edit Initech")
    expect(dialog.get_by_label("Person 2", exact=True)).to_have_value("Ana Alves")
    dialog.get_by_label("Role", exact=True).fill("Senior product designer")
    dialog.get_by_role("button", name="Remove person 2").click()
    dialog.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("region", name=re.compile("^Applied"))).to_contain_text(
        "Senior product designer"
    )
    [saved] = idb(page, "opportunities")
    assert saved["role"] == "Senior product designer"
    assert saved["stage"] == "applied"
    assert saved["people"] == [{"person_id": "p-ben", "role": "hiring_manager"}]


def test_a_half_typed_opportunity_survives_a_reload(launch: Launch, app_url: str) -> None:
    page = open_app(launch, app_url)
    go(page, "#opportunities")
    page.get_by_role("button", name="Add your first opportunity").click()
    dialog = page.get_by_role("dialog", name="Add an opportunity")
    dialog.get_by_label("Organisation").fill("Globex")
    dialog.get_by_label("Notes").fill("Met their CTO at the fair")
    page.reload()
    wait_engine_ready(page)
    page.get_by_role("button", name="Add your first opportunity").click()
    expect(dialog.get_by_label("Organisation")).to_have_value("Globex")
    expect(dialog.get_by_label("Notes")).to_have_value("Met their CTO at the fair")


def test_move_a_card_with_the_keyboard(launch: Launch, app_url: str, axe_source: str) -> None:
    page = open_app(launch, app_url, pipeline_data())
    go(page, "#opportunities")
    move = page.get_by_role("button", name="Move Umbrella to another stage")
    move.focus()
    page.keyboard.press("Enter")

    dialog = page.get_by_role("dialog", name="Move Umbrella")
    expect(dialog.get_by_role("radio", name=re.compile("^Applied"))).to_be_focused()
    assert_no_axe_violations(page, axe_source)
    page.keyboard.press("ArrowDown")
    expect(dialog.get_by_role("radio", name=re.compile("^Interviewing"))).to_be_checked()
    page.keyboard.press("Enter")

    expect(dialog).to_have_count(0)
    expect(page.get_by_role("region", name=re.compile("^Interviewing"))).to_contain_text("Umbrella")
    # Focus follows the card to its new place.
    expect(page.get_by_role("heading", name="Umbrella", level=4)).to_be_focused()
    [umbrella] = [o for o in idb(page, "opportunities") if o["id"] == "o-umbrella"]
    assert umbrella["stage"] == "interviewing"

    # One tap for the usual next step; Escape closes a dialog without a change.
    page.get_by_role("button", name="I applied at Hooli").click()
    expect(page.get_by_role("region", name=re.compile("^Applied"))).to_contain_text("Hooli")
    page.get_by_role("button", name="Move Hooli to another stage").click()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.get_by_role("button", name="Move Hooli to another stage")).to_be_focused()
    stages = {o["id"]: o["stage"] for o in idb(page, "opportunities")}
    assert stages["o-hooli"] == "applied"


def test_what_users_typed_is_shown_as_text(launch: Launch, app_url: str) -> None:
    evil = "<img src=x onerror=alert(1)>"
    data = {
        "people": [person("p-x", evil)],
        "introductions": [],
        "opportunities": [
            opportunity(
                "o-x",
                evil,
                "applied",
                role=evil,
                notes=evil,
                people=[{"person_id": "p-x", "role": "recruiter"}],
            )
        ],
    }
    page = open_app(launch, app_url, data)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    go(page, "#opportunities")
    card = page.get_by_role("region", name=re.compile("^Applied")).get_by_role("listitem").first
    expect(card.get_by_role("heading", name=evil)).to_be_visible()
    expect(card.get_by_role("link", name=evil)).to_be_visible()
    assert page.locator("#view-screen img").count() == 0
    assert dialogs == []
