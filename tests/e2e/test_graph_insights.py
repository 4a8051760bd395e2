"""The introductions graph and the insights: drawn by the page, usable by keyboard and screen
reader, readable on a phone, and sane with nothing, one person, and five hundred."""

from __future__ import annotations

import re
import time
from typing import Any

from playwright.sync_api import expect

from .conftest import Launch
from .test_opportunities import (
    SCREENSHOTS,
    ago,
    assert_no_axe_violations,
    go,
    interaction,
    introduction,
    open_app,
    person,
    shot,
)


def chain_data() -> dict[str, list[dict[str, Any]]]:
    return {
        "people": [
            person("p-ana", "Ana Alves"),
            person("p-ben", "Ben Brook"),
            person("p-cleo", "Cleo Chen"),
            person("p-dev", "Dev Desai"),
            person("p-eve", "Evangelina Montgomery-Smythe"),
            person("p-fay", "Fay Fox"),
            person("p-gus", "Gus Grant"),
        ],
        "introductions": [
            introduction("i-1", "p-ana", "p-ben", ago(days=30)),
            introduction("i-2", "p-ben", "p-cleo", ago(days=25)),
            introduction("i-3", "p-ana", "p-dev", ago(days=20)),
            introduction("i-4", "p-cleo", "p-eve", ago(days=10)),
            introduction("i-5", "p-fay", "p-gus", ago(days=5)),
        ],
    }


def test_the_graph_says_there_is_nothing_yet_and_how_to_start(
    launch: Launch, app_url: str, axe_source: str
) -> None:
    page = open_app(launch, app_url)
    go(page, "#graph")

    expect(page.get_by_role("heading", name="Introductions", level=2)).to_be_focused()
    expect(page.get_by_role("heading", name="No introductions yet.")).to_be_visible()
    expect(
        page.locator("#view-screen").get_by_role("link", name="Capture a person")
    ).to_have_attribute("href", "#capture")
    assert_no_axe_violations(page, axe_source)


def test_the_graph_draws_who_introduced_whom_and_opens_a_person(
    launch: Launch, app_url: str, axe_source: str
) -> None:
    page = open_app(launch, app_url, chain_data())
    go(page, "#graph")

    figure = page.get_by_role("figure")
    expect(figure).to_contain_text("Introductions graph: 7 people, 5 introductions.")
    nodes = page.locator("svg.graph-svg [role=link]")
    expect(nodes).to_have_count(7)
    expect(page.locator("svg.graph-svg .graph-edge")).to_have_count(5)
    # Ana opened the most doors (Ben, Cleo, Dev, and Evangelina through them): highlighted.
    ana = page.get_by_role("link", name="Ana Alves, opened the most doors")
    expect(ana).to_have_class(re.compile("is-most"))
    expect(page.locator("svg.graph-svg .graph-node.is-most")).to_have_count(1)
    expect(page.locator(".graph-most")).to_contain_text(
        "Ana Alves opened the most doors: 4 people reached through them."
    )
    # A long name is shortened on the picture; the full name is in its title and accessible name.
    eve = page.get_by_role("link", name="Evangelina Montgomery-Smythe", exact=True)
    expect(page.locator('[data-for="p-eve"] .graph-label')).to_have_text("Evangelina Mo…")
    expect(eve.locator("title")).to_have_text("Evangelina Montgomery-Smythe")
    # Layered by depth: Ana above Ben above Cleo above Evangelina.
    ys = [
        page.get_by_role("link", name=re.compile(f"^{name}")).first.bounding_box()["y"]  # type: ignore[index]
        for name in ["Ana Alves", "Ben Brook", "Cleo Chen", "Evangelina"]
    ]
    assert ys == sorted(ys), ys
    assert len(set(ys)) == 4, ys
    # The same in words.
    words = page.get_by_role("region", name="Who introduced whom")
    expect(words).to_contain_text("Ana Alves introduced you to Ben Brook and Dev Desai")
    expect(words).to_contain_text("Fay Fox introduced you to Gus Grant")
    # Fits a phone: nothing overflows the page.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert_no_axe_violations(page, axe_source)
    shot(page, "graph")
    page.emulate_media(color_scheme="dark")
    shot(page, "graph-dark")
    page.emulate_media(color_scheme="light")

    # Keyboard: Tab reaches the nodes, Enter opens the person.
    ana.focus()
    expect(ana).to_be_focused()
    page.keyboard.press("Tab")
    expect(nodes.nth(1)).to_be_focused()
    ana.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#person/p-ana$"))
    # (Let the person screen mount before leaving it: the router does not cancel a late mount.)
    page.wait_for_function("() => document.getElementById('view-screen').childElementCount > 0")
    # A tap does the same.
    go(page, "#graph")
    page.get_by_role("link", name="Gus Grant", exact=True).first.tap()
    expect(page).to_have_url(re.compile("#person/p-gus$"))


def test_the_layout_handles_one_person_and_a_cycle(launch: Launch, app_url: str) -> None:
    page = open_app(launch, app_url)
    result = page.evaluate(
        """async () => {
            const { layout } = await import('./static/js/views/graph.js');
            const one = layout([{ id: 'a', name: 'A', doors: 0 }], [], 3);
            const cycle = layout(
                [{ id: 'a', name: 'A', doors: 2 }, { id: 'b', name: 'B', doors: 2 }, { id: 'c', name: 'C', doors: 1 }],
                [{ from: 'a', to: 'b' }, { from: 'b', to: 'a' }, { from: 'b', to: 'c' }], 3);
            return { one: [...one.at.entries()], oneSize: [one.width, one.height],
                     cycle: Object.fromEntries(cycle.at) };
        }"""
    )
    assert len(result["one"]) == 1
    assert result["oneSize"][0] > 0
    assert result["oneSize"][1] > 0
    cycle = result["cycle"]
    assert set(cycle) == {"a", "b", "c"}
    assert cycle["a"]["y"] < cycle["b"]["y"] < cycle["c"]["y"]


def test_five_hundred_people_are_capped_on_the_picture_and_all_listed(
    launch: Launch, app_url: str, axe_source: str
) -> None:
    people = [person(f"p-{i:03}", f"Person {i:03}") for i in range(500)]
    intros = [
        introduction(f"i-{i:03}", f"p-{(i - 1) // 3:03}", f"p-{i:03}", ago(days=400 - i * 0.5))
        for i in range(1, 500)
    ]
    page = open_app(launch, app_url, {"people": people, "introductions": intros})
    started = time.monotonic()
    go(page, "#graph")

    expect(page.get_by_role("figure")).to_contain_text(
        "Introductions graph: 500 people, 499 introductions."
    )
    expect(page.get_by_role("figure")).to_contain_text("Showing 120 of 500 people")
    assert time.monotonic() - started < 10
    expect(page.locator("svg.graph-svg [role=link]")).to_have_count(120)
    # The root opened every door, and is on the picture.
    expect(page.get_by_role("link", name="Person 000, opened the most doors")).to_be_visible()
    # The list has every introducer.
    expect(
        page.get_by_role("region", name="Who introduced whom").get_by_role("listitem")
    ).to_have_count(167)
    # Zoom works and says so.
    page.get_by_role("button", name="Zoom out").click()
    expect(page.locator(".graph-zoom-level")).to_have_text(re.compile(r"^\d+%$"))
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert_no_axe_violations(page, axe_source)


def insights_data() -> dict[str, list[dict[str, Any]]]:
    return {
        "people": [
            person("p-ana", "Ana Alves"),
            person("p-ben", "Ben Brook"),
            person("p-cleo", "Cleo Chen"),
            person("p-dev", "Dev Desai"),
            person("p-eve", "Eve Evans"),
        ],
        "introductions": [
            introduction("i-1", "p-ana", "p-ben", ago(days=20), status="offered"),
            introduction("i-2", "p-ana", "p-cleo", ago(days=10), status="offered"),
            introduction("i-3", "p-ben", "p-dev", ago(days=5), status="offered"),
        ],
        "interactions": [
            # Referrals reached in 3 h and 7 h: a median of 5 h.
            interaction("x-1", ["p-ben"], "message_sent", ago(days=20, hours=-3)),
            interaction("x-2", ["p-cleo"], "call", ago(days=10, hours=-7)),
            # Four meetings, two thanked within 24 h.
            interaction("x-3", ["p-ben"], "coffee", ago(days=19)),
            interaction("x-4", ["p-ben"], "thank_you_email", ago(days=19, hours=-5)),
            interaction("x-5", ["p-eve"], "meeting", ago(days=30)),
            interaction("x-6", ["p-eve"], "meeting", ago(days=3)),
            interaction("x-7", ["p-eve"], "thank_you_card", ago(days=3, hours=-2)),
        ],
    }


def test_insights_show_the_figures_as_charts_and_words(
    launch: Launch, app_url: str, axe_source: str
) -> None:
    page = open_app(launch, app_url, insights_data())
    go(page, "#insights")

    expect(page.get_by_role("heading", name="Insights", level=2)).to_be_focused()
    meetings = page.get_by_role("region", name="Meetings each week")
    expect(meetings).to_contain_text("4 in the last 12 weeks")
    expect(meetings.locator("svg .ins-bar:not(.is-zero)")).to_have_count(4)
    # The chart's text equivalent is a table screen readers can read.
    expect(meetings.get_by_role("table")).to_have_count(1)
    expect(meetings.get_by_role("row")).to_have_count(13)

    contact = page.get_by_role("region", name="Time to reach a new referral")
    expect(contact).to_contain_text("5 h median")
    expect(contact).to_contain_text("Half of your referrals heard from you within 5 h")

    thanks = page.get_by_role("region", name="Thank-yous within 24 hours")
    meter = thanks.get_by_role("meter")
    expect(meter).to_have_attribute("value", "0.5")
    expect(thanks).to_contain_text("50% of the people you met got a thank-you within 24 hours")

    loops = page.get_by_role("region", name="Open loops with introducers")
    expect(loops).to_contain_text("2 introducers to update")
    expect(loops.get_by_role("listitem")).to_have_count(2)
    expect(loops.get_by_role("link", name="Ana Alves").first).to_have_attribute(
        "href", "#person/p-ana"
    )

    introducers = page.get_by_role("region", name="Introductions per introducer")
    rows = introducers.get_by_role("listitem")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Ana Alves")
    expect(rows.nth(0)).to_contain_text("2 introductions")
    expect(rows.nth(1)).to_contain_text("Ben Brook")
    expect(rows.nth(1)).to_contain_text("1 introduction")

    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert_no_axe_violations(page, axe_source)
    shot(page, "insights")
    page.emulate_media(color_scheme="dark")
    page.screenshot(path=str(SCREENSHOTS / "insights-dark.png"))


def test_insights_with_nothing_to_measure_teach_the_next_step(
    launch: Launch, app_url: str, axe_source: str
) -> None:
    page = open_app(launch, app_url)
    go(page, "#insights")

    expect(page.get_by_role("heading", name="Nothing to measure yet.")).to_be_visible()
    expect(
        page.locator("#view-screen").get_by_role("link", name="Capture a person")
    ).to_be_visible()
    assert_no_axe_violations(page, axe_source)
